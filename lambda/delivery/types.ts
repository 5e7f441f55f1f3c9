import type { RcaReport } from '../report/report-schema';

/**
 * The delivery contract: one `Sink` per destination (S3 audit, SNS, Slack, …). Sinks are built once by
 * the caller with their clients injected, and deliver a finished `RcaReport`; they do I/O only and
 * render through the pure renderers in `report/renderers/`.
 */

/** What one delivery attempt did. Serialisable: it is written into the S3 audit record. */
export interface DeliveryOutcome {
  /** The sink's `name`, e.g. `s3-audit`, `sns`, `slack`. */
  sink: string;
  /** True when the destination accepted the report. */
  ok: boolean;
  /** What was delivered where, e.g. the S3 key or the SNS MessageId (never a secret such as a webhook URL). */
  detail?: string;
  /** Why the delivery failed, one line (never a secret). */
  error?: string;
}

/** Per-invocation inputs every sink receives. */
export interface DeliveryContext {
  /**
   * Epoch milliseconds by which every outbound call must have finished, normally the Lambda's
   * `Date.now() + context.getRemainingTimeInMillis()` less a safety margin.
   */
  deadline: number;
  /** Aborts every outbound call when fired (e.g. the invocation is being abandoned). */
  signal?: AbortSignal;
  /** The captured `incident-bundle.v1` the report was computed from; archived by the audit sink. */
  bundle?: unknown;
  /** Outcomes of the notification sinks, when known; archived by the audit sink. */
  deliveries?: DeliveryOutcome[];
}

/** One destination. */
export interface Sink {
  /** Stable short name, used as `DeliveryOutcome.sink` and in metrics, e.g. `slack`. */
  readonly name: string;
  /**
   * Milliseconds one try's delivering call may take (the sink's per-call timeout, also capped by the
   * delivery deadline). `deliveryNeedMs` sizes the handler's delivery reserve from it.
   */
  readonly timeoutMs: number;
  /**
   * Delivers the report. Implementations return `ok: false` with an `error` rather than throwing for
   * destination failures (HTTP errors, timeouts, AWS errors), so one sink cannot stop another; a throw
   * is treated the same way by `deliver()`.
   */
  deliver(report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome>;
}
