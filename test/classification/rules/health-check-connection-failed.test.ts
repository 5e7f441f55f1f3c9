import { healthCheckConnectionFailed } from '../../../lambda/classification/rules/health-check-connection-failed';
import { appLogs, serviceAction, serviceEvents, taskStopped, unhealthyTarget } from '../../helpers/evidence';

const ELB_STOP = 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b)';

describe('health-check-connection-failed', () => {
  it('matches Target.FailedHealthChecks and points at a program bound to 127.0.0.1', () => {
    const listening = 'INFO:     Uvicorn running on http://127.0.0.1:8000 (Press CTRL+C to quit)';
    const evidence = taskStopped({ stoppedReason: ELB_STOP }, { logs: appLogs(listening), targetHealth: unhealthyTarget('Target.FailedHealthChecks', 'Health checks failed') });
    const result = healthCheckConnectionFailed.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toBe(listening);
    expect(finding?.title).toContain('127.0.0.1');
    expect(finding?.remediation?.[0]).toContain('0.0.0.0');
    expect(finding?.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it('reports a port mismatch with the service load balancer containerPort', () => {
    const services = serviceEvents('(service web) (port 8501) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b) due to (reason Health checks failed).');
    const service = services[0];
    if (service) service.loadBalancers = [{ containerName: 'app', containerPort: 8501 }];
    const result = healthCheckConnectionFailed.match(taskStopped({}, { services, logs: appLogs('Listening on http://0.0.0.0:3000') }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toContain('port 3000');
  });

  it('is a low-confidence hint when ECS only says the task failed ELB health checks', () => {
    const result = healthCheckConnectionFailed.match(taskStopped({ stoppedReason: ELB_STOP }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual([ELB_STOP]);
    expect(result.findings[0]?.confidence).toBeLessThanOrEqual(0.4);
  });

  it('does not match when health checks got a status code or timed out', () => {
    const codes = taskStopped({ stoppedReason: ELB_STOP }, { targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', 'Health checks failed with these codes: [400]') });
    expect(healthCheckConnectionFailed.match(codes).status).toBe('no_match');
    const timeout = taskStopped({ stoppedReason: ELB_STOP }, { targetHealth: unhealthyTarget('Target.Timeout', 'Request timed out') });
    expect(healthCheckConnectionFailed.match(timeout).status).toBe('no_match');
  });

  it('is not applicable without any load-balancer evidence', () => {
    expect(healthCheckConnectionFailed.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('not_applicable');
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html
  it('reads a Classic Load Balancer\'s unhealthy-instance service event', () => {
    const clb = '(service web) (instance i-0123456789abcdef0) is unhealthy in (elb web-clb) due to (reason Instance has failed at least the UnhealthyThreshold number of health checks consecutively.)';
    const result = healthCheckConnectionFailed.match(taskStopped({}, { services: serviceEvents(clb) }));
    expect(result.status === 'match' && result.findings[0]?.evidence[0]?.text).toBe(clb);
  });

  it('is a low-confidence hint on a VPC_LATTICE_TARGET_UNHEALTHY service action', () => {
    const result = healthCheckConnectionFailed.match(serviceAction('VPC_LATTICE_TARGET_UNHEALTHY'));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.confidence).toBe(0.4);
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['VPC_LATTICE_TARGET_UNHEALTHY']);
    expect(healthCheckConnectionFailed.match(serviceAction('SERVICE_TASK_START_IMPAIRED')).status).toBe('not_applicable');
  });
});
