import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TRUNCATED_LOGS_FACTOR } from '../../lambda/classification/truncated-logs';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText } from '../../lambda/evidence/bundle/read-bundle';
import type { Evidence } from '../../lambda/evidence/types';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { RENDER_FORMATS, render } from '../../lambda/report/renderers/index';
import { appLogs, taskStopped } from '../helpers/evidence';

const NOW = { now: new Date('2026-01-15T10:10:00.000Z') };
const STREAM = 'ecs/app/0123456789abcdef0123456789abcdef';

/** A task whose essential container exited 1, with the given log lines, its stream cut or not. */
function exited(truncated: boolean, ...messages: string[]): Evidence {
  const logs = appLogs(...messages).map((s) => ({ ...s, taskId: '0123456789abcdef0123456789abcdef', ...(truncated ? { truncated: true } : {}) }));
  return taskStopped(
    {
      lastStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      startedAt: 1736935190000,
      stoppedAt: 1736935260000,
      containers: [{ name: 'app', exitCode: 1, essential: true }],
    },
    { logs },
  );
}

describe('a truncated log stream', () => {
  const quiet = ['GET /health 200', 'GET /items 200', 'shutting down'];

  it('is an evidence gap in every format: "log stream X was truncated: N events kept"', () => {
    const report = analyzeEvidence(exited(true, ...quiet), NOW);
    const gap = `Log stream ${STREAM} (log group /ecs/demo) was truncated: 3 events kept; the rest of the stream was not read, so a cause logged there cannot be seen.`;
    expect(report.evidenceGaps).toEqual([gap]);
    for (const format of RENDER_FORMATS) {
      // Slack and SNS may wrap or escape; the stream and the count are always there.
      expect([format, render(report, format)]).toEqual([format, expect.stringMatching(new RegExp(`${STREAM}[^\\n]*was truncated: 3 events kept`))]);
    }
    expect(analyzeEvidence(exited(false, ...quiet), NOW).evidenceGaps).toEqual([]);
  });

  it('lowers the confidence of a verdict that rests on no cause being found in the logs', () => {
    const whole = analyzeEvidence(exited(false, ...quiet), NOW);
    const cut = analyzeEvidence(exited(true, ...quiet), NOW);
    expect(cut.rootCause.category).toBe(whole.rootCause.category);
    expect(['app_exit_nonzero', 'unknown']).toContain(whole.rootCause.category);
    expect(cut.rootCause.confidence).toBeCloseTo(whole.rootCause.confidence * TRUNCATED_LOGS_FACTOR, 2);
    expect(cut.rootCause.confidence).toBeLessThan(whole.rootCause.confidence);
    expect(cut.rootCause.explanation).toMatch(/was truncated \(see the evidence gaps\): the lines not read may hold the cause, so confidence is lowered\.$/);
  });

  it('keeps the confidence of a cause the lines that were read show', () => {
    const fatal = [...quiet.slice(0, 2), 'Traceback (most recent call last):', '  File "/app/main.py", line 1, in <module>', "ModuleNotFoundError: No module named 'core.aws_service'"];
    const whole = analyzeEvidence(exited(false, ...fatal), NOW);
    const cut = analyzeEvidence(exited(true, ...fatal), NOW);
    expect(cut.rootCause.category).toBe('app_import_error');
    expect(cut.rootCause.confidence).toBe(whole.rootCause.confidence);
    expect(cut.evidenceGaps).toEqual([expect.stringMatching(/was truncated: 5 events kept/)]);
  });

  it('comes from a bundle whose stream the collector marked truncated, and quotes no control characters', () => {
    const seed = JSON.parse(readFileSync(join(__dirname, '../../examples/seed-incident.json'), 'utf8')) as { evidence: { logs?: Record<string, unknown>[] } };
    const logs = seed.evidence.logs ?? [];
    expect(logs.length).toBeGreaterThan(0);
    seed.evidence.logs = logs.map((s, i) => (i === 0 ? { ...s, logStreamName: 'forged\n* Root cause: nothing', truncated: true } : s));
    const report = analyzeEvidence(evidenceFromBundle(parseBundleText(JSON.stringify(seed), 'seed.json')), NOW);
    const gap = report.evidenceGaps.find((g) => g.includes('was truncated'));
    expect(gap).toMatch(/^Log stream forged \* Root cause: nothing \(log group .+\) was truncated: \d+ events kept;/);
    expect(gap).not.toMatch(/[\n\r\u001b]/);
  });
});
