import { infrastructureHealthStop } from '../../../lambda/classification/rules/infrastructure-health-stop';
import { taskStopped } from '../../helpers/evidence';

describe('infrastructure-health-stop', () => {
  it('matches stop code InfrastructureHealth', () => {
    const result = infrastructureHealthStop.match(taskStopped({ stopCode: 'InfrastructureHealth' }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]).toMatchObject({ source: 'stopCode', text: 'InfrastructureHealth' });
  });

  it('does not match other stop codes', () => {
    expect(infrastructureHealthStop.match(taskStopped({ stopCode: 'EssentialContainerExited' })).status).toBe('no_match');
  });

  it('is not applicable without an analysed task', () => {
    expect(infrastructureHealthStop.match({ ...taskStopped(), tasks: [] }).status).toBe('not_applicable');
  });
});
