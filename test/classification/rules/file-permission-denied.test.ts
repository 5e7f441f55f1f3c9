import { classify } from '../../../lambda/classification/classify';
import { rank } from '../../../lambda/classification/rank';
import { filePermissionDenied } from '../../../lambda/classification/rules/file-permission-denied';
import { appLogs, containerDefinition, taskDefinition, taskStopped, unhealthyTarget } from '../../helpers/evidence';

describe('file-permission-denied', () => {
  it('matches Node EACCES on mkdir and cites the exception line, not the crash-looking red herring', () => {
    const logs = appLogs('Last session crashed', "Error: EACCES: permission denied, mkdir '/home/node/.cache/n8n'", '    at mkdir (node:internal/fs/promises:858:10)');
    const result = filePermissionDenied.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(["Error: EACCES: permission denied, mkdir '/home/node/.cache/n8n'"]);
    expect(result.findings[0]?.title).toBe('Permission denied (mkdir) on /home/node/.cache/n8n');
  });

  it('uses readonlyRootFilesystem and user from the task definition in the remediation', () => {
    const logs = appLogs("PermissionError: [Errno 13] Permission denied: '/app/uploads/tmp.bin'");
    const td = taskDefinition([containerDefinition('app', { readonlyRootFilesystem: true, user: 'appuser' })]);
    const result = filePermissionDenied.match(taskStopped({}, { logs, taskDefinition: td }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const steps = (result.findings[0]?.remediation ?? []).join('\n');
    expect(steps).toContain('readonlyRootFilesystem: true');
    expect(steps).toContain('`/app/uploads`');
    expect(steps).toContain('appuser');
  });

  // nginx refused its FastCGI upstream's socket (https://github.com/craftcms/image/issues/15,
  // https://www.php.net/manual/en/install.fpm.configuration.php `listen.owner`/`listen.mode`).
  it("matches a proxy refused its upstream's Unix socket, as the root cause of the health check's 502", () => {
    const denied = '2024/08/07 15:08:23 [crit] 35#35: *35 connect() to unix:/var/run/php/php-fpm.sock failed (13: Permission denied) while connecting to upstream, client: 10.0.128.102, server: _, request: "GET /ping HTTP/1.1"';
    const evidence = taskStopped(
      { stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b)' },
      { logs: appLogs(denied, '10.0.128.102 - - [07/Aug/2024:15:08:23 +0000] "GET /ping HTTP/1.1" 502 157 "-" "ELB-HealthChecker/2.0"'), targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', 'Health checks failed with these codes: [502]') },
    );
    const result = filePermissionDenied.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.[0]).toContain('listen.mode');
    const ranked = rank(evidence, classify(evidence).candidates);
    expect(ranked.rootCause.category).toBe('permission_denied');
    expect(ranked.symptoms.map((f) => f.category)).toContain('health_check_bad_status');
  });

  it('leaves entrypoint exec and port binding refusals to their own categories', () => {
    const logs = appLogs('exec /docker-entrypoint.sh: permission denied', 'Error: listen EACCES: permission denied 0.0.0.0:80');
    expect(filePermissionDenied.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(filePermissionDenied.match(taskStopped()).status).toBe('not_applicable');
  });
});
