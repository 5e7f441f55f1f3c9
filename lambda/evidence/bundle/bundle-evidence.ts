import type { ParsedTriggerEvent } from '../events';
import {
  alarmFromEvent,
  awslogsStreamParts,
  normaliseAlarm,
  normaliseLogStream,
  normaliseService,
  normaliseTargetHealth,
  normaliseTask,
  normaliseTaskDefinition,
  triggerFromEvent,
} from '../normalise';
import type {
  AlarmEvidence,
  CloudTrailEventEvidence,
  ContainerEvidence,
  Evidence,
  LogEventEvidence,
  LogStreamEvidence,
  ServiceDeploymentEvidence,
  ServiceEvidence,
  ServiceRevisionEvidence,
  TargetHealthEvidence,
  TaskDefinitionEvidence,
  TaskEvidence,
  Trigger,
} from '../types';
import { isConverted } from './log-events';
import type { IncidentBundle } from './read-bundle';
import { normaliseCloudTrailEvent, normaliseServiceDeployment, normaliseServiceRevision } from '../normalise-changes';
import type { LogStreamInput } from '../normalise';

/**
 * Turns recorded evidence into the evidence model. `buildEvidence` holds the merge logic shared by
 * the recorded source (`evidenceFromBundle`) and the live collectors, so both give rules the same
 * `Evidence` for the same facts.
 */

/** Evidence already normalised (by `../normalise`), from a bundle or from live collectors. */
export interface EvidenceParts {
  /** DescribeTasks results; for a task-state-change trigger, the event's task may be among them. */
  tasks?: TaskEvidence[];
  taskDefinition?: TaskDefinitionEvidence;
  services?: ServiceEvidence[];
  logs?: LogStreamEvidence[];
  targetHealth?: TargetHealthEvidence[];
  /** DescribeAlarms results; when empty, an alarm trigger's own event is used. */
  alarms?: AlarmEvidence[];
  serviceDeployments?: ServiceDeploymentEvidence[];
  serviceRevisions?: ServiceRevisionEvidence[];
  baselineTaskDefinition?: TaskDefinitionEvidence;
  cloudTrailEvents?: CloudTrailEventEvidence[];
  /** What could not be fetched, one sentence each. */
  gaps?: string[];
}

/** The event's container merged with DescribeTasks' one of the same name: fetched values win, the event fills gaps. */
function mergeContainers(fromEvent: ContainerEvidence[], described: ContainerEvidence[]): ContainerEvidence[] {
  const byName = new Map(described.map((c) => [c.name, c]));
  const merged = fromEvent.map((c) => ({ ...c, ...byName.get(c.name) }));
  const seen = new Set(fromEvent.map((c) => c.name));
  return [...merged, ...described.filter((c) => !seen.has(c.name))];
}

/**
 * The stopped task of a task state-change event: the event's task merged with the DescribeTasks entry
 * of the same `taskArn`, when there is one. DescribeTasks has more fields (e.g. `healthStatus`,
 * `pullStartedAt`), the event fills what it lacks; `version` is the higher of the two (it increases
 * with every change of the task). The one merge of event and DescribeTasks data: the live collector
 * reads the task's logs for it and `buildEvidence` puts it first in `tasks`.
 */
export function mergeStoppedTask(fromEvent: TaskEvidence, described: TaskEvidence | undefined): TaskEvidence {
  if (!described) return fromEvent;
  const version =
    fromEvent.version !== undefined && described.version !== undefined
      ? Math.max(fromEvent.version, described.version)
      : (described.version ?? fromEvent.version);
  return {
    ...fromEvent,
    ...described,
    containers: mergeContainers(fromEvent.containers, described.containers),
    ...(version !== undefined ? { version } : {}),
  };
}

/** Sets `essential` on containers from the task definition the task runs, where the task does not say. */
function withEssential(task: TaskEvidence, taskDefinition: TaskDefinitionEvidence | undefined): TaskEvidence {
  if (!taskDefinition) return task;
  const sameDefinition =
    !task.taskDefinitionArn || !taskDefinition.taskDefinitionArn || task.taskDefinitionArn === taskDefinition.taskDefinitionArn;
  if (!sameDefinition) return task;
  const essential = new Map(taskDefinition.containers.map((c) => [c.name, c.essential]));
  return {
    ...task,
    containers: task.containers.map((c) =>
      c.essential === undefined && essential.has(c.name) ? { ...c, essential: essential.get(c.name) } : c,
    ),
  };
}

/** Ties log streams to tasks by an awslogs stream name ending in a known task id (old UUID ids too). */
function withTaskIds(logs: LogStreamEvidence[], tasks: TaskEvidence[]): LogStreamEvidence[] {
  const known = tasks.map((t) => t.taskId);
  return logs.map((stream) => {
    if (stream.taskId) return stream;
    const parts = awslogsStreamParts(stream.logStreamName, known);
    if (!parts) return stream;
    return { ...stream, taskId: parts.taskId, ...(stream.containerName || !parts.containerName ? {} : { containerName: parts.containerName }) };
  });
}

/**
 * An alarm names a target group, not a service: take the service from the evidence when one service
 * routes to that target group, or when the evidence holds exactly one service (it was collected for
 * this incident).
 */
function withAlarmService(trigger: Trigger, services: ServiceEvidence[]): Trigger {
  if (trigger.kind !== 'target_unhealthy' || trigger.serviceName) return trigger;
  const routed = services.filter((s) => s.loadBalancers.some((lb) => lb.targetGroupArn === trigger.targetGroupArn));
  const service = routed.length === 1 ? routed[0] : services.length === 1 ? services[0] : undefined;
  if (!service) return trigger;
  return {
    ...trigger,
    serviceName: service.serviceName,
    ...(service.serviceArn ? { serviceArn: service.serviceArn } : {}),
    ...(service.clusterArn && !trigger.clusterArn ? { clusterArn: service.clusterArn } : {}),
  };
}

/**
 * Assembles the evidence of one incident from its trigger event and normalised parts.
 *
 * - `tasks`: for a `task_stopped` trigger, `tasks[0]` is the event's task merged with the part's task
 *   of the same `taskArn` (if any), followed by the other tasks; otherwise the parts' tasks as given.
 *   Containers get `essential` from the task definition when it is the one the task runs.
 * - `logs`: streams without a `taskId` are tied to a task whose id ends their awslogs name.
 * - `alarms`: the parts' alarms, else (alarm trigger) the alarm described by the event.
 * - `trigger`: from the event (`triggerFromEvent`, unless the caller derived it already); an alarm
 *   trigger also gets the service found in the evidence.
 *
 * Pure: no I/O, no clock.
 */
export function buildEvidence(parsed: ParsedTriggerEvent, parts: EvidenceParts, trigger: Trigger = triggerFromEvent(parsed)): Evidence {
  const given = parts.tasks ?? [];
  let tasks: TaskEvidence[] = given;
  if (parsed.kind === 'task_stopped') {
    const fromEvent = normaliseTask(parsed.event.detail);
    const described = given.find((t) => t.taskArn === fromEvent.taskArn);
    tasks = [mergeStoppedTask(fromEvent, described), ...given.filter((t) => t.taskArn !== fromEvent.taskArn)];
  }
  tasks = tasks.map((t) => withEssential(t, parts.taskDefinition));
  const services = parts.services ?? [];
  const alarms = parts.alarms && parts.alarms.length > 0 ? parts.alarms : parsed.kind === 'target_unhealthy' ? [alarmFromEvent(parsed)] : [];
  return {
    trigger: withAlarmService(trigger, services),
    tasks,
    ...(parts.taskDefinition ? { taskDefinition: parts.taskDefinition } : {}),
    services,
    logs: withTaskIds(parts.logs ?? [], tasks),
    targetHealth: parts.targetHealth ?? [],
    alarms,
    ...(parts.serviceDeployments?.length ? { serviceDeployments: parts.serviceDeployments } : {}),
    ...(parts.serviceRevisions?.length ? { serviceRevisions: parts.serviceRevisions } : {}),
    ...(parts.baselineTaskDefinition ? { baselineTaskDefinition: parts.baselineTaskDefinition } : {}),
    ...(parts.cloudTrailEvents?.length ? { cloudTrailEvents: parts.cloudTrailEvents } : {}),
    gaps: parts.gaps ?? [],
  };
}

/** Whether events are oldest first (every event has a timestamp and none goes back). */
function inTimeOrder(events: readonly LogEventEvidence[]): boolean {
  for (let i = 1; i < events.length; i += 1) {
    const before = events[i - 1]?.timestamp;
    const at = events[i]?.timestamp;
    if (before === undefined || at === undefined || at < before) return false;
  }
  return true;
}

/**
 * A bundle's log stream. When `parseBundle` already checked and converted its events (there may be
 * millions) and they are in time order, the usual case, they are not converted again; otherwise
 * (raw events from live collection, or out of order) `normaliseLogStream` converts and orders them.
 */
function recordedLogStream(stream: LogStreamInput): LogStreamEvidence {
  const events = stream.events ?? [];
  if (!isConverted(events) || !inTimeOrder(events)) return normaliseLogStream(stream);
  return { ...normaliseLogStream({ ...stream, events: [] }), events };
}

/**
 * The evidence of a validated incident bundle (see `buildEvidence` for the merge rules). A bundle
 * records no gaps: what it lacks is simply absent. Pure. `trigger`: the bundle's trigger, when the
 * caller derived it already (the live collector does, to pick what to fetch).
 *
 * @throws BadInputError only for entries the normalisers cannot use at all (a task without
 *   `taskArn`, …), which `parseBundle` already refuses.
 */
export function evidenceFromBundle(bundle: IncidentBundle, trigger?: Trigger): Evidence {
  const recorded = bundle.evidence;
  return buildEvidence(bundle.trigger, {
    tasks: (recorded.tasks ?? []).map(normaliseTask),
    ...(recorded.taskDefinition ? { taskDefinition: normaliseTaskDefinition(recorded.taskDefinition) } : {}),
    services: (recorded.services ?? []).map(normaliseService),
    logs: (recorded.logs ?? []).map(recordedLogStream),
    targetHealth: (recorded.targetHealth ?? []).map(normaliseTargetHealth),
    alarms: (recorded.alarms ?? []).map(normaliseAlarm),
    serviceDeployments: (recorded.serviceDeployments ?? []).flatMap((d) => normaliseServiceDeployment(d) ?? []),
    serviceRevisions: (recorded.serviceRevisions ?? []).flatMap((r) => normaliseServiceRevision(r) ?? []),
    ...(recorded.baselineTaskDefinition ? { baselineTaskDefinition: normaliseTaskDefinition(recorded.baselineTaskDefinition) } : {}),
    cloudTrailEvents: (recorded.cloudTrailEvents ?? []).flatMap((e) => normaliseCloudTrailEvent(e) ?? []),
  }, trigger);
}
