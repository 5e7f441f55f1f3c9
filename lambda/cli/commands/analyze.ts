import { Option, type Command } from 'commander';
import { evidenceFromBundle } from '../../evidence/bundle/bundle-evidence';
import { readBundle, readBundleStream, type IncidentBundle } from '../../evidence/bundle/read-bundle';
import { oneLine } from '../../shared/text';
import type { RcaReport } from '../../report/report-schema';
import { RENDER_FORMATS, render, type RenderFormat } from '../../report/renderers/index';
import { argumentPath, processStdin, useColor, type CliContext } from '../context';
import { sampleBundlePath } from '../package-root';
import { BadInputError } from '../../shared/errors';
import type { LiveTaskOptions } from './live';

/** Options of `ecs-rca analyze`: `--cluster`/`--task`/`--region` select a live task instead of FILE. */
export interface AnalyzeOptions extends LiveTaskOptions {
  format: RenderFormat;
}

/**
 * Reads an incident bundle and analyses it with the same pipeline as the Lambda.
 *
 * @param file absolute path of an `incident-bundle.v1` file.
 * @throws BadInputError when the file is missing, not JSON or not a bundle;
 *   UnsupportedEventError when its event is of a kind the analyzer does not analyse (yet).
 */
export async function analyzeBundleFile(file: string, ctx: Pick<CliContext, 'analyze' | 'now' | 'stderr'>): Promise<RcaReport> {
  return analyzeBundle(await readBundle(file), ctx);
}

/** Prints the bundle's notices (one line each; they name fields of the file) and analyses it. */
function analyzeBundle(bundle: IncidentBundle, ctx: Pick<CliContext, 'analyze' | 'now' | 'stderr'>): RcaReport {
  for (const notice of bundle.notices ?? []) ctx.stderr(`ecs-rca: note: ${oneLine(notice)}\n`);
  return ctx.analyze(evidenceFromBundle(bundle), { now: ctx.now() });
}

/**
 * Writes a report to stdout in `format`, followed by one newline and nothing else (so `--format json`
 * output is exactly the report). Live sources (`--cluster/--task`) reuse this once they produce a report.
 */
export function emitReport(report: RcaReport, format: RenderFormat, ctx: CliContext): void {
  ctx.stdout(`${render(report, format, { color: format === 'text' && useColor(ctx) })}\n`);
}

/**
 * The action of `ecs-rca analyze [FILE]`: FILE, standard input when FILE is `-`, the embedded sample when FILE is omitted, or with
 * `--cluster`/`--task` a live task read from AWS.
 *
 * @throws BadInputError when FILE and a live task are both given, or as the chosen source throws.
 */
export async function runAnalyze(file: string | undefined, options: AnalyzeOptions, ctx: CliContext): Promise<void> {
  if (options.task !== undefined || options.cluster !== undefined) {
    if (file !== undefined) throw new BadInputError(`give either FILE (${file}) or --cluster/--task, not both`);
    // Loaded only here: the live module pulls in the AWS SDK clients, which offline analysis never needs.
    const { analyzeLiveTask } = await import('./live');
    emitReport(await analyzeLiveTask(options, ctx), options.format, ctx);
    return;
  }
  if (options.region !== undefined) throw new BadInputError('--region applies to a live task: add --cluster and --task');
  if (file === '-') {
    // `analyze -`: the bundle comes on standard input (`capture … | ecs-rca analyze -`), streamed as a pipe is.
    const bundle = await readBundleStream((ctx.readStdin ?? processStdin)(), 'stdin');
    emitReport(analyzeBundle(bundle, ctx), options.format, ctx);
    return;
  }
  const path = file === undefined ? sampleBundlePath() : argumentPath(ctx, file);
  emitReport(await analyzeBundleFile(path, ctx), options.format, ctx);
}

/** What each format is for; typed by the renderer map, so a new format cannot go undocumented. */
const FORMAT_HELP: Record<RenderFormat, string> = {
  text: 'for a terminal',
  json: 'the rca-report.v1 object alone',
  markdown: 'for issues and wikis',
  slack: 'the Block Kit payload the Slack webhook would get',
  sns: 'the SNS subject, message and attributes that would be published',
};

const EXAMPLES = `
Examples:
  $ ecs-rca analyze                                  # the embedded sample incident
  $ ecs-rca analyze incident.json                    # a recorded incident bundle, for a terminal
  $ ecs-rca analyze incident.json --format markdown > rca.md
  $ ecs-rca analyze incident.json --format json | jq -r .rootCause.category
  $ ecs-rca analyze incident.json --format slack     # preview the Slack message
  $ cat incident.json | ecs-rca analyze -            # the bundle on standard input
  $ ecs-rca analyze --cluster prod --task 0123456789abcdef0123456789abcdef --region eu-west-1
  $ ecs-rca analyze --task arn:aws:ecs:eu-west-1:111122223333:task/prod/0123… --format sns

FILE is an incident-bundle.v1 JSON file: the EventBridge event and, optionally, the evidence
(DescribeTasks, DescribeServices, log events, target health) recorded with it.
With --cluster and --task, a stopped task (ECS keeps them about an hour) is read live from AWS with
the default credential chain, as the Lambda would read it (CALL_TIMEOUT_MS, LOG_LINE_BUDGET and
LOG_BYTE_BUDGET apply).
Exit codes: 0 analysed (whatever the verdict), 2 bad input, 1 internal error.`;

/** Registers `analyze [FILE] [--format text|json|markdown|slack|sns]`. */
export function registerAnalyze(program: Command, ctx: CliContext): void {
  program
    .command('analyze')
    .summary('analyse an incident bundle and print its root-cause report')
    .description(
      'Analyse a recorded ECS incident (an incident-bundle.v1 file) offline and print the root-cause report: ' +
        'the verdict, the evidence, the fix, contributing causes, symptoms and dismissed look-alikes. ' +
        'Without FILE, analyses the embedded sample incident (examples/seed-incident.json).',
    )
    .argument('[FILE]', "incident bundle to analyse ('-' reads it from standard input; default: the embedded sample)")
    .option('--cluster <cluster>', 'analyse a live task of this ECS cluster (name or ARN) instead of FILE')
    .option('--task <task>', 'the stopped task to analyse live (id, or ARN which also gives cluster and Region)')
    .option('--region <region>', 'AWS Region of the live task (default: from the task ARN, AWS_REGION or the profile)')
    .addOption(
      new Option('-f, --format <format>', `output format: ${RENDER_FORMATS.map((format) => `${format} (${FORMAT_HELP[format]})`).join(', ')}`)
        .choices(RENDER_FORMATS)
        .default('text'),
    )
    .addHelpText('after', EXAMPLES)
    .action(async (file: string | undefined, options: AnalyzeOptions) => runAnalyze(file, options, ctx));
}
