import type { RcaReport } from '../report/report-schema';
import { describeError, withTimeout } from '../shared/http-timeout';
import type { DeliveryContext, DeliveryOutcome, Sink } from './types';

/**
 * Delivery order and failure policy:
 *
 * 1. The S3 audit record is written first. If that fails, `deliver` throws `AuditWriteError` before
 *    anything is notified, so the Lambda invocation fails, the asynchronous invocation is retried and,
 *    after its retries, the event lands in the dead-letter destination: nothing is lost, and nobody
 *    was told about an incident that has no record.
 * 2. The notification sinks (SNS, Slack, …) then run in parallel. Each fails on its own; a failure is
 *    an outcome with `ok: false`, never an exception, so a Slack outage cannot stop SNS. They are
 *    skipped when the report says nobody needs to be told (`report.alert === false`, e.g. a benign stop).
 * 3. When notifications ran, the audit record is rewritten (same key) with their outcomes. A failure
 *    there is only recorded: throwing would make the retry notify everyone twice.
 *
 * Lambda retries and DLQ: https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
 */

/** The S3 audit write failed; the invocation must fail so Lambda retries it (then the DLQ keeps it). */
export class AuditWriteError extends Error {
  override readonly name = 'AuditWriteError';
  constructor(
    message: string,
    /** The audit sink's outcome. */
    readonly outcome: DeliveryOutcome,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The sinks of one deployment. */
export interface DeliverySinks {
  /** Written first; its failure fails the invocation. */
  audit: Sink;
  /** Written after the audit, in parallel, each failing independently. May be empty. */
  notifications: readonly Sink[];
}

/** Per-call choices. */
export interface DeliverOptions {
  /**
   * Whether to run the notification sinks. Defaults to `report.alert`. Callers that group repeated
   * occurrences of one incident pass `false` for the repeats (the audit record is still written).
   */
  notify?: boolean;
}

/** Everything `deliver` did. */
export interface DeliveryResult {
  audit: DeliveryOutcome;
  /** One outcome per notification sink, in the order given; empty when notifications were skipped. */
  notifications: DeliveryOutcome[];
  /** Why notifications were not sent, when they were not. */
  skipped?: string;
  /** The rewrite of the audit record that added the notification outcomes, when notifications ran. */
  auditUpdate?: DeliveryOutcome;
}

/**
 * Delivers one report: audit first, then notifications (see the module comment for the policy).
 *
 * @throws AuditWriteError when the audit sink fails or throws; no notification is sent then.
 */
export async function deliver(
  report: RcaReport,
  sinks: DeliverySinks,
  ctx: DeliveryContext,
  options: DeliverOptions = {},
): Promise<DeliveryResult> {
  const audit = await runSink(sinks.audit, report, ctx);
  if (!audit.ok) {
    throw new AuditWriteError(`S3 audit write failed, nothing was notified: ${audit.error ?? 'unknown error'}`, audit);
  }

  const notify = options.notify ?? report.alert;
  if (!notify || sinks.notifications.length === 0) {
    const skipped = !notify
      ? options.notify === false
        ? 'notifications suppressed by the caller'
        : `report.alert is false (${report.rootCause.category}): nobody needs to act`
      : undefined;
    return { audit, notifications: [], ...(skipped ? { skipped } : {}) };
  }

  const notifications = await Promise.all(sinks.notifications.map((sink) => runSink(sink, report, ctx)));
  const auditUpdate = await runSink(sinks.audit, report, { ...ctx, deliveries: notifications });
  return { audit, notifications, auditUpdate };
}

/**
 * Runs one sink, turning a throw, a hang past the deadline or an abort into an `ok: false` outcome.
 */
export async function runSink(sink: Sink, report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome> {
  try {
    // The sink gets the whole remaining time and a signal that fires at the deadline; sinks apply
    // their own per-call timeouts inside it. The race also covers a sink that ignores the signal.
    const budget = { timeoutMs: Number.POSITIVE_INFINITY, deadline: ctx.deadline, signal: ctx.signal };
    return await withTimeout(budget, `${sink.name} delivery`, (signal) => sink.deliver(report, { ...ctx, signal }));
  } catch (error) {
    return { sink: sink.name, ok: false, error: describeError(error) };
  }
}
