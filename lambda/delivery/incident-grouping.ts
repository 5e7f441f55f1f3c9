import type { RcaReport } from '../report/report-schema';
import type { IncidentUpdate } from '../report/renderers/incident-update';
import { clusterName, serviceLabel } from '../report/renderers/summary';

/**
 * Grouping of repeated occurrences into one incident: pure decisions over the stored incident record.
 * The DynamoDB store (`incident-store.ts`) reads and writes the record; the gate (`incident-gate.ts`)
 * runs these steps against it so that concurrent invocations never contend: a repeat is counted by
 * an atomic increment, and only the occurrence whose count reaches a milestone claims its summary.
 *
 * Rules (times are the events' own `time`, so a replay or a late delivery is judged by when things
 * happened, not when they were processed):
 * - **First occurrence** of an `incidentKey` → `notify` (the full report), and the incident opens.
 * - **Repeats** while the incident is open → counted in the record (occurrences, task stops, first
 *   and last seen, the latest task ids) and `suppress`ed, except:
 *   - a **summary** when the count reaches a milestone (`firstSummaryAt`, then each doubling: 5, 10,
 *     20, 40, …; at most `maxSummaries` per incident);
 *   - an **escalation** when a deployment fails (`deployment_failed`, a deployment not counted in the
 *     incident yet: the circuit breaker gave up, that is news): always sent to every channel, whatever
 *     `maxSummaries` and the last broadcast;
 *   - a milestone summary goes to threaded channels (Slack bot token) every time, and to broadcast
 *     channels (Slack webhook, SNS) at most once per window.
 * - **Quiet**: an open incident whose last occurrence is a whole window (`windowMs`) before this
 *   one is over; this occurrence opens a new incident and notifies again.
 * - **Resolved**: a recovery event (deployment completed, service steady state) after the last
 *   occurrence closes the incident → `resolve` (a short note). Occurrences whose time is before the
 *   resolution are late deliveries and are suppressed; later ones open a new incident.
 * - **Replays** of an occurrence already counted (same event id, or a task id already seen) do not
 *   count again; the replay of the occurrence that opened the incident notifies again, because its
 *   first attempt may have failed before the notification went out.
 */

/** How an EventBridge trigger is named in reports (`rca-report.v1` `trigger.kind`). */
export type TriggerKind = RcaReport['trigger']['kind'];

/** The ECS service an incident belongs to, for closing it on recovery. */
export interface ServiceRef {
  account: string;
  region: string;
  /** Cluster name (not ARN). */
  cluster: string;
  serviceName: string;
}

/** The first message of the incident in a threaded channel (Slack `chat.postMessage` `channel` and `ts`). */
export interface ThreadRef {
  channel: string;
  ts: string;
}

/** One occurrence: what grouping needs of a report. */
export interface Occurrence {
  incidentKey: string;
  eventId: string;
  /** ISO-8601 time of the triggering event. */
  at: string;
  triggerKind: TriggerKind;
  /** The stopped task's id, for `task_stopped` triggers. */
  taskId?: string;
  service?: ServiceRef;
  deploymentId?: string;
  title: string;
  category: string;
  severity: RcaReport['severity'];
  /** `serviceLabel(report)`. */
  serviceLabel: string;
  cluster?: string;
}

/** The stored state of one incident key (the latest incident of that key). */
export interface IncidentRecord {
  incidentKey: string;
  /** Identifies one incident of the key: `<eventId of the first occurrence>@<firstSeen>`. */
  incidentId: string;
  status: 'open' | 'resolved';
  /** Occurrences counted (the first included). */
  count: number;
  /** Of those, stopped tasks. */
  taskStops: number;
  /** ISO-8601. */
  firstSeen: string;
  /** ISO-8601; the latest occurrence time seen. */
  lastSeen: string;
  /** The latest task ids, oldest first, at most `maxTaskIds`. */
  taskIds: string[];
  /** The latest event ids, oldest first, at most `maxTaskIds` (replay detection). */
  recentEventIds: string[];
  triggerKinds: TriggerKind[];
  /** Deployments whose failure joined the incident (`deploymentId`, or `deployment` without one), at most `maxTaskIds`. */
  failedDeployments?: string[];
  /** Event id of the occurrence that opened the incident. */
  openedBy: string;
  /** Summaries decided so far. */
  summaries: number;
  /** ISO-8601 occurrence time of the last summary sent to broadcast channels. */
  lastBroadcastAt?: string;
  title: string;
  category: string;
  severity: RcaReport['severity'];
  serviceLabel: string;
  cluster?: string;
  service?: ServiceRef;
  deploymentId?: string;
  /** Set by the Slack bot channel after the first post; never written by a decision. */
  thread?: ThreadRef;
  /** Channels that accepted the incident's full report (read only; set by `markNotified`, never by a decision). */
  notified?: string[];
  /**
   * Epoch ms until which the invocation that opened the incident may still be delivering its report
   * (its delivery deadline; set by the gate, not by a decision). A channel missing from `notified`
   * after that is owed the full report.
   */
  deliveringUntil?: number;
  /** Re-send claims: channel → epoch ms until which its holder delivers (0: the last try failed). Read only. */
  claims?: Record<string, number>;
  /** ISO-8601 time of the recovery event that closed the incident. */
  resolvedAt?: string;
  resolvedBy?: string;
  /** Incremented by every write; the store's compare-and-set condition. */
  version: number;
  /** Epoch seconds after which DynamoDB may delete the record (its TTL attribute). */
  expiresAt: number;
}

/** Tunables of grouping. */
export interface GroupingSettings {
  /** Milliseconds of quiet after which an open incident is over; also the broadcast-summary interval. */
  windowMs: number;
  /** Occurrence count of the first summary; later ones at each doubling. Default 5. */
  firstSummaryAt: number;
  /** Most summaries per incident (threaded channels). Default 8. */
  maxSummaries: number;
  /** Task and event ids kept in the record. Default 20. */
  maxTaskIds: number;
  /** Milliseconds a record is kept after its window ends (the DynamoDB TTL). Default one day. */
  retentionMs: number;
}

/** Defaults of `GroupingSettings` except the window, which the caller always gives. */
export const GROUPING_DEFAULTS: Omit<GroupingSettings, 'windowMs'> = {
  firstSummaryAt: 5,
  maxSummaries: 8,
  maxTaskIds: 20,
  retentionMs: 24 * 60 * 60 * 1000,
};

/** Which channels a summary goes to. */
export interface SummaryTargets {
  /** Threaded channels (Slack bot token): a reply in the incident's thread. */
  thread: boolean;
  /** Broadcast channels (Slack webhook, SNS): a new message, at most once per window. */
  broadcast: boolean;
}

/** What to do with one occurrence. `record` is what to write (absent: write nothing). */
export type OccurrenceDecision =
  | { action: 'notify'; record?: IncidentRecord; newIncident: boolean; reason: string }
  | { action: 'summarize'; record: IncidentRecord; targets: SummaryTargets; reason: string; note?: string }
  | { action: 'suppress'; record?: IncidentRecord; reason: string };

/** What to do with an open incident on a recovery event. */
export type ResolutionDecision = { action: 'resolve'; record: IncidentRecord; reason: string } | { action: 'ignore'; reason: string };

/** A recovery signal for one service. */
export interface Recovery {
  /** ISO-8601 time of the recovery event. */
  at: string;
  /** e.g. `deployment ecs-svc/123 completed` or `service reached a steady state`. */
  reason: string;
}

/** The occurrence a report stands for. */
export function occurrenceOf(report: RcaReport): Occurrence {
  const { trigger, resource } = report;
  const cluster = clusterName(resource.clusterArn);
  const taskId = trigger.kind === 'task_stopped' && resource.taskArn ? resource.taskArn.split('/').pop() : undefined;
  return {
    incidentKey: report.incidentKey,
    eventId: trigger.eventId,
    at: validIso(trigger.time) ?? validIso(report.analyzedAt) ?? new Date(0).toISOString(),
    triggerKind: trigger.kind,
    ...(taskId ? { taskId } : {}),
    ...(cluster && resource.serviceName
      ? { service: { account: trigger.account, region: trigger.region, cluster, serviceName: resource.serviceName } }
      : {}),
    ...(resource.deploymentId ? { deploymentId: resource.deploymentId } : {}),
    title: report.rootCause.title,
    category: report.rootCause.category,
    severity: report.severity,
    serviceLabel: serviceLabel(report),
    ...(cluster ? { cluster } : {}),
  };
}

/**
 * Decides what one occurrence does, given the stored record of its incident key (undefined when none).
 * Pure: the same inputs give the same decision and record. It is the sequential composition of the
 * steps the gate runs against the table: `uncountedDecision`, else `countOccurrence`, `followUpOf`
 * and `applyFollowUp`.
 */
export function decideOccurrence(stored: IncidentRecord | undefined, occ: Occurrence, settings: GroupingSettings): OccurrenceDecision {
  const decision = uncountedDecision(stored, occ, settings);
  if (decision) return decision;
  // No decision yet: `stored` is an open incident this occurrence continues.
  const counted = countOccurrence(stored as IncidentRecord, occ, settings);
  return applyFollowUp(counted, followUpOf(counted, occ, settings), occ, settings);
}

/**
 * The decision for an occurrence that does not continue the stored incident — the first one, one
 * after the resolution or a quiet window (`notify` with the new incident's record), a late or
 * replayed one — or undefined when the occurrence is a repeat to count into `stored`.
 */
export function uncountedDecision(stored: IncidentRecord | undefined, occ: Occurrence, settings: GroupingSettings): OccurrenceDecision | undefined {
  const at = ms(occ.at);
  if (!stored) return open(undefined, occ, settings, 'first occurrence');
  if (stored.status === 'resolved') {
    if (stored.resolvedAt !== undefined && at < ms(stored.resolvedAt)) {
      return { action: 'suppress', reason: `late occurrence of incident ${stored.incidentId}, resolved at ${stored.resolvedAt}` };
    }
    return open(stored, occ, settings, `first occurrence after incident ${stored.incidentId} was resolved`);
  }
  if (at - ms(stored.lastSeen) >= settings.windowMs) {
    return open(stored, occ, settings, `first occurrence after ${Math.round(settings.windowMs / 60_000)} quiet minutes`);
  }
  if (occ.eventId === stored.openedBy) {
    // The opener again (a retried invocation): notify, since its first attempt may not have.
    return { action: 'notify', newIncident: false, reason: `replay of the occurrence that opened incident ${stored.incidentId}` };
  }
  if (stored.recentEventIds.includes(occ.eventId) || (occ.taskId !== undefined && stored.taskIds.includes(occ.taskId))) {
    return { action: 'suppress', reason: `replay of an occurrence already counted in incident ${stored.incidentId}` };
  }
  return undefined;
}

/**
 * The record after counting a repeat into `stored` (occurrences, task stops, last seen, the latest
 * ids, trigger kinds, version); summaries and escalations are left to `applyFollowUp`.
 */
export function countOccurrence(stored: IncidentRecord, occ: Occurrence, settings: GroupingSettings): IncidentRecord {
  const lastSeen = ms(occ.at) > ms(stored.lastSeen) ? occ.at : stored.lastSeen;
  return {
    ...stored,
    count: stored.count + 1,
    taskStops: stored.taskStops + (occ.taskId !== undefined ? 1 : 0),
    lastSeen,
    taskIds: occ.taskId !== undefined ? bounded([...stored.taskIds, occ.taskId], settings.maxTaskIds) : stored.taskIds,
    recentEventIds: bounded([...stored.recentEventIds, occ.eventId], settings.maxTaskIds),
    triggerKinds: stored.triggerKinds.includes(occ.triggerKind) ? stored.triggerKinds : [...stored.triggerKinds, occ.triggerKind],
    ...(occ.deploymentId && !stored.deploymentId ? { deploymentId: occ.deploymentId } : {}),
    version: stored.version + 1,
    expiresAt: expiryOf(lastSeen, settings),
  };
}

/** What a counted occurrence is owed besides the count. */
export interface FollowUp {
  /** A deployment failure not in the incident yet (`failedDeploymentOf`): always delivered, to every channel. */
  escalation?: string;
  /** A summary is due (a milestone within `maxSummaries`, or the escalation). */
  summary: boolean;
  /** The summary also goes to broadcast channels. */
  broadcast: boolean;
}

/**
 * What the occurrence counted as `counted.count` is owed: a summary when that count is a milestone
 * (`isMilestone`) and fewer than `maxSummaries` were sent; an escalation when it is the failure of a
 * deployment the incident has not seen. Broadcast channels get a summary at most once per window,
 * and every escalation.
 */
export function followUpOf(counted: IncidentRecord, occ: Occurrence, settings: GroupingSettings): FollowUp {
  const failed = failedDeploymentOf(occ);
  const escalation = failed !== undefined && !(counted.failedDeployments ?? []).includes(failed) ? failed : undefined;
  const summary = escalation !== undefined || (isMilestone(counted.count, settings) && counted.summaries < settings.maxSummaries);
  const broadcast = escalation !== undefined || (summary && (counted.lastBroadcastAt === undefined || ms(occ.at) - ms(counted.lastBroadcastAt) >= settings.windowMs));
  return { ...(escalation !== undefined ? { escalation } : {}), summary, broadcast };
}

/** The decision for a counted occurrence, given the follow-up it obtained (a summary, an escalation, or none). */
export function applyFollowUp(counted: IncidentRecord, followUp: FollowUp, occ: Occurrence, settings: GroupingSettings): OccurrenceDecision {
  if (!followUp.summary) {
    return { action: 'suppress', record: counted, reason: `occurrence ${counted.count} of incident ${counted.incidentId}` };
  }
  const { escalation, broadcast } = followUp;
  const record: IncidentRecord = {
    ...counted,
    ...(escalation !== undefined ? { failedDeployments: bounded([...(counted.failedDeployments ?? []), escalation], settings.maxTaskIds) } : {}),
    summaries: counted.summaries + 1,
    ...(broadcast ? { lastBroadcastAt: occ.at } : {}),
  };
  const note = escalation !== undefined ? `deployment${occ.deploymentId ? ` ${occ.deploymentId}` : ''} failed` : undefined;
  return {
    action: 'summarize',
    record,
    targets: { thread: true, broadcast },
    reason: `${note ?? `occurrence ${counted.count}`} of incident ${counted.incidentId}`,
    ...(note ? { note } : {}),
  };
}

/**
 * Whether the `count`-th occurrence of an incident gets a milestone summary: `firstSummaryAt` (at
 * least 2), then each doubling (5, 10, 20, 40, …). A function of the count alone, so when concurrent
 * invocations count atomically, exactly one of them reaches each milestone.
 */
export function isMilestone(count: number, settings: Pick<GroupingSettings, 'firstSummaryAt'>): boolean {
  const first = Math.max(2, Math.floor(settings.firstSummaryAt));
  if (count < first || count % first !== 0) return false;
  return Number.isInteger(Math.log2(count / first));
}

/** Decides whether a recovery of the incident's service closes it. Pure. */
export function decideResolution(stored: IncidentRecord | undefined, recovery: Recovery, settings: GroupingSettings): ResolutionDecision {
  if (!stored) return { action: 'ignore', reason: 'no incident recorded' };
  if (stored.status !== 'open') return { action: 'ignore', reason: `incident ${stored.incidentId} is already resolved` };
  if (ms(recovery.at) < ms(stored.lastSeen)) {
    return { action: 'ignore', reason: `incident ${stored.incidentId} had an occurrence at ${stored.lastSeen}, after this recovery` };
  }
  return {
    action: 'resolve',
    reason: `${recovery.reason}; closes incident ${stored.incidentId}`,
    record: {
      ...stored,
      status: 'resolved',
      resolvedAt: recovery.at,
      resolvedBy: recovery.reason,
      version: stored.version + 1,
      expiresAt: expiryOf(recovery.at, settings),
    },
  };
}

/** The follow-up text facts of a record (summary or resolution note). */
export function incidentUpdateOf(record: IncidentRecord, kind: IncidentUpdate['kind'], note?: string): IncidentUpdate {
  return {
    kind,
    incidentKey: record.incidentKey,
    title: record.title,
    category: record.category,
    severity: record.severity,
    service: record.serviceLabel,
    ...(record.cluster ? { cluster: record.cluster } : {}),
    count: record.count,
    taskStops: record.taskStops,
    firstSeen: record.firstSeen,
    lastSeen: record.lastSeen,
    recentTaskIds: record.taskIds,
    ...(note ? { note } : {}),
    ...(record.resolvedAt ? { resolvedAt: record.resolvedAt } : {}),
    ...(record.resolvedBy ? { resolvedBy: record.resolvedBy } : {}),
  };
}

/** The key of a service's list of open incidents: account, Region, cluster and service. */
export function serviceKey(service: ServiceRef): string {
  return [service.account, service.region, service.cluster, service.serviceName].join('/');
}

function open(previous: IncidentRecord | undefined, occ: Occurrence, settings: GroupingSettings, reason: string): OccurrenceDecision {
  const record: IncidentRecord = {
    incidentKey: occ.incidentKey,
    incidentId: `${occ.eventId}@${occ.at}`,
    status: 'open',
    count: 1,
    taskStops: occ.taskId !== undefined ? 1 : 0,
    firstSeen: occ.at,
    lastSeen: occ.at,
    taskIds: occ.taskId !== undefined ? [occ.taskId] : [],
    recentEventIds: [occ.eventId],
    triggerKinds: [occ.triggerKind],
    ...(failedDeploymentOf(occ) !== undefined ? { failedDeployments: [failedDeploymentOf(occ) as string] } : {}),
    openedBy: occ.eventId,
    summaries: 0,
    title: occ.title,
    category: occ.category,
    severity: occ.severity,
    serviceLabel: occ.serviceLabel,
    ...(occ.cluster ? { cluster: occ.cluster } : {}),
    ...(occ.service ? { service: occ.service } : {}),
    ...(occ.deploymentId ? { deploymentId: occ.deploymentId } : {}),
    version: (previous?.version ?? 0) + 1,
    expiresAt: expiryOf(occ.at, settings),
  };
  return { action: 'notify', record, newIncident: true, reason };
}

/** The deployment a `deployment_failed` occurrence reports (`deployment` when the event names none). */
function failedDeploymentOf(occ: Occurrence): string | undefined {
  return occ.triggerKind === 'deployment_failed' ? (occ.deploymentId ?? 'deployment') : undefined;
}

function bounded<T>(items: T[], max: number): T[] {
  return items.length > max ? items.slice(items.length - max) : items;
}

/** Epoch seconds after which the record of an incident last seen at `lastSeen` (ISO-8601) may be deleted: a window plus `retentionMs`. */
export function expiryOf(lastSeen: string, settings: Pick<GroupingSettings, 'windowMs' | 'retentionMs'>): number {
  return Math.ceil((ms(lastSeen) + settings.windowMs + settings.retentionMs) / 1000);
}

function ms(iso: string): number {
  const value = Date.parse(iso);
  return Number.isNaN(value) ? 0 : value;
}

function validIso(value: string): string | undefined {
  const time = Date.parse(value);
  return Number.isNaN(time) ? undefined : new Date(time).toISOString();
}
