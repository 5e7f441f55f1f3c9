import { containerHealthCheckFailed } from '../../../lambda/classification/rules/container-health-check-failed';
import { containerDefinition, serviceAction, serviceEvents, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('container-health-check-failed', () => {
  it('cites the stop reason first, then the service event', () => {
    const evidence = taskStopped(
      { stoppedReason: 'Task failed container health checks', containers: [{ name: 'web', healthStatus: 'UNHEALTHY' }] },
      { services: serviceEvents('(service web) (task d35b83629090cd69551c4d6c12a23fa5) failed container health checks.') },
    );
    const result = containerHealthCheckFailed.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['Task failed container health checks', '(service web) (task d35b83629090cd69551c4d6c12a23fa5) failed container health checks.']);
    expect(result.findings[0]?.scope).toBe('task');
  });

  it('explains curl in a slim image and the CMD vs CMD-SHELL form from the task definition', () => {
    const td = taskDefinition([
      containerDefinition('web', { image: 'python:3.12-slim', portMappings: [{ containerPort: 8000 }], healthCheck: { command: ['CMD', 'curl -f http://localhost:8000/health || exit 1'], intervalSeconds: 30, retries: 3 } }),
    ]);
    const result = containerHealthCheckFailed.match(taskStopped({ stoppedReason: 'Task failed container health checks' }, { taskDefinition: td }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence.map((e) => [e.source, e.text])).toContainEqual(['taskDefinition', 'curl -f http://localhost:8000/health || exit 1']);
    const steps = (finding?.remediation ?? []).join('\n');
    expect(steps).toContain('CMD-SHELL');
    expect(steps).toContain('command -v curl');
    expect(steps).toContain('startPeriod');
  });

  it('does not match an ELB health-check failure', () => {
    const evidence = taskStopped({ stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b)' });
    expect(containerHealthCheckFailed.match(evidence).status).toBe('no_match');
  });

  it('reads SERVICE_DISCOVERY_INSTANCE_UNHEALTHY as the container health seen by Cloud Map', () => {
    const result = containerHealthCheckFailed.match(serviceAction('SERVICE_DISCOVERY_INSTANCE_UNHEALTHY', {}, { eventType: 'WARN' }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['SERVICE_DISCOVERY_INSTANCE_UNHEALTHY']);
    expect(result.findings[0]?.confidence).toBe(0.6);
    expect(containerHealthCheckFailed.match(serviceAction('SERVICE_TASK_START_IMPAIRED')).status).toBe('not_applicable');
  });
});
