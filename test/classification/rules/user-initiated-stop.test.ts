import { userInitiatedStop } from '../../../lambda/classification/rules/user-initiated-stop';
import { taskStopped } from '../../helpers/evidence';

describe('user-initiated-stop', () => {
  it('matches stop code UserInitiated and cites the reason', () => {
    const result = userInitiatedStop.match(taskStopped({ stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', containers: [{ name: 'app', exitCode: 143 }] }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['UserInitiated', 'Task stopped by user']);
  });

  it('does not match a task that stopped by itself or with a container failure', () => {
    expect(userInitiatedStop.match(taskStopped({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' })).status).toBe('no_match');
    expect(
      userInitiatedStop.match(taskStopped({ stopCode: 'UserInitiated', containers: [{ name: 'app', reason: 'OutOfMemoryError: Container killed due to memory usage' }] })).status,
    ).toBe('no_match');
  });

  it('is not applicable without a stopped task', () => {
    expect(userInitiatedStop.match({ ...taskStopped(), tasks: [] }).status).toBe('not_applicable');
  });
});
