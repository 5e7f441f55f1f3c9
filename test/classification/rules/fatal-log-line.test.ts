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

  it("does not read other tasks' streams", () => {
    const other = exited(1);
    other.logs = [{ logGroupName: '/ecs/demo', logStreamName: 'ecs/app/ffffffffffffffffffffffffffffffff', containerName: 'app', events: [{ timestamp: 1, message: 'panic: boom' }] }];
    other.tasks.push({ taskArn: TASK_ARN.replace(/0123456789abcdef0123456789abcdef$/, 'ffffffffffffffffffffffffffffffff'), taskId: 'ffffffffffffffffffffffffffffffff', containers: [] });
    expect(fatalLogLine.match(other).status).toBe('no_match');
  });
});
