import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { CallContext } from '../../shared/aws-call';
import type { LogStreamInput } from '../normalise';
import type { TaskDefinitionEvidence, TaskEvidence } from '../types';
import { findStreamsByPrefix } from './find-streams-by-prefix';
import { readLogStream, type LogBudget, type LogWindow } from './read-log-stream';
import { discoverLogStream, type LogStreamTarget } from './stream-discovery';

/** One task whose containers' logs are wanted. */
export interface TaskLogRequest {
  task: TaskEvidence;
  /** Docker container id per container name (DescribeTasks `containers[].runtimeId`). */
  runtimeIds: Record<string, string>;
  /** The task definition the task runs (for `logConfiguration`). */
  taskDefinition: TaskDefinitionEvidence;
}

/** What log collection needs. */
export interface TaskLogDeps {
  logs: CloudWatchLogsClient;
  /** Region of `logs`; a log configuration naming another region needs `logsForRegion`. */
  region: string;
  /** A Logs client for another region, when the deployment allows cross-region reads. */
  logsForRegion?: (region: string) => CloudWatchLogsClient | undefined;
  ctx: CallContext;
  budget: LogBudget;
  maxPagesPerDirection: number;
  /** Log streams read at most over all requests. */
  maxStreams: number;
  /** Milliseconds added around the task's life. */
  windowSlackMs: number;
}

/** Raw streams (bundle key `logs`) and gaps. */
export interface TaskLogsResult {
  logs: LogStreamInput[];
  gaps: string[];
}

/**
 * The containers of a task whose logs explain it, most telling first: containers that exited non-zero,
 * carry a `reason` or are `UNHEALTHY`; else the essential containers (a stopped essential container
 * stops the task). Containers that never ran (no `exitCode` and the task never started) are left out:
 * they wrote no logs. https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html
 */
export function containersToRead(task: TaskEvidence, taskDefinition: TaskDefinitionEvidence): string[] {
  const defined = new Set(taskDefinition.containers.map((c) => c.name));
  const ran = task.containers.filter((c) => c.exitCode !== undefined || task.startedAt !== undefined);
  const failing = ran.filter((c) => (c.exitCode !== undefined && c.exitCode !== 0) || c.reason !== undefined || c.healthStatus === 'UNHEALTHY');
  if (failing.length > 0) return failing.map((c) => c.name).filter((n) => defined.has(n));
  const essential = new Set(taskDefinition.containers.filter((c) => c.essential).map((c) => c.name));
  return ran.map((c) => c.name).filter((n) => essential.has(n));
}

/**
 * The part of the log streams written during the task's life: from its creation to its stop, widened
 * by `slackMs`; open-ended for a task still running.
 */
export function taskLogWindow(task: TaskEvidence, slackMs: number): LogWindow {
  const start = task.createdAt ?? task.pullStartedAt ?? task.startedAt;
  const end = task.executionStoppedAt ?? task.stoppedAt ?? task.stoppingAt;
  return {
    ...(start !== undefined ? { startTime: start - slackMs } : {}),
    ...(end !== undefined ? { endTime: end + slackMs } : {}),
  };
}

interface PlannedRead {
  target: Extract<LogStreamTarget, { kind: 'stream' | 'prefix' }>;
  task: TaskEvidence;
  window: LogWindow;
}

async function readTarget(deps: TaskLogDeps, planned: PlannedRead, client: CloudWatchLogsClient, maxStreams: number): Promise<TaskLogsResult> {
  const { target, task, window } = planned;
  let names: string[];
  const gaps: string[] = [];
  if (target.kind === 'prefix') {
    const found = await findStreamsByPrefix(client, deps.ctx, {
      logGroupName: target.logGroupName,
      logStreamNamePrefix: target.logStreamNamePrefix,
      window,
      maxStreams,
    });
    gaps.push(...found.gaps);
    names = found.logStreamNames;
  } else {
    names = [target.logStreamName];
  }
  const reads = await Promise.all(
    names.map(async (logStreamName) => {
      const read = await readLogStream(client, deps.ctx, {
        logGroupName: target.logGroupName,
        logStreamName,
        window,
        budget: deps.budget,
        maxPagesPerDirection: deps.maxPagesPerDirection,
      });
      return { logStreamName, read };
    }),
  );
  const logs: LogStreamInput[] = [];
  for (const { logStreamName, read } of reads) {
    gaps.push(...read.gaps);
    if (read.notFound && read.events.length === 0) continue;
    logs.push({
      logGroupName: target.logGroupName,
      logStreamName,
      containerName: target.containerName,
      taskId: task.taskId,
      events: read.events,
      ...(read.truncated ? { truncated: true } : {}),
    });
  }
  return { logs, gaps };
}

/**
 * Reads the own log streams of the containers that explain each task (see `containersToRead`),
 * found from the task definition (see `discoverLogStream`), within the per-stream budget and at most
 * `maxStreams` streams in all, in parallel. Never throws; every stream that cannot be found or read
 * becomes a gap.
 */
export async function collectTaskLogs(deps: TaskLogDeps, requests: readonly TaskLogRequest[]): Promise<TaskLogsResult> {
  const gaps: string[] = [];
  const planned: PlannedRead[] = [];
  let skipped = 0;
  for (const request of requests) {
    const { task, taskDefinition } = request;
    const window = taskLogWindow(task, deps.windowSlackMs);
    const { family, revision } = taskDefinition;
    const taskDefinitionName = family && revision !== undefined ? `${family}:${revision}` : undefined;
    for (const name of containersToRead(task, taskDefinition)) {
      const container = taskDefinition.containers.find((c) => c.name === name);
      if (!container) continue;
      const target = discoverLogStream(container, {
        taskId: task.taskId,
        taskArn: task.taskArn,
        ...(task.clusterArn ? { clusterArn: task.clusterArn } : {}),
        ...(taskDefinitionName ? { taskDefinition: taskDefinitionName } : {}),
        runtimeIds: request.runtimeIds,
      });
      if (target.kind === 'none') {
        gaps.push(`No CloudWatch Logs stream was read for container ${name} of task ${task.taskId}: ${target.reason}.`);
        continue;
      }
      if (planned.length >= deps.maxStreams) {
        skipped += 1;
        continue;
      }
      planned.push({ target, task, window });
    }
  }
  if (skipped > 0) gaps.push(`${skipped} more container log streams were not read (limit of ${deps.maxStreams} streams per incident).`);

  const results = await Promise.all(
    planned.map((p) => {
      const client = p.target.region && p.target.region !== deps.region ? deps.logsForRegion?.(p.target.region) : deps.logs;
      if (!client) {
        return Promise.resolve<TaskLogsResult>({
          logs: [],
          gaps: [`Log group ${p.target.logGroupName} of container ${p.target.containerName} is in region ${p.target.region ?? ''}, which this function does not read.`],
        });
      }
      // A prefix may match a few streams; two is enough to see the container's own output.
      return readTarget(deps, p, client, 2);
    }),
  );
  for (const r of results) gaps.push(...r.gaps);
  return { logs: results.flatMap((r) => r.logs), gaps };
}
