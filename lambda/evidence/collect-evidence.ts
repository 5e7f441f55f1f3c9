import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { CallContext } from '../shared/aws-call';
import type { EvidenceClients } from '../shared/aws-clients';
import type { Deadline } from '../shared/deadline';
import { describeError } from '../shared/http-timeout';
import { evidenceFromBundle, mergeStoppedTask } from './bundle/bundle-evidence';
import { BUNDLE_SCHEMA, type BundleEvidence } from './bundle/read-bundle';
import { describeAlarm } from './cloudwatch/describe-alarm';
import type { CollectConfig } from './collect-config';
import { describeServices } from './ecs/describe-services';
import { describeTaskDefinition } from './ecs/describe-task-definition';
import { describeTasks } from './ecs/describe-tasks';
import { findServicesByTargetGroup } from './ecs/find-services-by-target-group';
import { recentStoppedTasks } from './ecs/recent-stopped-tasks';
import { runningTasksBehindTargets } from './ecs/tasks-behind-targets';
import { describeTargetGroups, resolveTargetGroupDimension } from './elb/target-groups';
import { describeTargetHealth } from './elb/target-health';
import { parseTriggerEvent, type ParsedTriggerEvent } from './events';
import { collectTaskLogs, type TaskLogRequest } from './logs/collect-task-logs';
import { normaliseTask, normaliseTaskDefinition, toEpochMs, triggerFromEvent, type TargetHealthInput, type TaskInput } from './normalise';
import type { Evidence, TaskEvidence, Trigger } from './types';
import { clusterOfTaskArn, deploymentOfStartedBy, serviceOfGroup } from './ecs-names';
import { collectChanges, type ChangeParts, type ChangeRequest } from './collect-changes';

/**
 * Live evidence: fetches what the trigger event points at from ECS, CloudWatch Logs, ELBv2 and
 * CloudWatch, in parallel where calls are independent, and returns both the evidence model and the
 * raw SDK shapes for an `incident-bundle.v1` capture. The evidence is built from those raw shapes by
 * the same code as a replayed bundle (`evidenceFromBundle`), so live and recorded analyses agree.
 *
 * Nothing here throws for an AWS failure: every failed or skipped call is one sentence in
 * `evidence.gaps`, and the analysis goes on with what the event itself says.
 */

/** The raw evidence of a capture: `incident-bundle.v1`'s `evidence` object (SDK v3 shapes). */
export type IncidentBundleParts = BundleEvidence;

/** What `collectEvidence` needs; nothing is read from the environment. */
export interface CollectDeps {
  clients: EvidenceClients;
  deadline: Deadline;
  config: CollectConfig;
  /** Region the clients call; defaults to the event's region. */
  region?: string;
  /** A Logs client for a log group in another region (awslogs-region / FireLens `region`), if allowed. */
  logsForRegion?: (region: string) => CloudWatchLogsClient | undefined;
  /**
   * DescribeTasks answers the caller already holds (the CLI reads a task to build its stop event): a
   * stopped task found here is not described again.
   */
  describedTasks?: readonly Task[];
}

/** The evidence of one incident and the raw parts to capture it. */
export interface CollectedEvidence {
  /** The validated trigger event, parsed once here. */
  trigger: ParsedTriggerEvent;
  evidence: Evidence;
  bundle: IncidentBundleParts;
}

/** Raw parts gathered so far. */
interface Gathered {
  tasks: Task[];
  taskDefinition?: TaskDefinition;
  services: Service[];
  logs: NonNullable<BundleEvidence['logs']>;
  targetHealth: TargetHealthInput[];
  alarms: MetricAlarm[];
  changes?: ChangeParts;
  gaps: string[];
}

/** The change evidence (`collect-changes.ts`), started beside the other calls; its gaps join the rest. */
function changesFor(deps: CollectDeps, ctx: CallContext, g: Gathered, request: ChangeRequest): Promise<void> {
  return collectChanges(deps, ctx, request).then((changes) => {
    g.changes = changes;
    g.gaps.push(...changes.gaps);
  });
}

/** Epoch ms of an event's `time`, else now (the reference time of a change lookup). */
const eventTimeOf = (parsed: ParsedTriggerEvent): number => toEpochMs(parsed.event.time) ?? Date.now();

function emptyGathered(): Gathered {
  return { tasks: [], services: [], logs: [], targetHealth: [], alarms: [], gaps: [] };
}

function runtimeIdsOf(containers: readonly unknown[] | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of containers ?? []) {
    const m = c as { name?: unknown; runtimeId?: unknown } | null;
    if (m && typeof m.name === 'string' && typeof m.runtimeId === 'string' && m.runtimeId !== '') out[m.name] = m.runtimeId;
  }
  return out;
}

function targetGroupArnsOf(services: readonly Service[]): string[] {
  return [...new Set(services.flatMap((s) => (s.loadBalancers ?? []).flatMap((lb) => (lb.targetGroupArn ? [lb.targetGroupArn] : []))))];
}

/** Target health of each group plus its health-check settings; `known` groups are not described again. */
async function targetHealthFor(
  deps: CollectDeps,
  ctx: CallContext,
  arns: readonly string[],
  known: readonly TargetGroup[] = [],
): Promise<{ entries: TargetHealthInput[]; gaps: string[] }> {
  if (arns.length === 0) return { entries: [], gaps: [] };
  const unknown = arns.filter((arn) => !known.some((g) => g.TargetGroupArn === arn));
  const [health, groups] = await Promise.all([
    Promise.all(arns.map((arn) => describeTargetHealth(deps.clients.elbv2, ctx, arn))),
    describeTargetGroups(deps.clients.elbv2, ctx, unknown),
  ]);
  const allGroups = [...known, ...groups.targetGroups];
  const entries = health.flatMap((h): TargetHealthInput[] => {
    const targetGroup = allGroups.find((g) => g.TargetGroupArn === h.targetGroupArn);
    if (!h.targetHealthDescriptions && !targetGroup) return [];
    return [
      {
        targetGroupArn: h.targetGroupArn,
        targetHealthDescriptions: h.targetHealthDescriptions ?? [],
        ...(targetGroup ? { targetGroup } : {}),
      },
    ];
  });
  return { entries, gaps: [...health.flatMap((h) => h.gaps), ...groups.gaps] };
}

/** Task definitions by ARN for the given tasks (distinct, in parallel). */
async function taskDefinitionsFor(
  deps: CollectDeps,
  ctx: CallContext,
  arns: readonly string[],
): Promise<{ byArn: Map<string, TaskDefinition>; gaps: string[] }> {
  const distinct = [...new Set(arns)];
  const results = await Promise.all(distinct.map((arn) => describeTaskDefinition(deps.clients.ecs, ctx, arn)));
  const byArn = new Map<string, TaskDefinition>();
  distinct.forEach((arn, i) => {
    const td = results[i]?.taskDefinition;
    if (td) byArn.set(arn, td);
  });
  return { byArn, gaps: results.flatMap((r) => r.gaps) };
}

function logDeps(deps: CollectDeps, ctx: CallContext, region: string) {
  return {
    logs: deps.clients.logs,
    region,
    ...(deps.logsForRegion ? { logsForRegion: deps.logsForRegion } : {}),
    ctx,
    budget: { lines: deps.config.logLineBudget, bytes: deps.config.logByteBudget },
    maxPagesPerDirection: deps.config.maxLogPagesPerDirection,
    maxStreams: deps.config.maxLogStreams,
    windowSlackMs: deps.config.logWindowSlackMs,
  };
}

/** Logs of the first `maxTasksWithLogs` tasks (normalised), each with its own task definition. */
async function logsForTasks(
  deps: CollectDeps,
  ctx: CallContext,
  region: string,
  tasks: readonly { task: TaskEvidence; runtimeIds: Record<string, string> }[],
  taskDefinitions: ReadonlyMap<string, TaskDefinition>,
): Promise<{ logs: Gathered['logs']; gaps: string[] }> {
  const requests: TaskLogRequest[] = [];
  for (const t of tasks.slice(0, deps.config.maxTasksWithLogs)) {
    const arn = t.task.taskDefinitionArn;
    const td = arn ? taskDefinitions.get(arn) : undefined;
    if (!td) continue; // its DescribeTaskDefinition gap already says why
    requests.push({ task: t.task, runtimeIds: t.runtimeIds, taskDefinition: normaliseTaskDefinition(td) });
  }
  return collectTaskLogs(logDeps(deps, ctx, region), requests);
}

async function collectTaskStopped(
  parsed: Extract<ParsedTriggerEvent, { kind: 'task_stopped' }>,
  deps: CollectDeps,
  ctx: CallContext,
  region: string,
): Promise<Gathered> {
  const g = emptyGathered();
  const detail = parsed.event.detail;
  const cluster = detail.clusterArn ?? clusterOfTaskArn(detail.taskArn);
  const serviceName = serviceOfGroup(detail.group);
  const noTaskDefinition: { taskDefinition?: TaskDefinition; gaps: string[] } = {
    gaps: ['The stop event names no taskDefinitionArn, so the task definition was not read.'],
  };
  const servicesP = serviceName
    ? describeServices(deps.clients.ecs, ctx, { cluster, services: [serviceName] })
    : Promise.resolve({ services: [] as Service[], gaps: [] as string[] });
  const changesP = changesFor(deps, ctx, g, {
    cluster,
    ...(serviceName ? { serviceName } : {}),
    ...(detail.taskDefinitionArn ? { taskDefinitionArn: detail.taskDefinitionArn } : {}),
    ...(deploymentOfStartedBy(detail.startedBy) ? { deploymentId: deploymentOfStartedBy(detail.startedBy) as string } : {}),
    referenceTime: toEpochMs(detail.createdAt) ?? eventTimeOf(parsed),
    services: servicesP.then((s) => s.services),
  });
  const known = deps.describedTasks?.find((t) => t.taskArn === detail.taskArn);
  const [described, td, services] = await Promise.all([
    known
      ? { tasks: [known], gaps: [] as string[] }
      : describeTasks(deps.clients.ecs, ctx, {
          cluster,
          tasks: [detail.taskArn],
          includeTags: deps.config.includeTaskTags,
          onMissing: 'the analysis uses the task as the stop event describes it',
        }),
    detail.taskDefinitionArn ? describeTaskDefinition(deps.clients.ecs, ctx, detail.taskDefinitionArn) : Promise.resolve(noTaskDefinition),
    servicesP,
  ]);
  g.tasks = described.tasks;
  if (td.taskDefinition) g.taskDefinition = td.taskDefinition;
  g.services = services.services;
  g.gaps.push(...described.gaps, ...td.gaps, ...services.gaps);

  // The task as the evidence will show it: the event's detail merged with DescribeTasks' entry when ECS
  // still has it (the same merge `buildEvidence` makes), so the logs read are those of that task.
  const own = described.tasks.find((t) => t.taskArn === detail.taskArn);
  const primary = {
    task: mergeStoppedTask(normaliseTask(detail as TaskInput), own ? normaliseTask(own as TaskInput) : undefined),
    runtimeIds: { ...runtimeIdsOf(detail.containers), ...runtimeIdsOf(own?.containers) },
  };
  const taskDefinitions = new Map<string, TaskDefinition>();
  if (td.taskDefinition && detail.taskDefinitionArn) taskDefinitions.set(detail.taskDefinitionArn, td.taskDefinition);
  const [logs, health] = await Promise.all([
    logsForTasks(deps, ctx, region, [primary], taskDefinitions),
    targetHealthFor(deps, ctx, targetGroupArnsOf(g.services)),
    changesP,
  ]);
  g.logs = logs.logs;
  g.targetHealth = health.entries;
  g.gaps.push(...logs.gaps, ...health.gaps);
  return g;
}

/** Tasks of a service (raw), their task definitions and logs: shared by deployment, service-action and alarm triggers. */
async function analyseServiceTasks(
  deps: CollectDeps,
  ctx: CallContext,
  region: string,
  tasks: Task[],
  fallbackTaskDefinition: string | undefined,
): Promise<Pick<Gathered, 'taskDefinition' | 'logs' | 'gaps'>> {
  const withLogs = tasks.slice(0, deps.config.maxTasksWithLogs);
  const arns = withLogs.flatMap((t) => (t.taskDefinitionArn ? [t.taskDefinitionArn] : []));
  const primaryArn = tasks[0]?.taskDefinitionArn ?? fallbackTaskDefinition;
  const tds = await taskDefinitionsFor(deps, ctx, primaryArn ? [primaryArn, ...arns] : arns);
  const logs = await logsForTasks(
    deps,
    ctx,
    region,
    withLogs.flatMap((t) => (t.taskArn ? [{ task: normaliseTask(t as TaskInput), runtimeIds: runtimeIdsOf(t.containers) }] : [])),
    tds.byArn,
  );
  const taskDefinition = primaryArn ? tds.byArn.get(primaryArn) : undefined;
  return { ...(taskDefinition ? { taskDefinition } : {}), logs: logs.logs, gaps: [...tds.gaps, ...logs.gaps] };
}

async function collectServiceTrigger(
  parsed: Extract<ParsedTriggerEvent, { kind: 'deployment_failed' | 'service_action' }>,
  trigger: Trigger,
  deps: CollectDeps,
  ctx: CallContext,
  region: string,
): Promise<Gathered> {
  const g = emptyGathered();
  const cluster = trigger.clusterArn;
  const serviceName = trigger.serviceName;
  if (!cluster || !serviceName) {
    g.gaps.push(`The ${parsed.event['detail-type']} event names no cluster and service (resources[0] is not a service ARN), so nothing was fetched.`);
    return g;
  }
  const deploymentId = trigger.deploymentId;
  const servicesP = describeServices(deps.clients.ecs, ctx, { cluster, services: [serviceName] });
  const tasksP = recentStoppedTasks(deps.clients.ecs, ctx, {
    cluster,
    serviceName,
    limit: deps.config.maxTasks,
    ...(deploymentId ? { deploymentId } : {}),
    includeTags: deps.config.includeTaskTags,
  });
  const healthP = servicesP.then((s) => targetHealthFor(deps, ctx, targetGroupArnsOf(s.services)));
  const changesP = changesFor(deps, ctx, g, {
    cluster,
    serviceName,
    ...(deploymentId ? { deploymentId } : {}),
    referenceTime: eventTimeOf(parsed),
    services: servicesP.then((s) => s.services),
  });
  const analysedP = Promise.all([tasksP, servicesP]).then(([t, s]) => {
    // With no stopped task to go by, the deployment's own task definition still says what was rolled out.
    const deployment = s.services[0]?.deployments?.find((d) => (deploymentId ? d.id === deploymentId : d.status === 'PRIMARY'));
    return analyseServiceTasks(deps, ctx, region, t.tasks, deployment?.taskDefinition);
  });
  const [services, tasks, health, analysed] = await Promise.all([servicesP, tasksP, healthP, analysedP, changesP]);
  g.services = services.services;
  g.tasks = tasks.tasks;
  g.targetHealth = health.entries;
  if (analysed.taskDefinition) g.taskDefinition = analysed.taskDefinition;
  g.logs = analysed.logs;
  g.gaps.push(...services.gaps, ...tasks.gaps, ...health.gaps, ...analysed.gaps);
  return g;
}

function partitionOf(arn: string | undefined): string {
  return arn?.startsWith('arn:') ? (arn.split(':')[1] ?? 'aws') : 'aws';
}

async function collectTargetUnhealthy(
  parsed: Extract<ParsedTriggerEvent, { kind: 'target_unhealthy' }>,
  trigger: Trigger,
  deps: CollectDeps,
  ctx: CallContext,
  region: string,
): Promise<Gathered> {
  const g = emptyGathered();
  const alarmP = describeAlarm(deps.clients.cloudwatch, ctx, parsed.event.detail.alarmName);
  if (trigger.targetGroupDimension === undefined) {
    // A Classic Load Balancer alarm names a load balancer, not a target group: its instance health
    // (DescribeInstanceHealth) is not collected.
    const alarm = await alarmP;
    g.alarms = alarm.alarms;
    g.gaps.push(
      ...alarm.gaps,
      `The alarm names Classic Load Balancer ${trigger.loadBalancerDimension ?? '(unknown)'}; its instance health is not collected: see the service events and DescribeInstanceHealth.`,
    );
    return g;
  }
  const dimension = trigger.targetGroupDimension;
  const resolved = await resolveTargetGroupDimension(deps.clients.elbv2, ctx, dimension, {
    partition: partitionOf(parsed.event.resources?.[0] ?? undefined),
    region: parsed.event.region,
    account: parsed.event.account,
  });
  g.gaps.push(...resolved.gaps);
  const arn = resolved.targetGroupArn;
  if (!arn) {
    const alarm = await alarmP;
    g.alarms = alarm.alarms;
    g.gaps.push(...alarm.gaps);
    return g;
  }
  const [health, found, alarm] = await Promise.all([
    targetHealthFor(deps, ctx, [arn], resolved.targetGroup ? [resolved.targetGroup] : []),
    findServicesByTargetGroup(deps.clients.ecs, ctx, {
      targetGroupArn: arn,
      ...(deps.config.clusters.length > 0 ? { clusters: deps.config.clusters } : {}),
      maxClusters: deps.config.maxClusters,
      maxServicesPerCluster: deps.config.maxServicesPerCluster,
    }),
    alarmP,
  ]);
  g.targetHealth = health.entries;
  g.services = found.services;
  g.alarms = alarm.alarms;
  g.gaps.push(...health.gaps, ...found.gaps, ...alarm.gaps);
  if (found.services.length === 0 && found.gaps.length === 0) {
    g.gaps.push(`No ECS service in ${found.clustersSearched.length} searched clusters routes to target group ${dimension}, so no task was analysed.`);
  }

  const unhealthyIds = (health.entries[0]?.targetHealthDescriptions ?? [])
    .filter((d) => d?.TargetHealth?.State === 'unhealthy')
    .flatMap((d) => (typeof d?.Target?.Id === 'string' ? [d.Target.Id] : []));
  const perService = await Promise.all(
    found.services.slice(0, 3).map(async (service) => {
      const cluster = service.clusterArn;
      const serviceName = service.serviceName;
      if (!cluster || !serviceName) return { tasks: [] as Task[], gaps: [] as string[] };
      const [running, stopped] = await Promise.all([
        runningTasksBehindTargets(deps.clients.ecs, ctx, { cluster, serviceName, targetIds: unhealthyIds }),
        recentStoppedTasks(deps.clients.ecs, ctx, { cluster, serviceName, limit: deps.config.maxTasks, includeTags: deps.config.includeTaskTags }),
      ]);
      // The unhealthy targets themselves first, then the tasks the service stopped.
      return { tasks: [...running.tasks, ...stopped.tasks], gaps: [...running.gaps, ...stopped.gaps] };
    }),
  );
  g.tasks = perService.flatMap((s) => s.tasks).slice(0, deps.config.maxTasks);
  const first = found.services[0];
  const changesP =
    first?.clusterArn && first.serviceName
      ? changesFor(deps, ctx, g, { cluster: first.clusterArn, serviceName: first.serviceName, referenceTime: eventTimeOf(parsed), services: Promise.resolve([first]) })
      : Promise.resolve();
  g.gaps.push(...perService.flatMap((s) => s.gaps));
  const primaryDeployment = found.services[0]?.deployments?.find((d) => d.status === 'PRIMARY')?.taskDefinition;
  const [analysed] = await Promise.all([analyseServiceTasks(deps, ctx, region, g.tasks, primaryDeployment), changesP]);
  if (analysed.taskDefinition) g.taskDefinition = analysed.taskDefinition;
  g.logs = analysed.logs;
  g.gaps.push(...analysed.gaps);
  return g;
}

async function gather(parsed: ParsedTriggerEvent, trigger: Trigger, deps: CollectDeps, ctx: CallContext, region: string): Promise<Gathered> {
  switch (parsed.kind) {
    case 'task_stopped':
      return collectTaskStopped(parsed, deps, ctx, region);
    case 'deployment_failed':
    case 'service_action':
      return collectServiceTrigger(parsed, trigger, deps, ctx, region);
    case 'target_unhealthy':
      return collectTargetUnhealthy(parsed, trigger, deps, ctx, region);
  }
}

/** The change evidence's bundle keys; entries without their ARN (which the reader refuses) are left out. */
function changeBundle(changes: ChangeParts | undefined): Partial<IncidentBundleParts> {
  if (!changes) return {};
  const serviceDeployments = changes.serviceDeployments.filter((d) => Boolean(d.serviceDeploymentArn));
  const serviceRevisions = changes.serviceRevisions.filter((r) => Boolean(r.serviceRevisionArn));
  const cloudTrailEvents = changes.cloudTrailEvents.filter((e) => Boolean(e.EventName));
  return {
    ...(serviceDeployments.length > 0 ? { serviceDeployments } : {}),
    ...(serviceRevisions.length > 0 ? { serviceRevisions } : {}),
    ...(changes.baselineTaskDefinition ? { baselineTaskDefinition: changes.baselineTaskDefinition } : {}),
    ...(cloudTrailEvents.length > 0 ? { cloudTrailEvents } : {}),
  };
}

/** Keeps only entries the bundle reader accepts, so a malformed SDK answer costs a gap, not the analysis. */
function bundleOf(g: Gathered): { bundle: IncidentBundleParts; gaps: string[] } {
  const gaps: string[] = [];
  const tasks = g.tasks.filter((t) => Boolean(t.taskArn));
  const services = g.services.filter((s) => Boolean(s.serviceName || s.serviceArn));
  const alarms = g.alarms.filter((a) => Boolean(a.AlarmName));
  const dropped = g.tasks.length - tasks.length + (g.services.length - services.length) + (g.alarms.length - alarms.length);
  if (dropped > 0) gaps.push(`${dropped} AWS answers lacked their identifier (taskArn, serviceName or AlarmName) and were left out.`);
  return {
    bundle: {
      ...(tasks.length > 0 ? { tasks: tasks as TaskInput[] } : {}),
      ...(g.taskDefinition ? { taskDefinition: g.taskDefinition } : {}),
      ...(services.length > 0 ? { services } : {}),
      ...(g.logs.length > 0 ? { logs: g.logs } : {}),
      ...(g.targetHealth.length > 0 ? { targetHealth: g.targetHealth } : {}),
      ...(alarms.length > 0 ? { alarms } : {}),
      ...changeBundle(g.changes),
    },
    gaps,
  };
}

/**
 * Validates a trigger event and collects its live evidence. The one place a live analysis parses its
 * event (`parseTriggerEvent`) and derives its trigger (`triggerFromEvent`); both are passed on.
 *
 * - `task_stopped`: DescribeTasks (a task gone after about an hour leaves the event's own detail and a
 *   gap; skipped when `deps.describedTasks` holds the task), DescribeTaskDefinition and DescribeServices
 *   (service from the task `group` `service:NAME`) in parallel; then the failing containers' logs and
 *   the service's target health.
 * - `deployment_failed` / `service_action`: DescribeServices (events, deployments, load balancers) and
 *   the service's recently stopped tasks (ListTasks `desiredStatus: STOPPED`, the deployment's tasks
 *   first, at most `maxTasks`); then task definitions, logs of the first `maxTasksWithLogs` tasks and
 *   target health.
 * - `target_unhealthy`: the alarm's `TargetGroup` dimension → target group (DescribeTargetGroups by
 *   name), its target health and health-check settings, the ECS services using it, their tasks behind
 *   unhealthy targets and recently stopped tasks, with task definitions and logs; DescribeAlarms too.
 *
 * Never throws for AWS failures: each becomes a sentence in `evidence.gaps`.
 *
 * @param event the EventBridge event as received (or synthesized by the CLI).
 * @param where what to name in messages about the event (`event`, `task <arn>`, …).
 * @returns the parsed trigger, the evidence (built from the raw parts exactly as a replayed bundle
 *   would be, plus gaps) and the raw parts for an `incident-bundle.v1` `evidence` object.
 * @throws BadInputError (including `UnsupportedEventError`) when the event is invalid or of a kind not
 *   analysed (see `parseTriggerEvent`), before any call is made.
 */
export async function collectEvidence(event: unknown, where: string, deps: CollectDeps): Promise<CollectedEvidence> {
  const parsed = parseTriggerEvent(event, where);
  const ctx: CallContext = { deadline: deps.deadline, callTimeoutMs: deps.config.callTimeoutMs };
  const region = deps.region ?? parsed.event.region;
  // Derived once: it says what to fetch, and the evidence carries it.
  const trigger = triggerFromEvent(parsed);
  let gathered: Gathered;
  try {
    gathered = await gather(parsed, trigger, deps, ctx, region);
  } catch (error) {
    // Collectors turn AWS failures into gaps; this only catches a defect, and still must not cost the report.
    gathered = emptyGathered();
    gathered.gaps.push(`Live evidence collection stopped on an unexpected error (${describeError(error)}), so the analysis uses the event alone.`);
  }
  const { bundle, gaps } = bundleOf(gathered);
  const recorded = evidenceFromBundle({ schema: BUNDLE_SCHEMA, event: parsed.event, trigger: parsed, evidence: bundle }, trigger);
  return { trigger: parsed, evidence: { ...recorded, gaps: [...new Set([...gathered.gaps, ...gaps])] }, bundle };
}
