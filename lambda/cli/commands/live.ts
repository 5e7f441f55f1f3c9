import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Task } from '@aws-sdk/client-ecs';
import { collectConfigFromEnv, type CollectConfig } from '../../evidence/collect-config';
import { collectEvidence, type CollectedEvidence } from '../../evidence/collect-evidence';
import { clusterOfTaskArn } from '../../evidence/ecs-names';
import { describeTasks } from '../../evidence/ecs/describe-tasks';
import type { ParsedTriggerEvent } from '../../evidence/events';
import type { RcaReport } from '../../report/report-schema';
import { AWS_CLIENT_DEFAULTS, getClient, getEvidenceClients, type AwsClientOptions } from '../../shared/aws-clients';
import { Deadline } from '../../shared/deadline';
import { BadInputError } from '../../shared/errors';
import { eventTime, syntheticEventId } from '../../shared/synthetic-event';
import type { CliContext } from '../context';

/**
 * Live sources for the CLI: one ECS task read from AWS with the default credential chain (environment,
 * shared config and SSO profiles, instance or container roles), turned into the same trigger event and
 * evidence the Lambda would have had. Used by `analyze --cluster C --task T` and `capture`.
 * https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/setting-credentials-node.html
 */

/** Options naming one live task. */
export interface LiveTaskOptions {
  /** Cluster name or ARN; default: the cluster in the task ARN, else `default`. */
  cluster?: string;
  /** Task id or ARN. */
  task?: string;
  /** AWS Region; default: the Region in the task ARN, else the SDK's (`AWS_REGION`, profile). */
  region?: string;
}

/** A live task, captured. */
export interface LiveTaskCapture {
  /** The synthesized `ECS Task State Change` event (JSON-ready, dates as ISO strings). */
  event: Record<string, unknown>;
  trigger: ParsedTriggerEvent;
  /** The evidence (with gaps) and the raw parts for an `incident-bundle.v1`. */
  collected: CollectedEvidence;
}

/** How long a live capture may take in total, in ms. */
export const LIVE_DEADLINE_MS = 120_000;

// ECS task ARN: arn:<partition>:ecs:<region>:<account>:task/[<cluster>/]<id>
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-account-settings.html#ecs-resource-ids).
const TASK_ARN = /^arn:(aws[a-z-]*):ecs:([a-z0-9-]+):(\d{12}):task\/(?:[A-Za-z0-9_-]+\/)?[A-Za-z0-9]+$/;
const TASK_ID = /^[A-Za-z0-9]{1,64}$/;

/** The task, cluster and Region a live command works on. */
export interface LiveTarget {
  task: string;
  cluster: string;
  region?: string;
}

/**
 * Checks the live options.
 *
 * @throws BadInputError when `--task` is missing or is neither a task id nor a task ARN.
 */
export function liveTarget(options: LiveTaskOptions): LiveTarget {
  const task = options.task?.trim();
  if (!task) throw new BadInputError('--task is required with --cluster: give the id or ARN of the stopped task');
  const arn = TASK_ARN.exec(task);
  if (!arn && !TASK_ID.test(task)) {
    throw new BadInputError(`--task ${task}: expected a task id (e.g. 0123456789abcdef0123456789abcdef) or a task ARN (arn:aws:ecs:<region>:<account>:task/<cluster>/<id>)`);
  }
  const cluster = options.cluster?.trim() || (arn ? clusterOfTaskArn(task) : undefined);
  if (!cluster) throw new BadInputError(`--cluster is required when --task is a task id; give the cluster's name or ARN`);
  const region = options.region?.trim() || arn?.[2];
  return { task, cluster, ...(region ? { region } : {}) };
}

/**
 * The `ECS Task State Change` event ECS would have sent for a task read with DescribeTasks: the task
 * is the event's `detail` (the event carries the DescribeTasks shape), its ARN the only resource, and
 * `time` the moment it stopped. Dates become ISO strings, as in a delivered event.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html
 *
 * @param now used as `time` when the task has not stopped (yet).
 * @throws BadInputError when the task has no ARN of the expected form.
 */
export function taskStateChangeEvent(task: Task, now: Date): Record<string, unknown> {
  const arn = task.taskArn ? TASK_ARN.exec(task.taskArn) : null;
  if (!task.taskArn || !arn) throw new BadInputError(`DescribeTasks returned a task without a valid taskArn (${String(task.taskArn)})`);
  const stopped = task.stoppedAt ?? task.stoppingAt ?? task.executionStoppedAt ?? now;
  const time = eventTime(stopped);
  const detail = JSON.parse(JSON.stringify(task)) as Record<string, unknown>;
  return {
    version: '0',
    id: syntheticEventId(task.taskArn, time),
    'detail-type': 'ECS Task State Change',
    source: 'aws.ecs',
    account: arn[3],
    time,
    region: arn[2],
    resources: [task.taskArn],
    detail: { ...detail, updatedAt: stopped.toISOString() },
  };
}

/** Client options of a live command: its Region, and no HTTP attempt longer than one call may take. */
export function liveClientOptions(region: string | undefined, config: CollectConfig): AwsClientOptions {
  return {
    ...(region ? { region } : {}),
    requestTimeoutMs: Math.min(AWS_CLIENT_DEFAULTS.requestTimeoutMs, config.callTimeoutMs),
  };
}

/**
 * Reads one task from AWS (DescribeTasks), synthesizes its stop event and collects its evidence
 * exactly as the Lambda would (same collectors, same budgets, read from the same environment
 * variables). Log groups in another Region are read with a client for that Region.
 *
 * @param progress receives one line per step (for stderr).
 * @throws BadInputError when the options or budget variables are invalid, when DescribeTasks fails
 *   (no credentials, no Region, access denied) or does not know the task, or when the task has not
 *   stopped (`UnsupportedEventError`).
 */
export async function captureLiveTask(
  options: LiveTaskOptions,
  ctx: Pick<CliContext, 'env' | 'now'>,
  progress: (line: string) => void = () => undefined,
): Promise<LiveTaskCapture> {
  const target = liveTarget(options);
  const config = collectConfigFromEnv(ctx.env);
  const clientOpts = liveClientOptions(target.region, config);
  const clients = getEvidenceClients(clientOpts);
  const deadline = Deadline.after(LIVE_DEADLINE_MS);
  const where = `task ${target.task} in cluster ${target.cluster}${target.region ? ` (${target.region})` : ''}`;

  progress(`describing ${where}`);
  // The one DescribeTasks of the capture: its answer is the event, and the collector reuses it.
  const described = await describeTasks(
    clients.ecs,
    { deadline, callTimeoutMs: config.callTimeoutMs },
    { cluster: target.cluster, tasks: [target.task], includeTags: config.includeTaskTags },
  );
  const task = described.tasks[0];
  if (!task) {
    const why = described.gaps[0] ?? 'DescribeTasks returned nothing';
    const hint = /Region is missing/i.test(why)
      ? ' Pass --region or set AWS_REGION.'
      : /CredentialsProviderError|Could not load credentials/i.test(why)
        ? ' Configure AWS credentials (aws configure, aws sso login, AWS_PROFILE or AWS_ACCESS_KEY_ID).'
        : '';
    throw new BadInputError(`cannot read ${where}: ${why}${hint}`);
  }

  const event = taskStateChangeEvent(task, ctx.now());
  progress(`collecting evidence: task definition, service, container logs, target health`);
  const collected = await collectEvidence(event, `task ${task.taskArn ?? target.task}`, {
    clients,
    deadline,
    config,
    describedTasks: described.tasks,
    logsForRegion: (region) => getClient(CloudWatchLogsClient, { ...clientOpts, region }),
  });
  return { event, trigger: collected.trigger, collected };
}

/**
 * Analyses a live task and returns its report (what the Lambda would have reported for its stop event).
 *
 * @throws BadInputError as `captureLiveTask`.
 */
export async function analyzeLiveTask(options: LiveTaskOptions, ctx: Pick<CliContext, 'env' | 'now' | 'analyze'>): Promise<RcaReport> {
  const { collected } = await captureLiveTask(options, ctx);
  return ctx.analyze(collected.evidence, { now: ctx.now() });
}
