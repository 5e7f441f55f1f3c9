import { checkInputBounds, EVENT_LIMITS } from '../evidence/input-bounds';
import { BadInputError } from '../shared/errors';

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

/**
 * The checks the handler makes before anything else reads the event (the recovery parser, the
 * idempotency key, the pipeline): the bounds of `checkInputBounds` (depth, size, well-formed text,
 * timestamps) and the types of the fields the idempotency key is built from (`detail.taskArn` a
 * string, `detail.version` a number; see `IDEMPOTENCY_KEY_JMESPATH`).
 *
 * @returns the problem as a `BadInputError` (one line), or undefined when the event may go on.
 */
export function edgeProblem(event: unknown): BadInputError | undefined {
  try {
    checkInputBounds(event, 'event', EVENT_LIMITS);
  } catch (error) {
    if (error instanceof BadInputError) return error;
    throw error;
  }
  const detail = typeof event === 'object' && event !== null ? (event as { detail?: unknown }).detail : undefined;
  if (typeof detail !== 'object' || detail === null) return undefined;
  const { taskArn, version } = detail as { taskArn?: unknown; version?: unknown };
  if (taskArn !== undefined && taskArn !== null && typeof taskArn !== 'string') {
    return new BadInputError(`event: detail.taskArn: expected a string, got ${Array.isArray(taskArn) ? 'array' : typeof taskArn}`);
  }
  if (version !== undefined && version !== null && typeof version !== 'number') {
    return new BadInputError(`event: detail.version: expected a number, got ${Array.isArray(version) ? 'array' : typeof version}`);
  }
  return undefined;
}
