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

  // The maintainer's reading of https://github.com/hackoregon/civic-devops/issues/263: the checks pass once the server
  // listens, but it listened too late to collect enough successes before ECS stopped the task.
  it('matches a late start whose first passing health check came too late, and cites that check', () => {
    const evidence = evidenceWith(196, 213);
    const passed = '10.180.21.43 - - [05/Oct/2019:18:22:20 +0000] "GET / HTTP/1.1" 200 1641 "-" "ELB-HealthChecker/2.0"';
    evidence.logs[0]?.events.push({ timestamp: STARTED + 204_000, message: passed });
    const result = healthCheckStartupTooSlow.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toContain(passed);
    expect(result.findings[0]?.explanation).toContain('The first health check it passed came 204 s after start');
  });

  it('does not match when the program answered the health checker with a rejected status', () => {
    const evidence = evidenceWith(196, 213);
    evidence.logs[0]?.events.push({ timestamp: STARTED + 204_000, message: '10.0.0.1 - - "GET /health HTTP/1.1" 404 12 "-" "ELB-HealthChecker/2.0"' });
    expect(healthCheckStartupTooSlow.match(evidence).status).toBe('no_match');
  });

  it('does not match a program that was ready early', () => {
    expect(healthCheckStartupTooSlow.match(evidenceWith(8, 300, 60)).status).toBe('no_match');
  });

  it('is not applicable without a load-balancer health failure', () => {
    expect(healthCheckStartupTooSlow.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('not_applicable');
  });
});
