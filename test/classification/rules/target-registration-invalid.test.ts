import { targetRegistrationInvalid } from '../../../lambda/classification/rules/target-registration-invalid';
import { targetAlarm, taskStopped, unhealthyTarget } from '../../helpers/evidence';

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html
const unused = (reason: string, description: string) => unhealthyTarget(reason, description).map((g) => ({ ...g, targets: g.targets.map((t) => ({ ...t, state: 'unused' })) }));

describe('target-registration-invalid', () => {
  it.each([
    ['Target.NotRegistered', 'Target is not registered to the target group', 'loadBalancers'],
    ['Target.NotInUse', 'Target is in an Availability Zone that is not enabled for the load balancer', 'Availability Zone'],
    ['Target.IpUnusable', 'The IP address cannot be used as a target, as it is in use by a load balancer', 'target type `ip`'],
    ['Target.InvalidState', 'Target is in the stopped or terminated state', 'stopped or terminated'],
  ])('matches %s under an unhealthy-host alarm, citing reason and description', (reason, description, step) => {
    const result = targetRegistrationInvalid.match(targetAlarm(unused(reason, description)));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual([reason, description]);
    expect(result.findings[0]?.confidence).toBe(0.8);
    expect(result.findings[0]?.remediation?.[0]).toContain(step);
  });

  it('is only a hint next to a stopped task (ECS deregisters the targets of the tasks it stops)', () => {
    const result = targetRegistrationInvalid.match(taskStopped({}, { targetHealth: unused('Target.NotRegistered', 'Target is not registered to the target group') }));
    expect(result.status === 'match' && result.findings[0]?.confidence).toBe(0.45);
  });

  it('does not match failed health checks, and is not applicable without target health', () => {
    expect(targetRegistrationInvalid.match(targetAlarm(unhealthyTarget('Target.Timeout', 'Request timed out'))).status).toBe('no_match');
    expect(targetRegistrationInvalid.match(taskStopped()).status).toBe('not_applicable');
  });
});
