import { writeFileSync } from 'node:fs';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { collectConfigFromEnv } from '../../evidence/collect-config';
import { collectEvidence } from '../../evidence/collect-evidence';
import { writeCiOutput } from '../../deployment/ci-output';
import { deploymentFailedEvent } from '../../deployment/deployment-event';
import { deploymentName, type DeploymentSnapshot } from '../../deployment/deployment-state';
import { PollError } from '../../deployment/poll-deployment';
import { watchDeployment, type WatchOutcome } from '../../deployment/watch-deployment';
import type { RcaReport } from '../../report/report-schema';
import { render } from '../../report/renderers/index';
import { getClient, getEvidenceClients } from '../../shared/aws-clients';
import { Deadline } from '../../shared/deadline';
import { BadInputError } from '../../shared/errors';
import { argumentPath, checkWritable, useColor, type CliContext } from '../context';
import { LIVE_DEADLINE_MS, liveClientOptions } from './live';
import { parseDuration, WATCH_EXIT, type WatchCommandOptions } from './watch';

/**
 * The work of `ecs-rca watch` (`./watch.ts` registers the command): loaded only when the command runs,
 * so the CLI's offline commands load no AWS SDK client.
 */
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
  const config = collectConfigFromEnv(ctx.env);
  const clientOpts = liveClientOptions(region, config);
  const collected = await collectEvidence(event, `deployment ${deploymentName(snapshot)}`, {
    clients: getEvidenceClients(clientOpts),
    deadline: Deadline.after(LIVE_DEADLINE_MS),
    config,
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
  // A report file that cannot be written is said now, not after a 20-minute watch.
  if (options.reportFile) await checkWritable(argumentPath(ctx, options.reportFile), options.reportFile, 'the report');
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

