import { findAll, findFirst, logLines, stopTexts, type TextMatch, type TextSource } from '../../lambda/classification/evidence-text';
import { MIN_SCAN_CHARS } from '../../lambda/classification/line-scan';
import { findInStreams, logStreams, physicalLines, streamLines, type StreamMatch } from '../../lambda/classification/log-patterns';
import { RULES } from '../../lambda/classification/rules/index';
import { declaredLogPatterns, scanContext, withScanContext } from '../../lambda/classification/scan-context';
import type { Evidence } from '../../lambda/evidence/types';
import { taskStopped } from '../helpers/evidence';
import { scanTexts } from './scan-texts';

const TASK_ID = '0123456789abcdef0123456789abcdef';

/** An evidence whose logs hold every scan text, over three streams (one of them split in two entries) and a multi-line event. */
function bigEvidence(): Evidence {
  const texts = scanTexts();
  const third = Math.ceil(texts.length / 3);
  const events = (from: number, to: number) => texts.slice(from, to).map((message, i) => ({ timestamp: 1736935200000 + i, message }));
  return taskStopped(
    { taskId: TASK_ID, stoppedReason: 'Essential container in task exited' },
    {
      logs: [
        { logGroupName: '/ecs/app', logStreamName: `ecs/app/${TASK_ID}`, containerName: 'app', events: events(0, third) },
        { logGroupName: '/ecs/app', logStreamName: `ecs/sidecar/${TASK_ID}`, containerName: 'sidecar', events: events(third, 2 * third) },
        {
          logGroupName: '/ecs/app',
          logStreamName: `ecs/app/${TASK_ID}`, // the app stream again: its lines are not one run
          containerName: 'app',
          events: [...events(2 * third, texts.length), { timestamp: 1736935300000, message: "Traceback (most recent call last):\n  File \"/app/x.py\", line 1\nKeyError: 'DATABASE_URL'" }],
        },
      ],
    },
  );
}

/** What a match says, without object identity. */
const view = (m: TextMatch) => ({ text: m.item.text, index: m.index, matched: m.matched, groups: m.groups });
const streamView = (m: StreamMatch) => ({ ...view(m), at: m.at, stream: m.lines.length });
/** A copy the scanner does not know, so every line is tested as before. */
const unshared = (lines: readonly TextSource[]): TextSource[] => lines.map((l) => ({ ...l }));

/** Sources of the patterns scanned over an analysis's lines without having been declared. */
const undeclared = (evidence: Evidence): string[] => [...(scanContext(evidence).scan?.undeclared ?? [])];

describe('line-scan: one combined pass over the shared log lines of an analysis', () => {
  const evidence = withScanContext(bigEvidence(), RULES);

  it('finds exactly what testing every line finds, for every declared pattern', () => {
    const patterns = declaredLogPatterns(RULES);
    expect(patterns.length).toBeGreaterThan(40);
    const lines = logLines(evidence);
    const flat = streamLines(evidence);
    const streams = logStreams(evidence);
    let found = 0;
    for (const pattern of patterns) {
      const all = findAll(lines, pattern).map(view);
      found += all.length;
      expect(all).toEqual(findAll(unshared(lines), pattern).map(view));
      expect(findAll(flat, pattern).map(view)).toEqual(findAll(unshared(flat), pattern).map(view));
      expect(findFirst(flat, pattern)?.item.text).toEqual(findFirst(unshared(flat), pattern)?.item.text);
      // A copy with other texts in front, as rules build it (`[...stopTexts(e), ...logLines(e)]`).
      expect(findAll([...stopTexts(evidence), ...lines], pattern).map(view)).toEqual(findAll([...stopTexts(evidence), ...unshared(lines)], pattern).map(view));
      expect(findInStreams(streams, pattern).map(streamView)).toEqual(findInStreams(streams.map(unshared), pattern).map(streamView));
    }
    expect(found).toBeGreaterThan(100);
  });

  it('splits multi-line events and groups a stream given in two entries', () => {
    const streams = logStreams(evidence);
    expect(streams).toHaveLength(2);
    expect(streams.flat().map((l) => l.text)).toContain("KeyError: 'DATABASE_URL'");
    expect(streamLines(evidence)).toEqual(streams.flat());
  });

  it('reads the lines once per analysis; a new analysis reads them again', () => {
    const plain = taskStopped({ taskId: TASK_ID }, { logs: [{ logGroupName: '/ecs/x', logStreamName: `ecs/app/${TASK_ID}`, containerName: 'app', events: [{ message: 'starting' }] }] });
    const small = withScanContext(plain, RULES);
    expect(withScanContext(small, RULES)).toBe(small); // one context per analysis
    const first = logLines(small);
    expect(logLines(small)).toBe(first);
    expect(physicalLines(first)).toBe(first); // no line break: the same array
    const pattern = /connect ECONNREFUSED/;
    expect(findAll(logLines(small), pattern)).toHaveLength(0);
    plain.logs[0]?.events.push({ message: 'Error: connect ECONNREFUSED 127.0.0.1:5432' });
    const next = withScanContext(plain, RULES);
    expect(logLines(next)).not.toBe(first);
    expect(findAll(logLines(next), pattern).map((m) => m.matched)).toEqual(['connect ECONNREFUSED']);
    expect(findAll(streamLines(next), pattern)).toHaveLength(1);
    // Outside an analysis every call reads the evidence afresh.
    expect(findAll(logLines(plain), pattern)).toHaveLength(1);
    expect(logLines(plain)).not.toBe(logLines(plain));
  });

  it('an undeclared pattern still finds its lines, and is reported', () => {
    const adHoc = /ready to handle connections/i;
    expect(findAll(logLines(evidence), adHoc).map(view)).toEqual(findAll(unshared(logLines(evidence)), adHoc).map(view));
    expect(undeclared(evidence)).toContain(String(adHoc));
    expect(undeclared(withScanContext(bigEvidence(), RULES))).toEqual([]); // a new analysis starts clean
  });

  it('reads a small evidence line by line: no automaton for a few lines', () => {
    const small = withScanContext(taskStopped({ taskId: TASK_ID }, { logs: [{ logGroupName: '/ecs/x', logStreamName: `ecs/app/${TASK_ID}`, events: [{ message: 'small list marker' }] }] }), RULES);
    const adHoc = /small list marker/;
    expect(findAll(logLines(small), adHoc)).toHaveLength(1);
    expect(undeclared(small)).toEqual([]);
    expect(logLines(evidence).reduce((n, l) => n + l.text.length, 0)).toBeGreaterThan(MIN_SCAN_CHARS); // the big one is scanned
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))('%s declares every pattern it scans log lines with (logPatterns)', (_id, rule) => {
    const analysed = withScanContext(bigEvidence(), [rule]);
    rule.match(analysed);
    expect(undeclared(analysed)).toEqual([]);
  });
});
