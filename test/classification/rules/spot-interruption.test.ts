import { spotInterruption } from '../../../lambda/classification/rules/spot-interruption';
import { taskStopped } from '../../helpers/evidence';

describe('spot-interruption', () => {
  it('matches the Fargate Spot termination notice', () => {
    const result = spotInterruption.match(taskStopped({ stopCode: 'TerminationNotice', stoppedReason: 'Your Spot Task was interrupted.', containers: [{ name: 'app', exitCode: 137 }] }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['Your Spot Task was interrupted.', 'TerminationNotice']);
  });

  it('matches stop code SpotInterruption alone', () => {
    expect(spotInterruption.match(taskStopped({ stopCode: 'SpotInterruption' })).status).toBe('match');
  });

  it('does not match other stops', () => {
    expect(spotInterruption.match(taskStopped({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' })).status).toBe('no_match');
  });
});
