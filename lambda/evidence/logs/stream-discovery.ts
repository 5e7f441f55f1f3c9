import type { ContainerDefinitionEvidence } from '../types';
import { lastSegment } from '../ecs-names';

/**
 * Where a container's own CloudWatch Logs stream is, worked out from its task definition
 * `logConfiguration` and the task — without listing the log group.
 *
 * - `awslogs` with `awslogs-stream-prefix`: the stream is `PREFIX/CONTAINER_NAME/TASK_ID`.
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html
 * - `awslogs` without a prefix (allowed on EC2 only): the Docker driver names the stream after the
 *   Docker container id ("If not specified, the container ID is used as the log stream"), which ECS
 *   reports as the container's `runtimeId`. https://docs.docker.com/engine/logging/drivers/awslogs/ and
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Container.html (`runtimeId`)
 * - `awsfirelens` with Fluent Bit's CloudWatch output (`Name` `cloudwatch_logs`, the core C plugin, or
 *   `cloudwatch`, the older Go plugin): `log_group_name`, and either `log_stream_name` (templates such
 *   as `$(ecs_task_id)`), or `log_stream_prefix` + the record tag, which FireLens sets to
 *   `CONTAINER_NAME-firelens-TASK_ID`. `log_stream_template`/`log_group_template` override them when
 *   set. https://docs.fluentbit.io/manual/pipeline/outputs/cloudwatch ,
 *   https://github.com/aws/amazon-cloudwatch-logs-for-fluent-bit ,
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/firelens-example-taskdefs.html ,
 *   https://aws.amazon.com/blogs/containers/under-the-hood-firelens-for-amazon-ecs-tasks/ (tag format)
 */

/** The task whose container's stream is wanted. */
export interface StreamDiscoveryTask {
  /** Last segment of the task ARN. */
  taskId: string;
  taskArn?: string;
  clusterArn?: string;
  /** `family:revision` of the task definition, for `$(ecs_task_definition)`. */
  taskDefinition?: string;
  /** Docker container id per container name (DescribeTasks `containers[].runtimeId`), when known. */
  runtimeIds?: Record<string, string>;
}

/** Where to read, or why there is nothing to read. */
export type LogStreamTarget =
  | {
      kind: 'stream';
      containerName: string;
      logGroupName: string;
      logStreamName: string;
      /** Region of the log group when the log configuration names one. */
      region?: string;
      via: 'awslogs' | 'firelens';
    }
  | {
      /** Only a stream-name prefix is known: the caller lists streams by prefix (bounded). */
      kind: 'prefix';
      containerName: string;
      logGroupName: string;
      logStreamNamePrefix: string;
      region?: string;
      via: 'awslogs' | 'firelens';
      /** Why the exact name is unknown. */
      note: string;
    }
  | { kind: 'none'; containerName: string; reason: string };

/** Fluent Bit output names that write to CloudWatch Logs (core C plugin, older Go plugin). */
const CLOUDWATCH_OUTPUTS = new Set(['cloudwatch_logs', 'cloudwatch']);

function option(options: Record<string, string>, key: string): string | undefined {
  // Fluent Bit keys are case-insensitive; ECS passes the options through as written.
  const wanted = key.toLowerCase();
  for (const [k, v] of Object.entries(options)) if (k.toLowerCase() === wanted && v !== '') return v;
  return undefined;
}

/** The record tag FireLens gives a container's log records: `CONTAINER_NAME-firelens-TASK_ID`. */
export function fireLensTag(containerName: string, taskId: string): string {
  return `${containerName}-firelens-${taskId}`;
}

/** The result of resolving a FireLens template. */
export type TemplateResolution = { complete: true; value: string } | { complete: false; prefix: string; unresolved: string };

// `$(name)`, `$(name[0])`, `$(name['key'])`: Go plugin and core `$(ecs_task_id)` style; `#(...)` is the
// older Go plugin syntax; `$name` / `$name['key']` is Fluent Bit record-accessor syntax (templates).
const PLACEHOLDER = /\$\(([^)]*)\)|#\(([^)]*)\)|\$([A-Za-z_][\w-]*(?:\[[^\]]*\])*)/g;

/**
 * Resolves the placeholders known from the task (`ecs_task_id`, `ecs_task_arn`, `ecs_cluster`,
 * `ecs_task_definition`, `container_name`, `tag`, `tag[0]`) in a CloudWatch output option. Any other
 * placeholder (a record key, `uuid`, …) is only known at run time: the result is then the literal
 * prefix before it.
 */
export function resolveFireLensTemplate(template: string, containerName: string, task: StreamDiscoveryTask): TemplateResolution {
  const tag = fireLensTag(containerName, task.taskId);
  const known: Record<string, string | undefined> = {
    ecs_task_id: task.taskId,
    ecs_task_arn: task.taskArn,
    ecs_cluster: task.clusterArn === undefined ? undefined : lastSegment(task.clusterArn),
    ecs_task_definition: task.taskDefinition,
    container_name: containerName,
    tag,
    // The tag has no dots, so split on periods its first part is the whole tag.
    'tag[0]': tag,
  };
  let out = '';
  let last = 0;
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? match[2] ?? match[3] ?? '').trim();
    const value = known[name];
    out += template.slice(last, match.index);
    if (value === undefined) return { complete: false, prefix: out, unresolved: match[0] };
    out += value;
    last = match.index + match[0].length;
  }
  return { complete: true, value: out + template.slice(last) };
}

function awslogsTarget(container: ContainerDefinitionEvidence, options: Record<string, string>, task: StreamDiscoveryTask): LogStreamTarget {
  const name = container.name;
  const group = options['awslogs-group'];
  if (!group) return { kind: 'none', containerName: name, reason: 'its awslogs log configuration names no awslogs-group' };
  const region = options['awslogs-region'];
  const base = { containerName: name, logGroupName: group, via: 'awslogs' as const, ...(region ? { region } : {}) };
  const explicit = options['awslogs-stream'];
  if (explicit) return { kind: 'stream', ...base, logStreamName: explicit };
  const prefix = options['awslogs-stream-prefix'];
  if (prefix) return { kind: 'stream', ...base, logStreamName: `${prefix}/${name}/${task.taskId}` };
  const runtimeId = task.runtimeIds?.[name];
  if (runtimeId) return { kind: 'stream', ...base, logStreamName: runtimeId };
  return {
    kind: 'none',
    containerName: name,
    reason: `awslogs has no awslogs-stream-prefix, so the stream in ${group} is named after the Docker container id, which ECS did not report for this container`,
  };
}

function fireLensTarget(container: ContainerDefinitionEvidence, options: Record<string, string>, task: StreamDiscoveryTask): LogStreamTarget {
  const name = container.name;
  const output = option(options, 'Name');
  if (!output) {
    return {
      kind: 'none',
      containerName: name,
      reason: "FireLens routes its output as the log router's own configuration file says, which the task definition does not show",
    };
  }
  if (!CLOUDWATCH_OUTPUTS.has(output.toLowerCase())) {
    return { kind: 'none', containerName: name, reason: `FireLens sends its output to the '${output}' output, not to CloudWatch Logs` };
  }
  const region = option(options, 'region');
  const groupTemplate = option(options, 'log_group_template');
  const groupName = option(options, 'log_group_name');
  // A log_group_template that cannot be resolved here falls back to log_group_name, as the plugin does
  // when its translation fails.
  const groupResolution = [groupTemplate, groupName]
    .filter((g): g is string => g !== undefined)
    .map((g) => resolveFireLensTemplate(g, name, task))
    .find((r) => r.complete);
  if (!groupResolution || !groupResolution.complete) {
    return { kind: 'none', containerName: name, reason: 'its FireLens CloudWatch output names no log group that can be resolved before run time' };
  }
  const base = { containerName: name, logGroupName: groupResolution.value, via: 'firelens' as const, ...(region ? { region } : {}) };
  const streamTemplate = option(options, 'log_stream_template') ?? option(options, 'log_stream_name');
  if (streamTemplate) {
    const r = resolveFireLensTemplate(streamTemplate, name, task);
    if (r.complete) return { kind: 'stream', ...base, logStreamName: r.value };
    if (r.prefix) {
      return { kind: 'prefix', ...base, logStreamNamePrefix: r.prefix, note: `the stream name depends on ${r.unresolved}, known only at run time` };
    }
    return { kind: 'none', containerName: name, reason: `its FireLens stream name starts with ${r.unresolved}, known only at run time` };
  }
  const prefix = option(options, 'log_stream_prefix');
  if (prefix !== undefined) return { kind: 'stream', ...base, logStreamName: `${prefix}${fireLensTag(name, task.taskId)}` };
  return { kind: 'none', containerName: name, reason: 'its FireLens CloudWatch output sets neither log_stream_name nor log_stream_prefix' };
}

/**
 * Where one container's own log stream is. Pure; does not call AWS.
 * @returns `stream` with the exact name, `prefix` when only a prefix is known, or `none` with a reason
 *   (a clause that completes "No log stream for container X: …").
 */
export function discoverLogStream(container: ContainerDefinitionEvidence, task: StreamDiscoveryTask): LogStreamTarget {
  const config = container.logConfiguration;
  if (!config) {
    return { kind: 'none', containerName: container.name, reason: 'it has no logConfiguration, so its output was not sent to CloudWatch Logs' };
  }
  switch (config.logDriver) {
    case 'awslogs':
      return awslogsTarget(container, config.options, task);
    case 'awsfirelens':
      return fireLensTarget(container, config.options, task);
    default:
      return { kind: 'none', containerName: container.name, reason: `its log driver '${config.logDriver}' does not write to CloudWatch Logs` };
  }
}
