/**
 * The time budgets of one invocation: how the remaining Lambda time is split between evidence
 * collection, delivery and the final flush. Dependency-free, so the handler module can load it at
 * cold start without the pipeline.
 */

/** Milliseconds kept after delivery to flush logs and metrics and return. */
export const FINAL_MARGIN_MS = 1_000;
/**
 * Milliseconds kept for delivery after evidence collection (audit write, notifications, audit
 * rewrite); at most half of the time left, so a short timeout still leaves time to collect.
 */
export const DELIVERY_RESERVE_MS = 15_000;

/** The time budgets of one invocation. */
export interface InvocationBudgets {
  /** Milliseconds kept back from the remaining time before collection must stop. */
  collectionMarginMs: number;
  /** Epoch ms by which deliveries must have finished. */
  deliveryDeadline: number;
}

/**
 * Splits the remaining time: collection stops `collectionMarginMs` before the end (the delivery
 * reserve, capped at half the usable time, plus the final margin); deliveries end at the final margin.
 *
 * @param remainingMs `context.getRemainingTimeInMillis()`.
 * @param nowMs the current epoch ms.
 */
export function invocationBudgets(remainingMs: number, nowMs: number, reserveMs = DELIVERY_RESERVE_MS, finalMarginMs = FINAL_MARGIN_MS): InvocationBudgets {
  const usable = Math.max(0, remainingMs - finalMarginMs);
  const reserve = Math.min(reserveMs, Math.floor(usable / 2));
  return { collectionMarginMs: finalMarginMs + reserve, deliveryDeadline: nowMs + usable };
}
