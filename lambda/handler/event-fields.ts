/**
 * The two EventBridge envelope fields the handler reads before (or without) validating the event:
 * `id` (correlation id, idempotency fallback) and `detail-type` (logged for an event not analysed).
 * https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-events-structure.html
 */

/** The event's `id`, when it is a non-empty string; undefined for anything else. */
export function eventIdOf(event: unknown): string | undefined {
  const id = typeof event === 'object' && event !== null ? (event as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The event's `detail-type`, when it is a string; undefined for anything else. */
export function detailTypeOf(event: unknown): string | undefined {
  const value = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)['detail-type'] : undefined;
  return typeof value === 'string' ? value : undefined;
}
