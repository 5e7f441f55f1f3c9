import { classify } from '../../../lambda/classification/classify';
import { rank } from '../../../lambda/classification/rank';
import { fatalLogLine } from '../../../lambda/classification/rules/fatal-log-line';
import { RULES } from '../../../lambda/classification/rules/index';
import type { Evidence } from '../../../lambda/evidence/types';
import { appLogs, taskStopped } from '../../helpers/evidence';

const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/demo/0123456789abcdef0123456789abcdef';

/** A task stopped because its essential container `app` exited with `exitCode`, with these log lines. */
const exited = (exitCode: number, ...lines: string[]): Evidence =>
  taskStopped(
    { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode, essential: true }] },
    { logs: appLogs(...lines) },
  );

describe('fatal-log-line', () => {
  it.each([
    ['an Envoy assert failure', 'app_crash', ['[2025-11-04 09:12:38.263][15][critical][assert] [source/common/upstream/health_checker_impl.cc:176] assert failure: !response_headers_.']],
    ['a .NET host that cannot create CoreCLR', 'app_crash', ['Failed to create CoreCLR, HRESULT: 0x80070008']],
    ['an OpenTelemetry Collector config error', 'app_config_missing', ['Error: failed to get config: cannot unmarshal the configuration: unknown receivers type "otlp" for "otlp" (valid values: [])']],
    ['a PHP fatal error whose words name a refused connection', 'dependency_unreachable', ['PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/db.php:8']],
    ['a Python PermissionError', 'permission_denied', ['Traceback (most recent call last):', '  File "/app/main.py", line 3, in <module>', "PermissionError: [Errno 13] Permission denied: '/data/out.csv'"]],
    ['a JVM authentication class', 'dependency_auth_failed', ['Exception in thread "main" org.apache.kafka.common.errors.SaslAuthenticationException: bad credentials']],
    ['an Elixir exception with a non-ASCII module', 'app_crash', ['** (Café.Erreur) échec']],
  ])('cites %s as the line that ended the program', (_what, category, lines) => {
    const result = fatalLogLine.match(exited(1, 'starting', ...lines));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const [finding] = result.findings;
    expect(finding?.category).toBe(category);
    expect(finding?.evidence[0]?.text).toBe(lines[lines.length - 1]);
    expect(finding?.confidence).toBe(0.6);
  });

  it('prefers the last cause line to exit lines that follow it, and cites both', () => {
    const assertLine = '[2025-11-04 09:12:38.263][15][critical][assert] [source/x.cc:1] assert failure: fd != -1';
    const exitLine = '[2025-11-04 09:12:38.300][7][warning] [AppNet Agent] [Envoy process 15] Exited with code [-1]';
    const result = fatalLogLine.match(exited(1, assertLine, '[2025-11-04 09:12:38.263][15][critical][backtrace] [source/server/backtrace.h:81] Caught Aborted', exitLine));
    expect(result.status === 'match' && result.findings[0]?.evidence.map((e) => e.text)).toEqual([assertLine, exitLine]);
  });

  it('is a hint only when ECS stopped the task rather than the container exiting', () => {
    const evidence = taskStopped(
      { stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/1)', containers: [{ name: 'app', exitCode: 137 }] },
      { logs: appLogs('panic: runtime error: index out of range [3] with length 3') },
    );
    const result = fatalLogLine.match(evidence);
    expect(result.status === 'match' && result.findings[0]?.confidence).toBe(0.4);
  });

  it('makes the exit code a symptom: never the root cause while a fatal line exists', () => {
    const line = 'nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:9';
    const evidence = exited(1, line);
    const ranked = rank(evidence, classify(evidence, RULES).candidates);
    expect(ranked.rootCause.category).toBe('app_config_missing');
    expect(ranked.rootCause.evidence[0]?.text).toBe(line);
    expect(ranked.symptoms.map((s) => s.category)).toContain('app_exit_nonzero');
  });

  it('does not match informational lines, clean exits, or other tasks\' streams', () => {
    expect(fatalLogLine.match(exited(1, '[2025-11-04 09:12:38.263][15][info][main] assert failure: shown at info level')).status).toBe('no_match');
    expect(fatalLogLine.match(exited(0, 'panic: runtime error: index out of range [3] with length 3')).status).toBe('no_match');
    const other = exited(1);
    other.logs = [{ logGroupName: '/ecs/demo', logStreamName: 'ecs/app/ffffffffffffffffffffffffffffffff', containerName: 'app', events: [{ timestamp: 1, message: 'panic: boom' }] }];
    other.tasks.push({ taskArn: TASK_ARN.replace(/0123456789abcdef0123456789abcdef$/, 'ffffffffffffffffffffffffffffffff'), taskId: 'ffffffffffffffffffffffffffffffff', containers: [] });
    expect(fatalLogLine.match(other).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(fatalLogLine.match(exited(1)).status).toBe('not_applicable');
  });
});
