import type { Evidence, TaskEvidence } from '../evidence/types';
import { discoverLogStream } from '../evidence/logs/stream-discovery';
import { analysedTasks, logLines } from './evidence-text';

/**
 * Whether the analysed task's own application logs were read, and where they should have been when
 * not. Without them, load-balancer and container health, and exit codes, are symptoms whose cause
 * cannot be seen: the ranking keeps such findings at low confidence and the report says so first.
 */

/** Why no application log line of the analysed task was read. */
export type AppLogsStatus = 'missing' | 'empty' | 'unreadable';

/** Where one container's own log stream is (or would be), from its task definition. */
export interface ExpectedLogStream {
  containerName: string;
  /** `awslogs`, `awsfirelens`, … ; absent when the container has no `logConfiguration`. */
  logDriver?: string;
  logGroupName?: string;
  /** The exact stream name (`awslogs`: `PREFIX/CONTAINER/TASK_ID`), when it can be worked out. */
  logStreamName?: string;
  /** A stream-name prefix, when only that is known. */
  logStreamNamePrefix?: string;
  /** Why the stream cannot be worked out (no log configuration, a driver that does not write to CloudWatch). */
  note?: string;
}

/** What the report says about the analysed task's missing application logs. */
export interface AppLogsNotice {
  status: AppLogsStatus;
  /** Our own words, one paragraph: what is missing and where to look. */
  message: string;
  streams: ExpectedLogStream[];
  /** The task execution role, which needs `logs:CreateLogStream` and `logs:PutLogEvents` for awslogs. */
  executionRoleArn?: string;
}

/** Whether a task's program ran, so it could have written logs (it started, or a container exited). */
const ran = (task: TaskEvidence): boolean => task.startedAt !== undefined || task.containers.some((c) => c.exitCode !== undefined);

/**
 * Without any task of the incident, the logs still say something: log streams that were read and hold
 * no line at all are empty application logs (a stream exists only once a container wrote to it or was
 * started), and an unhealthy-target alarm without any stream means the program that served the targets
 * ran but none of its logs were collected. A deployment or service action without tasks may have
 * started none (placement failures): there is nothing to miss.
 */
function withoutTasks(evidence: Evidence): AppLogsStatus | undefined {
  if (evidence.logs.length > 0) return evidence.logs.every((s) => s.events.length === 0) ? 'empty' : undefined;
  return evidence.trigger.kind === 'target_unhealthy' ? 'missing' : undefined;
}

/**
 * Why the analysed tasks' own logs are absent, or undefined when some of their lines were read, or
 * when no analysed task ran (a task that never started has no application logs to miss).
 */
export function appLogsStatus(evidence: Evidence): AppLogsStatus | undefined {
  const tasks = analysedTasks(evidence);
  if (tasks.length === 0) return withoutTasks(evidence);
  if (!tasks.some(ran)) return undefined;
  if (logLines(evidence).some((line) => line.scope === 'task')) return undefined;
  const ids = new Set(tasks.map((t) => t.taskId));
  if (evidence.gaps.some((gap) => /\blogs? (?:stream|group|events?)\b/i.test(gap) && [...ids].some((id) => gap.includes(id)))) return 'unreadable';
  const ownStream = evidence.logs.some((s) => (s.taskId ? ids.has(s.taskId) : [...ids].some((id) => s.logStreamName.endsWith(`/${id}`))));
  return ownStream ? 'empty' : 'missing';
}

/** Where each essential container of the task (the ones that explain a stop) logs, from its definition. */
function expectedStreams(evidence: Evidence, task: TaskEvidence): ExpectedLogStream[] {
  const definitions = evidence.taskDefinition?.containers ?? [];
  const wanted = definitions.filter((d) => d.essential || task.containers.some((c) => c.name === d.name && c.exitCode !== undefined && c.exitCode !== 0));
  return wanted.slice(0, 5).map((definition): ExpectedLogStream => {
    const driver = definition.logConfiguration?.logDriver;
    const target = discoverLogStream(definition, { taskId: task.taskId, taskArn: task.taskArn, ...(task.clusterArn ? { clusterArn: task.clusterArn } : {}) });
    const base = { containerName: definition.name, ...(driver ? { logDriver: driver } : {}) };
    if (target.kind === 'stream') return { ...base, logGroupName: target.logGroupName, logStreamName: target.logStreamName };
    if (target.kind === 'prefix') return { ...base, logGroupName: target.logGroupName, logStreamNamePrefix: target.logStreamNamePrefix };
    return { ...base, note: target.reason };
  });
}

const WHY: Record<AppLogsStatus, string> = {
  missing: 'no log stream of the analysed task was read',
  empty: "the analysed task's log stream holds no lines",
  unreadable: "the analysed task's log stream could not be read (see the evidence gaps)",
};

const NO_TASK_WHY: Record<AppLogsStatus, string> = {
  missing: 'no task of the service and no log stream were read',
  empty: "the service's log streams that were read hold no lines, and no task of the service was read",
  unreadable: WHY.unreadable,
};

function where(stream: ExpectedLogStream): string {
  if (stream.logStreamName) return `container ${stream.containerName}: log group ${stream.logGroupName}, stream ${stream.logStreamName}`;
  if (stream.logStreamNamePrefix) return `container ${stream.containerName}: log group ${stream.logGroupName}, streams starting ${stream.logStreamNamePrefix}`;
  return `container ${stream.containerName}: ${stream.note ?? 'no log configuration'}`;
}

/**
 * The notice a report shows first when the analysed task ran but none of its own log lines were read:
 * why, where each container's stream should be (awslogs: group and `PREFIX/CONTAINER/TASK_ID`,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html), and the execution
 * role that must be allowed to write it
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
 * Undefined when logs were read or no analysed task ran.
 */
export function appLogsNotice(evidence: Evidence): AppLogsNotice | undefined {
  const status = appLogsStatus(evidence);
  if (!status) return undefined;
  const task = analysedTasks(evidence).find(ran);
  const streams = task ? expectedStreams(evidence, task) : [];
  const read = evidence.logs.map((l) => `log group ${l.logGroupName}, stream ${l.logStreamName}`).slice(0, 3);
  const executionRoleArn = evidence.taskDefinition?.executionRoleArn;
  const awslogs = streams.some((s) => s.logDriver === 'awslogs');
  const parts = [
    `Application logs missing: ${task ? WHY[status] : NO_TASK_WHY[status]}, so the cause inside the program cannot be seen and load-balancer, health-check and exit-code findings are only symptoms.`,
    streams.length > 0
      ? `Look for them in ${streams.map(where).join('; ')}.`
      : !task && read.length > 0
        ? `Read: ${read.join('; ')}. Find the service's running or recently stopped tasks and read their containers' streams (\`aws ecs list-tasks\`, then the log configuration of their task definition).`
        : 'The task definition was not read, so where the containers log is unknown: check its `logConfiguration`.',
    awslogs
      ? `If the stream does not exist, the awslogs driver could not write it: the task execution role${executionRoleArn ? ` ${executionRoleArn}` : ''} needs logs:CreateLogStream and logs:PutLogEvents on the log group, which must exist; if it exists but is empty, the program wrote nothing to stdout/stderr before it stopped.`
      : undefined,
  ];
  return {
    status,
    message: parts.filter((p): p is string => p !== undefined).join(' '),
    streams,
    ...(executionRoleArn ? { executionRoleArn } : {}),
  };
}
