import { closeSync, openSync, readSync, type Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { getHeapStatistics } from 'node:v8';
import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { Event } from '@aws-sdk/client-cloudtrail';
import type { Service, ServiceDeployment, ServiceRevision, TaskDefinition } from '@aws-sdk/client-ecs';
import * as z from 'zod/mini';
import { BadInputError } from '../../shared/errors';
import { parseTriggerEvent, summariseZodError, type EventBridgeEvent, type ParsedTriggerEvent } from '../events';
import type { LogStreamInput, Loose, TargetHealthInput, TaskInput } from '../normalise';
import { cutText, oneLine } from '../../shared/text';
import { BUNDLE_LIMITS, checkInputBounds } from '../input-bounds';
import type { LogEventEvidence } from '../types';
import { BundleSyntaxError, jsonSyntaxReason, BundleTooLargeError, splitBundle, type ReadAt, type SplitBundle, type SplitLimits, type StreamedLogEvents } from './bundle-stream';
import { appendLogEvents, convertedLogEvents, LogEventSchema, MAX_LOG_EVENT_BYTES } from './log-events';
import { checkedStart } from './json-start';

/**
 * Reads `incident-bundle.v1` files (`../shared/spec/incident-bundle.md`): one JSON file with the
 * EventBridge event that triggered an incident and, optionally, the evidence a live collector would
 * have fetched, in AWS SDK v3 response shapes. Every problem becomes a one-line `BadInputError` that
 * names the file.
 */

/** The format id a bundle may declare in its `schema` field. */
export const BUNDLE_SCHEMA = 'incident-bundle.v1';

/** A bundle's recorded evidence, in SDK v3 shapes (dates as ISO strings or epoch ms). Every key optional. */
export interface BundleEvidence {
  /** ECS DescribeTasks `tasks[]`. */
  tasks?: TaskInput[];
  /** ECS DescribeTaskDefinition `taskDefinition`. */
  taskDefinition?: Loose<TaskDefinition>;
  /** ECS DescribeServices `services[]`, with `events[]`. */
  services?: Loose<Service>[];
  /**
   * CloudWatch Logs GetLogEvents results, one entry per stream. In a bundle read by `parseBundle` or
   * `readBundle`, `events` are already `LogEventEvidence` (checked, timestamps as epoch ms, file order).
   */
  logs?: LogStreamInput[];
  /** ELBv2 DescribeTargetHealth results per target group (optionally with its DescribeTargetGroups entry). */
  targetHealth?: TargetHealthInput[];
  /** CloudWatch DescribeAlarms `MetricAlarms[]`. */
  alarms?: Loose<MetricAlarm>[];
  /** ECS DescribeServiceDeployments `serviceDeployments[]`: the incident's deployment and the one before it. */
  serviceDeployments?: Loose<ServiceDeployment>[];
  /** ECS DescribeServiceRevisions `serviceRevisions[]` of those deployments. */
  serviceRevisions?: Loose<ServiceRevision>[];
  /** ECS DescribeTaskDefinition `taskDefinition` of the revision compared against. */
  baselineTaskDefinition?: Loose<TaskDefinition>;
  /** CloudTrail LookupEvents `Events[]` (`CloudTrailEvent` reduced to who and when, no request parameters). */
  cloudTrailEvents?: Loose<Event>[];
}

/** The `expected` block, read only by evaluation tools. */
export interface BundleExpected {
  /** Acceptable root-cause taxonomy ids, best first. */
  categories: string[];
  /** A substring the root cause's evidence must contain. */
  primaryEvidence?: string;
  /** Substrings that must not be the root cause's evidence. */
  redHerrings?: string[];
  /** Whether the report should alert. */
  alert?: boolean;
}

/** An incident bundle as a file holds it (what `capture` writes). */
export interface IncidentBundleFile {
  schema?: typeof BUNDLE_SCHEMA;
  event: unknown;
  evidence?: BundleEvidence;
  expected?: BundleExpected;
}

/** A validated incident bundle. */
export interface IncidentBundle {
  schema: typeof BUNDLE_SCHEMA;
  /** The EventBridge event, validated (unknown fields kept). */
  event: EventBridgeEvent;
  /** The event classified as one of the analysed triggers. */
  trigger: ParsedTriggerEvent;
  /** The recorded evidence; `{}` when the file has none. */
  evidence: BundleEvidence;
  expected?: BundleExpected;
  /** What reading the bundle left out, one sentence each (a log stream too large to keep whole). */
  notices?: string[];
}

// zod/mini (tree-shakable) as in `../events`, whose import also sets zod's English messages.
// Only the fields the evidence model cannot do without are required; the normalisers re-check every
// other field at run time, so unknown or mistyped extras never stop an analysis.
const BundleEvidenceSchema = z.looseObject({
  tasks: z.nullish(z.array(z.looseObject({ taskArn: z.string().check(z.minLength(1)) }))),
  taskDefinition: z.nullish(z.looseObject({})),
  services: z.nullish(
    z.array(
      z
        .looseObject({ serviceName: z.nullish(z.string()), serviceArn: z.nullish(z.string()) })
        .check(z.refine((s) => Boolean(s.serviceName || s.serviceArn), { message: 'needs serviceName or serviceArn' })),
    ),
  ),
  logs: z.nullish(
    z.array(
      z.looseObject({
        logGroupName: z.string().check(z.minLength(1)),
        logStreamName: z.string().check(z.minLength(1)),
        containerName: z.nullish(z.string()),
        taskId: z.nullish(z.string()),
        events: z.nullish(z.array(LogEventSchema)),
        truncated: z.nullish(z.boolean()),
      }),
    ),
  ),
  targetHealth: z.nullish(
    z.array(
      z.looseObject({
        targetGroupArn: z.string().check(z.minLength(1)),
        targetHealthDescriptions: z.nullish(z.array(z.looseObject({}))),
        targetGroup: z.nullish(z.looseObject({})),
      }),
    ),
  ),
  alarms: z.nullish(z.array(z.looseObject({ AlarmName: z.string().check(z.minLength(1)) }))),
  serviceDeployments: z.nullish(z.array(z.looseObject({ serviceDeploymentArn: z.string().check(z.minLength(1)) }))),
  serviceRevisions: z.nullish(z.array(z.looseObject({ serviceRevisionArn: z.string().check(z.minLength(1)) }))),
  baselineTaskDefinition: z.nullish(z.looseObject({})),
  cloudTrailEvents: z.nullish(z.array(z.looseObject({ EventName: z.string().check(z.minLength(1)) }))),
});

const ExpectedSchema = z.looseObject({
  categories: z.array(z.string()),
  primaryEvidence: z.nullish(z.string()),
  redHerrings: z.nullish(z.array(z.string())),
  alert: z.nullish(z.boolean()),
});

const RestSchema = z.looseObject({ evidence: z.nullish(BundleEvidenceSchema), expected: z.nullish(ExpectedSchema) });

/** The notice for messages cut to `MAX_LOG_EVENT_BYTES`. */
function cutNotice(where: string, stream: number, logStreamName: unknown, cut: number): string {
  return `${where}: evidence.logs[${stream}] (${String(logStreamName)}): ${cut} log event(s) longer than CloudWatch Logs' 1 MB event limit, analysed up to their first ${MAX_LOG_EVENT_BYTES} bytes`;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** Whether a value looks like a bare EventBridge event (someone passed an event file instead of a bundle). */
function looksLikeEvent(value: Record<string, unknown>): boolean {
  return 'detail-type' in value && 'detail' in value;
}

/** Drops `null`s the zod schema let through, so consumers see absent keys. */
function withoutNulls<T extends object>(value: T): { [K in keyof T]: Exclude<T[K], null> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined)) as {
    [K in keyof T]: Exclude<T[K], null>;
  };
}

/** `file` with each `evidence.logs[i].events` array set aside (replaced by `[]`, the caller's object untouched). */
function setAsideLogEvents(file: Record<string, unknown>): { file: Record<string, unknown>; events: Map<number, unknown[]> } {
  const events = new Map<number, unknown[]>();
  const evidence = file.evidence as { logs?: unknown } | null | undefined;
  if (!evidence || typeof evidence !== 'object' || !Array.isArray(evidence.logs)) return { file, events };
  const logs = evidence.logs.map((stream: unknown, i) => {
    const list = (stream as { events?: unknown } | null)?.events;
    if (!Array.isArray(list)) return stream;
    events.set(i, list);
    return { ...(stream as object), events: [] };
  });
  return { file: { ...file, evidence: { ...evidence, logs } }, events };
}

/**
 * Validates a parsed bundle.
 *
 * @param json the parsed JSON of a bundle file.
 * @param where what to name in messages, normally the file path.
 * @param streamed the log events `readBundle` read apart from `json` (whose `events` arrays are then
 *   empty), by index in `evidence.logs`; without it, the events in `json` are checked and converted.
 * @throws BadInputError with one line naming `where` and the problem: not an object, a `schema`
 *   other than `incident-bundle.v1`, no `event`, an `event` that is not an EventBridge event,
 *   malformed `evidence` or `expected` (with the path of the bad field).
 * @throws UnsupportedEventError when the event is valid but of a type or state not analysed (informational
 *   ECS events are accepted: see `ParseTriggerOptions`).
 */
export function parseBundle(json: unknown, where: string, streamed?: ReadonlyMap<number, StreamedLogEvents>): IncidentBundle {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new BadInputError(`${where}: not an incident bundle: expected a JSON object at the top level, got ${typeName(json)}`);
  }
  const file = json as Record<string, unknown>;
  if (file.schema !== undefined && file.schema !== BUNDLE_SCHEMA) {
    throw new BadInputError(
      `${where}: "schema" is ${cutText(JSON.stringify(file.schema) ?? typeName(file.schema), 80)}, but this analyzer reads ${BUNDLE_SCHEMA}; set "schema": "${BUNDLE_SCHEMA}" or remove it`,
    );
  }
  if (file.event === null) {
    throw new BadInputError(`${where}: "event" is null; an ${BUNDLE_SCHEMA} needs the EventBridge event that triggered the incident there`);
  }
  if (!('event' in file) || file.event === undefined) {
    const hint = looksLikeEvent(file)
      ? ` (this file looks like a bare EventBridge event: put it under "event" in {"schema": "${BUNDLE_SCHEMA}", "event": …})`
      : '';
    throw new BadInputError(
      `${where}: no "event" key — an ${BUNDLE_SCHEMA} needs the EventBridge event that triggered the incident${hint}`,
    );
  }
  checkInputBounds(file, where, BUNDLE_LIMITS);
  // A recorded bundle of an event that reports no failure gets a report saying so (see `ParseTriggerOptions`).
  const trigger = parseTriggerEvent(file.event, where, { informational: true, path: 'event' });
  // Log events are checked apart (one loop instead of a schema per event: there may be millions).
  const aside = streamed ? { file, events: new Map<number, unknown[]>() } : setAsideLogEvents(file);
  const rest = RestSchema.safeParse(aside.file);
  if (!rest.success) {
    throw new BadInputError(`${where}: invalid ${BUNDLE_SCHEMA}: ${summariseZodError(rest.error)}`, { cause: rest.error });
  }
  // The schema checked the fields the evidence model needs; the SDK-shaped rest is typed `Loose<…>`
  // and re-checked field by field by the normalisers, hence this one widening cast.
  const evidence = withoutNulls(rest.data.evidence ?? {}) as BundleEvidence;
  const notices: string[] = [];
  evidence.logs = evidence.logs?.map((stream, i) => {
    const raw = aside.events.get(i);
    const read = streamed?.get(i);
    if (raw) {
      const events: LogEventEvidence[] = [];
      const cut = appendLogEvents(raw, events, { where, stream: i });
      if (cut > 0) notices.push(cutNotice(where, i, stream.logStreamName, cut));
      return { ...stream, events: convertedLogEvents(events), ...(cut > 0 ? { truncated: true } : {}) };
    }
    if (!read) return stream;
    if (read.cutMessages > 0) notices.push(cutNotice(where, i, stream.logStreamName, read.cutMessages));
    if (read.events.length < read.readEvents) {
      notices.push(
        `${where}: evidence.logs[${i}] (${stream.logStreamName}) holds ${read.readEvents} log events (${(read.readBytes / 1e6).toFixed(1)} MB); ` +
          `analysed its first and last, ${read.events.length} events (at most ${Math.round(BUNDLE_STREAM_BYTES / MiB)} MiB per stream)`,
      );
    }
    return { ...stream, events: convertedLogEvents(read.events), ...(read.truncated ? { truncated: true } : {}) };
  });
  if (evidence.logs === undefined) delete evidence.logs;
  const expected = rest.data.expected ? (withoutNulls(rest.data.expected) as BundleExpected) : undefined;
  return {
    schema: BUNDLE_SCHEMA,
    event: trigger.event,
    trigger,
    evidence,
    ...(expected ? { expected } : {}),
    ...(notices.length > 0 ? { notices } : {}),
  };
}


/** Line and column (1-based) of a character offset. */
function lineColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line} column ${column}`;
}

/**
 * Where V8 noticed a `JSON.parse` error, as a character offset: its message names the position
 * (`… in JSON at position 16`), or, for `Unexpected token`, quotes up to 10 characters either side
 * of it (the whole text when shorter than 21 characters), from which the offset is recovered.
 */
function jsonErrorOffset(message: string, text: string): number | undefined {
  const positioned = /at position (\d+)/.exec(message);
  if (positioned) return Number(positioned[1]);
  const quoted = /^Unexpected token '(.+?)', (\.\.\.)?"(.*)"(\.\.\.)? is not valid JSON$/su.exec(message);
  if (!quoted) return undefined;
  const [, token, before, excerpt = '', after] = quoted;
  const start = text.indexOf(excerpt);
  if (start < 0) return undefined;
  if (before) return start + 10;
  if (after) return start + excerpt.length - 10;
  const at = text.indexOf(token ?? '', start);
  return at < 0 ? undefined : at;
}

/**
 * One stable line for a `JSON.parse` error: the kind of problem and where (line and column), never
 * the text itself (V8 quotes the start of the input, which may be a secret). V8 words these
 * differently across Node versions, so the reason is kept and the position recomputed.
 */
function jsonProblem(error: unknown, text: string): string {
  if (text.trim() === '') return 'the file is empty';
  const message = error instanceof Error ? error.message : String(error);
  const offset = jsonErrorOffset(message, text);
  const reason = jsonSyntaxReason(error);
  return offset === undefined ? reason : `${reason} at ${lineColumn(text, offset)}`;
}

/** `JSON.parse` of a bundle's text (a byte-order mark skipped), or the one-line error of `parseBundleText`. */
function parseJsonText(text: string, where: string): unknown {
  // Editors on Windows may save a byte-order mark, which JSON.parse rejects.
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new BadInputError(`${where}: not valid JSON (${jsonProblem(error, body)})`, { cause: error });
  }
}

/**
 * Parses the text of a bundle file and validates it (see `parseBundle`).
 *
 * @throws BadInputError `<where>: not valid JSON (<reason> at line L column C)` for bad JSON, or any
 *   error of `parseBundle`.
 */
export function parseBundleText(text: string, where: string): IncidentBundle {
  return parseBundle(parseJsonText(text, where), where);
}

function readProblem(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'file not found';
    case 'EISDIR':
      return 'is a directory; give the path of a bundle .json file';
    case 'ENAMETOOLONG':
      return 'the path is too long (ENAMETOOLONG)';
    case 'ENOTDIR':
      return 'a part of the path is not a directory (ENOTDIR)';
    case 'EACCES':
    case 'EPERM':
      return 'cannot be read (permission denied)';
    default:
      return `cannot be read (${code ?? (error instanceof Error ? error.message : String(error))})`;
  }
}

const MiB = 1024 * 1024;

/** Files up to this size are re-read whole when malformed, so `JSON.parse` words the problem with its position. */
const REREAD_MALFORMED_BYTES = 64 * MiB;

/**
 * Log events a bundle read keeps per stream, in bytes of their JSON text: 16 MiB, more than the
 * collector ever records (`LOG_BYTE_BUDGET` is at most 10 MiB of messages per stream), so only
 * hand-made bundles with bigger logs are cut, to their first quarter and last three quarters.
 */
export const BUNDLE_STREAM_BYTES = 16 * MiB;

/**
 * How much log a bundle read may keep, from the V8 heap limit (which `--max-old-space-size` raises):
 * `BUNDLE_STREAM_BYTES` per stream (a quarter of the heap's room at most: a kept event costs about
 * twice its text in memory), 40 % of the room over all streams, and 256 MiB for any other part of a
 * bundle or one log event (a string's limit is 512 MiB).
 */
export function bundleLimits(heapLimitBytes = getHeapStatistics().heap_size_limit): SplitLimits {
  const room = Math.max(64 * MiB, heapLimitBytes - 128 * MiB);
  return { maxStreamBytes: Math.min(BUNDLE_STREAM_BYTES, Math.floor(room / 4)), maxTotalBytes: Math.floor(room * 0.4), maxPartBytes: 256 * MiB };
}

/**
 * The bytes of an open file in chunks read into one reused buffer: no allocation per chunk, so
 * reading a gigabyte leaves no garbage behind. Each chunk is valid only until the next is requested.
 * Reads are synchronous: the reader has nothing else to do meanwhile, and a thread-pool round trip
 * per chunk would only add waiting.
 */
async function* fileChunks(fd: number, size = MiB): AsyncGenerator<Buffer> {
  const buffer = Buffer.allocUnsafe(size);
  for (;;) {
    const bytesRead = readSync(fd, buffer, 0, size, null);
    if (bytesRead === 0) return;
    yield buffer.subarray(0, bytesRead);
  }
}

/** A file's bytes read again at a position (`ReadAt`), into one buffer reused from call to call. */
function rereader(fd: number, path: string): ReadAt {
  let buffer = Buffer.alloc(0);
  return (position, length) => {
    if (buffer.length < length) buffer = Buffer.allocUnsafe(Math.max(length, 64 * 1024));
    for (let done = 0; done < length; ) {
      const bytesRead = readSync(fd, buffer, done, length - done, position + done);
      if (bytesRead === 0) throw new BadInputError(`${path}: the file changed while it was read (it is shorter now); analyse it again once it is written`);
      done += bytesRead;
    }
    return buffer.subarray(0, length);
  };
}

/** What a path that is neither a regular file, a directory nor a pipe is, for messages. */
function fileKind(info: Stats): string {
  if (info.isCharacterDevice()) return 'a character device';
  if (info.isBlockDevice()) return 'a block device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

function tooLarge(path: string, size: number | undefined, error: BundleTooLargeError | RangeError): BadInputError {
  const what = size === undefined ? '' : ` (${(size / 1e6).toFixed(0)} MB)`;
  // The bound on one event or on the rest of the bundle is fixed (a string's limit); the heap is not.
  if (error instanceof BundleTooLargeError && error.fixed) return new BadInputError(`${path}: too large to analyse${what}: ${error.message}`);
  const heapMiB = Math.round(getHeapStatistics().heap_size_limit / MiB);
  return new BadInputError(
    `${path}: too large to analyse${what}: ${error.message}; this process may use ${heapMiB} MiB ` +
      `(raise it with NODE_OPTIONS=--max-old-space-size=<MiB>, or record fewer log events)`,
  );
}

/**
 * The one-line `BadInputError` for what reading a bundle threw (`size`: the file's, undefined for a
 * stream); errors that are not about the input are returned unchanged.
 */
function readFailure(error: unknown, where: string, size: number | undefined): unknown {
  if (error instanceof BadInputError) return error;
  if (error instanceof BundleSyntaxError) {
    const at = error.offset === undefined ? '' : ` at byte ${error.offset}`;
    return new BadInputError(`${where}: not valid JSON (${error.message}${at})`, { cause: error });
  }
  // V8's own limits ("Invalid string length", "Array buffer allocation failed") too.
  if (error instanceof BundleTooLargeError || error instanceof RangeError) return tooLarge(where, size, error);
  if ((error as NodeJS.ErrnoException | undefined)?.code) return new BadInputError(`${where}: ${readProblem(error)}`, { cause: error });
  return error;
}

/**
 * Reads and validates a bundle from a byte stream (standard input: `analyze -`) exactly as
 * `readBundle` reads a pipe: streamed, its start checked (`checkJsonStart`), log streams cut to
 * `limits`, so a bundle gives the same report whichever way it comes.
 *
 * @param where what to name in messages (`stdin`).
 * @throws BadInputError as `readBundle` (malformed JSON is named by byte offset).
 */
export async function readBundleStream(chunks: AsyncIterable<Buffer>, where: string, limits: SplitLimits = bundleLimits()): Promise<IncidentBundle> {
  let split: SplitBundle;
  try {
    split = await splitBundle(checkedStart(chunks, where), where, limits);
  } catch (error) {
    throw readFailure(error, where, undefined);
  }
  return parseBundle(split.skeleton, where, split.logs);
}

/** What `readBundleParts` read, not validated yet. */
export interface BundleParts {
  /** The parsed file; its `evidence.logs[i].events` arrays are empty when `logs` holds them. */
  json: unknown;
  /** The log events read apart from `json`, by index in `evidence.logs`; absent when `json` holds them. */
  logs?: ReadonlyMap<number, StreamedLogEvents>;
}

/**
 * Reads a bundle file as `readBundle` does (streaming, log streams cut to `limits`) without validating
 * it, for a caller that looks at the JSON first (`ecs-rca eval` skips files without an `expected`
 * block); `parseBundle(parts.json, path, parts.logs)` validates it.
 *
 * @throws BadInputError as `readBundle`, apart from the errors of `parseBundle`; a file that is not
 *   JSON gives `<path>: not valid JSON (…)` with the `SyntaxError` or `BundleSyntaxError` as `cause`.
 */
export async function readBundleParts(path: string, limits: SplitLimits = bundleLimits()): Promise<BundleParts> {
  let size: number;
  let pipe: boolean;
  let info: Stats;
  try {
    info = await stat(path);
    if (info.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    size = info.size;
    pipe = info.isFIFO();
  } catch (error) {
    throw new BadInputError(`${path}: ${readProblem(error)}`, { cause: error });
  }
  // `/dev/zero`, `/dev/urandom`, a terminal: read, they never end. A pipe (`<(capture …)`) is read once, its start checked.
  if (!info.isFile() && !pipe) throw new BadInputError(`${path}: ${fileKind(info)}, not a file; give the path of a bundle .json file (or '-' for standard input)`);
  let split: SplitBundle;
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    // A file's long log streams are read again at the end instead of copied as they pass; a pipe
    // (`<(capture …)`) is read once, its start checked.
    split = pipe ? await splitBundle(checkedStart(fileChunks(fd), path), path, limits) : await splitBundle(fileChunks(fd), path, limits, rereader(fd, path));
  } catch (error) {
    // A file can be read again whole, so that `JSON.parse` words its problem with line and column.
    if (error instanceof BundleSyntaxError && !pipe && size <= REREAD_MALFORMED_BYTES) return { json: parseJsonText(await readFile(path, 'utf8'), path) };
    throw readFailure(error, path, pipe ? undefined : size);
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
  return { json: split.skeleton, logs: split.logs };
}

/**
 * Reads and validates an incident bundle file, streaming it: the file is never held whole, each log
 * event is kept only as its `{ timestamp, message }` (see `./bundle-stream`), so memory grows with the
 * log kept, not with the file. A log stream larger than `limits.maxStreamBytes` keeps its first
 * quarter and last three quarters, is marked `truncated`, and the bundle's `notices` say so.
 *
 * @param path the file path; messages name it as given.
 * @throws BadInputError `<path>: file not found`, `<path>: cannot be read (…)`,
 *   `<path>: not valid JSON (…)` (with line and column for files up to 64 MiB, the byte offset
 *   beyond), `<path>: too large to analyse (…)` when it exceeds what the process can hold, or any
 *   error of `parseBundle`.
 */
export async function readBundle(path: string, limits: SplitLimits = bundleLimits()): Promise<IncidentBundle> {
  const parts = await readBundleParts(path, limits);
  return parseBundle(parts.json, path, parts.logs);
}
