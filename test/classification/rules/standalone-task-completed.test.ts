import { standaloneTaskCompleted } from '../../../lambda/classification/rules/standalone-task-completed';
import { containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

const job = {
  group: 'family:nightly-report',
  startedBy: 'events-rule/nightly-report',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
};

describe('standalone-task-completed', () => {
  it('matches a scheduled task whose essential container exited 0', () => {
    const result = standaloneTaskCompleted.match(taskStopped({ ...job, containers: [{ name: 'report', exitCode: 0 }] }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => `${e.source}:${e.text}`)).toEqual(['stoppedReason:Essential container in task exited', 'exitCode:0']);
  });

  it('ignores a non-essential sidecar that was stopped with the job', () => {
    const evidence = taskStopped(
      { ...job, containers: [{ name: 'report', exitCode: 0 }, { name: 'xray', exitCode: 143 }] },
      { taskDefinition: taskDefinition([containerDefinition('report'), containerDefinition('xray', { essential: false })]) },
    );
    expect(standaloneTaskCompleted.match(evidence).status).toBe('match');
  });

  it('is never benign for a service task exiting 0 (a long-running service should not exit)', () => {
    const result = standaloneTaskCompleted.match(
      taskStopped({ ...job, group: 'service:web', startedBy: 'ecs-svc/123', containers: [{ name: 'web', exitCode: 0 }] }),
    );
    expect(result.status).toBe('no_match');
  });

  it('does not match a job that failed or never ran', () => {
    expect(standaloneTaskCompleted.match(taskStopped({ ...job, containers: [{ name: 'report', exitCode: 1 }] })).status).toBe('no_match');
    expect(
      standaloneTaskCompleted.match(taskStopped({ ...job, containers: [{ name: 'report', reason: 'CannotPullContainerError: API error (404): repository serverless-batch not found: does not exist or no pull access' }] })).status,
    ).toBe('no_match');
  });
});
