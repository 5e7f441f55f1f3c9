import { healthCheckBadStatus } from '../../../lambda/classification/rules/health-check-bad-status';
import { appLogs, serviceEvents, taskStopped, unhealthyTarget } from '../../helpers/evidence';

const ELB_STOP = 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-west-2:111122223333:targetgroup/api-2017/d700d27bfb2facac)';

describe('health-check-bad-status', () => {
  it("cites the container's own access-log line of the ELB health checker first", () => {
    const access = '10.180.13.204 [30/Jun/2019:19:22:06 +0000] GET /emergency/ HTTP/1.1 400 26 - ELB-HealthChecker/2.0 0.011522';
    const evidence = taskStopped(
      { stoppedReason: ELB_STOP },
      { logs: appLogs(access), targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', 'Health checks failed with these codes: [400]') },
    );
    const result = healthCheckBadStatus.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence.map((e) => e.text)).toEqual([access, 'Health checks failed with these codes: [400]', 'Target.ResponseCodeMismatch']);
    expect(finding?.scope).toBe('task');
    expect(finding?.title).toBe('Health checks get HTTP 400 on /emergency/');
    expect(finding?.remediation?.[0]).toContain('Host header');
  });

  it('matches the service event and target health with codes, and explains a 404', () => {
    const event =
      '(service r-api) (port 8000) is unhealthy in (target-group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/r-api-tg/6d0ecf831eec9f09) due to (reason Health checks failed with these codes: [404]).';
    const evidence = taskStopped({}, { services: serviceEvents('(service r-api) (deployment ecs-svc/1) deployment failed: tasks failed to start.', event), targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', 'Health checks failed with these codes: [404]') });
    const result = healthCheckBadStatus.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const texts = result.findings[0]?.evidence.map((e) => e.text) ?? [];
    expect(texts[0]).toBe('Health checks failed with these codes: [404]');
    expect(texts).toContain(event);
    expect(texts.some((t) => t.includes('tasks failed to start'))).toBe(false);
    expect(result.findings[0]?.scope).toBe('context');
    expect(result.findings[0]?.remediation?.[0]).toContain('does not exist');
  });

  it('recognises a redirect in a uvicorn access line for the known health-check path', () => {
    const line = 'INFO:     10.0.0.12:51234 - "GET /health HTTP/1.1" 307 Temporary Redirect';
    const evidence = taskStopped({}, { logs: appLogs(line), targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', undefined, { path: '/health', matcher: '200' }) });
    const result = healthCheckBadStatus.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.remediation?.[0]).toContain('redirect');
  });

  it('does not match timeouts, or health-checker requests that got an accepted status', () => {
    const logs = appLogs('10.0.0.5 - - [01/Jan/2024:00:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"');
    const result = healthCheckBadStatus.match(taskStopped({}, { logs, targetHealth: unhealthyTarget('Target.Timeout', 'Request timed out') }));
    expect(result.status).toBe('no_match');
  });

  it('ignores a failed health check that later checks in the same stream passed', () => {
    const logs = appLogs(
      '10.0.0.5 - - [15/Jan/2026:10:00:00 +0000] "GET /health HTTP/1.1" 503 0 "-" "ELB-HealthChecker/2.0"',
      '10.0.0.5 - - [15/Jan/2026:10:00:30 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"',
    );
    expect(healthCheckBadStatus.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs, target health or service events', () => {
    expect(healthCheckBadStatus.match(taskStopped({ stoppedReason: ELB_STOP })).status).toBe('not_applicable');
  });
});
