import { taskConfigInvalid } from '../../../lambda/classification/rules/task-config-invalid';
import { serviceAction, serviceEvents, taskStopped } from '../../helpers/evidence';

// https://repost.aws/knowledge-center/ecs-unable-to-assume-role
const ASSUME =
  "(service web) failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::111122223333:role/ecsTaskExecutionRole' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.).";

describe('task-config-invalid', () => {
  it('matches a service event in which ECS refuses to launch a task, with the role step', () => {
    const result = taskConfigInvalid.match(taskStopped({}, { services: serviceEvents(ASSUME) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(ASSUME);
    expect(result.findings[0]?.remediation?.[0]).toContain('ecs-tasks.amazonaws.com');
  });

  it('matches SERVICE_TASK_CONFIGURATION_FAILURE and cites its reason', () => {
    const result = taskConfigInvalid.match(serviceAction('SERVICE_TASK_CONFIGURATION_FAILURE', {}, { reason: 'Tags could not be applied' }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['SERVICE_TASK_CONFIGURATION_FAILURE', 'Tags could not be applied']);
  });

  it('does not match a task that started and exited', () => {
    expect(taskConfigInvalid.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('no_match');
  });
});
