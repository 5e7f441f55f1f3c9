import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CORPUS_DIR, REPO_ROOT } from './corpus';
import { median } from './stats';
import { corpusLogLines } from './synthetic-logs';
import { writeSyntheticBundle, type SyntheticBundle } from './synthetic-bundle';
import type { Row } from './table';

/**
 * Measurement 6: what a user of `ecs-rca analyze` feels, each figure beside a reference run in the
 * same run on the same input, alternating so that noise hits both alike:
 *
 * - the whole command (`node <options> scripts/run-cli.cjs analyze BUNDLE --format json`, exactly
 *   what `npm run analyze` runs: start-up, streaming read, analysis, rendering) on bundles whose container log holds
 *   10 k, 100 k and 1 M synthetic lines, beside `grep -E -c -f PATTERNS` and `rg -c -f PATTERNS` on
 *   the same lines as a plain log file (PATTERNS: the rule catalogue's log patterns, as in
 *   measurement 1), and beside a bare `JSON.parse(readFileSync(BUNDLE))` in a fresh `node`;
 * - the command's peak RSS at each size, with a 50 MB log, and on a 1 GB bundle (which must analyse,
 *   not crash);
 * - start-up: the embedded example, and `--version`, beside `node -e 0`.
 *
 * ripgrep is optional: without `rg` on PATH its rows say so and are skipped.
 */

/** Budgets of measurement 6. */
export const WHOLE_COMMAND_BUDGET = { grep: 3, parse: 1.5, peakMiB: 128, startup: 3 } as const;

const SEED = 20_250_115;
const SIZES = [
  { lines: 10_000, runs: 5 },
  { lines: 100_000, runs: 3 },
  { lines: 1_000_000, runs: 3 },
] as const;
const LAUNCHER = join(REPO_ROOT, 'scripts', 'run-cli.cjs');

/**
 * The node options of `npm run analyze` (package.json), so the bench runs exactly what npm runs:
 * `node <options> scripts/run-cli.cjs analyze`.
 */
function analyzeNodeOptions(): string[] {
  const script = (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.analyze ?? '';
  const words = script.split(/\s+/);
  if (words[0] !== 'node' || words[words.length - 2] !== 'scripts/run-cli.cjs') throw new Error(`package.json "analyze" is not "node [options] scripts/run-cli.cjs analyze": ${script}`);
  return words.slice(1, -2);
}

interface Timed {
  ms: number;
  status: number | null;
  stdout: string;
  stderr: string;
  maxRssMiB?: number;
}

/** A preload that reports the process's peak RSS on exit (the command itself is unchanged). */
const RSS_MARK = 'BENCH-MAX-RSS ';
function rssReporter(dir: string): string {
  const file = join(dir, 'max-rss.cjs');
  writeFileSync(file, `process.on('exit', () => process.stderr.write('\\n${RSS_MARK}' + process.resourceUsage().maxRSS + '\\n'));\n`);
  return file;
}

function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const start = process.hrtime.bigint();
  const result = spawnSync(command, args, { cwd: REPO_ROOT, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  const mark = result.stderr.lastIndexOf(RSS_MARK);
  const maxRssMiB = mark === -1 ? undefined : Number(result.stderr.slice(mark + RSS_MARK.length).trim()) / 1024;
  return { ms, status: result.status, stdout: result.stdout, stderr: mark === -1 ? result.stderr : result.stderr.slice(0, mark).trim(), ...(maxRssMiB ? { maxRssMiB } : {}) };
}

function analyze(reporter: string, bundle: string): Timed {
  const result = run(process.execPath, [...analyzeNodeOptions(), '--require', reporter, LAUNCHER, 'analyze', bundle, '--format', 'json']);
  if (result.status !== 0) throw new Error(`ecs-rca analyze ${bundle} exited ${result.status}: ${result.stderr.slice(0, 500)}`);
  return result;
}

function bareParse(bundle: string): Timed {
  return run(process.execPath, ['-e', "JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'))", bundle]);
}

/** Whether ripgrep is installed. */
function hasRipgrep(): boolean {
  return spawnSync('rg', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * An ERE from `ere.ts` in ripgrep's (Rust regex) syntax: inside bracket expressions a backslash is
 * literal in ERE but an escape in Rust, and `[` opens a nested class there. Word boundaries become
 * ASCII ones (`(?-u:\b)`): ripgrep's Unicode `\b` cannot run in its DFA once a line holds a non-ASCII
 * byte and falls back to an engine about 300× slower (86 s instead of 0.25 s for 100 k synthetic
 * lines with ripgrep 13), which would measure that fallback, not a search; the method check compares
 * ripgrep's count with grep's.
 */
export function ereToRust(ere: string): string {
  let out = '';
  let i = 0;
  while (i < ere.length) {
    const c = ere[i] as string;
    if (c === '\\') {
      const e = ere[i + 1];
      out += e === 'b' || e === 'B' ? `(?-u:\\${e})` : ere.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '[') {
      out += c;
      i += 1;
      continue;
    }
    // A bracket expression: `[`, optional `^`, a leading `]` is literal, `[:name:]` classes.
    let j = i + 1;
    out += '[';
    if (ere[j] === '^') {
      out += '^';
      j += 1;
    }
    if (ere[j] === ']') {
      out += '\\]';
      j += 1;
    }
    while (j < ere.length && ere[j] !== ']') {
      if (ere.startsWith('[:', j)) {
        const end = ere.indexOf(':]', j + 2);
        out += ere.slice(j, end + 2);
        j = end + 2;
        continue;
      }
      const d = ere[j] as string;
      out += d === '\\' || d === '[' || d === '&' || d === '~' ? `\\${d}` : d;
      j += 1;
    }
    out += ']';
    i = j + 1;
  }
  return out;
}

/** What measurement 6 found. */
export interface WholeCommandResult {
  rows: Row[];
  notes: string[];
  sound: boolean;
}

/**
 * Runs measurement 6 in `dir` (a temporary directory); `patterns` are the EREs grep gets in
 * measurement 1. With `gigabyte`, also writes and analyses a 1 GB bundle (about a minute).
 */
export async function measureWholeCommand(dir: string, patterns: readonly string[], log: (line: string) => void, gigabyte = true): Promise<WholeCommandResult> {
  const rows: Row[] = [];
  const notes: string[] = [];
  let sound = true;
  const reporter = rssReporter(dir);
  const grepFile = join(dir, 'whole-command.ere');
  writeFileSync(grepFile, `${patterns.join('\n')}\n`);
  const rg = hasRipgrep();
  const rgFile = join(dir, 'whole-command.rust-regex');
  writeFileSync(rgFile, `${patterns.map(ereToRust).join('\n')}\n`);
  if (!rg) notes.push('rg not installed, row skipped: install ripgrep (e.g. `apt-get install ripgrep`) for the rg rows (see bench/README.md).');
  const corpusLines = corpusLogLines(CORPUS_DIR);
  // The launcher builds the CLI bundle when it is stale: do it before anything is timed.
  analyze(reporter, join(REPO_ROOT, 'examples', 'seed-incident.json'));

  for (const { lines, runs } of SIZES) {
    const label = lines >= 1_000_000 ? `${lines / 1_000_000}M` : `${lines / 1000}k`;
    const made: SyntheticBundle = await writeSyntheticBundle(dir, `whole-${label}`, { lines }, { seed: SEED, corpusLines, withLog: true });
    const logFile = made.log as string;
    const ours: number[] = [];
    const rss: number[] = [];
    const greps: number[] = [];
    const rgs: number[] = [];
    const parses: number[] = [];
    let grepCount = 0;
    let rgCount = 0;
    analyze(reporter, made.bundle); // warm the file cache
    for (let i = 0; i < runs; i += 1) {
      const r = analyze(reporter, made.bundle);
      ours.push(r.ms);
      if (r.maxRssMiB) rss.push(r.maxRssMiB);
      const g = run('grep', ['-E', '-c', '-f', grepFile, logFile], { ...process.env, LC_ALL: 'C.UTF-8' });
      greps.push(g.ms);
      grepCount = Number(g.stdout.trim());
      if (rg) {
        const x = run('rg', ['-c', '-f', rgFile, logFile]);
        if (x.status !== 0 && x.status !== 1) throw new Error(`rg failed (${x.status}): ${x.stderr.slice(0, 300)}`);
        rgs.push(x.ms);
        rgCount = Number(x.stdout.trim() || '0');
      }
      parses.push(bareParse(made.bundle).ms);
    }
    const mb = (made.bundleBytes / 1e6).toFixed(0);
    const t = median(ours);
    const final = lines === 1_000_000;
    rows.push({
      name: `6 analyze ${label} lines (${mb} MB bundle) vs grep`,
      figure: `${t.toFixed(0)} ms`,
      reference: `grep -E -c -f, C.UTF-8: ${median(greps).toFixed(0)} ms`,
      ratio: t / median(greps),
      budget: final ? `≤ ${WHOLE_COMMAND_BUDGET.grep}× grep` : '',
      ...(final ? { pass: t / median(greps) <= WHOLE_COMMAND_BUDGET.grep } : {}),
    });
    rows.push(
      rg
        ? { name: `6 … vs rg`, figure: `${t.toFixed(0)} ms`, reference: `rg -c -f: ${median(rgs).toFixed(0)} ms`, ratio: t / median(rgs), budget: '' }
        : { name: `6 … vs rg`, figure: 'rg not installed, row skipped', reference: '', budget: '' },
    );
    rows.push({
      name: `6 … vs bare read-and-parse`,
      figure: `${t.toFixed(0)} ms`,
      reference: `node: JSON.parse(readFileSync(bundle)): ${median(parses).toFixed(0)} ms`,
      ratio: t / median(parses),
      budget: final ? `≤ ${WHOLE_COMMAND_BUDGET.parse}× read-and-parse` : '',
      ...(final ? { pass: t / median(parses) <= WHOLE_COMMAND_BUDGET.parse } : {}),
    });
    rows.push({ name: `6 … peak RSS`, figure: `${median(rss).toFixed(0)} MiB`, reference: `${(made.messageBytes / 1e6).toFixed(0)} MB of log messages`, budget: '' });
    if (rg && rgCount !== grepCount) {
      notes.push(`rg matched ${rgCount} lines and grep ${grepCount} on ${label} lines: the rg translation of the patterns differs (method check failed).`);
      sound = false;
    }
    log(`  ${label} lines: analyze ${t.toFixed(0)} ms, grep ${median(greps).toFixed(0)} ms${rg ? `, rg ${median(rgs).toFixed(0)} ms` : ''}, parse ${median(parses).toFixed(0)} ms, peak ${median(rss).toFixed(0)} MiB`);
    rmSync(made.bundle);
    rmSync(logFile);
  }

  // 50 MB of log messages in one stream: the memory budget.
  const fifty = await writeSyntheticBundle(dir, 'whole-50mb', { messageBytes: 50_000_000 }, { seed: SEED, corpusLines });
  const peaks = [0, 1, 2].map(() => analyze(reporter, fifty.bundle).maxRssMiB ?? Number.NaN);
  const bare = median([0, 1, 2].map(() => run(process.execPath, ['--require', reporter, '-e', '0']).maxRssMiB ?? Number.NaN));
  const fiftyNote = analyze(reporter, fifty.bundle).stderr;
  rows.push({
    name: `6 peak RSS, 50 MB log (${(fifty.bundleBytes / 1e6).toFixed(0)} MB bundle)`,
    figure: `${median(peaks).toFixed(0)} MiB`,
    reference: `node -e 0: ${bare.toFixed(0)} MiB`,
    ratio: median(peaks) / bare,
    budget: `≤ ${WHOLE_COMMAND_BUDGET.peakMiB} MiB`,
    pass: median(peaks) <= WHOLE_COMMAND_BUDGET.peakMiB,
  });
  if (fiftyNote) notes.push(`50 MB log: ${fiftyNote.replace(/^ecs-rca: note: \S+: /, '')}`);
  rmSync(fifty.bundle);

  if (gigabyte) {
    log('  writing a 1 GB bundle…');
    const big = await writeSyntheticBundle(dir, 'whole-1gb', { messageBytes: 730_000_000 }, { seed: SEED, corpusLines });
    const r = run(process.execPath, [...analyzeNodeOptions(), '--require', reporter, LAUNCHER, 'analyze', big.bundle, '--format', 'json']);
    let ok = r.status === 0;
    try {
      ok &&= typeof (JSON.parse(r.stdout) as { rootCause?: unknown }).rootCause === 'object';
    } catch {
      ok = false;
    }
    rows.push({
      name: `6 analyze a ${(big.bundleBytes / 1e9).toFixed(2)} GB bundle`,
      figure: ok ? `analysed in ${(r.ms / 1000).toFixed(1)} s, peak ${(r.maxRssMiB ?? 0).toFixed(0)} MiB` : `exit ${r.status}: ${r.stderr.slice(0, 120)}`,
      reference: `${big.lines} log events`,
      budget: 'no crash',
      pass: ok,
    });
    rmSync(big.bundle);
  }

  // Start-up: the embedded example and --version, beside a bare node.
  const example: number[] = [];
  const version: number[] = [];
  const empty: number[] = [];
  for (let i = 0; i < 11; i += 1) {
    example.push(run(process.execPath, [...analyzeNodeOptions(), LAUNCHER, 'analyze']).ms);
    version.push(run(process.execPath, [...analyzeNodeOptions(), LAUNCHER, '--version']).ms);
    empty.push(run(process.execPath, ['-e', '0']).ms);
  }
  const npm = median([0, 1, 2].map(() => run('npm', ['run', '-s', 'analyze']).ms));
  const e = median(example);
  const n = median(empty);
  rows.push({
    name: '6 analyze the embedded example',
    figure: `${e.toFixed(0)} ms`,
    reference: `node -e 0: ${n.toFixed(0)} ms`,
    ratio: e / n,
    budget: `≤ ${WHOLE_COMMAND_BUDGET.startup}× node -e 0`,
    pass: e / n <= WHOLE_COMMAND_BUDGET.startup,
  });
  rows.push({ name: '6 … --version', figure: `${median(version).toFixed(0)} ms`, reference: `node -e 0: ${n.toFixed(0)} ms`, ratio: median(version) / n, budget: '' });
  rows.push({ name: '6 … through npm run -s analyze', figure: `${npm.toFixed(0)} ms`, reference: `node -e 0: ${n.toFixed(0)} ms (npm itself starts a node and a shell)`, ratio: npm / n, budget: '' });
  return { rows, notes, sound };
}
