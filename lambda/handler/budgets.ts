/**
 * The time budgets of one invocation: how the remaining Lambda time is split between evidence
 * collection, delivery and the final flush. Dependency-free, so the handler module can load it at
 * cold start without the pipeline.
 */

/** Milliseconds kept after delivery to flush logs and metrics and return. */
export const FINAL_MARGIN_MS = 1_000;

/** The time budgets of one invocation. */
export interface InvocationBudgets {
  /** Milliseconds kept back from the remaining time before collection must stop. */
  collectionMarginMs: number;
  /** Epoch ms by which deliveries must have finished. */
  deliveryDeadline: number;
}

/**
 * Splits the remaining time: deliveries end `finalMarginMs` before the end, and collection stops
 * `reserveMs` before that, the time delivery needs (`deliveryNeedMs`: audit write, every try of the
 * slowest notification sink, audit rewrite). Delivery comes first: when less than the reserve is
 * usable, all of it goes to delivery and nothing is collected — the report then says what the event
 * itself says and names every call that did not run as an evidence gap.
 *
 * @param remainingMs `context.getRemainingTimeInMillis()`.
 * @param nowMs the current epoch ms.
 * @param reserveMs milliseconds delivery needs.
 */
export function invocationBudgets(remainingMs: number, nowMs: number, reserveMs: number, finalMarginMs = FINAL_MARGIN_MS): InvocationBudgets {
  const usable = Math.max(0, remainingMs - finalMarginMs);
  const reserve = Math.min(Math.max(0, reserveMs), usable);
  return { collectionMarginMs: finalMarginMs + reserve, deliveryDeadline: nowMs + usable };
}
