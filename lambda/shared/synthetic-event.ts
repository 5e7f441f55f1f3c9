import { createHash } from 'node:crypto';

/**
 * Helpers for events the analyzer synthesizes from what it read live (the CLI's `analyze --task`,
 * `ecs-rca watch`, the lifecycle hook), so they look like the EventBridge events ECS sends.
 */

/**
 * A name-based id for a synthesized event, UUID-shaped like EventBridge's: the same occurrence of the
 * same resource always gets the same id, so a re-capture replaces its audit record instead of adding one.
 */
export function syntheticEventId(resource: string, time: string): string {
  const h = createHash('sha256').update(`${resource}|${time}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

/** EventBridge writes `time` without milliseconds: `2026-01-15T10:00:00Z`. */
export function eventTime(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
