import { BadInputError } from '../shared/errors';
import { cutText, isWellFormed } from '../shared/text';
import { toEpochMs } from './normalise';

/**
 * Bounds on input before anything reads it: an EventBridge event (Lambda input, a bundle's `event`)
 * or a whole incident bundle (CLI). Checked by one iterative walk, so a value nested thousands of
 * levels deep is declined with a reason instead of overflowing the stack later (in the audit write's
 * `JSON.stringify`, a zod schema, a renderer).
 *
 * What is checked:
 * - depth: AWS's ECS and CloudWatch events nest fewer than 10 levels; EventBridge's PutEvents takes
 *   JSON up to 1,000 levels deep (https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutEvents.html),
 *   far more than any event the analyzer reads, so 64 is the limit;
 * - size: a PutEvents entry is below 256 KB, and the event EventBridge delivers is that entry plus its
 *   envelope (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-putevent-size.html), so an
 *   event is allowed 288 KiB (UTF-16 code units of its strings and keys, plus 8 per other value);
 *   bundles are not size-bound here (their logs may be large);
 * - text: an event's strings are well-formed UTF-16 (EventBridge delivers UTF-8 JSON, so a lone
 *   surrogate cannot come from AWS; it would break `encodeURIComponent` in console links);
 * - timestamps: a number (or digit string) under a time key (`…At`, `time`, `timestamp`, `…Time`,
 *   `…Timestamp`) must be a date JavaScript can represent (±8.64e15 ms,
 *   https://tc39.es/ecma262/#sec-time-values-and-time-range); `1e20` would otherwise throw
 *   `RangeError: Invalid time value` or silently drop a fact the verdict relies on.
 */

/** Limits of one walk. */
export interface InputLimits {
  /** Deepest nesting of objects and arrays (the top level is depth 0). */
  maxDepth: number;
  /** Approximate UTF-8 size (strings, keys, numbers), in bytes. */
  maxBytes: number;
  /** Whether every string must be well-formed UTF-16. */
  wellFormedText: boolean;
  /** What `maxBytes` is the limit of, for messages (`the size limit of an EventBridge event`). */
  sizeLimit?: string;
}

/** Limits of an EventBridge event. */
export const EVENT_LIMITS: InputLimits = { maxDepth: 64, maxBytes: 288 * 1024, wellFormedText: true, sizeLimit: 'the size limit of an EventBridge event' };

/** Limits of an incident bundle: depth and timestamps only (its log lines may hold any text). */
export const BUNDLE_LIMITS: InputLimits = { maxDepth: 64, maxBytes: Number.POSITIVE_INFINITY, wellFormedText: false };

const TIME_KEY = /(?:At|^time|Time|^timestamp|Timestamp)$/;
const DIGITS = /^-?\d{1,400}(?:\.\d{1,400})?$/;

/** `detail.containers[0].exitCode`. */
function pathText(parent: string, key: string | number): string {
  if (typeof key === 'number') return `${parent}[${key}]`;
  return parent === '' ? key : `${parent}.${key}`;
}

function timeProblem(key: string, value: unknown): boolean {
  if (!TIME_KEY.test(key)) return false;
  if (typeof value === 'number') return toEpochMs(value) === undefined;
  return typeof value === 'string' && DIGITS.test(value.trim()) && toEpochMs(value) === undefined;
}

/**
 * Checks `value` against `limits` without recursion.
 *
 * @param where what to name in messages (`event`, a file name).
 * @param root the JSON path of `value` inside `where` (`event` for a bundle's event; default: `value` is `where`).
 * @throws BadInputError with one line naming `where`, the path and the problem, e.g.
 *   `incident.json: event is larger than 288 KiB (the size limit of an EventBridge event); not analysed`,
 *   `event: nested more than 64 levels deep at detail.extra.a.a…`,
 *   `event: detail.group is not well-formed text (a lone UTF-16 surrogate)`,
 *   `incident.json: evidence.tasks[0].startedAt: 1e+20 is not a time (outside the range of dates)`.
 */
export function checkInputBounds(value: unknown, where: string, limits: InputLimits = EVENT_LIMITS, root = ''): void {
  const stack: { value: unknown; depth: number; path: string }[] = [{ value, depth: 0, path: root }];
  let bytes = 0;
  const tooLarge = () =>
    new BadInputError(`${where}: ${root ? `${root} is ` : ''}larger than ${Math.round(limits.maxBytes / 1024)} KiB${limits.sizeLimit ? ` (${limits.sizeLimit})` : ''}; not analysed`);
  while (stack.length > 0) {
    const item = stack.pop()!;
    const { value: current, depth, path } = item;
    if (typeof current === 'string') {
      bytes += current.length + 2;
      if (bytes > limits.maxBytes) throw tooLarge();
      if (limits.wellFormedText && !isWellFormed(current)) {
        throw new BadInputError(`${where}: ${path || '(top level)'} is not well-formed text (a lone UTF-16 surrogate)`);
      }
      continue;
    }
    if (current === null || typeof current !== 'object') {
      bytes += 8;
      continue;
    }
    if (depth >= limits.maxDepth) {
      throw new BadInputError(`${where}: nested more than ${limits.maxDepth} levels deep at ${cutText(path, 120)}`);
    }
    const entries: [string | number, unknown][] = Array.isArray(current) ? current.map((v, i) => [i, v]) : Object.entries(current);
    for (const [key, child] of entries) {
      const childPath = pathText(path, key);
      if (typeof key === 'string') {
        bytes += key.length + 4;
        if (limits.wellFormedText && !isWellFormed(key)) {
          throw new BadInputError(`${where}: a key under ${path || '(top level)'} is not well-formed text (a lone UTF-16 surrogate)`);
        }
        if (timeProblem(key, child)) {
          throw new BadInputError(`${where}: ${childPath}: ${String(child)} is not a time (outside the range of dates; expected an ISO-8601 time or epoch milliseconds)`);
        }
      }
      if (bytes > limits.maxBytes) throw tooLarge();
      stack.push({ value: child, depth: depth + 1, path: childPath });
    }
  }
}
