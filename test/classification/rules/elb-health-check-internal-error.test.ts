import { elbHealthCheckInternalError } from '../../../lambda/classification/rules/elb-health-check-internal-error';
import { targetAlarm, taskStopped, unhealthyTarget } from '../../helpers/evidence';

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
describe('elb-health-check-internal-error', () => {
  it('matches Elb.InternalError, citing the code and description', () => {
    const result = elbHealthCheckInternalError.match(targetAlarm(unhealthyTarget('Elb.InternalError', 'Health checks failed due to an internal error')));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['Elb.InternalError', 'Health checks failed due to an internal error']);
  });

  it('does not match other reasons, and is not applicable without target health', () => {
    expect(elbHealthCheckInternalError.match(targetAlarm(unhealthyTarget('Target.FailedHealthChecks', 'Health checks failed'))).status).toBe('no_match');
    expect(elbHealthCheckInternalError.match(taskStopped()).status).toBe('not_applicable');
  });
});
