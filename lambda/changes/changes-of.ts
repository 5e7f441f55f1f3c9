import { lastSegment, serviceOfGroup } from '../evidence/ecs-names';
import type {
  CloudTrailEventEvidence,
  Evidence,
  ServiceDeploymentEvidence,
  ServiceRevisionEvidence,
  TaskDefinitionEvidence,
} from '../evidence/types';
import type { Changes } from '../report/report-schema';
import { cutCodePoints, diffLoadBalancers, diffTaskDefinitions, imagesOf } from './diff-task-definitions';

/**
 * The report's `changes` section from the evidence: which revision the incident ran (current), which
 * one it is compared against (baseline), the diff, and who made the change. Pure.
 *
 * Baseline, in order of preference:
 * 1. service revisions (deployments since 2024-10-25): the current deployment is the newest of
 *    `serviceDeployments`; its baseline is its `sourceServiceRevisions` entry that was described, else
 *    the other described revision (the collector's previous successful deployment);
 *    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html
 * 2. the service's `deployments[]` (older services): the other deployment's task definition;
 * 3. a standalone task: the previous revision of its task-definition family.
 */

type Ref = Changes['baseline'];

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());

function revisionRef(
  revision: ServiceRevisionEvidence,
  deployment: ServiceDeploymentEvidence | undefined,
): Ref {
  const createdAt = iso(deployment?.createdAt ?? revision.createdAt);
  return {
    source: 'service_revision',
    ...(revision.taskDefinitionArn ? { taskDefinitionArn: revision.taskDefinitionArn } : {}),
    serviceRevisionArn: revision.serviceRevisionArn,
    ...(deployment ? { serviceDeploymentArn: deployment.serviceDeploymentArn } : {}),
    ...(deployment?.status ? { status: deployment.status } : {}),
    ...(deployment?.statusReason ? { statusReason: deployment.statusReason } : {}),
    ...(createdAt ? { createdAt } : {}),
    ...(revision.containerImages.length > 0 ? { images: revision.containerImages } : {}),
  };
}

function tdRef(source: Ref['source'], td: TaskDefinitionEvidence | undefined, arn?: string): Ref {
  const taskDefinitionArn = td?.taskDefinitionArn ?? arn;
  const createdAt = iso(td?.registeredAt);
  return { source, ...(taskDefinitionArn ? { taskDefinitionArn } : {}), ...(createdAt ? { createdAt } : {}) };
}

const newestFirst = <T extends { createdAt?: number }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0));

/** The two sides of the comparison and their task definitions, when a baseline is known. */
interface Sides {
  baseline: Ref;
  current: Ref;
  baselineTd: TaskDefinitionEvidence;
  currentTd: TaskDefinitionEvidence;
  revisions?: { before: ServiceRevisionEvidence; after: ServiceRevisionEvidence };
  since?: number;
}

function fromServiceRevisions(evidence: Evidence, currentTd: TaskDefinitionEvidence): Sides | undefined {
  const deployments = newestFirst(evidence.serviceDeployments ?? []);
  const revisions = evidence.serviceRevisions ?? [];
  const deployment = deployments[0];
  const after = revisions.find((r) => r.serviceRevisionArn === deployment?.targetServiceRevisionArn);
  if (!deployment || !after) return undefined;
  const before =
    revisions.find((r) => deployment.sourceServiceRevisionArns.includes(r.serviceRevisionArn)) ??
    revisions.find((r) => r.serviceRevisionArn !== after.serviceRevisionArn);
  if (!before) return undefined;
  const sameTd = before.taskDefinitionArn !== undefined && before.taskDefinitionArn === after.taskDefinitionArn;
  const baselineTd = sameTd ? currentTd : evidence.baselineTaskDefinition;
  if (!baselineTd || (before.taskDefinitionArn && baselineTd.taskDefinitionArn && baselineTd.taskDefinitionArn !== before.taskDefinitionArn)) return undefined;
  const beforeDeployment = deployments.find((d) => d !== deployment && d.targetServiceRevisionArn === before.serviceRevisionArn);
  return {
    baseline: revisionRef(before, beforeDeployment),
    current: revisionRef(after, deployment),
    baselineTd,
    currentTd,
    revisions: { before, after },
    ...(deployment.createdAt !== undefined ? { since: deployment.createdAt } : {}),
  };
}

function fromTaskDefinitions(evidence: Evidence, currentTd: TaskDefinitionEvidence): Sides | undefined {
  const baselineTd = evidence.baselineTaskDefinition;
  if (!baselineTd) return undefined;
  const deployments = evidence.services.flatMap((s) => s.deployments);
  const before = deployments.find((d) => d.taskDefinition === baselineTd.taskDefinitionArn);
  const after = deployments.find((d) => d.taskDefinition === currentTd.taskDefinitionArn && d !== before);
  const source: Ref['source'] = before ? 'service_deployments' : 'task_definition_family';
  const withDeployment = (ref: Ref, d: typeof before): Ref =>
    d ? { ...ref, ...(d.rolloutState ? { status: d.rolloutState } : {}), ...(d.rolloutStateReason ? { statusReason: d.rolloutStateReason } : {}), ...(d.createdAt ? { createdAt: iso(d.createdAt) } : {}) } : ref;
  return {
    baseline: withDeployment(tdRef(source, baselineTd), before),
    current: withDeployment(tdRef(before ? 'service_deployments' : 'task', currentTd), after),
    baselineTd,
    currentTd,
    ...(after?.createdAt !== undefined ? { since: after.createdAt } : currentTd.registeredAt !== undefined ? { since: currentTd.registeredAt } : {}),
  };
}

const SERVICE_EVENTS = new Set(['UpdateService', 'CreateService']);
// CloudTrail delivers an event within about 5 minutes of the call; the call precedes the deployment.
const AFTER_SLACK_MS = 5 * 60_000;

/** Who made the change: the newest UpdateService/CreateService of the service, else RegisterTaskDefinition of the family. */
function actorOf(events: readonly CloudTrailEventEvidence[], service: string | undefined, family: string | undefined, since: number | undefined): Changes['actor'] {
  const before = events.filter((e) => since === undefined || e.eventTime === undefined || e.eventTime <= since + AFTER_SLACK_MS);
  const names = (e: CloudTrailEventEvidence) => e.resourceNames.map((n) => lastSegment(n.replace(/:\d+$/, '')));
  const pick =
    newestFirst(before.filter((e) => SERVICE_EVENTS.has(e.eventName) && service !== undefined && names(e).includes(service)).map((e) => ({ ...e, createdAt: e.eventTime })))[0] ??
    newestFirst(before.filter((e) => e.eventName === 'RegisterTaskDefinition' && family !== undefined && names(e).includes(family)).map((e) => ({ ...e, createdAt: e.eventTime })))[0];
  if (!pick) return undefined;
  const principal = pick.principalArn ?? pick.username;
  const eventTime = iso(pick.eventTime);
  return {
    eventName: pick.eventName,
    ...(eventTime ? { eventTime } : {}),
    ...(principal ? { principal } : {}),
    ...(pick.userAgent ? { userAgent: cutCodePoints(pick.userAgent, 200) } : {}),
  };
}

/**
 * The `changes` section, or `undefined` when the incident's task definition or a baseline is unknown
 * (the evidence gaps then say which call failed).
 */
export function changesOf(evidence: Evidence): Changes | undefined {
  const currentTd = evidence.taskDefinition;
  if (!currentTd) return undefined;
  const sides = fromServiceRevisions(evidence, currentTd) ?? fromTaskDefinitions(evidence, currentTd);
  if (!sides) return undefined;
  const images = {
    before: imagesOf(sides.baselineTd, sides.revisions?.before),
    after: imagesOf(sides.currentTd, sides.revisions?.after),
  };
  const diff = diffTaskDefinitions(sides.baselineTd, sides.currentTd, images);
  const items = [...diff.items, ...(sides.revisions ? diffLoadBalancers(sides.revisions.before, sides.revisions.after) : [])];
  const task = evidence.tasks[0];
  const service = evidence.trigger.serviceName ?? serviceOfGroup(task?.group) ?? evidence.services[0]?.serviceName;
  const actor = actorOf(evidence.cloudTrailEvents ?? [], service, currentTd.family, sides.since);
  return {
    baseline: sides.baseline,
    current: sides.current,
    items,
    unchanged: items.length === 0 && diff.notes.length === 0,
    ...(diff.notes.length > 0 ? { notes: diff.notes } : {}),
    ...(actor ? { actor } : {}),
  };
}
