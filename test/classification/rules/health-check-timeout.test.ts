import { healthCheckTimeout } from '../../../lambda/classification/rules/health-check-timeout';
import { appLogs, serviceEvents, taskStopped, unhealthyTarget } from '../../helpers/evidence';

describe('health-check-timeout', () => {
  it('matches Target.Timeout / Request timed out and the service event, description first', () => {
    const event =
      '(service web) (port 8080) is unhealthy in (target-group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b) due to (reason Request timed out).';
    const evidence = taskStopped({}, { services: serviceEvents(event), targetHealth: unhealthyTarget('Target.Timeout', 'Request timed out') });
    const result = healthCheckTimeout.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['Request timed out', 'Target.Timeout', event]);
    expect(result.findings[0]?.scope).toBe('context');
    expect(result.findings[0]?.remediation?.[0]).toContain('security group');
  });

  it("ties a service event naming the analysed task to it, and drops the security-group hint when the checker's requests are logged", () => {
    const taskArn = 'arn:aws:ecs:us-east-1:111122223333:task/demo/0123456789abcdef0123456789abcdef';
    const event = '(service web) (task 0123456789abcdef0123456789abcdef) (port 8000) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b) due to (reason Request timed out).';
    const logs = appLogs('10.0.0.5 - - [15/Jan/2026:10:00:00 +0000] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0"');
    const result = healthCheckTimeout.match(taskStopped({ taskArn }, { services: serviceEvents(event), logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.taskArn).toBe(taskArn);
    expect(result.findings[0]?.remediation?.[0]).toContain('reach the program');
  });

  it('does not match other health-check failures', () => {
    expect(healthCheckTimeout.match(taskStopped({}, { targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', 'Health checks failed with these codes: [404]') })).status).toBe('no_match');
  });

  it('is not applicable without target health or service events', () => {
    expect(healthCheckTimeout.match(taskStopped()).status).toBe('not_applicable');
  });
});
