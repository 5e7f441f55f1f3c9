import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceFromBundle } from '../lambda/evidence/bundle/bundle-evidence';
import type { Evidence, LogEventEvidence } from '../lambda/evidence/types';
import { analyzeEvidence } from '../lambda/pipeline/run-analysis';
import { classify } from '../lambda/classification/classify';
import { RULES } from '../lambda/classification/rules/index';
import { scanContext, withScanContext } from '../lambda/classification/scan-context';
import { BENCH_BUNDLES, CORPUS_DIR, REPO_ROOT, loadBundle } from './corpus';
import { rulePatterns, type RulePattern } from './rule-patterns';
import { mbPerSecond, median, timeMs } from './stats';
import { corpusLogLines, writeSyntheticLog } from './synthetic-logs';
import type { Row } from './table';

/**
 * Measurement 1: classification throughput of the real rule catalogue on synthetic container logs,
 * beside `grep -E -c` running the catalogue's own log patterns (see `rule-patterns.ts`) over the same
 * file, in the same run, alternating so that machine noise hits both alike.
 */

/** Seed of the synthetic logs: the same bytes on every machine. */
const SEED = 20_250_115;
/** Lines per file, and timed runs at that size. */
const SIZES = [
  { lines: 10_000, runs: 9 },
  { lines: 100_000, runs: 7 },
  { lines: 1_000_000, runs: 5 },
] as const;
/** The analyzer must reach this share of grep's throughput. */
export const THROUGHPUT_BUDGET = 0.5;

/** What the throughput measurement found, for the table and the notes. */
export interface ThroughputResult {
  rows: Row[];
  notes: string[];
  /** False when a check of the method itself failed (the bench must then fail too). */
  sound: boolean;
}

/** Collects garbage when the runtime allows it, so that one run's garbage is not timed in the next. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

/** The task-stop evidence of the bench bundle with `events` as its container's only log stream. */
function evidenceWith(base: Evidence, events: LogEventEvidence[]): Evidence {
  const stream = base.logs[0];
  if (!stream) throw new Error(`${BENCH_BUNDLES.task_stopped} has no log stream to replace`);
  // A fresh object per run, as a real analysis gets (each analysis builds its own scan context anyway).
  return { ...base, logs: [{ ...stream, events, truncated: false }] };
}

interface GrepRun {
  ms: number;
  count: number;
}

function runGrep(patternsFile: string, file: string, locale: string): GrepRun {
  const start = process.hrtime.bigint();
  const result = spawnSync('grep', ['-E', '-c', '-f', patternsFile, file], { env: { ...process.env, LC_ALL: locale }, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0 && result.status !== 1) throw new Error(`grep failed (${result.status}): ${result.stderr}`);
  if (result.stderr.trim() !== '') throw new Error(`grep warned: ${result.stderr.trim()}`);
  return { ms, count: Number(result.stdout.trim()) };
}

/**
 * The translation check: every line a rule pattern matches must be matched by grep's ERE set too,
 * or grep would be given less work than the analyzer. Returns the number of lines grep missed.
 */
function missedByGrep(patterns: readonly RulePattern[], patternsFile: string, file: string, lines: readonly string[]): number {
  const result = spawnSync('grep', ['-E', '-n', '-f', patternsFile, file], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, encoding: 'utf8', maxBuffer: 1 << 28 });
  const grepped = new Set(result.stdout.split('\n').filter(Boolean).map((l) => Number(l.slice(0, l.indexOf(':')))));
  let missed = 0;
  lines.forEach((line, i) => {
    if (patterns.some((p) => p.regex.test(line)) && !grepped.has(i + 1)) missed += 1;
  });
  return missed;
}

/** Runs measurement 1 in `dir` (a temporary directory). */
export async function measureThroughput(dir: string, log: (line: string) => void): Promise<ThroughputResult> {
  const patterns = rulePatterns(join(REPO_ROOT, 'lambda', 'classification', 'rules'));
  const patternsFile = join(dir, 'rule-patterns.ere');
  writeFileSync(patternsFile, `${patterns.map((p) => p.ere).join('\n')}\n`);
  const widened = patterns.filter((p) => p.approximations.length > 0).length;
  const notes = [
    `grep gets ${patterns.length} EREs: the regex literals the ${new Set(patterns.map((p) => p.file)).size} log-reading rules scan log lines with, ` +
      `read from lambda/classification/rules/*.ts and translated to ERE (${widened} of them widened: lookarounds dropped, bounded repeats over 32 made unbounded; /i spelled [aA]).`,
  ];
  const base = evidenceFromBundle(loadBundle(BENCH_BUNDLES.task_stopped));
  const corpusLines = corpusLogLines(CORPUS_DIR);
  const rows: Row[] = [];
  let sound = true;
  let lastEvents: LogEventEvidence[] = [];

  for (const { lines: count, runs } of SIZES) {
    const file = join(dir, `synthetic-${count}.log`);
    const bytes = await writeSyntheticLog(file, count, SEED, corpusLines);
    const messages = readFileSync(file, 'utf8').split('\n');
    messages.pop();
    const t0 = Date.parse('2019-06-30T19:15:48.000Z');
    const events = messages.map((message, i) => ({ timestamp: t0 + Math.floor((i * 400_000) / count), message }));
    lastEvents = events;
    if (count === SIZES[0].lines) {
      const missed = missedByGrep(patterns, patternsFile, file, messages);
      notes.push(`translation check on ${count} lines: ${missed === 0 ? 'every line a rule pattern matches is matched by grep too' : `grep MISSED ${missed} lines a rule pattern matches`}.`);
      if (missed > 0) sound = false;
    }

    analyzeEvidence(evidenceWith(base, events)); // warm-up: JIT and the combined automaton
    const ours: number[] = [];
    const grepUtf8: number[] = [];
    const grepC: number[] = [];
    let grepCount = 0;
    let rootCause = '';
    for (let run = 0; run < runs; run += 1) {
      const evidence = evidenceWith(base, events);
      collectGarbage();
      ours.push(timeMs(() => (rootCause = analyzeEvidence(evidence).rootCause.category)));
      const u = runGrep(patternsFile, file, 'C.UTF-8');
      grepUtf8.push(u.ms);
      grepC.push(runGrep(patternsFile, file, 'C').ms);
      grepCount = u.count;
    }
    const mb = (bytes / 1e6).toFixed(1);
    const ourRate = mbPerSecond(bytes, median(ours));
    const utfRate = mbPerSecond(bytes, median(grepUtf8));
    const cRate = mbPerSecond(bytes, median(grepC));
    const label = count >= 1_000_000 ? `${count / 1_000_000}M` : `${count / 1000}k`;
    rows.push({
      name: `1 classify ${label} lines (${mb} MB)`,
      figure: `${ourRate.toFixed(1)} MB/s (${median(ours).toFixed(0)} ms)`,
      reference: `grep -E -c, C.UTF-8: ${utfRate.toFixed(1)} MB/s (${median(grepUtf8).toFixed(0)} ms)`,
      ratio: ourRate / utfRate,
      budget: `≥ ${THROUGHPUT_BUDGET}× grep`,
      pass: ourRate / utfRate >= THROUGHPUT_BUDGET,
    });
    rows.push({
      name: `1 classify ${label} lines, byte grep`,
      figure: `${ourRate.toFixed(1)} MB/s`,
      reference: `grep -E -c, C locale: ${cRate.toFixed(1)} MB/s (${median(grepC).toFixed(0)} ms)`,
      ratio: ourRate / cRate,
      budget: '',
    });
    log(`  ${label} lines: analyzer ${median(ours).toFixed(0)} ms (root cause ${rootCause}), grep ${median(grepUtf8).toFixed(0)} ms UTF-8 / ${median(grepC).toFixed(0)} ms C, ${grepCount} lines matched by grep`);
  }
  // One more analysis of the largest log, to list what its rules scanned without declaring it.
  const probe = withScanContext(evidenceWith(base, lastEvents), RULES);
  classify(probe);
  const undeclared = [...(scanContext(probe).scan?.undeclared ?? [])];
  notes.push(
    undeclared.length === 0
      ? 'every pattern the rules scanned log lines with was declared in their logPatterns, so each analysis read the lines once for all of them.'
      : `patterns scanned without being declared in a rule's logPatterns (one extra pass each): ${undeclared.join(', ')}.`,
  );
  return { rows, notes, sound };
}
