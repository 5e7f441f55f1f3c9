import {
  accessLogRequest,
  elbHealthSignals,
  framesFollow,
  isAwsApiEndpoint,
  isLowSeverity,
  isStackFrame,
  peerAddress,
  physicalLines,
  portNear,
  serverListening,
  statusMatches,
} from '../../lambda/classification/log-patterns';
import type { TextSource } from '../../lambda/classification/evidence-text';
import { RULES } from '../../lambda/classification/rules/index';
import { appLogs, serviceEvents, taskStopped, unhealthyTarget } from '../helpers/evidence';

const line = (text: string): TextSource => ({ source: 'log', text, scope: 'task' });

describe('log-patterns', () => {
  it('splits multi-line events into literal sub-lines', () => {
    const event = 'Error: boom\n    at f (/app/a.js:1:2)\n';
    expect(physicalLines([line(event)]).map((l) => l.text)).toEqual(['Error: boom', '    at f (/app/a.js:1:2)']);
  });

  it('recognises stack frames of several runtimes', () => {
    for (const frame of ['    at mkdir (node:internal/fs/promises:858:10)', '\tat com.x.Y.main(Y.java:3)', '  File "/app/x.py", line 3, in <module>', "\tfrom /app/x.rb:3:in `<main>'", '\t/go/src/app/main.go:12 +0x1d']) {
      expect(isStackFrame(frame)).toBe(true);
    }
    expect(isStackFrame('Exiting due to an error.')).toBe(false);
    expect(framesFollow([line('Error: x'), line(''), line('    at f (/a.js:1:1)')], 0)).toBe(true);
  });

  it('tells informational lines from error lines', () => {
    expect(isLowSeverity('INFO:     Application startup complete.')).toBe(true);
    expect(isLowSeverity('{"level":"info","msg":"retrying after error"}')).toBe(true);
    expect(isLowSeverity('{"level":"error","msg":"INFO missing"}')).toBe(false);
    expect(isLowSeverity('Error: connect ECONNREFUSED 127.0.0.1:5432')).toBe(false);
  });

  it('reads listening addresses and start-up times', () => {
    expect(serverListening('INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)')).toEqual({ host: '0.0.0.0', port: 8000 });
    expect(serverListening('- ready started server on 0.0.0.0:3000, url: http://localhost:3000')).toEqual({ host: '0.0.0.0', port: 3000 });
    expect(serverListening('Tomcat started on port(s): 8080 (http) with context path \'\'')).toEqual({ port: 8080 });
    expect(serverListening('Started Application in 12.5 seconds (process running for 13.2)')?.startupSeconds).toBe(12.5);
    expect(serverListening('Task is running on Fargate')).toBeUndefined();
  });

  it('parses health-checker access-log lines and target-group matchers', () => {
    expect(accessLogRequest('10.180.13.204 [30/Jun/2019:19:22:06 +0000] GET /emergency/ HTTP/1.1 400 26 - ELB-HealthChecker/2.0 0.011522')).toEqual({ path: '/emergency/', status: 400, fromHealthChecker: true });
    expect(accessLogRequest('{"status":302,"path":"/health","user_agent":"ELB-HealthChecker/2.0"}')).toEqual({ path: '/health', status: 302, fromHealthChecker: true });
    expect(statusMatches(302, '200-399')).toBe(true);
    expect(statusMatches(404, undefined)).toBe(false);
    expect(statusMatches(202, '200,202')).toBe(true);
  });

  it('reads peers and ports from error lines without taking a timestamp for a port', () => {
    expect(peerAddress('{ Error: connect ECONNREFUSED 127.0.0.1:27017')).toEqual({ host: '127.0.0.1', port: 27017 });
    expect(peerAddress('nginx: [emerg] host not found in upstream "php-fpm:9000" in /etc/nginx/conf.d/default.conf:23')).toEqual({ host: 'php-fpm', port: 9000 });
    expect(peerAddress('connect ECONNREFUSED ::1:5432')).toEqual({ host: '::1', port: 5432 });
    const text = '2026-01-15T10:22:33Z Error: listen EADDRINUSE: address already in use :::3000';
    expect(portNear(text, text.indexOf('EADDRINUSE'))).toBe(3000);
    expect(isAwsApiEndpoint('sqs.us-east-1.amazonaws.com')).toBe(true);
    expect(isAwsApiEndpoint('db.cluster-abc.us-east-1.rds.amazonaws.com')).toBe(false);
  });

  it('classifies target-health and service-event health-check failures', () => {
    const evidence = taskStopped({}, {
      targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', 'Health checks failed with these codes: [404, 502]'),
      services: serviceEvents('(service web) (port 80) is unhealthy in (target-group arn:aws:elasticloadbalancing:us-east-1:1:targetgroup/t/1) due to (reason Health checks failed).'),
    });
    const signals = elbHealthSignals(evidence);
    expect(signals.map((s) => [s.kind, s.codes])).toEqual([
      ['bad_status', [404, 502]],
      ['bad_status', []],
      ['connection_failed', []],
    ]);
  });

  // Speed is not asserted here (a busy machine fails any wall-clock bound): regex-linearity.test.ts
  // rejects super-linear patterns statically, and `npm run bench` measures the scan.
  it('runs every app, dependency and health rule to completion on 100 KB adversarial lines', () => {
    const categories = new Set(['app_import_error', 'app_config_missing', 'app_crash', 'port_bind_failed', 'permission_denied', 'app_exit_nonzero', 'dependency_unreachable', 'dependency_auth_failed', 'health_check_timeout', 'health_check_bad_status', 'health_check_connection_failed', 'health_check_startup_too_slow', 'container_health_check_failed']);
    const mine = RULES.filter((r) => categories.has(r.category));
    const nasty = [
      'a'.repeat(100_000),
      '/'.repeat(100_000),
      `Error: ${'x: '.repeat(33_000)}`,
      `No module named '${'a.'.repeat(50_000)}`,
      `${':1'.repeat(50_000)} listen`,
      `"GET ${'/a'.repeat(50_000)} HTTP/1.1" 200`,
      `${'EACCES '.repeat(14_000)}`,
      `${'Could not find '.repeat(6_000)}`,
    ];
    const evidence = taskStopped({ stoppedReason: 'Task failed ELB health checks in (target-group x)' }, { logs: appLogs(...nasty) });
    for (const rule of mine) expect(() => rule.match(evidence)).not.toThrow();
    expect(mine.length).toBeGreaterThanOrEqual(30);
  });
});
