import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Container, ContainerDefinition, Service, Task, TaskDefinition, Volume } from '@aws-sdk/client-ecs';
import type { TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { BadInputError } from '../shared/errors';
import { isSecretOption } from '../shared/redaction';
import type { ParsedTriggerEvent } from './events';
import { deploymentOfStartedBy, lastSegment, serviceOfGroup } from './ecs-names';
import { fingerprintValue } from '../shared/value-fingerprint';
import type {
  AlarmEvidence,
  ContainerDefinitionEvidence,
  ContainerEvidence,
  EpochMs,
  LogStreamEvidence,
  ServiceEvidence,
  TargetHealthEvidence,
  TaskDefinitionEvidence,
  TaskEvidence,
  Trigger,
} from './types';

/**
 * Pure converters from AWS SDK v3 response shapes into the evidence model (`./types`).
 *
 * The same shapes arrive from two places: live SDK responses (with `Date`s) and incident bundles
 * (JSON: dates as ISO strings or epoch ms, and sometimes `null` for absent fields). Inputs are typed
 * with `Loose<T>` so both type-check, and every field is re-checked at run time, so a hand-written
 * bundle with a wrong type loses that field instead of crashing the analysis.
 */

/**
 * An SDK shape as it may arrive from JSON or the SDK: every field optional and nullable, dates as
 * `Date`, ISO string or epoch ms, enum strings widened to `string`.
 */
export type Loose<T> = T extends Date
  ? Date | string | number
  : T extends string
    ? string
    : T extends number
      ? number
      : T extends boolean
        ? boolean
        : T extends readonly (infer U)[]
          ? Loose<U>[]
          : T extends object
            ? { [K in keyof T]?: Loose<T[K]> | null }
            : T;

// ---------------------------------------------------------------------------------------------
// Small run-time readers: anything of the wrong type counts as absent.
// ---------------------------------------------------------------------------------------------

export const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
/** A safe integer (exit codes), else undefined: `1e308` or `0.5` in an event is not an exit code. */
const int = (v: unknown): number | undefined => {
  const n = num(v);
  return n !== undefined && Number.isSafeInteger(n) ? n : undefined;
};
export const num = (v: unknown): number | undefined => {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v.trim())) return Number(v);
  return undefined;
};
export const bool = (v: unknown): boolean | undefined => (typeof v === 'boolean' ? v : undefined);
export const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const record = (v: unknown): Record<string, unknown> | undefined =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
export const strings = (v: unknown): string[] | undefined =>
  Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : undefined;

/** Drops keys whose value is undefined, so absent facts are absent rather than `undefined`. */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

// Epoch values below this are taken as seconds: the AWS CLI v1 prints timestamps as epoch seconds,
// and 1e11 ms is 1973 while 1e11 s is the year 5138, so the two ranges cannot be confused.
const SECONDS_LIMIT = 1e11;
// The range of a JavaScript Date: ±8.64e15 ms (https://tc39.es/ecma262/#sec-time-values-and-time-range).
const MAX_TIME_MS = 8.64e15;

/**
 * Converts a timestamp to epoch milliseconds.
 *
 * Accepts a `Date` (SDK), an ISO-8601 string (EventBridge, JSON-written `Date`s; any offset, any
 * number of fraction digits), epoch milliseconds (CloudWatch Logs) as a number or digit string, or
 * epoch seconds (AWS CLI v1 output; any value below 1e11). Returns undefined for absent or
 * unparsable input, and for a time outside the range of a JavaScript Date.
 */
export function toEpochMs(value: Date | string | number | null | undefined): EpochMs | undefined {
  if (value === null || value === undefined) return undefined;
  if (value instanceof Date) {
    const ms = value.getTime();
    return Number.isFinite(ms) ? ms : undefined;
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return undefined;
    const ms = Math.abs(value) < SECONDS_LIMIT ? Math.round(value * 1000) : value;
    return Math.abs(ms) <= MAX_TIME_MS ? ms : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '') return undefined;
  if (/^-?\d+(\.\d+)?$/.test(text)) return toEpochMs(Number(text));
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

export const time = (v: unknown): EpochMs | undefined =>
  v instanceof Date || typeof v === 'string' || typeof v === 'number' ? toEpochMs(v) : undefined;

/**
 * Sorts stably by a key when every item has one; otherwise keeps the given order (the source's
 * order is then the best we know).
 */
function sortedWhenComplete<T>(items: T[], key: (item: T) => number | undefined, direction: 1 | -1): T[] {
  if (items.some((item) => key(item) === undefined)) return items;
  return items
    .map((item, index) => ({ item, index }))
    .sort((a, b) => direction * ((key(a.item) ?? 0) - (key(b.item) ?? 0)) || a.index - b.index)
    .map(({ item }) => item);
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

/** A DescribeTasks `tasks[]` entry, or the `detail` of an `ECS Task State Change` event. */
export type TaskInput = Loose<Task> & { updatedAt?: Date | string | number | null };

function normaliseContainer(container: Loose<Container>): ContainerEvidence | undefined {
  const name = str(container.name);
  if (!name) return undefined;
  return compact({
    name,
    image: str(container.image),
    imageDigest: str(container.imageDigest),
    lastStatus: str(container.lastStatus),
    exitCode: int(container.exitCode),
    reason: str(container.reason),
    healthStatus: str(container.healthStatus),
  });
}

/**
 * A task from DescribeTasks (`tasks[]`) or from a task state-change event's `detail`
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html). Timestamps become epoch
 * ms; containers without a `name` are skipped. `essential` is not on a task (it comes from the task
 * definition, see `buildEvidence`).
 *
 * @throws BadInputError when the task has no `taskArn` (ECS always returns one).
 */
export function normaliseTask(task: TaskInput): TaskEvidence {
  const taskArn = str(task.taskArn);
  if (!taskArn) {
    throw new BadInputError('a task has no taskArn: DescribeTasks and task state-change events always carry one; add it');
  }
  return compact({
    taskArn,
    taskId: lastSegment(taskArn),
    clusterArn: str(task.clusterArn),
    taskDefinitionArn: str(task.taskDefinitionArn),
    group: str(task.group),
    startedBy: str(task.startedBy),
    launchType: str(task.launchType),
    capacityProviderName: str(task.capacityProviderName),
    platformVersion: str(task.platformVersion),
    lastStatus: str(task.lastStatus),
    desiredStatus: str(task.desiredStatus),
    healthStatus: str(task.healthStatus),
    stopCode: str(task.stopCode),
    stoppedReason: str(task.stoppedReason),
    cpu: str(task.cpu),
    memory: str(task.memory),
    createdAt: time(task.createdAt),
    pullStartedAt: time(task.pullStartedAt),
    pullStoppedAt: time(task.pullStoppedAt),
    startedAt: time(task.startedAt),
    stoppingAt: time(task.stoppingAt),
    stoppedAt: time(task.stoppedAt),
    executionStoppedAt: time(task.executionStoppedAt),
    version: num(task.version),
    enableExecuteCommand: bool(task.enableExecuteCommand),
    containers: list(task.containers).flatMap((c) => {
      const container = record(c) ? normaliseContainer(c as Loose<Container>) : undefined;
      return container ? [container] : [];
    }),
  });
}

// ---------------------------------------------------------------------------------------------
// Task definitions
// ---------------------------------------------------------------------------------------------

// Log driver options can carry credentials (e.g. `splunk-token`, a FireLens `apikey`): their values
// are replaced, like the values of `environment` and `secrets`, which are never copied at all.
const REDACTED = '(redacted)';

function logOptions(options: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record(options) ?? {})) {
    if (typeof value === 'string') out[key] = isSecretOption(key) ? REDACTED : value;
  }
  return out;
}

function volumeKind(volume: Loose<Volume>): TaskDefinitionEvidence['volumes'][number]['kind'] {
  if (record(volume.efsVolumeConfiguration)) return 'efs';
  if (record(volume.fsxWindowsFileServerVolumeConfiguration)) return 'fsx';
  if (record(volume.dockerVolumeConfiguration)) return 'docker';
  // A `host` with a `sourcePath` mounts a host directory; without one it is a bind mount that lives
  // as long as the task (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html).
  if (str(record(volume.host)?.sourcePath)) return 'host';
  return 'bind';
}

function normaliseContainerDefinition(def: Loose<ContainerDefinition>): ContainerDefinitionEvidence | undefined {
  const name = str(def.name);
  if (!name) return undefined;
  const health = record(def.healthCheck);
  const healthCommand = strings(health?.command);
  const log = record(def.logConfiguration);
  const logDriver = str(log?.logDriver);
  return compact({
    name,
    image: str(def.image),
    essential: bool(def.essential) ?? true,
    entryPoint: strings(def.entryPoint),
    command: strings(def.command),
    workingDirectory: str(def.workingDirectory),
    user: str(def.user),
    readonlyRootFilesystem: bool(def.readonlyRootFilesystem),
    memory: num(def.memory),
    memoryReservation: num(def.memoryReservation),
    portMappings: list(def.portMappings).flatMap((p) => {
      const m = record(p);
      return m ? [compact({ containerPort: num(m.containerPort), hostPort: num(m.hostPort), protocol: str(m.protocol) })] : [];
    }),
    healthCheck:
      health && healthCommand
        ? compact({
            command: healthCommand,
            intervalSeconds: num(health.interval),
            timeoutSeconds: num(health.timeout),
            retries: num(health.retries),
            startPeriodSeconds: num(health.startPeriod),
          })
        : undefined,
    logConfiguration: logDriver ? { logDriver, options: logOptions(log?.options) } : undefined,
    firelensType: str(record(def.firelensConfiguration)?.type),
    mountPoints: list(def.mountPoints).flatMap((p) => {
      const m = record(p);
      return m ? [compact({ sourceVolume: str(m.sourceVolume), containerPath: str(m.containerPath), readOnly: bool(m.readOnly) })] : [];
    }),
    // Names only: environment values and secret references stay out of the evidence.
    environmentNames: list(def.environment).flatMap((e) => {
      const n = str(record(e)?.name);
      return n ? [n] : [];
    }),
    secretNames: list(def.secrets).flatMap((s) => {
      const n = str(record(s)?.name);
      return n ? [n] : [];
    }),
    dependsOn: list(def.dependsOn).flatMap((d) => {
      const m = record(d);
      const containerName = str(m?.containerName);
      const condition = str(m?.condition);
      return containerName && condition ? [{ containerName, condition }] : [];
    }),
    cpu: num(def.cpu),
    environmentFingerprints: fingerprints(def.environment, 'value'),
    secretFingerprints: fingerprints(def.secrets, 'valueFrom'),
  });
}

// Masks written by the bundle redaction before keyed hashes existed: such a value is unknown, not equal.
const MASKED = /^(?:\[REDACTED:[a-z0-9-]+\]|\(redacted\))$/;

/**
 * Name → keyed hash of `entry[field]` for `environment` (`value`) or `secrets` (`valueFrom`) entries,
 * so revisions can be compared without holding a value (`shared/value-fingerprint.ts`). Entries whose
 * value is absent or was masked are left out.
 */
function fingerprints(entries: unknown, field: 'value' | 'valueFrom'): Record<string, string> | undefined {
  const out: Record<string, string> = {};
  for (const e of list(entries)) {
    const m = record(e);
    const name = str(m?.name);
    const value = m?.[field];
    if (name && typeof value === 'string' && !MASKED.test(value)) out[name] = fingerprintValue(value);
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * A DescribeTaskDefinition `taskDefinition`
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_TaskDefinition.html). Never copies
 * the values of `environment` or `secrets` (only their names), and redacts log-driver options whose
 * name suggests a credential.
 */
export function normaliseTaskDefinition(taskDefinition: Loose<TaskDefinition>): TaskDefinitionEvidence {
  const platform = record(taskDefinition.runtimePlatform);
  return compact({
    taskDefinitionArn: str(taskDefinition.taskDefinitionArn),
    family: str(taskDefinition.family),
    revision: num(taskDefinition.revision),
    networkMode: str(taskDefinition.networkMode),
    requiresCompatibilities: strings(taskDefinition.requiresCompatibilities) ?? [],
    runtimePlatform: platform
      ? compact({ cpuArchitecture: str(platform.cpuArchitecture), operatingSystemFamily: str(platform.operatingSystemFamily) })
      : undefined,
    cpu: str(taskDefinition.cpu) ?? num(taskDefinition.cpu)?.toString(),
    memory: str(taskDefinition.memory) ?? num(taskDefinition.memory)?.toString(),
    executionRoleArn: str(taskDefinition.executionRoleArn),
    taskRoleArn: str(taskDefinition.taskRoleArn),
    volumes: list(taskDefinition.volumes).flatMap((v) => {
      const volume = record(v) as Loose<Volume> | undefined;
      const name = str(volume?.name);
      return volume && name ? [{ name, kind: volumeKind(volume) }] : [];
    }),
    containers: list(taskDefinition.containerDefinitions).flatMap((d) => {
      const def = record(d) ? normaliseContainerDefinition(d as Loose<ContainerDefinition>) : undefined;
      return def ? [def] : [];
    }),
    ephemeralStorageGiB: num(record(taskDefinition.ephemeralStorage)?.sizeInGiB),
    registeredAt: time(taskDefinition.registeredAt),
  });
}

// ---------------------------------------------------------------------------------------------
// Services
// ---------------------------------------------------------------------------------------------

/**
 * A DescribeServices `services[]` entry
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html). `events` stay newest
 * first (sorted so when every event has `createdAt`); events without a `message` and deployments
 * without an `id` are skipped.
 *
 * @throws BadInputError when the service has neither `serviceName` nor `serviceArn`.
 */
export function normaliseService(service: Loose<Service>): ServiceEvidence {
  const serviceArn = str(service.serviceArn);
  const serviceName = str(service.serviceName) ?? (serviceArn ? lastSegment(serviceArn) : undefined);
  if (!serviceName) {
    throw new BadInputError('a service has neither serviceName nor serviceArn: DescribeServices always returns both; add serviceName');
  }
  const events = list(service.events).flatMap((e) => {
    const m = record(e);
    const message = m?.message;
    return m && typeof message === 'string' ? [compact({ id: str(m.id), createdAt: time(m.createdAt), message })] : [];
  });
  return compact({
    serviceName,
    serviceArn,
    clusterArn: str(service.clusterArn),
    status: str(service.status),
    desiredCount: num(service.desiredCount),
    runningCount: num(service.runningCount),
    pendingCount: num(service.pendingCount),
    launchType: str(service.launchType),
    healthCheckGracePeriodSeconds: num(service.healthCheckGracePeriodSeconds),
    loadBalancers: list(service.loadBalancers).flatMap((l) => {
      const m = record(l);
      return m
        ? [compact({ targetGroupArn: str(m.targetGroupArn), containerName: str(m.containerName), containerPort: num(m.containerPort) })]
        : [];
    }),
    deployments: list(service.deployments).flatMap((d) => {
      const m = record(d);
      const id = str(m?.id);
      return m && id
        ? [
            compact({
              id,
              status: str(m.status),
              rolloutState: str(m.rolloutState),
              rolloutStateReason: str(m.rolloutStateReason),
              taskDefinition: str(m.taskDefinition),
              failedTasks: num(m.failedTasks),
              createdAt: time(m.createdAt),
              updatedAt: time(m.updatedAt),
            }),
          ]
        : [];
    }),
    events: sortedWhenComplete(events, (e) => e.createdAt, -1),
  });
}

// ---------------------------------------------------------------------------------------------
// Target health
// ---------------------------------------------------------------------------------------------

/** One target group's health: the bundle's `evidence.targetHealth[]` entry shape. */
export interface TargetHealthInput {
  targetGroupArn: string;
  /** ELBv2 DescribeTargetHealth `TargetHealthDescriptions[]` (PascalCase). */
  targetHealthDescriptions?: Loose<TargetHealthDescription>[] | null;
  /** ELBv2 DescribeTargetGroups `TargetGroups[]` entry, for the health-check settings. */
  targetGroup?: Loose<TargetGroup> | null;
}

/**
 * Target health of one target group from ELBv2 DescribeTargetHealth, plus the health-check settings
 * from DescribeTargetGroups when given
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealthDescription.html,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetGroup.html).
 * Descriptions without `Target.Id` are skipped.
 */
export function normaliseTargetHealth(input: TargetHealthInput): TargetHealthEvidence {
  const targets = list(input.targetHealthDescriptions).flatMap((d) => {
    const target = record(record(d)?.Target);
    const health = record(record(d)?.TargetHealth);
    const id = str(target?.Id);
    if (!id) return [];
    return [
      compact({
        id,
        port: num(target?.Port),
        availabilityZone: str(target?.AvailabilityZone),
        state: str(health?.State),
        reason: str(health?.Reason),
        description: str(health?.Description),
      }),
    ];
  });
  const group = record(input.targetGroup);
  const healthCheck = group
    ? compact({
        protocol: str(group.HealthCheckProtocol),
        port: str(group.HealthCheckPort) ?? num(group.HealthCheckPort)?.toString(),
        path: str(group.HealthCheckPath),
        matcher: str(record(group.Matcher)?.HttpCode) ?? str(record(group.Matcher)?.GrpcCode),
        timeoutSeconds: num(group.HealthCheckTimeoutSeconds),
        intervalSeconds: num(group.HealthCheckIntervalSeconds),
        healthyThresholdCount: num(group.HealthyThresholdCount),
        unhealthyThresholdCount: num(group.UnhealthyThresholdCount),
      })
    : undefined;
  return compact({
    targetGroupArn: input.targetGroupArn,
    targets,
    healthCheck: healthCheck && Object.keys(healthCheck).length > 0 ? healthCheck : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Alarms
// ---------------------------------------------------------------------------------------------

function dimensionsOf(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of list(value)) {
    const m = record(d);
    const name = str(m?.Name);
    const dimValue = m?.Value;
    if (name && typeof dimValue === 'string') out[name] = dimValue;
  }
  return out;
}

/**
 * A CloudWatch DescribeAlarms `MetricAlarms[]` entry
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_MetricAlarm.html). For a
 * metric-math alarm (no top-level `MetricName`), the first `Metrics[].MetricStat.Metric` is used.
 *
 * @throws BadInputError when the alarm has no `AlarmName`.
 */
export function normaliseAlarm(alarm: Loose<MetricAlarm>): AlarmEvidence {
  const alarmName = str(alarm.AlarmName);
  if (!alarmName) throw new BadInputError('an alarm has no AlarmName: DescribeAlarms always returns it; add it');
  let namespace = str(alarm.Namespace);
  let metricName = str(alarm.MetricName);
  let dimensions = dimensionsOf(alarm.Dimensions);
  if (!metricName) {
    const metric = list(alarm.Metrics)
      .map((m) => record(record(record(m)?.MetricStat)?.Metric))
      .find((m) => m !== undefined);
    if (metric) {
      namespace = str(metric.Namespace);
      metricName = str(metric.MetricName);
      dimensions = dimensionsOf(metric.Dimensions);
    }
  }
  return compact({
    alarmName,
    stateValue: str(alarm.StateValue),
    stateReason: str(alarm.StateReason),
    namespace,
    metricName,
    dimensions,
  });
}

/** The alarm a `target_unhealthy` trigger event describes, as alarm evidence. */
export function alarmFromEvent(parsed: Extract<ParsedTriggerEvent, { kind: 'target_unhealthy' }>): AlarmEvidence {
  const { detail } = parsed.event;
  return compact({
    alarmName: detail.alarmName,
    stateValue: detail.state.value,
    stateReason: str(detail.state.reason),
    namespace: parsed.metric.namespace,
    metricName: parsed.metric.metricName,
    dimensions: { ...parsed.metric.dimensions },
  });
}

// ---------------------------------------------------------------------------------------------
// Logs
// ---------------------------------------------------------------------------------------------

/** One log stream's events: the bundle's `evidence.logs[]` entry shape. */
export interface LogStreamInput {
  logGroupName: string;
  logStreamName: string;
  containerName?: string | null;
  taskId?: string | null;
  /** CloudWatch Logs GetLogEvents `events[]`; `timestamp` is epoch ms (ISO strings accepted). */
  events?: (Omit<Loose<OutputLogEvent>, 'timestamp'> & { timestamp?: number | string | Date | null })[] | null;
  truncated?: boolean | null;
}

// ECS task ids in current ARNs are 32 hex digits (older ARNs used a UUID, matched via known ids).
const TASK_ID = /^[0-9a-f]{32}$/;

/**
 * The container name and task id in an awslogs stream name `prefix/container-name/task-id`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html), when its last
 * segment is a 32-hex task id or one of `knownTaskIds`; undefined for other names.
 */
export function awslogsStreamParts(
  logStreamName: string,
  knownTaskIds: readonly string[] = [],
): { containerName?: string; taskId: string } | undefined {
  const segments = logStreamName.split('/');
  const taskId = segments[segments.length - 1] ?? '';
  if (segments.length < 3 || !(TASK_ID.test(taskId) || knownTaskIds.includes(taskId))) return undefined;
  return compact({ containerName: str(segments[segments.length - 2]), taskId });
}

/**
 * The events read from one log stream. Events come out oldest first (sorted so when every event
 * has a timestamp); events without a string `message` are skipped.
 *
 * When `taskId` or `containerName` is not given, they are read from the awslogs stream name (see
 * `awslogsStreamParts`).
 */
export function normaliseLogStream(input: LogStreamInput, knownTaskIds: readonly string[] = []): LogStreamEvidence {
  const parts = awslogsStreamParts(input.logStreamName, knownTaskIds);
  const events = list(input.events).flatMap((e) => {
    const m = record(e);
    return m && typeof m.message === 'string' ? [compact({ timestamp: time(m.timestamp), message: m.message })] : [];
  });
  return compact({
    logGroupName: input.logGroupName,
    logStreamName: input.logStreamName,
    containerName: str(input.containerName) ?? parts?.containerName,
    taskId: str(input.taskId) ?? parts?.taskId,
    events: sortedWhenComplete(events, (e) => e.timestamp, 1),
    truncated: input.truncated === true ? true : undefined,
  });
}

// ---------------------------------------------------------------------------------------------
// Trigger
// ---------------------------------------------------------------------------------------------

/** Cluster and service named by an ECS service ARN, `…:service/CLUSTER/SERVICE` or the old `…:service/SERVICE`. */
function fromServiceArn(arn: string | undefined): { clusterArn?: string; serviceArn?: string; serviceName?: string } {
  const match = arn ? /^(arn:[^:]+:ecs:[^:]*:[^:]*):service\/(?:([^/]+)\/)?([^/]+)$/.exec(arn) : null;
  if (!match) return {};
  const [, prefix, cluster, service] = match;
  return compact({ clusterArn: cluster ? `${prefix}:cluster/${cluster}` : undefined, serviceArn: arn, serviceName: service });
}

/** A service name, or the name in a service ARN (the `service` field of some service events holds either). */
function serviceNameOf(value: string | undefined): string | undefined {
  return value === undefined ? undefined : (fromServiceArn(value).serviceName ?? value);
}

/**
 * The `Trigger` of a parsed event: envelope facts (id, detail-type, time as ISO, account, region)
 * and what the event says about the resource — cluster and service from `resources[0]`
 * (`arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE`), a task's `group` or the detail;
 * deployment id from `detail.deploymentId` or a task's `startedBy` (`ecs-svc/…`); for alarms the
 * name, `state.reason`, dimensions and the target group ARN
 * `arn:aws:elasticloadbalancing:REGION:ACCOUNT:<TargetGroup dimension>`.
 */
export function triggerFromEvent(parsed: ParsedTriggerEvent): Trigger {
  const { event } = parsed;
  const base = {
    kind: parsed.kind,
    eventId: event.id,
    detailType: event['detail-type'],
    time: new Date(toEpochMs(event.time) ?? Number.NaN).toISOString(),
    account: event.account,
    region: event.region,
    ...(parsed.informational ? { informational: parsed.informational } : {}),
  };
  const resource = fromServiceArn(str(event.resources?.[0]));
  switch (parsed.kind) {
    case 'task_stopped': {
      const { detail } = parsed.event;
      return compact({
        ...base,
        deploymentId: deploymentOfStartedBy(str(detail.startedBy)),
        clusterArn: str(detail.clusterArn),
        serviceName: serviceOfGroup(str(detail.group)),
      });
    }
    case 'deployment_failed': {
      const { detail } = parsed.event;
      return compact({
        ...base,
        eventName: detail.eventName,
        eventType: str(detail.eventType),
        reason: str(detail.reason),
        deploymentId: str(detail.deploymentId),
        clusterArn: str(detail.clusterArn) ?? resource.clusterArn,
        serviceArn: resource.serviceArn,
        serviceName: resource.serviceName,
      });
    }
    case 'service_action': {
      const { detail } = parsed.event;
      return compact({
        ...base,
        eventName: detail.eventName,
        eventType: detail.eventType,
        reason: str(detail.reason),
        clusterArn: str(detail.clusterArn) ?? resource.clusterArn,
        serviceArn: resource.serviceArn,
        serviceName: resource.serviceName ?? str(detail.serviceName) ?? serviceNameOf(str(detail.service)),
      });
    }
    case 'target_unhealthy': {
      const { detail } = parsed.event;
      const targetGroup = parsed.metric.dimensions.TargetGroup;
      return compact({
        ...base,
        alarmName: detail.alarmName,
        alarmReason: str(detail.state.reason),
        targetGroupDimension: targetGroup,
        // ALB/NLB: `LoadBalancer` (`app/NAME/ID`); a Classic Load Balancer: its `LoadBalancerName`.
        loadBalancerDimension: parsed.metric.dimensions.LoadBalancer ?? parsed.metric.dimensions.LoadBalancerName,
        // The TargetGroup dimension is the ARN's resource part (`targetgroup/NAME/ID`).
        targetGroupArn: targetGroup ? `arn:aws:elasticloadbalancing:${event.region}:${event.account}:${targetGroup}` : undefined,
      });
    }
  }
}
