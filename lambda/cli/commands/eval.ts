import { readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Option, type Command } from 'commander';
import { evidenceFromBundle } from '../../evidence/bundle/bundle-evidence';
import { BundleSyntaxError } from '../../evidence/bundle/bundle-stream';
import { parseBundle, readBundleParts, type BundleParts } from '../../evidence/bundle/read-bundle';
import { BadInputError } from '../../shared/errors';
import { oneLine } from '../../shared/text';
import { checkExpected, parseExpected, type ExpectedBlock } from '../check-expected';
import { argumentPath, useColor, type CliContext } from '../context';

/** Output formats of `ecs-rca eval`. */
export const EVAL_FORMATS = ['text', 'json'] as const;

/** Options of `ecs-rca eval`. */
export interface EvalOptions {
  format: (typeof EVAL_FORMATS)[number];
}

/** The result of one evaluation case (one bundle with an `expected` block). */
export interface EvalCase {
  /** File name without `.json`. */
  id: string;
  file: string;
  pass: boolean;
  /** The root cause's category; absent when the bundle could not be analysed. */
  category?: string;
  alert?: boolean;
  expected?: ExpectedBlock;
  /** Why the case failed: unmet expectations, or the error that stopped the analysis. */
  failures: string[];
}

/** The result of a whole evaluation run. */
export interface EvalResult {
  cases: EvalCase[];
  passed: number;
  total: number;
  /** passed / total, 0–1. */
  accuracy: number;
  /** `.json` files without an `expected` block, not counted. */
  skipped: string[];
}

function jsonFilesIn(dir: string): string[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch (error) {
    throw new BadInputError(`${dir}: no such directory`, { cause: error });
  }
  if (!isDirectory) throw new BadInputError(`${dir}: not a directory`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** Whether a parsed JSON value carries an `expected` block (the mark of an evaluation case). */
const hasExpected = (value: unknown): value is { expected: unknown } =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'expected' in value && value.expected !== undefined;

/** Whether `readBundleParts` failed because the file is not JSON. */
const isNotJson = (error: unknown): boolean =>
  error instanceof BadInputError && (error.cause instanceof SyntaxError || error.cause instanceof BundleSyntaxError);

/**
 * Evaluates one file, read as `analyze` reads it (streamed, see `readBundleParts`: a big bundle is
 * never held whole). Returns undefined when the file is valid JSON without an `expected` block.
 * Never throws: an unreadable file or a failed analysis is a failed case with the error as its reason.
 */
async function evaluateFile(file: string, ctx: Pick<CliContext, 'analyze' | 'now'>, notJson: Set<string>): Promise<EvalCase | undefined> {
  const id = basename(file, '.json');
  // Bad input is the case's own problem; anything else is an analyzer bug and says so.
  const fail = (error: unknown): EvalCase => ({
    id,
    file,
    pass: false,
    failures: [error instanceof BadInputError ? error.message : `internal error: ${messageOf(error)}`],
  });
  let parts: BundleParts;
  try {
    parts = await readBundleParts(file);
  } catch (error) {
    // Not JSON at all: a case only when nothing else in the folder is one (see `evaluateDirectory`).
    if (isNotJson(error)) notJson.add(file);
    return fail(error);
  }
  if (!hasExpected(parts.json)) return undefined;
  try {
    const bundle = parseBundle(parts.json, file, parts.logs);
    const expected = parseExpected(parts.json.expected, file);
    const report = ctx.analyze(evidenceFromBundle(bundle), { now: ctx.now() });
    const check = checkExpected(report, expected);
    return { id, file, pass: check.pass, category: report.rootCause.category, alert: report.alert, expected, failures: check.failures };
  } catch (error) {
    return fail(error);
  }
}

/**
 * Runs every `*.json` bundle with an `expected` block in `dir` (not recursive, in name order) through
 * the analysis pipeline and checks each report with `checkExpected`.
 *
 * @throws BadInputError when `dir` is not a directory or holds no bundle with an `expected` block.
 */
export async function evaluateDirectory(dir: string, ctx: Pick<CliContext, 'analyze' | 'now'>): Promise<EvalResult> {
  const cases: EvalCase[] = [];
  const skipped: string[] = [];
  const notJson = new Set<string>();
  for (const file of jsonFilesIn(dir)) {
    // One file at a time: each may be as big as the process can hold.
    const result = await evaluateFile(file, ctx, notJson);
    if (result) cases.push(result);
    else skipped.push(file);
  }
  // A folder of files that are not JSON (or not bundles) holds no case: that is bad input, not a
  // failed evaluation.
  if (cases.every((c) => notJson.has(c.file))) {
    const broken = cases.length > 0 ? ` (${cases.length} file(s) are not valid JSON, e.g. ${cases[0]!.file})` : '';
    throw new BadInputError(`${dir}: no incident bundle with an expected block${broken}`);
  }
  const passed = cases.filter((c) => c.pass).length;
  return { cases, passed, total: cases.length, accuracy: passed / cases.length, skipped };
}

/** `accuracy: 33/33 (100.0%)`. */
export function accuracyLine(result: Pick<EvalResult, 'passed' | 'total'>): string {
  const pct = result.total === 0 ? 0 : (100 * result.passed) / result.total;
  return `accuracy: ${result.passed}/${result.total} (${pct.toFixed(1)}%)`;
}

/**
 * One line per case, `PASS id category` or `FAIL id category (why; why)`, then the skipped-file count
 * when there are any, and the accuracy line last.
 */
export function formatEvalText(result: EvalResult, color = false): string {
  const paint = (code: number, text: string): string => (color ? `\u001b[${code}m${text}\u001b[39m` : text);
  const lines = result.cases.map((c) => {
    const status = c.pass ? paint(32, 'PASS') : paint(31, 'FAIL');
    // File names and quoted evidence are read text: no escape sequence or line break reaches the terminal.
    const why = c.pass ? '' : ` (${oneLine(c.failures.join('; '))})`;
    return `${status} ${oneLine(c.id)} ${c.category ?? '-'}${why}`;
  });
  if (result.skipped.length > 0) lines.push(`skipped: ${result.skipped.length} file(s) without an expected block`);
  lines.push(accuracyLine(result));
  return lines.join('\n');
}

/** The action of `ecs-rca eval DIR`: prints the results and sets exit code 1 when any case fails. */
export async function runEval(dir: string, options: EvalOptions, ctx: CliContext): Promise<void> {
  const result = await evaluateDirectory(argumentPath(ctx, dir), ctx);
  const out = options.format === 'json' ? JSON.stringify(result, null, 2) : formatEvalText(result, useColor(ctx));
  ctx.stdout(`${out}\n`);
  if (result.passed < result.total) ctx.exitCode = 1;
}

const EXAMPLES = `
Examples:
  $ ecs-rca eval test/fixtures
  $ ecs-rca eval test/fixtures --format json | jq '.cases[] | select(.pass | not)'

Each case is a *.json incident bundle with an "expected" block: the root cause's category must be one
of expected.categories, some root-cause evidence must contain expected.primaryEvidence, none may
contain an expected.redHerrings entry, and the report's alert must equal expected.alert.
Exit codes: 0 every case passed, 1 a case failed, 2 bad input (no such directory, no cases).`;

/** Registers `eval DIR [--format text|json]`. */
export function registerEval(program: Command, ctx: CliContext): void {
  program
    .command('eval')
    .summary('check the analysis of every bundle with an expected block in a directory')
    .description(
      'Run every incident bundle with an "expected" block in DIR through the analysis and check the report against it. ' +
        'Prints one line per case (PASS or FAIL, the case id, the root-cause category and, for failures, why) and the accuracy last.',
    )
    .argument('<DIR>', 'directory of incident bundles (*.json, not recursive)')
    .addOption(new Option('-f, --format <format>', 'output format: text (one line per case) or json (every case with its details)').choices(EVAL_FORMATS).default('text'))
    .addHelpText('after', EXAMPLES)
    .action((dir: string, options: EvalOptions) => runEval(dir, options, ctx));
}
