import type { RcaReport } from '../report/report-schema';
import { describeError, type CallBudget } from '../shared/http-timeout';
import {
  applyFollowUp,
  decideResolution,
  expiryOf,
  followUpOf,
  type FollowUp,
  occurrenceOf,
  serviceKey,
  type GroupingSettings,
  type IncidentRecord,
  type OccurrenceDecision,
  type Recovery,
  type ServiceRef,
  type Occurrence,
  type ThreadRef,
  uncountedDecision,
} from './incident-grouping';
import type { IncidentStore } from './incident-store';
import { LocalGuard } from './local-guard';
import { IncidentConflictError } from './state-table';

/**
 * Runs the grouping steps of `incident-grouping.ts` against the store, one decision per report,
 * shared by every channel of one `deliver` call. Concurrent invocations for one incident do not
 * contend on its record:
 * - read the record (strongly consistent); an occurrence that opens an incident writes it with a
 *   compare-and-set, so of simultaneous openers one wins and the others re-read and count;
 * - a repeat is counted by one atomic update that returns its own count (no version condition, so no
 *   retry however many invocations count at once); the last-seen time advances by a claim that a
 *   later occurrence makes unnecessary;
 * - only the occurrence whose count is a milestone claims the summary (and a deployment failure its
 *   escalation): one conditional write that the others never attempt, or skip when they lose it.
 * A condition fails for a whole decision only when the incident changed under it (replaced,
 * resolved, or the occurrence counted by a concurrent replay); the gate then reads and decides
 * again, at most `maxAttempts` times.
 *
 * Failure policy: grouping must never cost an alert, nor flood people. When the table cannot be read
 * or written (throttled, access denied, timed out), the occurrence is notified as if grouping were
 * off (`degraded: true`, the message says "Duplicate check unavailable"), up to
 * `maxUnguardedNotifications` per incident key from one execution environment (an in-memory count,
 * `local-guard.ts`); later ones are suppressed until the table answers again.
 */

/** A decision with what the channels need to act on it. */
export type GateDecision = OccurrenceDecision & {
  /** The incident record after this occurrence (the stored one when nothing was written). */
  incident?: IncidentRecord;
  /** True when the table failed and the decision is the fail-open `notify`. */
  degraded?: boolean;
};

/** One incident closed by a recovery event. */
export interface ResolvedIncident {
  record: IncidentRecord;
  reason: string;
}

/** Options of `IncidentGate`. */
export interface IncidentGateOptions {
  store: IncidentStore;
  settings: GroupingSettings;
  /** Reads per decision when the incident keeps changing under it (opened, replaced, resolved); default 20. */
  maxAttempts?: number;
  /** Told about degraded decisions and conflicts (the handler passes its logger). */
  onWarning?: (message: string, details: Record<string, unknown>) => void;
  /** Clock in epoch ms (re-send claims, the local guard); default `Date.now`. */
  now?: () => number;
  /**
   * Full notifications per incident key that one execution environment sends while the table is
   * unavailable (counted in memory, reset after a quiet window); default 3.
   */
  maxUnguardedNotifications?: number;
}

/** Default of `IncidentGateOptions.maxUnguardedNotifications`. */
export const MAX_UNGUARDED_NOTIFICATIONS = 3;

/** The grouping gate of one execution environment. */
export class IncidentGate {
  private readonly store: IncidentStore;
  private readonly settings: GroupingSettings;
  private readonly maxAttempts: number;
  private readonly onWarning: (message: string, details: Record<string, unknown>) => void;
  private readonly now: () => number;
  private readonly maxUnguarded: number;
  private readonly local: LocalGuard;
  // Keyed by the report object: `deliver` hands the same object to every sink of one call.
  private readonly decisions = new WeakMap<RcaReport, Promise<GateDecision>>();

  constructor(options: IncidentGateOptions) {
    this.store = options.store;
    this.settings = options.settings;
    this.maxAttempts = options.maxAttempts ?? 20;
    this.onWarning = options.onWarning ?? (() => undefined);
    this.now = options.now ?? Date.now;
    this.maxUnguarded = Math.max(1, options.maxUnguardedNotifications ?? MAX_UNGUARDED_NOTIFICATIONS);
    this.local = new LocalGuard({ windowMs: options.settings.windowMs });
  }

  /** The grouping window in ms. */
  get windowMs(): number {
    return this.settings.windowMs;
  }

  /** The decision for this report, made once however many channels ask. Never throws. */
  decide(report: RcaReport, budget: Partial<CallBudget> = {}): Promise<GateDecision> {
    let decision = this.decisions.get(report);
    if (!decision) {
      decision = this.decideOnce(report, budget);
      this.decisions.set(report, decision);
    }
    return decision;
  }

  /** The decision already made for this report, if any (for logs and the handler's result). */
  decided(report: RcaReport): Promise<GateDecision> | undefined {
    return this.decisions.get(report);
  }

  /**
   * Remembers the incident's first message in a threaded channel, so follow-ups become replies.
   * @throws IncidentConflictError when a newer incident of the key replaced this one; IncidentStoreError.
   */
  async attachThread(record: IncidentRecord, thread: ThreadRef, budget: Partial<CallBudget> = {}): Promise<void> {
    await this.store.attachThread(record.incidentKey, record.incidentId, thread, budget);
  }

  /**
   * Records that `channel` accepted the incident's full report.
   * @throws IncidentConflictError when a newer incident of the key replaced this one; IncidentStoreError.
   */
  async markNotified(record: IncidentRecord, channel: string, budget: Partial<CallBudget> = {}): Promise<void> {
    await this.store.markNotified(record.incidentKey, record.incidentId, channel, budget);
  }

  /** Lets the next occurrence re-send the report to `channel` at once (this delivery failed). Never throws. */
  async releaseClaim(record: IncidentRecord, channel: string, budget: Partial<CallBudget> = {}): Promise<void> {
    try {
      await this.store.releaseClaim(record.incidentKey, record.incidentId, channel, budget);
    } catch (error) {
      // The claim then simply expires at its holder's deadline.
      this.onWarning('Could not release the re-send claim of an incident report', { incidentKey: record.incidentKey, channel, error: describeError(error) });
    }
  }

  /**
   * Whether this occurrence should (re-)send the incident's full report to `channel`: the channel
   * has not accepted it (its first delivery failed), the opener's delivery time is over, and this
   * invocation won the claim (one re-send at a time per channel). Never throws: a table failure
   * answers false (the channel keeps getting summaries).
   */
  async owesReport(record: IncidentRecord, channel: string, budget: Partial<CallBudget> = {}): Promise<boolean> {
    const now = this.now();
    if (record.notified?.includes(channel)) return false;
    // Someone is still delivering it (as far as this read knows): the opener, or an earlier re-send.
    const holder = record.claims?.[channel] ?? record.deliveringUntil;
    if (holder !== undefined && holder >= now) return false;
    try {
      await this.store.claimResend(record.incidentKey, record.incidentId, channel, now, budget.deadline ?? now + 60_000, budget);
      return true;
    } catch (error) {
      if (!(error instanceof IncidentConflictError)) {
        this.onWarning('Could not claim the re-send of an incident report', { incidentKey: record.incidentKey, channel, error: describeError(error) });
      }
      return false;
    }
  }

  /**
   * Closes the open incidents of a service that recovered. Each incident is resolved by a write
   * conditioned on it being open with no later occurrence, so of two concurrent recovery events only
   * one closes it.
   *
   * @throws IncidentStoreError when the table cannot be read or written.
   */
  async resolveService(service: ServiceRef, recovery: Recovery, budget: Partial<CallBudget> = {}): Promise<ResolvedIncident[]> {
    const key = serviceKey(service);
    const incidentKeys = await this.store.openIncidents(key, budget);
    const resolved: ResolvedIncident[] = [];
    const closed: string[] = [];
    for (const incidentKey of incidentKeys) {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
        const stored = await this.store.get(incidentKey, budget);
        const decision = decideResolution(stored, recovery, this.settings);
        if (!stored || decision.action === 'ignore') {
          // Gone, resolved or reopened by another recovery: no longer this service's open incident.
          if (!stored || stored.status !== 'open') closed.push(incidentKey);
          break;
        }
        try {
          const record = await this.store.resolve(incidentKey, stored.incidentId, recovery, decision.record.expiresAt, budget);
          resolved.push({ record, reason: decision.reason });
          closed.push(incidentKey);
          break;
        } catch (error) {
          // Changed since the read (another recovery, a later occurrence): read and decide again.
          if (!(error instanceof IncidentConflictError) || attempt === this.maxAttempts) throw error;
        }
      }
    }
    await this.store.removeOpenIncidents(key, closed, budget);
    return resolved;
  }

  private async decideOnce(report: RcaReport, budget: Partial<CallBudget>): Promise<GateDecision> {
    const occurrence = occurrenceOf(report);
    try {
      for (let attempt = 1; attempt <= this.maxAttempts; attempt += 1) {
        const stored = await this.store.get(occurrence.incidentKey, budget);
        const decision = uncountedDecision(stored, occurrence, this.settings);
        if (!decision) {
          // A repeat of the open incident `stored`.
          const counted = await this.count(stored as IncidentRecord, occurrence, budget);
          if (counted) return counted;
          continue;
        }
        if (!decision.record) return { ...decision, ...(stored ? { incident: stored } : {}) };
        // A new incident: until the opener's delivery deadline, its channels are its to notify.
        const incident: IncidentRecord = { ...decision.record, deliveringUntil: budget.deadline ?? this.now() + 60_000 };
        try {
          await this.store.open(incident, stored?.version, budget);
        } catch (error) {
          // Another invocation opened it first: read it and count into it.
          if (error instanceof IncidentConflictError) continue;
          throw error;
        }
        if (incident.service) await this.registerWithService(incident);
        return { ...decision, record: incident, incident };
      }
      this.onWarning('Incident record kept changing; occurrence suppressed', { incidentKey: occurrence.incidentKey, attempts: this.maxAttempts });
      return { action: 'suppress', reason: `incident ${occurrence.incidentKey} changed under ${this.maxAttempts} decisions; counted by the others` };
    } catch (error) {
      // Fail open, but bounded: a table outage during a storm must not become one report per task.
      const key = occurrence.incidentKey;
      const sent = this.local.take(key, this.now());
      const why = `duplicate check unavailable (${describeError(error)})`;
      if (sent > this.maxUnguarded) {
        this.onWarning('Incident table unavailable; occurrence suppressed by the in-memory guard', { incidentKey: key, error: describeError(error) });
        return { action: 'suppress', degraded: true, reason: `${why}; ${this.maxUnguarded} notifications of incident ${key} already sent from this execution environment` };
      }
      this.onWarning('Incident table unavailable; notifying without grouping', { incidentKey: key, error: describeError(error) });
      return { action: 'notify', newIncident: false, degraded: true, reason: `${why}; notification ${sent} of at most ${this.maxUnguarded} from this execution environment` };
    }
  }

  /**
   * Counts a repeat into the open incident `stored` and claims what its count is owed (a summary, an
   * escalation). Undefined when the incident changed since it was read (decide again).
   */
  private async count(stored: IncidentRecord, occ: Occurrence, budget: Partial<CallBudget>): Promise<GateDecision | undefined> {
    const { incidentKey, incidentId } = stored;
    const later = occ.at > stored.lastSeen;
    let written: IncidentRecord;
    try {
      [written] = await Promise.all([
        this.store.count(
          incidentKey,
          incidentId,
          {
            eventId: occ.eventId,
            ...(occ.taskId !== undefined ? { taskId: occ.taskId } : {}),
            ...(stored.triggerKinds.includes(occ.triggerKind) ? {} : { newTriggerKind: occ.triggerKind }),
            ...(occ.deploymentId !== undefined && stored.deploymentId === undefined ? { deploymentId: occ.deploymentId } : {}),
          },
          budget,
        ),
        // Beside the count: skipped by the store when a later occurrence was stored first.
        later ? this.store.advanceLastSeen(incidentKey, incidentId, occ.at, expiryOf(occ.at, this.settings), budget) : Promise.resolve(false),
      ]);
    } catch (error) {
      if (error instanceof IncidentConflictError) return undefined;
      throw error;
    }
    const { maxTaskIds } = this.settings;
    if (written.count % maxTaskIds === 0) await this.trimIds(written, budget);
    // This occurrence's view: its own count, the latest ids, its time if later than the stored one.
    const lastSeen = occ.at > written.lastSeen ? occ.at : written.lastSeen;
    const counted: IncidentRecord = {
      ...written,
      lastSeen,
      taskIds: written.taskIds.slice(-maxTaskIds),
      recentEventIds: written.recentEventIds.slice(-maxTaskIds),
      expiresAt: expiryOf(lastSeen, this.settings),
    };
    const obtained = await this.claimFollowUp(counted, occ, budget);
    const decision = applyFollowUp(counted, obtained, occ, this.settings);
    return { ...decision, incident: decision.record ?? counted };
  }

  /**
   * Claims what the occurrence counted as `counted.count` is owed: the escalation of a failed
   * deployment (else, when another invocation escalated it first, what the count alone is owed), or a
   * milestone summary — to broadcast channels too if none went out within a window, else to threaded
   * channels only. Returns what was obtained.
   */
  private async claimFollowUp(counted: IncidentRecord, occ: Occurrence, budget: Partial<CallBudget>): Promise<FollowUp> {
    const { incidentKey, incidentId } = counted;
    let wanted = followUpOf(counted, occ, this.settings);
    if (wanted.escalation !== undefined) {
      if (await this.store.claimEscalation(incidentKey, wanted.escalation, occ.at, budget)) return wanted;
      wanted = followUpOf({ ...counted, failedDeployments: [...(counted.failedDeployments ?? []), wanted.escalation] }, occ, this.settings);
    }
    if (!wanted.summary) return wanted;
    const notAfter = new Date(Date.parse(occ.at) - this.settings.windowMs).toISOString();
    const broadcast = wanted.broadcast && (await this.store.claimSummary(incidentKey, incidentId, this.settings.maxSummaries, { at: occ.at, notAfter }, budget));
    const summary = broadcast || (await this.store.claimSummary(incidentKey, incidentId, this.settings.maxSummaries, undefined, budget));
    return { summary, broadcast };
  }

  /** Keeps the id lists near `maxTaskIds` entries (they grow by one per repeat). Never throws. */
  private async trimIds(written: IncidentRecord, budget: Partial<CallBudget>): Promise<void> {
    const { maxTaskIds } = this.settings;
    const drop = { taskIds: written.taskIds.length - maxTaskIds, recentEventIds: written.recentEventIds.length - maxTaskIds };
    try {
      await this.store.trimIds(written.incidentKey, written.incidentId, drop, budget);
    } catch (error) {
      this.onWarning('Could not trim the id lists of an incident record', { incidentKey: written.incidentKey, error: describeError(error) });
    }
  }

  private async registerWithService(incident: IncidentRecord): Promise<void> {
    if (!incident.service) return;
    try {
      await this.store.addOpenIncident(serviceKey(incident.service), incident.incidentKey, incident.expiresAt);
    } catch (error) {
      // Only the "resolved" note depends on it; the incident still groups and expires by itself.
      this.onWarning('Could not register the incident with its service; it will not be closed by a recovery event', {
        incidentKey: incident.incidentKey,
        error: describeError(error),
      });
    }
  }
}
