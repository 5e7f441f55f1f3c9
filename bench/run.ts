import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { resolveSettings } from '../lib/config';
import { collectConfigFromEnv } from '../lambda/evidence/collect-config';
import { parseBundle } from '../lambda/evidence/bundle/read-bundle';
import type { TriggerKind } from '../lambda/evidence/types';
import { coldStartRows, functionEnvironment, measureColdStart } from './cold-start';
import { costRows } from './cost';
import { CALL_DELAY_MS, criticalPathRows, measureCriticalPath, type CriticalPathResult } from './critical-path';
import { measureMemory, memoryRows } from './memory';
import { renderMarkdown, renderTable, type Row } from './table';
import { rulePatterns } from './rule-patterns';
import { measureRedaction } from './redaction';
import { measureStorm } from './storm';
import { measureThroughput } from './throughput';
import { measureWholeCommand } from './whole-command';

/** The change fixtures (`test/fixtures/changes/`), our own bundles with service deployments and revisions. */
const CHANGE_FIXTURES = join(__dirname, '..', 'test', 'fixtures', 'changes');

/**
 * `npm run bench`: measures an analysis's speed, memory and cost, each figure beside a reference
 * measured in the same run, and prints one table. Exits 1 when a budget is missed (or a check of the
 * method fails), so CI can run it. `--markdown` prints the table as Markdown with the machine, for
 * the Performance section of README.md. See bench/README.md.
 */

/** Delivery: the S3 audit write, the notifications in parallel, the audit rewrite (lambda/delivery/deliver.ts). */
const DELIVERY_ROUND_TRIPS = 3;

/** The measurements, in order; `--only NAME[,NAME…]` runs a subset (cost also runs the two it is computed from). */
const MEASUREMENTS = ['throughput', 'critical-path', 'cold-start', 'memory', 'cost', 'whole-command', 'redaction', 'storm'] as const;

const USAGE = `Usage: npm run bench -- [--only NAME[,NAME…]] [--markdown] [--no-gigabyte]

Measures speed, memory and cost, each beside a reference measured in the same run; exits 1 when a
budget is missed, 2 on a bad option. See bench/README.md.

  --only NAMES    run only these measurements (comma-separated): ${MEASUREMENTS.join(', ')}
                  (cost also runs critical-path and cold-start, which it is computed from)
  --markdown      print the table as Markdown with the machine, for README.md's Performance section
  --no-gigabyte   skip the 1 GB bundle of the whole-command measurement
  -h, --help      print this help
`;

/** The options of one run. */
interface BenchOptions {
  only: Set<string>;
  markdown: boolean;
  gigabyte: boolean;
  help: boolean;
}

/**
 * Reads the command line with `util.parseArgs` (strict: an unknown option or a missing value throws).
 *
 * @throws Error with a one-line message naming the option or the unknown measurement.
 */
function benchOptions(args: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...args],
    options: {
      only: { type: 'string' },
      markdown: { type: 'boolean', default: false },
      'no-gigabyte': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const options = { only: new Set<string>(MEASUREMENTS), markdown: values.markdown, gigabyte: !values['no-gigabyte'], help: values.help };
  if (values.only === undefined) return options;
  const names = values.only.split(',').filter(Boolean);
  const unknown = names.filter((n) => !(MEASUREMENTS as readonly string[]).includes(n));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--only: expected measurement names among ${MEASUREMENTS.join(', ')}; got ${JSON.stringify(values.only)}`);
  options.only = new Set(names);
  if (options.only.has('cost')) ['critical-path', 'cold-start'].forEach((n) => options.only.add(n));
  return options;
}

function machine(): string[] {
  const cpu = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m)?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return [
    `date: ${new Date().toISOString()}`,
    `machine: ${execFileSync('uname', ['-a'], { encoding: 'utf8' }).trim()}`,
    `cpu: ${cpu}, ${cpus().length} cores; node ${process.version}; grep ${execFileSync('grep', ['--version'], { encoding: 'utf8' }).split('\n')[0]}`,
  ];
}

async function main(): Promise<void> {
  let options: BenchOptions;
  try {
    options = benchOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench: ${(error as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(USAGE);
    return;
  }
  const { only, markdown } = options;
  // The SDK warns once that its future versions need Node 22; keep the bench output to the figures.
  process.removeAllListeners('warning');
  process.on('warning', (warning) => {
    if (warning.name !== 'NodeVersionSupportWarning') process.stderr.write(`${warning.name}: ${warning.message}\n`);
  });
  setFlagsFromString('--expose-gc');
  (globalThis as { gc?: unknown }).gc = runInNewContext('gc');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'ecs-rca-bench-'));
  const rows: Row[] = [];
  const notes: string[] = [];
  let sound = true;
  try {
    if (only.has('throughput')) {
      log('1/8 classification throughput (synthetic logs, real rule catalogue, grep -E beside it)…');
      const throughput = await measureThroughput(dir, log);
      rows.push(...throughput.rows);
      notes.push(...throughput.notes);
      sound &&= throughput.sound;
    }

    const env = functionEnvironment();
    const collectConfig = collectConfigFromEnv(env);
    const paths: CriticalPathResult[] = [];
    if (only.has('critical-path')) {
      log(`2/8 critical path (every AWS call answers after ${CALL_DELAY_MS} ms)…`);
      for (const kind of ['task_stopped', 'deployment_failed', 'service_action', 'target_unhealthy'] as TriggerKind[]) {
        const result = await measureCriticalPath(kind, collectConfig);
        paths.push(result);
        log(`  ${kind} (${result.file}): ${result.roundTrips} round trips of ${result.calls} calls: ${result.chain.join(' → ')}`);
        if (result.gaps.length > 0) notes.push(`${kind}: evidence gaps while serving ${result.file}: ${result.gaps.join(' ')}`);
      }
      // A task stop whose service has deployments and revisions: the change evidence (List → Describe
      // deployments and revisions → baseline task definition) runs beside the log reads.
      const changeFixture = 'env-removed-config-missing.json';
      const changes = await measureCriticalPath('task_stopped', collectConfig, {
        file: changeFixture,
        bundle: parseBundle(JSON.parse(readFileSync(join(CHANGE_FIXTURES, changeFixture), 'utf8')), changeFixture),
        label: 'task_stopped with change evidence',
      });
      paths.push(changes);
      log(`  task_stopped with change evidence (${changeFixture}): ${changes.roundTrips} round trips of ${changes.calls} calls: ${changes.chain.join(' → ')}`);
      rows.push(...criticalPathRows(paths));
    }

    let cold: Awaited<ReturnType<typeof measureColdStart>> | undefined;
    if (only.has('cold-start')) {
      log('3/8 cold start (esbuild bundle as the CDK construct builds it)…');
      cold = await measureColdStart(dir);
      rows.push(...coldStartRows(cold));
      if (cold.output) notes.push(`loading the asset printed: ${cold.output.slice(0, 300)}`);
      notes.push(
        cold.sdkModules.length > 0
          ? `the asset requires ${cold.sdkModules.length} AWS SDK modules at load time: ${cold.sdkModules.join(', ')}.`
          : 'the asset requires no AWS SDK module at load time; the first invocation loads them (the "first invocation setup" row).',
      );
    }

    if (only.has('memory')) {
      log('4/8 memory (50 MB log stream through the live log collector, child process)…');
      const memory = await measureMemory(dir, collectConfig);
      rows.push(...memoryRows(memory));
    }

    const settings = resolveSettings();
    if (only.has('cost') && cold) {
      log('5/8 cost…');
      const taskStop = paths.find((p) => p.kind === 'task_stopped');
      if (!taskStop) throw new Error('no task_stopped measurement');
      rows.push(
        ...costRows({
          memoryMb: settings.memorySize,
          analysisMs: taskStop.endToEndMs,
          deliveryRoundTrips: DELIVERY_ROUND_TRIPS,
          roundTripMs: CALL_DELAY_MS,
          // A cold incident pays the asset load and the setup deferred to the first invocation.
          initMs: cold.importMs + cold.first.setupMs,
        }),
      );
    }

    if (only.has('whole-command')) {
      log('6/8 whole command (ecs-rca analyze on bundles, grep and rg beside it; a 1 GB bundle unless --no-gigabyte)…');
      const ere = rulePatterns(join(__dirname, '..', 'lambda', 'classification', 'rules')).map((p) => p.ere);
      const whole = await measureWholeCommand(dir, ere, log, options.gigabyte);
      rows.push(...whole.rows);
      notes.push(...whole.notes);
      sound &&= whole.sound;
    }

    if (only.has('redaction')) {
      log('7/8 redaction (100k synthetic lines through redactText, grep -F -i for the rule keywords beside it)…');
      rows.push(...(await measureRedaction(dir)));
    }

    if (only.has('storm')) {
      log('8/8 storm (200 task stops through the incident gate, dynalite in a child process; one at a time, then 10 in parallel)…');
      const storm = await measureStorm(log);
      rows.push(...storm.rows);
      notes.push(...storm.notes);
    }

    notes.push(
      `Lambda settings from lib/config.ts defaults: memorySize ${settings.memorySize} MB, log budget ${collectConfig.logLineBudget} lines / ${collectConfig.logByteBudget} bytes per stream, call timeout ${collectConfig.callTimeoutMs} ms.`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const failed = rows.filter((r) => r.pass === false);
  const out = markdown
    ? [...machine().map((l) => `- ${l}`), '', renderMarkdown(rows), '', ...notes.map((n) => `- ${n}`)]
    : [...machine(), '', renderTable(rows), '', ...notes.map((n) => `* ${n}`)];
  process.stdout.write(`${out.join('\n')}\n`);
  if (!sound) process.stdout.write('The method check failed: the figures above are not comparable.\n');
  if (failed.length > 0) process.stdout.write(`${failed.length} budget(s) missed: ${failed.map((r) => r.name).join('; ')}\n`);
  process.exitCode = failed.length > 0 || !sound ? 1 : 0;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 2;
});
