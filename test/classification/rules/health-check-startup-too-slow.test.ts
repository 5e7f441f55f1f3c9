import { healthCheckStartupTooSlow } from '../../../lambda/classification/rules/health-check-startup-too-slow';
import type { Evidence } from '../../../lambda/evidence/types';
import { serviceEvents, taskStopped, unhealthyTarget } from '../../helpers/evidence';

const ELB_STOP = 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b)';
const STARTED = Date.parse('2026-01-15T10:00:00Z');

function evidenceWith(readyAfterS: number, stopAfterS: number, grace?: number): Evidence {
  const services = serviceEvents('(service web) has started 1 tasks: (task 0123456789abcdef0123456789abcdef).');
  const service = services[0];
  if (service && grace !== undefined) service.healthCheckGracePeriodSeconds = grace;
  return taskStopped(
    { stoppedReason: ELB_STOP, startedAt: STARTED, stoppingAt: STARTED + stopAfterS * 1000 },
    {
      services,
      logs: [
        {
          logGroupName: '/ecs/web',
          logStreamName: 'ecs/app/0123456789abcdef0123456789abcdef',
          containerName: 'app',
          events: [
            { timestamp: STARTED + 2000, message: 'Starting Application using Java 17' },
            { timestamp: STARTED + readyAfterS * 1000, message: `Started Application in ${readyAfterS - 3}.512 seconds (process running for ${readyAfterS - 2}.1)` },
          ],
        },
      ],
      targetHealth: unhealthyTarget('Target.FailedHealthChecks', 'Health checks failed', { intervalSeconds: 30, healthyThresholdCount: 5, unhealthyThresholdCount: 2 }),
    },
  );
}

describe('health-check-startup-too-slow', () => {
  it('matches a server that became ready after the grace period and suggests a grace period', () => {
    const result = healthCheckStartupTooSlow.match(evidenceWith(95, 100, 60));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence.map((e) => e.text)).toEqual(['Started Application in 92.512 seconds (process running for 93.1)', ELB_STOP]);
    expect(finding?.title).toContain('95 s');
    expect(finding?.remediation?.[0]).toContain('at least 245 s');
  });

  it('matches readiness just before the stop even when the grace period is unknown', () => {
    expect(healthCheckStartupTooSlow.match(evidenceWith(170, 180)).status).toBe('match');
  });

  it('does not match a program that was ready early', () => {
    expect(healthCheckStartupTooSlow.match(evidenceWith(8, 300, 60)).status).toBe('no_match');
  });

  it('is not applicable without a load-balancer health failure', () => {
    expect(healthCheckStartupTooSlow.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('not_applicable');
  });
});
