import * as z from 'zod/mini';
import { BadInputError } from '../../shared/errors';
import { summariseZodError } from '../events';
import { toEpochMs } from '../normalise';
import type { LogEventEvidence } from '../types';
import { prefixUtf8 } from '../../shared/text';

/**
 * The log events of a bundle's `evidence.logs[].events`, checked and turned into the evidence model
 * as they are read: a bundle may hold millions of them, so each becomes one small
 * `{ timestamp?, message }` object at once, and nothing else of it is kept.
 */

/** Event lists produced by `convertedLogEvents`: their entries are already `LogEventEvidence`. */
const converted = new WeakSet<readonly unknown[]>();

/** Marks `events` (filled by `appendLogEvents`) as converted, and returns it. */
export function convertedLogEvents(events: LogEventEvidence[]): LogEventEvidence[] {
  converted.add(events);
  return events;
}

/**
 * Whether a bundle's event list was converted when the bundle was read (`parseBundle`,
 * `readBundle`); a bundle object built otherwise (live collection) holds raw SDK events.
 */
export function isConverted(events: readonly unknown[]): events is LogEventEvidence[] {
  return converted.has(events);
}

/** One recorded log event: CloudWatch Logs GetLogEvents `events[]` entry (only `message` is required). */
export const LogEventSchema = z.looseObject({ timestamp: z.nullish(z.union([z.number(), z.string()])), message: z.string() });

/** Where a list of log events sits in a bundle, for messages. */
export interface LogEventsPlace {
  /** What to name in messages, normally the file path. */
  where: string;
  /** Index of the stream in `evidence.logs`. */
  stream: number;
}

/** The problem with one log event, worded as `parseBundle` words any invalid field. */
function invalidEvent(value: unknown, place: LogEventsPlace, index: number): BadInputError {
  const result = LogEventSchema.safeParse(value);
  const problem = result.success ? 'invalid log event' : summariseZodError(result.error, ['evidence', 'logs', place.stream, 'events', index]);
  return new BadInputError(`${place.where}: invalid incident-bundle.v1: ${problem}`);
}

/**
 * The largest log event CloudWatch Logs stores: "Each log event can be no larger than 1 MB"
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html), in
 * UTF-8 bytes of its message. A recorded message longer than this (a hand-made bundle, a runaway line)
 * is cut to its first 1 MiB on a character boundary, whichever way the bundle is read.
 */
export const MAX_LOG_EVENT_BYTES = 1_048_576;

/** `message` cut to `MAX_LOG_EVENT_BYTES`, as a new string (a slice would keep the whole original alive). */
function boundedMessage(message: string): string {
  // Below a third of the bound in UTF-16 units it fits whatever its characters (at most 3 bytes per unit).
  if (message.length <= MAX_LOG_EVENT_BYTES / 3 || Buffer.byteLength(message, 'utf8') <= MAX_LOG_EVENT_BYTES) return message;
  return Buffer.from(prefixUtf8(message, MAX_LOG_EVENT_BYTES), 'utf8').toString('utf8');
}

/**
 * Checks recorded log events and appends them to `into` as `LogEventEvidence` (timestamp as epoch
 * ms when it parses, as `normaliseLogStream` reads it), in the order given; a message longer than
 * `MAX_LOG_EVENT_BYTES` is cut to it.
 *
 * @param first index in the stream's `events` of `raw[0]` (for messages).
 * @returns how many messages were cut (the caller marks the stream `truncated`).
 * @throws BadInputError naming the first event that is not an object with a string `message` and an
 *   optional numeric or string `timestamp`.
 */
export function appendLogEvents(raw: readonly unknown[], into: LogEventEvidence[], place: LogEventsPlace, first = 0): number {
  let cut = 0;
  for (let i = 0; i < raw.length; i += 1) {
    const event = raw[i] as { timestamp?: unknown; message?: unknown } | null;
    const message = event?.message;
    const ts = event?.timestamp;
    if (typeof event !== 'object' || event === null || Array.isArray(event) || typeof message !== 'string') throw invalidEvent(event, place, first + i);
    if (ts !== undefined && ts !== null && typeof ts !== 'number' && typeof ts !== 'string') throw invalidEvent(event, place, first + i);
    const timestamp = ts === undefined || ts === null ? undefined : toEpochMs(ts as number | string);
    const kept = boundedMessage(message);
    if (kept !== message) cut += 1;
    into.push(timestamp === undefined ? { message: kept } : { timestamp, message: kept });
  }
  return cut;
}
