import type { RcaReport } from '../report/report-schema';
import { renderSnsUpdate, type IncidentUpdate } from '../report/renderers/incident-update';
import { describeError } from '../shared/http-timeout';
import type { GateDecision, IncidentGate, ResolvedIncident } from './incident-gate';
import { incidentUpdateOf, type ThreadRef } from './incident-grouping';
import type { SnsSink } from './sns-sink';
import { DUPLICATE_CHECK_UNAVAILABLE } from './local-guard';
import type { DeliveryContext, DeliveryOutcome, Sink } from './types';

/**
 * Notification channels that know about incidents, and the sink that puts the grouping decision in
 * front of them. `deliver()` calls the sinks only after the S3 audit record is written, so an
 * occurrence is counted only once it is audited: a failed audit write (retried by Lambda) neither
 * counts it nor uses up its notification.
 */

/** A posted full report; `thread` when the channel threads follow-ups under it. */
export interface PostedReport {
  outcome: DeliveryOutcome;
  thread?: ThreadRef;
}

/** What a follow-up may refer to. */
export interface UpdateOptions {
  /** The incident's first message in a threaded channel. */
  thread?: ThreadRef;
  /** The report of the occurrence that triggered the follow-up (absent for a resolution). */
  report?: RcaReport;
}

/** A notification channel: posts full reports and the incident follow-ups. */
export interface IncidentChannel extends Sink {
  /** Posts the full report. */
  postReport(report: RcaReport, ctx: DeliveryContext): Promise<PostedReport>;
  /** True when follow-ups are replies in the incident's thread (Slack bot token); false: new messages. */
  threaded(ctx: DeliveryContext): Promise<boolean>;
  /** Posts a summary or a resolution note. Never throws: failures are `ok: false` outcomes. */
  postUpdate(update: IncidentUpdate, ctx: DeliveryContext, options: UpdateOptions): Promise<DeliveryOutcome>;
}

/** SNS as an incident channel: every follow-up is a new message (broadcast). */
export class SnsChannel implements IncidentChannel {
  readonly name: string;
  readonly timeoutMs: number;

  constructor(private readonly sink: SnsSink) {
    this.name = sink.name;
    this.timeoutMs = sink.timeoutMs;
  }

  deliver(report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    return this.sink.deliver(report, ctx);
  }

  async postReport(report: RcaReport, ctx: DeliveryContext): Promise<PostedReport> {
    return { outcome: await this.sink.deliver(report, ctx) };
  }

  async threaded(): Promise<boolean> {
    return false;
  }

  async postUpdate(update: IncidentUpdate, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    try {
      const rendered = renderSnsUpdate(update, this.sink.messageFormat);
      const id = `${update.incidentKey}\n${update.kind}\n${update.count}\n${update.lastSeen}`;
      return await this.sink.publish(rendered, { groupKey: update.incidentKey, deduplicationKey: id }, ctx);
    } catch (error) {
      return { sink: this.name, ok: false, error: describeError(error) };
    }
  }
}

/**
 * A channel behind the incident gate: the first occurrence of an incident posts the full report (and
 * the channel counts as notified only once it accepted it: a channel whose first delivery failed gets
 * the full report from a later occurrence, one re-send at a time), a due summary posts the short update (every one to a threaded channel, at most one per window to a
 * broadcast channel), anything else is suppressed — an `ok` outcome saying why, archived in the
 * audit record with the other outcomes.
 */
export class GroupedSink implements Sink {
  readonly name: string;
  readonly timeoutMs: number;

  constructor(
    private readonly channel: IncidentChannel,
    private readonly gate: IncidentGate,
  ) {
    this.name = channel.name;
    this.timeoutMs = channel.timeoutMs;
  }

  async deliver(report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    const budget = { deadline: ctx.deadline, ...(ctx.signal ? { signal: ctx.signal } : {}) };
    const decision = await this.gate.decide(report, budget);
    if (decision.action === 'notify') {
      // A retried opener (its invocation failed after some channels accepted): only the others.
      if (!decision.newIncident && !decision.degraded && decision.incident?.notified?.includes(this.name)) {
        return { sink: this.name, ok: true, detail: `already delivered: ${decision.reason}` };
      }
      return this.postFullReport(report, decision, ctx, decision.reason);
    }
    // A channel that never accepted the incident's report (its first delivery failed) gets the full
    // report now instead of a count it cannot place.
    if (decision.incident && !decision.degraded && (await this.gate.owesReport(decision.incident, this.name, budget))) {
      const reason = `full report re-sent: ${this.name} has not accepted the report of incident ${decision.incident.incidentId} yet (${decision.reason})`;
      return this.postFullReport(report, decision, ctx, reason);
    }
    if (decision.action === 'suppress') return { sink: this.name, ok: true, detail: `suppressed: ${decision.reason}` };
    let threaded: boolean;
    try {
      threaded = await this.channel.threaded(ctx);
    } catch (error) {
      return { sink: this.name, ok: false, error: `summary not sent: ${describeError(error)}` };
    }
    if (!(threaded ? decision.targets.thread : decision.targets.broadcast)) {
      return { sink: this.name, ok: true, detail: `suppressed: ${decision.reason} (a summary went out less than one window ago)` };
    }
    const update = incidentUpdateOf(decision.record, 'summary', decision.note);
    const outcome = await this.channel.postUpdate(update, ctx, { report, ...(decision.incident?.thread ? { thread: decision.incident.thread } : {}) });
    return { ...outcome, detail: `summary: ${decision.reason}${outcome.detail ? `; ${outcome.detail}` : ''}` };
  }

  /**
   * Posts the full report; once the channel accepted it, records that (so later occurrences only
   * count) and, in a threaded channel, where follow-ups go.
   */
  private async postFullReport(report: RcaReport, decision: GateDecision, ctx: DeliveryContext, reason: string): Promise<DeliveryOutcome> {
    const budget = { deadline: ctx.deadline, ...(ctx.signal ? { signal: ctx.signal } : {}) };
    const posted = await this.channel.postReport(decision.degraded ? withDuplicateCheckNote(report, decision.reason) : report, ctx);
    let detail = `${posted.outcome.detail ? `${posted.outcome.detail}; ` : ''}${reason}`;
    if (!decision.incident || decision.degraded) return { ...posted.outcome, detail };
    if (!posted.outcome.ok) {
      await this.gate.releaseClaim(decision.incident, this.name, budget);
      return { ...posted.outcome, detail: `${detail}; the next occurrence re-sends the full report` };
    }
    try {
      await this.gate.markNotified(decision.incident, this.name, budget);
    } catch (error) {
      detail += `; not recorded as delivered, the next occurrence may send the report again (${describeError(error)})`;
    }
    if (posted.thread) {
      try {
        await this.gate.attachThread(decision.incident, posted.thread, budget);
        detail += `; follow-ups in thread ${posted.thread.ts}`;
      } catch (error) {
        detail += `; thread not recorded, follow-ups will be new messages (${describeError(error)})`;
      }
    }
    return { ...posted.outcome, detail };
  }
}

/**
 * The report with a line saying that it may repeat an earlier notification (the state table could not
 * be used), shown where every renderer lists what the analyzer could not establish.
 */
export function withDuplicateCheckNote(report: RcaReport, reason: string): RcaReport {
  const note = `${DUPLICATE_CHECK_UNAVAILABLE}: this may repeat an earlier notification of this incident (${reason}).`;
  return { ...report, evidenceGaps: [...report.evidenceGaps, note] };
}

/**
 * Posts the "resolved" note of each closed incident to every channel (a thread reply, or one new
 * message). Returns one outcome per incident and channel.
 */
export async function postResolutions(resolved: readonly ResolvedIncident[], channels: readonly IncidentChannel[], ctx: DeliveryContext): Promise<DeliveryOutcome[]> {
  const posts = resolved.flatMap(({ record }) =>
    channels.map(async (channel) => {
      const outcome = await channel.postUpdate(incidentUpdateOf(record, 'resolved'), ctx, record.thread ? { thread: record.thread } : {});
      return { ...outcome, detail: `resolved ${record.incidentKey}${outcome.detail ? `; ${outcome.detail}` : ''}` };
    }),
  );
  return Promise.all(posts);
}
