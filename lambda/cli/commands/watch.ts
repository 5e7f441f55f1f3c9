import { writeFileSync } from 'node:fs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { Option, type Command } from 'commander';
import { collectConfigFromEnv } from '../../evidence/collect-config';
import { collectEvidence } from '../../evidence/collect-evidence';
import { parseTriggerEvent } from '../../evidence/events';
import { writeCiOutput } from '../../deployment/ci-output';
import { deploymentFailedEvent } from '../../deployment/deployment-event';
import { deploymentName, type DeploymentSnapshot } from '../../deployment/deployment-state';
import { PollError } from '../../deployment/poll-deployment';
import { watchDeployment, WATCH_DEFAULTS, type WatchOutcome } from '../../deployment/watch-deployment';
import type { RcaReport } from '../../report/report-schema';
import { render } from '../../report/renderers/index';
import { getClient, getEvidenceClients } from '../../shared/aws-clients';
import { Deadline } from '../../shared/deadline';
import { BadInputError } from '../../shared/errors';
import { argumentPath, useColor, type CliContext } from '../context';
import { LIVE_DEADLINE_MS, liveClientOptions } from './live';

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

// arn:<partition>:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>
const SERVICE_DEPLOYMENT_ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):\d{12}:service-deployment\/[^/]+\/[^/]+\/[A-Za-z0-9_-]+$/;
const NAME_OR_ARN = /^(?:arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:(?:cluster|service)\/\S+|[A-Za-z0-9_-]{1,255})$/;

/** Checks the options and names the first bad one. */
function checkOptions(options: WatchCommandOptions): void {
  if (!NAME_OR_ARN.test(options.cluster)) throw new BadInputError(`--cluster ${options.cluster}: expected a cluster name or ARN`);
  if (!NAME_OR_ARN.test(options.service)) throw new BadInputError(`--service ${options.service}: expected a service name or ARN`);
  if (options.deployment !== undefined && !SERVICE_DEPLOYMENT_ARN.test(options.deployment)) {
    throw new BadInputError(
      `--deployment ${options.deployment}: expected a service deployment ARN (arn:aws:ecs:<region>:<account>:service-deployment/<cluster>/<service>/<id>)`,
    );
  }
}

/** Collects the evidence of a failing deployment exactly as the Lambda does for `SERVICE_DEPLOYMENT_FAILED`, and analyses it. */
async function analyseDeployment(snapshot: DeploymentSnapshot, region: string | undefined, ctx: CliContext): Promise<RcaReport> {
  const event = deploymentFailedEvent(snapshot, 'ecs-rca watch', ctx.now());
  if (!event) throw new BadInputError(`deployment ${deploymentName(snapshot)}: ECS did not return the service ARN, so its tasks cannot be analysed`);
  const trigger = parseTriggerEvent(event, `deployment ${deploymentName(snapshot)}`);
  const config = collectConfigFromEnv(ctx.env);
  const clientOpts = liveClientOptions(region, config);
  const collected = await collectEvidence(trigger, {
    clients: getEvidenceClients(clientOpts),
    deadline: Deadline.after(LIVE_DEADLINE_MS),
    config,
    region: trigger.event.region,
    logsForRegion: (other) => getClient(CloudWatchLogsClient, { ...clientOpts, region: other }),
  });
  return ctx.analyze(collected.evidence, { now: ctx.now() });
}

/** Why a `PollError` that ends the watch is the user's to fix, with a hint. */
function badInput(error: PollError, options: WatchCommandOptions): BadInputError {
  const hint = /Region is missing/i.test(error.message)
    ? ' Pass --region or set AWS_REGION.'
    : /CredentialsProviderError|Could not load credentials|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/i.test(`${error.message} ${String(error.cause)}`)
      ? ' Configure AWS credentials (aws configure, aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID).'
      : '';
  return new BadInputError(`cannot watch service ${options.service} in cluster ${options.cluster}: ${error.message}${hint}`, { cause: error });
}

function writeReportFile(path: string, report: RcaReport): void {
  try {
    writeFileSync(path, `${JSON.stringify(report, null, 2)}\n`, 'utf8');
  } catch (error) {
    throw new BadInputError(`--report-file ${path}: cannot write the report (${(error as NodeJS.ErrnoException).code ?? String(error)})`, { cause: error });
  }
}

/**
 * The action of `ecs-rca watch`; sets `ctx.exitCode` (`WATCH_EXIT`).
 *
 * @throws BadInputError for bad options, credentials, Region or an unknown cluster, service or deployment.
 */
export async function runWatch(options: WatchCommandOptions, ctx: CliContext): Promise<void> {
  checkOptions(options);
  const timeoutMs = parseDuration(options.timeout, '--timeout');
  const pollIntervalMs = parseDuration(options.pollInterval, '--poll-interval');
  const config = collectConfigFromEnv(ctx.env);
  const region = options.region?.trim() || SERVICE_DEPLOYMENT_ARN.exec(options.deployment ?? '')?.[1];
  const progress = (line: string): void => ctx.stderr(`ecs-rca: ${line}\n`);
  let outcome: WatchOutcome;
  try {
    outcome = await watchDeployment(
      {
        target: { cluster: options.cluster, service: options.service, ...(options.deployment ? { serviceDeploymentArn: options.deployment } : {}) },
        timeoutMs,
        pollIntervalMs,
      },
      {
        ecs: getClient(ECSClient, liveClientOptions(region, config)),
        callTimeoutMs: config.callTimeoutMs,
        now: () => ctx.now().getTime(),
        sleep: ctx.sleep,
        progress,
        analyse: (snapshot) => analyseDeployment(snapshot, region, ctx),
      },
    );
  } catch (error) {
    if (error instanceof PollError) throw badInput(error, options);
    throw error;
  }

  const reportPath = options.reportFile ? argumentPath(ctx, options.reportFile) : undefined;
  if (outcome.kind === 'failed') {
    if (reportPath) writeReportFile(reportPath, outcome.report);
    ctx.stdout(`${render(outcome.report, options.format, { color: options.format === 'text' && useColor(ctx) })}\n`);
  } else if (outcome.kind === 'succeeded') {
    progress(`deployment ${deploymentName(outcome.snapshot)} completed: ${outcome.snapshot.running} tasks of the new revision running`);
  } else {
    const last = outcome.snapshot ? ` (last seen ${outcome.snapshot.status})` : '';
    progress(`gave up after ${options.timeout}: the deployment had not finished${last}${outcome.lastError ? `; last poll error: ${outcome.lastError}` : ''}`);
  }
  writeCiOutput(
    {
      verdict: outcome.kind,
      ...(outcome.kind === 'failed' ? { report: outcome.report, category: outcome.report.rootCause.category } : {}),
      ...(reportPath && outcome.kind === 'failed' ? { reportPath } : {}),
    },
    { env: ctx.env, stdout: ctx.stdout },
  );
  ctx.exitCode = WATCH_EXIT[outcome.kind];
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
    .action(async (options: WatchCommandOptions) => runWatch(options, ctx));
}
