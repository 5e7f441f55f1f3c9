import { taskConfigInvalid } from '../../../lambda/classification/rules/task-config-invalid';
import { classify } from '../../../lambda/classification/classify';
import { rank } from '../../../lambda/classification/rank';
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

  // The scheduler wraps stopped-task errors it met while launching
  // (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html).
  const WRAPPED: readonly [string, string][] = [
    [
      '(service api) failed to launch a task with (error ECS was unable to start a task. ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:eu-west-1:111122223333:secret:api/db from secrets manager: ResourceNotFoundException: Secrets Manager can\'t find the specified secret.).',
      'secrets_fetch_failed',
    ],
    [
      '(service api) failed to launch a task with (error CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:v9: 111122223333.dkr.ecr.eu-west-1.amazonaws.com/api:v9: not found).',
      'image_not_found',
    ],
  ];

  it.each(WRAPPED)('lets the inner stopped-task error be the root cause: %s', (message, inner) => {
    const evidence = taskStopped({}, { services: serviceEvents(message) });
    const result = taskConfigInvalid.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.confidence).toBeLessThan(0.5);
    expect(rank(evidence, classify(evidence).candidates).rootCause.category).toBe(inner);
  });

  it('says no task started only when the incident has no task', () => {
    const withTask = taskConfigInvalid.match(taskStopped({}, { services: serviceEvents(ASSUME) }));
    expect(withTask.status === 'match' && withTask.findings[0]?.explanation).not.toContain('no task started');
    const noTask = taskConfigInvalid.match({ ...taskStopped({}, { services: serviceEvents(ASSUME) }), tasks: [] });
    expect(noTask.status === 'match' && noTask.findings[0]?.explanation).toContain('no task started');
  });
});
