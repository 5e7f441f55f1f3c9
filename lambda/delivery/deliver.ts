import type { RcaReport } from '../report/report-schema';
import { describeError, NO_TIME_LEFT, remainingMs, sleep, withTimeout } from '../shared/http-timeout';
import type { DeliveryContext, DeliveryOutcome, Sink } from './types';

/**
 * Delivery order and failure policy:
 *
 * 1. The S3 audit record is written first. If that fails, `deliver` throws `AuditWriteError` before
 *    anything is notified, so the Lambda invocation fails, the asynchronous invocation is retried and,
 *    after its retries, the event lands in the dead-letter destination: nothing is lost, and nobody
 *    was told about an incident that has no record.
 * 2. The notification sinks (SNS, Slack, …) then run in parallel. Each fails on its own; a failure is
 *    an outcome with `ok: false`, never an exception, so a Slack outage cannot stop SNS. A failed
 *    sink is tried again with jittered exponential backoff (`SINK_RETRY`) while the delivery deadline
 *    leaves time for a try besides the audit rewrite's timeout (a first try may use that too); the last failure stays in the outcome (the handler counts it in `SinkFailures`,
 *    which the stack alarms on, and `ecs-rca redeliver` re-sends the report from the audit record).
 *    They are skipped when the report says nobody needs to be told (`report.alert === false`, e.g. a
 *    benign stop).
 * 3. When notifications ran, the audit record is rewritten (same key) with their outcomes. A failure
 *    there is only recorded: throwing would make the retry notify everyone twice.
 * 4. A notification sink that got no try at all (the deadline had passed) throws
 *    `DeliveryIncompleteError` after step 3, so the invocation fails and Lambda retries it rather than
 *    recording a success nobody heard about.
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

/**
 * A notification sink never got a try: the delivery deadline had passed before it could start. The
 * invocation must fail so that Lambda retries it (the audit record is already written and says so,
 * and the idempotency record of this attempt is removed); with incident grouping, the retry skips
 * the channels that already accepted the report.
 */
export class DeliveryIncompleteError extends Error {
  override readonly name = 'DeliveryIncompleteError';
  constructor(
    /** The sinks that got no try. */
    readonly sinks: readonly string[],
    /** Everything `deliver` did. */
    readonly result: DeliveryResult,
  ) {
    super(`no time was left to notify ${sinks.join(', ')}; failing the invocation so Lambda retries it`);
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
  /** Retries of a failed notification sink; default `SINK_RETRY`. */
  retry?: SinkRetry;
}

/** How a failed notification sink is tried again. */
export interface SinkRetry {
  /** Tries in all, the first included. */
  attempts: number;
  /** Milliseconds before the second try; doubled for each later one (full jitter on top: 50–100%). */
  baseDelayMs: number;
  /** Milliseconds a try needs at least: no new try starts with less time left before the deadline. */
  minTryMs: number;
}

/** Default retries: 3 tries, 250 ms then 500 ms apart (each 50–100% of that), while 1 s is left. */
export const SINK_RETRY: SinkRetry = { attempts: 3, baseDelayMs: 250, minTryMs: 1_000 };

/** The per-call timeouts of a set of sinks: all `deliveryNeedMs` reads (a `DeliverySinks` is one). */
export interface SinkTimeouts {
  audit: Pick<Sink, 'timeoutMs'>;
  notifications: readonly Pick<Sink, 'timeoutMs'>[];
}

/**
 * Milliseconds `deliver` needs for `sinks` when every delivering call runs to its timeout: the audit
 * write, then the slowest notification sink's `retry.attempts` tries with the longest backoff between
 * them (the sinks run in parallel), then the audit rewrite. Only the audit write without notification
 * sinks. The handler reserves this much of the invocation for delivery before collecting evidence.
 */
export function deliveryNeedMs(sinks: SinkTimeouts, retry: SinkRetry = SINK_RETRY): number {
  if (sinks.notifications.length === 0) return sinks.audit.timeoutMs;
  // Full jitter waits 50-100% of baseDelayMs × 2^(n-1) before try n + 1: at most the whole of it.
  let backoffMs = 0;
  for (let n = 1; n < retry.attempts; n += 1) backoffMs += retry.baseDelayMs * 2 ** (n - 1);
  const slowest = Math.max(...sinks.notifications.map((sink) => sink.timeoutMs * retry.attempts + backoffMs));
  return 2 * sinks.audit.timeoutMs + slowest;
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
 * @throws DeliveryIncompleteError when a notification sink got no try before the deadline (after the
 *   others ran and the audit record was rewritten with every outcome).
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

  // Retries never use the audit rewrite's time (first tries may): the record should say what happened.
  const rewriteMs = sinks.audit.timeoutMs;
  const notifications = await Promise.all(sinks.notifications.map((sink) => runSinkWithRetries(sink, report, ctx, options.retry, rewriteMs)));
  const auditUpdate = await runSink(sinks.audit, report, { ...ctx, deliveries: notifications });
  const result = { audit, notifications, auditUpdate };
  const untried = notifications.filter((o) => !o.ok && o.error?.endsWith(NO_TIME_LEFT)).map((o) => o.sink);
  if (untried.length > 0) throw new DeliveryIncompleteError(untried, result);
  return result;
}

/**
 * Runs one sink until it succeeds, `retry.attempts` tries are used, or the deadline less `keepMs`
 * leaves less than `retry.minTryMs` for another try. The first try may use the time up to the
 * deadline; later tries end `keepMs` before it (the caller keeps that for what follows). Never
 * throws; the outcome of a success after a failure says how many tries it took, a final failure how
 * many it made.
 */
export async function runSinkWithRetries(sink: Sink, report: RcaReport, ctx: DeliveryContext, retry: SinkRetry = SINK_RETRY, keepMs = 0): Promise<DeliveryOutcome> {
  let outcome = await runSink(sink, report, ctx);
  let tries = 1;
  const retryCtx = { ...ctx, deadline: ctx.deadline - keepMs };
  while (!outcome.ok && tries < retry.attempts && !ctx.signal?.aborted) {
    const delay = retry.baseDelayMs * 2 ** (tries - 1) * (0.5 + Math.random() / 2);
    if (remainingMs(retryCtx.deadline) < delay + retry.minTryMs) break;
    try {
      await sleep(delay, ctx.signal);
    } catch {
      break;
    }
    outcome = await runSink(sink, report, retryCtx);
    tries += 1;
  }
  if (tries === 1) return outcome;
  const note = outcome.ok ? `delivered on try ${tries}` : `failed ${tries} tries`;
  return outcome.ok ? { ...outcome, detail: outcome.detail ? `${outcome.detail}; ${note}` : note } : { ...outcome, error: `${outcome.error ?? 'unknown error'} (${note})` };
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
