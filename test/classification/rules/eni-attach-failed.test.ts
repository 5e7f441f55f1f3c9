import { eniAttachFailed } from '../../../lambda/classification/rules/eni-attach-failed';
import { taskStopped } from '../../helpers/evidence';

describe('eni-attach-failed', () => {
  it('matches the network interface provisioning timeout', () => {
    const result = eniAttachFailed.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: 'Timeout waiting for network interface provisioning to complete.' }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe('Timeout waiting for network interface provisioning to complete.');
    expect(result.findings[0]?.scope).toBe('task');
  });

  it('matches a failed ENI configuration', () => {
    const result = eniAttachFailed.match(
      taskStopped({ stoppedReason: 'ResourceInitializationError: failed to configure ENI: failed to setup regular eni: netplugin failed with no error message' }),
    );
    expect(result.status).toBe('match');
  });

  it('does not match an ENI attachment-point shortage (a placement problem)', () => {
    const result = eniAttachFailed.match(taskStopped({ stoppedReason: 'TaskFailedToStart: RESOURCE:ENI' }));
    expect(result.status).toBe('no_match');
  });
});
