import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { parseBundle } from '../../evidence/bundle/read-bundle';
import { incidentBundleOf } from '../../pipeline/analyze-evidence';
import { BadInputError } from '../../shared/errors';
import { oneLine } from '../../shared/text';
import { argumentPath, checkWritable, type CliContext } from '../context';
import type { LiveTaskOptions } from './live';

/** Options of `ecs-rca capture`. */
export interface CaptureOptions extends LiveTaskOptions {
  /** Where to write the bundle; `-` is standard output. */
  output: string;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * The action of `ecs-rca capture --cluster C --task T -o FILE`: reads the task live, collects its
 * evidence and writes an `incident-bundle.v1` (the synthesized stop event plus the raw SDK responses),
 * which `ecs-rca analyze FILE` replays offline. Progress and evidence gaps go to stderr.
 *
 * @throws BadInputError as `captureLiveTask`, or when FILE cannot be written.
 */
export async function runCapture(options: CaptureOptions, ctx: CliContext): Promise<void> {
  const progress = (line: string): void => ctx.stderr(`ecs-rca: ${oneLine(line)}\n`);
  // A FILE that cannot be written is said before the live calls, not after them.
  if (options.output !== '-') await checkWritable(argumentPath(ctx, options.output), options.output);
  // Loaded only when capturing: the live module pulls in the AWS SDK clients (see `analyze`).
  const { captureLiveTask } = await import('./live');
  const capture = await captureLiveTask(options, ctx, progress);
  const bundle = incidentBundleOf(capture.event, capture.collected.bundle);
  const text = `${JSON.stringify(bundle, null, 2)}\n`;
  try {
    parseBundle(JSON.parse(text), 'the captured bundle');
  } catch (error) {
    // What we write must read back; if it does not, that is our bug, not the user's input.
    throw new Error(`the captured bundle does not read back: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  for (const gap of capture.collected.evidence.gaps) progress(`gap: ${gap}`);
  const parts = capture.collected.bundle;
  const lines = (parts.logs ?? []).reduce((n, stream) => n + (stream.events?.length ?? 0), 0);
  const summary = [
    plural(parts.tasks?.length ?? 0, 'task'),
    parts.taskDefinition ? 'task definition' : 'no task definition',
    plural(parts.services?.length ?? 0, 'service'),
    `${plural(parts.logs?.length ?? 0, 'log stream')} (${plural(lines, 'line')})`,
    plural(parts.targetHealth?.length ?? 0, 'target group'),
    ...(parts.serviceRevisions ? [plural(parts.serviceRevisions.length, 'service revision')] : []),
    ...(parts.baselineTaskDefinition ? ['baseline task definition'] : []),
    ...(parts.cloudTrailEvents ? [plural(parts.cloudTrailEvents.length, 'CloudTrail event')] : []),
    plural(capture.collected.evidence.gaps.length, 'gap'),
  ].join(', ');

  if (options.output === '-') {
    ctx.stdout(text);
    progress(`captured ${summary}`);
    return;
  }
  const path = argumentPath(ctx, options.output);
  try {
    await writeFile(path, text, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw new BadInputError(`${options.output}: cannot write the bundle (${code ?? (error instanceof Error ? error.message : String(error))})`, { cause: error });
  }
  progress(`wrote ${options.output}: ${summary}`);
}

const EXAMPLES = `
Examples:
  $ ecs-rca capture --cluster prod --task 0123456789abcdef0123456789abcdef -o incident.json
  $ ecs-rca capture --task arn:aws:ecs:eu-west-1:111122223333:task/prod/0123… -o - | jq .evidence.logs
  $ ecs-rca analyze incident.json                    # replay the capture offline

The bundle holds the task's stop event (synthesized from DescribeTasks as ECS would send it) and the
evidence the Lambda would read: DescribeTasks, DescribeTaskDefinition, DescribeServices, the failing
containers' log lines, target health, the service's deployment and revisions and the task definition
they are compared against (LOOKUP_CHANGE_ACTOR=true adds CloudTrail's UpdateService and
RegisterTaskDefinition events). Environment values and secret references are replaced by keyed
hashes whose key is random and discarded, so changes stay visible and values cannot be recovered. Secrets found in any text are
masked; review it before sharing all the same: log lines are otherwise copied as they are. ECS keeps
stopped tasks for about an hour.
Exit codes: 0 written, 2 bad input (task not found, no credentials, file not writable), 1 internal error.`;

/** Registers `capture --cluster C --task T [--region R] -o FILE`. */
export function registerCapture(program: Command, ctx: CliContext): void {
  program
    .command('capture')
    .summary('record a stopped ECS task and its evidence as an incident bundle')
    .description(
      'Read a stopped ECS task live from AWS with the default credential chain and write an incident-bundle.v1 ' +
        'JSON file with its stop event and evidence, for offline analysis, tests or a bug report.',
    )
    .option('--cluster <cluster>', 'ECS cluster name or ARN (default: the cluster in the task ARN)')
    .requiredOption('--task <task>', 'the stopped task: id, or ARN (which also gives cluster and Region)')
    .option('--region <region>', 'AWS Region (default: from the task ARN, AWS_REGION or the profile)')
    .requiredOption('-o, --output <file>', "file to write the bundle to ('-' for standard output)")
    .addHelpText('after', EXAMPLES)
    .action(async (options: CaptureOptions) => runCapture(options, ctx));
}
