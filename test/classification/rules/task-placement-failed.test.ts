import { taskPlacementFailed } from '../../../lambda/classification/rules/task-placement-failed';
import { taskStopped } from '../../helpers/evidence';

describe('task-placement-failed', () => {
  it('matches TaskFailedToStart: RESOURCE:MEMORY on the analysed task', () => {
    const result = taskPlacementFailed.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: 'TaskFailedToStart: RESOURCE:MEMORY' }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe('TaskFailedToStart: RESOURCE:MEMORY');
    expect(result.findings[0]?.scope).toBe('task');
    expect(result.findings[0]?.remediation?.join(' ')).toContain('memory');
  });

  it('matches an empty capacity provider', () => {
    const result = taskPlacementFailed.match(taskStopped({ stoppedReason: 'TaskFailedToStart: EMPTY CAPACITY PROVIDER' }));
    expect(result.status === 'match' && result.findings[0]?.remediation?.join(' ')).toContain('Auto Scaling group');
  });

  it('does not match a ResourceInitializationError that also says TaskFailedToStart', () => {
    const result = taskPlacementFailed.match(
      taskStopped({ stoppedReason: "TaskFailedToStart: ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: Connection reset by peer' : unsuccessful EFS utils command execution; code: 32" }),
    );
    expect(result.status).toBe('no_match');
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html
  it('matches an unsatisfied distinctInstance placement constraint', () => {
    const reason = 'TaskFailedToStart: DistinctInstance placement constraint unsatisfied';
    expect(taskPlacementFailed.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: reason })).status).toBe('match');
  });
});
