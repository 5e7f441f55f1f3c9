import { targetHealthNoFailure } from '../../../lambda/classification/rules/target-health-no-failure';
import type { Evidence } from '../../../lambda/evidence/types';
import { targetAlarm, taskStopped, unhealthyTarget } from '../../helpers/evidence';

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
const inState = (state: string, reason: string, description: string): Evidence['targetHealth'] =>
  unhealthyTarget(reason, description).map((g) => ({ ...g, targets: g.targets.map((t) => ({ ...t, state })) }));

describe('target-health-no-failure', () => {
  it.each([
    ['initial', 'Elb.RegistrationInProgress', 'Target registration is in progress'],
    ['initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress'],
    ['draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress'],
    ['unavailable', 'Target.HealthCheckDisabled', 'Health checks are disabled'],
  ])('matches an alarm whose targets are only %s (%s)', (state, reason, description) => {
    const result = targetHealthNoFailure.match(targetAlarm(inState(state, reason, description)));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual([reason, description]);
    expect(result.findings[0]?.scope).toBe('task');
  });

  it('does not match when a target fails its checks or a task of the service stopped for a failure', () => {
    const mixed = [...inState('initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress'), ...unhealthyTarget('Target.Timeout', 'Request timed out')];
    expect(targetHealthNoFailure.match(targetAlarm(mixed)).status).toBe('no_match');
    const crashed = taskStopped({ lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }).tasks;
    expect(targetHealthNoFailure.match(targetAlarm(inState('initial', 'Elb.InitialHealthChecking', 'Initial health checks in progress'), { tasks: crashed })).status).toBe('no_match');
  });

  it('is not applicable to other triggers', () => {
    expect(targetHealthNoFailure.match(taskStopped({}, { targetHealth: inState('draining', 'Target.DeregistrationInProgress', 'Target deregistration is in progress') })).status).toBe('not_applicable');
  });
});
