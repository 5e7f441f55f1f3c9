import { Option, type Command } from 'commander';
import { WATCH_DEFAULTS } from '../../deployment/watch-defaults';
import { BadInputError } from '../../shared/errors';
import type { CliContext } from '../context';

/**
 * `ecs-rca watch`: follows an ECS deployment from a deploy job and explains it when it fails
 * (`../../deployment/watch-deployment.ts`). The report goes to stdout; progress to stderr, one line
 * per change; in GitHub Actions also the job summary, the step outputs and an `::error` annotation.
 */

/** Exit codes of `ecs-rca watch`. */
export const WATCH_EXIT = {
  /** The deployment completed. */
  succeeded: 0,
  /** The deployment failed (tasks of the new revision failed, or ECS rolled it back); the report was printed. */
  failed: 1,
  /** Bad input or credentials: unknown option, cluster, service or deployment; no credentials or Region; access denied. */
  badInput: 2,
  /** The deployment was still in progress when `--timeout` passed. */
  timeout: 3,
} as const;

/** Output formats of `watch`. */
export const WATCH_FORMATS = ['text', 'json', 'markdown'] as const;
export type WatchFormat = (typeof WATCH_FORMATS)[number];

/** Options of `ecs-rca watch`, as commander parses them. */
export interface WatchCommandOptions {
  cluster: string;
  service: string;
  deployment?: string;
  region?: string;
  timeout: string;
  pollInterval: string;
  format: WatchFormat;
  reportFile?: string;
}

const DURATION = /^(\d{1,7})(ms|s|m|h)?$/;
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/**
 * Milliseconds of a duration such as `20m`, `90s`, `1h`, `500ms` or `45` (seconds).
 *
 * @throws BadInputError naming the option when the value is not such a duration or is 0.
 */
export function parseDuration(value: string, option: string): number {
  const m = DURATION.exec(value.trim());
  const ms = m ? Number(m[1]) * UNIT_MS[(m[2] ?? 's') as keyof typeof UNIT_MS] : 0;
  if (!m || ms <= 0) throw new BadInputError(`${option} ${value}: expected a positive duration such as 20m, 90s, 1h or 45 (seconds)`);
  return ms;
}


const EXAMPLES = `
Examples:
  $ ecs-rca watch --cluster prod --service web                       # the newest deployment
  $ ecs-rca watch --cluster prod --service web --timeout 30m --format markdown
  $ ecs-rca watch --cluster prod --service web --deployment arn:aws:ecs:eu-west-1:111122223333:service-deployment/prod/web/AbC123

Follows the deployment with DescribeServiceDeployments, DescribeServices, ListTasks and DescribeTasks
(ListServiceDeployments to find the newest; services without service deployments: the PRIMARY
deployment). When a task of the new revision stops with a failure, or ECS rolls the deployment back,
it collects the evidence as the Lambda does for a failed deployment and prints the report at once.
Progress goes to stderr, one line per change. Throttled polls back off up to ${WATCH_DEFAULTS.maxPollIntervalMs / 1000} s.
In GitHub Actions (GITHUB_ACTIONS, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT set) it also writes the Markdown
report to the job summary, the outputs verdict, root-cause-category and report-path, and an ::error
annotation naming the root cause.
Exit codes: 0 deployment completed, 1 deployment failed (report printed), 2 bad input or credentials,
3 timed out. Budgets: CALL_TIMEOUT_MS and the other collection variables, as for analyze.`;

/** Registers `watch --cluster C --service S [--deployment ARN] [--timeout 20m] [--format …]`. */
export function registerWatch(program: Command, ctx: CliContext): void {
  program
    .command('watch')
    .summary('follow an ECS deployment and explain it if it fails (exit 0 done, 1 failed, 3 timed out)')
    .description(
      "Follow a service's newest ECS deployment (or the one named) until it completes, fails or rolls back; " +
        'as soon as tasks of the new revision fail, print the root cause of the failure.',
    )
    .requiredOption('--cluster <cluster>', 'ECS cluster name or ARN')
    .requiredOption('--service <service>', 'ECS service name or ARN')
    .option('--deployment <arn>', 'service deployment ARN to follow (default: the newest)')
    .option('--region <region>', 'AWS Region (default: from --deployment, AWS_REGION or the profile)')
    .option('--timeout <duration>', 'give up after this long (e.g. 20m, 90s, 1h)', '20m')
    .option('--poll-interval <duration>', 'time between polls (doubled while ECS throttles)', `${WATCH_DEFAULTS.pollIntervalMs / 1000}s`)
    .addOption(new Option('--format <format>', 'report format on failure').choices(WATCH_FORMATS).default('text'))
    .option('--report-file <file>', 'also write the JSON report to this file when the deployment fails')
    .addHelpText('after', EXAMPLES)
    .action(async (options: WatchCommandOptions) => (await import('./watch-run')).runWatch(options, ctx));
}
