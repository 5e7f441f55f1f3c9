import type { Event } from '@aws-sdk/client-cloudtrail';
import type { Service, ServiceDeployment, ServiceDeploymentBrief, ServiceRevision, TaskDefinition } from '@aws-sdk/client-ecs';
import type { CallContext } from '../shared/aws-call';
import type { EvidenceClients } from '../shared/aws-clients';
import { lookupChangeEvents } from './cloudtrail/lookup-change-events';
import type { CollectConfig } from './collect-config';
import { describeTaskDefinition } from './ecs/describe-task-definition';
import { describeServiceDeployments, describeServiceRevisions, listServiceDeployments } from './ecs/service-deployments';

/**
 * The change evidence of an incident: the deployment it belongs to, the one before it, their service
 * revisions, the baseline task definition and (opt-in) who made the change. Runs beside the log reads
 * and takes at most three sequential round trips itself (ListServiceDeployments → Describe deployments
 * and revisions → the baseline's DescribeTaskDefinition), so a task stop's critical path stays at
 * three. Never throws: every failure is a gap.
 *
 * Baseline, by what the service has:
 * - service revisions (deployments since 2024-10-25,
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-revision.html): the current
 *   deployment is the newest one created before the incident's reference time; the baseline is the
 *   newest earlier `SUCCESSFUL` deployment (what ran before), else the one just before;
 * - no service deployments listed (a service whose deployments predate service revisions, or a denied
 *   call): the other entry of the service's `deployments[]`, when a rolling deployment still lists it;
 * - a standalone task: the previous revision (`family:N-1`) of its task-definition family.
 */

/** What the incident concerns. */
export interface ChangeRequest {
  /** Cluster name or ARN. */
  cluster: string;
  /** The service, for a service's task or a service event. */
  serviceName?: string;
  /** The incident's task definition ARN. */
  taskDefinitionArn?: string;
  /** `ecs-svc/…` deployment id, when known. */
  deploymentId?: string;
  /** Epoch ms: the incident's task or deployment started at or before this. */
  referenceTime: number;
  /** The service's DescribeServices answer, already requested by the caller. */
  services?: Promise<readonly Service[]>;
}

/** Raw SDK shapes for the bundle, and gaps. */
export interface ChangeParts {
  serviceDeployments: ServiceDeployment[];
  serviceRevisions: ServiceRevision[];
  baselineTaskDefinition?: TaskDefinition;
  cloudTrailEvents: Event[];
  gaps: string[];
}

/** What `collectChanges` needs. */
export interface ChangeDeps {
  clients: EvidenceClients;
  config: CollectConfig;
}

// A deployment is created a moment before its first task; a task's createdAt can precede the
// ListServiceDeployments `createdAt` by clock skew.
const CREATED_SLACK_MS = 60_000;
// CloudTrail windows: the hour before a deployment (UpdateService, RegisterTaskDefinition) and the
// day before a standalone task (its family's registration).
const SERVICE_WINDOW_MS = 60 * 60_000;
const FAMILY_WINDOW_MS = 24 * 60 * 60_000;
const AFTER_MS = 5 * 60_000;

const ms = (d: Date | undefined): number | undefined => (d instanceof Date ? d.getTime() : undefined);

function emptyParts(gaps: string[] = []): ChangeParts {
  return { serviceDeployments: [], serviceRevisions: [], cloudTrailEvents: [], gaps };
}

async function actor(deps: ChangeDeps, ctx: CallContext, names: { service?: string; family?: string }, at: number, windowMs: number) {
  if (!deps.config.lookupChangeActor) return { events: [] as Event[], gaps: [] as string[] };
  if (!deps.clients.cloudtrail) return { events: [], gaps: ['cloudtrail:LookupEvents was not called: no CloudTrail client was configured.'] };
  return lookupChangeEvents(deps.clients.cloudtrail, ctx, { ...names, startTime: at - windowMs, endTime: at + AFTER_MS });
}

function familyOf(arn: string | undefined): { family: string; revision: number } | undefined {
  // `arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>` (or `family:revision`).
  const name = (arn ?? '').slice((arn ?? '').lastIndexOf('/') + 1);
  const colon = name.lastIndexOf(':');
  const family = name.slice(name.lastIndexOf(':', colon - 1) + 1, colon);
  const revision = name.slice(colon + 1);
  return colon > 0 && /^[A-Za-z0-9_-]{1,255}$/.test(family) && /^\d{1,10}$/.test(revision) ? { family, revision: Number(revision) } : undefined;
}

/** Picks the incident's deployment and the one to compare against from a newest-first list. */
export function pickDeployments(
  listed: readonly ServiceDeploymentBrief[],
  referenceTime: number,
): { current?: ServiceDeploymentBrief; previous?: ServiceDeploymentBrief } {
  const current = listed.find((d) => (ms(d.createdAt) ?? 0) <= referenceTime + CREATED_SLACK_MS) ?? listed[0];
  if (!current) return {};
  const earlier = listed.filter((d) => d !== current && (ms(d.createdAt) ?? 0) <= (ms(current.createdAt) ?? 0));
  const previous = earlier.find((d) => d.status === 'SUCCESSFUL') ?? earlier[0];
  return { current, ...(previous ? { previous } : {}) };
}

async function fromServiceRevisions(deps: ChangeDeps, ctx: CallContext, req: ChangeRequest, listed: readonly ServiceDeploymentBrief[], family: string | undefined): Promise<ChangeParts> {
  const { current, previous } = pickDeployments(listed, req.referenceTime);
  if (!current?.serviceDeploymentArn) return emptyParts();
  const deploymentArns = [current.serviceDeploymentArn, ...(previous?.serviceDeploymentArn ? [previous.serviceDeploymentArn] : [])];
  const revisionArns = [current.targetServiceRevisionArn, previous?.targetServiceRevisionArn].filter((a): a is string => Boolean(a));
  const at = ms(current.createdAt) ?? req.referenceTime;
  const [described, revisions, trail] = await Promise.all([
    describeServiceDeployments(deps.clients.ecs, ctx, deploymentArns),
    describeServiceRevisions(deps.clients.ecs, ctx, revisionArns),
    actor(deps, ctx, { ...(req.serviceName ? { service: req.serviceName } : {}), ...(family ? { family } : {}) }, at, SERVICE_WINDOW_MS),
  ]);
  const parts: ChangeParts = {
    serviceDeployments: described.deployments,
    serviceRevisions: revisions.revisions,
    cloudTrailEvents: trail.events,
    gaps: [...described.gaps, ...revisions.gaps, ...trail.gaps],
  };
  const after = revisions.revisions.find((r) => r.serviceRevisionArn === current.targetServiceRevisionArn);
  const before = revisions.revisions.find((r) => r.serviceRevisionArn === previous?.targetServiceRevisionArn);
  if (before?.taskDefinition && before.taskDefinition !== after?.taskDefinition) {
    const td = await describeTaskDefinition(deps.clients.ecs, ctx, before.taskDefinition);
    if (td.taskDefinition) parts.baselineTaskDefinition = td.taskDefinition;
    parts.gaps.push(...td.gaps);
  }
  return parts;
}

async function fromServiceDeploymentList(deps: ChangeDeps, ctx: CallContext, req: ChangeRequest, family: string | undefined): Promise<ChangeParts> {
  const service = (await req.services)?.[0];
  const deployments = service?.deployments ?? [];
  const current = deployments.find((d) => (req.deploymentId ? d.id === req.deploymentId : false)) ??
    deployments.find((d) => d.taskDefinition === req.taskDefinitionArn) ??
    deployments.find((d) => d.status === 'PRIMARY');
  const other = deployments.find((d) => d !== current && d.taskDefinition && d.taskDefinition !== current?.taskDefinition);
  // One deployment and no service revisions: nothing to compare against, which is no failure to fetch.
  if (!other?.taskDefinition) return emptyParts();
  const at = ms(current?.createdAt) ?? req.referenceTime;
  const [td, trail] = await Promise.all([
    describeTaskDefinition(deps.clients.ecs, ctx, other.taskDefinition),
    actor(deps, ctx, { ...(req.serviceName ? { service: req.serviceName } : {}), ...(family ? { family } : {}) }, at, SERVICE_WINDOW_MS),
  ]);
  return { ...emptyParts([...td.gaps, ...trail.gaps]), ...(td.taskDefinition ? { baselineTaskDefinition: td.taskDefinition } : {}), cloudTrailEvents: trail.events };
}

async function fromFamily(deps: ChangeDeps, ctx: CallContext, req: ChangeRequest): Promise<ChangeParts> {
  const parsed = familyOf(req.taskDefinitionArn);
  if (!parsed || parsed.revision <= 1) return emptyParts();
  const [td, trail] = await Promise.all([
    describeTaskDefinition(deps.clients.ecs, ctx, `${parsed.family}:${parsed.revision - 1}`),
    actor(deps, ctx, { family: parsed.family }, req.referenceTime, FAMILY_WINDOW_MS),
  ]);
  return { ...emptyParts([...td.gaps, ...trail.gaps]), ...(td.taskDefinition ? { baselineTaskDefinition: td.taskDefinition } : {}), cloudTrailEvents: trail.events };
}

/** Collects the change evidence of one incident (see the module comment). Never throws. */
export async function collectChanges(deps: ChangeDeps, ctx: CallContext, req: ChangeRequest): Promise<ChangeParts> {
  const family = familyOf(req.taskDefinitionArn)?.family;
  if (!req.serviceName) return fromFamily(deps, ctx, req);
  const listed = await listServiceDeployments(deps.clients.ecs, ctx, { cluster: req.cluster, service: req.serviceName });
  const parts = listed.deployments.length > 0
    ? await fromServiceRevisions(deps, ctx, req, listed.deployments, family)
    : await fromServiceDeploymentList(deps, ctx, req, family);
  return { ...parts, gaps: [...listed.gaps, ...parts.gaps] };
}
