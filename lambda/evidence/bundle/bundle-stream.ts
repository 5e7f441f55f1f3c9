import type { LogEventEvidence } from '../types';
import { appendLogEvents, MAX_LOG_EVENT_BYTES } from './log-events';

/**
 * Reads an incident bundle from a byte stream without ever holding the whole file: a bundle is a
 * few kilobytes of event and AWS responses plus, in `evidence.logs[i].events`, possibly gigabytes of
 * log events. The bytes are split, not parsed, here — `JSON.parse` does all the parsing:
 *
 * - everything outside `evidence.logs[*].events` (the "skeleton", with each such array left empty)
 *   is collected and parsed at the end;
 * - the elements of each `evidence.logs[i].events` array are cut at element boundaries into batches
 *   of about a megabyte, and each batch is parsed and turned into `LogEventEvidence` at once
 *   (`appendLogEvents`), so only the kept `{ timestamp, message }` objects outlive it.
 *
 * The splitter tracks only what it needs to find element boundaries (strings, escapes, nesting);
 * anything malformed surfaces as a `BundleSyntaxError` with the byte offset where it was noticed.
 * A stream holding more than `maxStreamBytes` of events keeps its first quarter and its last
 * three quarters (a crash is logged at the end) and is marked `truncated`.
 */

/** Malformed JSON, noticed at a byte offset of the input. */
export class BundleSyntaxError extends Error {
  constructor(
    message: string,
    /** Byte offset in the input (0-based). */
    readonly offset: number,
  ) {
    super(message);
    this.name = 'BundleSyntaxError';
  }
}

/**
 * The kind of problem a `JSON.parse` error names, without any of the input: V8 quotes the start of
 * the text (`Unexpected token 'g', "ghp_123456"... is not valid JSON`), which may be a secret. Any
 * position is dropped too (callers name their own).
 */
export function jsonSyntaxReason(error: unknown): string {
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s+/g, ' ');
  const quoted = message.replace(/, ".*" is not valid JSON$/s, '');
  // Everything from V8's position on (a search, not a `\d+.*$` pattern, which backtracks on digits).
  const position = quoted.search(/ (?:in JSON )?at position \d/);
  const reason = (position === -1 ? quoted : quoted.slice(0, position))
    .replace(/ \(line \d+ column \d+\)$/, '')
    .replace(/^Unexpected token .*$/s, 'Unexpected character');
  // Any other message V8 may word with a quote of the input is cut to its own words.
  return /["']/.test(reason) && !/^Expected '.'(?: or '.')? after /.test(reason) ? 'Malformed JSON' : reason;
}

/** More than the process can hold, at a byte offset of the input. */
export class BundleTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BundleTooLargeError';
  }
}

/** The events read for one `evidence.logs[i]`. */
export interface StreamedLogEvents {
  /** The kept events, in file order. */
  events: LogEventEvidence[];
  /** True when events were dropped (see `maxStreamBytes`) or a message was cut. */
  truncated: boolean;
  /** Messages cut to `MAX_LOG_EVENT_BYTES`. */
  cutMessages: number;
  /** Events and bytes of their JSON text in the file (kept or not). */
  readEvents: number;
  readBytes: number;
}

/** Which events of each stream to keep: indexes below `head` and from `tailFrom` on. */
export type KeepPlan = ReadonlyMap<number, { head: number; tailFrom: number }>;

/** What `splitBundle` read. */
export interface SplitBundle {
  /** The parsed bundle with every `evidence.logs[i].events` array empty. */
  skeleton: unknown;
  /** The events of `evidence.logs[i]`, by i (only where `events` was an array). */
  logs: Map<number, StreamedLogEvents>;
}

/** Limits of `splitBundle`. */
export interface SplitLimits {
  /** Bytes of log events (their JSON text) kept per log stream. */
  maxStreamBytes: number;
  /** Bytes of log events kept over all streams; beyond, `BundleTooLargeError`. */
  maxTotalBytes: number;
  /** Bytes of the skeleton, and of one log event; beyond, `BundleTooLargeError`. */
  maxPartBytes: number;
}

// The JSON around one event's message: `{"timestamp": …, "message": ""}` and the odd extra field.
const EVENT_OVERHEAD_BYTES = 256;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const MiB = 1024 * 1024;
/** Bytes of a string searched in JavaScript before a native search takes over. */
const INLINE_SCAN = 256;
const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

interface Frame {
  array: boolean;
  /** Object: the key of the value being read. */
  key?: string;
  /** Object: the next string is a key. Array: the next value starts an element. */
  expect: boolean;
  /** Array: elements begun. */
  count: number;
}

/**
 * Kept events of one stream, in batches. With a plan, the batches are already cut to it; without
 * one (a stream read once), a rolling window keeps the first quarter and the last three quarters of
 * `maxBytes`.
 */
class StreamKeeper {
  private readonly batches: { events: LogEventEvidence[]; bytes: number }[] = [];
  private head: number | undefined;
  keptBytes = 0;
  readEvents = 0;
  readBytes = 0;
  truncated = false;
  cutMessages = 0;

  constructor(private readonly maxBytes: number) {}

  /** Counts events read but not kept (cut by the plan). */
  skip(events: number, bytes: number): void {
    this.readEvents += events;
    this.readBytes += bytes;
    this.truncated = true;
  }

  add(events: LogEventEvidence[], read: number, bytes: number, keptBytes: number): void {
    this.readEvents += read;
    this.readBytes += bytes;
    if (events.length < read) this.truncated = true;
    this.batches.push({ events, bytes: keptBytes });
    this.keptBytes += keptBytes;
    if (this.keptBytes <= this.maxBytes) return;
    if (this.head === undefined) {
      let sum = 0;
      let n = 0;
      while (n < this.batches.length && sum + (this.batches[n]?.bytes ?? 0) <= this.maxBytes / 4) sum += this.batches[n++]?.bytes ?? 0;
      this.head = n;
    }
    while (this.keptBytes > this.maxBytes && this.batches.length > this.head + 1) {
      const [gone] = this.batches.splice(this.head, 1);
      this.keptBytes -= gone?.bytes ?? 0;
      this.truncated = true;
    }
  }

  result(): StreamedLogEvents {
    const events = this.batches.length === 1 ? (this.batches[0]?.events ?? []) : this.batches.flatMap((b) => b.events);
    return { events, truncated: this.truncated, cutMessages: this.cutMessages, readEvents: this.readEvents, readBytes: this.readBytes };
  }
}

/**
 * The plan that keeps at most `maxStreamBytes` of each stream (its first quarter and its last three
 * quarters, by the stream's average event size) from a survey (`splitBundle` with `survey`).
 */
export function keepPlan(survey: SplitBundle, limits: Pick<SplitLimits, 'maxStreamBytes'>): KeepPlan {
  const plan = new Map<number, { head: number; tailFrom: number }>();
  for (const [index, stream] of survey.logs) {
    if (stream.readBytes <= limits.maxStreamBytes || stream.readEvents === 0) continue;
    const perEvent = stream.readBytes / stream.readEvents;
    const head = Math.floor(limits.maxStreamBytes / 4 / perEvent);
    const tail = Math.floor((limits.maxStreamBytes * 3) / 4 / perEvent);
    plan.set(index, { head, tailFrom: Math.max(head, stream.readEvents - tail) });
  }
  return plan;
}

/** How `splitBundle` treats log events. */
export interface SplitMode {
  /** Only count each stream's events and bytes (`readEvents`, `readBytes`; no events kept or checked). */
  survey?: boolean;
  /** Keep only these events (from `keepPlan`); others are counted, neither parsed nor checked. */
  plan?: KeepPlan;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** The chunks without a leading UTF-8 byte-order mark (editors on Windows may save one), however they are cut. */
/** A key's text from its raw bytes (escapes decoded); a malformed key is a `BundleSyntaxError` at `offset`. */
function keyText(bytes: number[], offset: number): string {
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`) as string;
  } catch (error) {
    throw new BundleSyntaxError(jsonSyntaxReason(error), offset);
  }
}

async function* withoutByteOrderMark(chunks: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  let start = Buffer.alloc(0);
  let started = false;
  for await (const chunk of chunks) {
    if (started) {
      yield chunk;
      continue;
    }
    start = Buffer.concat([start, chunk]);
    if (start.length < BOM.length && BOM.subarray(0, start.length).equals(start)) continue;
    started = true;
    yield start.subarray(0, BOM.length).equals(BOM) ? start.subarray(BOM.length) : start;
  }
  if (!started && start.length > 0 && !BOM.equals(start)) yield start;
}

/**
 * Splits and parses a bundle read as byte chunks (see the module comment).
 *
 * @param where what to name in messages (the file path).
 * @throws BundleSyntaxError for malformed JSON; BundleTooLargeError past `limits`;
 *   BadInputError for a log event that is not an object with a string `message`.
 */
export async function splitBundle(chunks: AsyncIterable<Buffer>, where: string, limits: SplitLimits, mode: SplitMode = {}): Promise<SplitBundle> {
  const stack: Frame[] = [];
  const skeleton: Buffer[] = [];
  let skeletonBytes = 0;
  const logs = new Map<number, StreamKeeper>();
  let totalKept = 0;
  // Strings: inside one, bytes still to skip after a backslash at a chunk's end, and a key being read.
  let inString = false;
  let skip = 0;
  let keyBytes: number[] | undefined;
  // The events array being read: its stream, nesting inside it, and the current batch.
  let stream: StreamKeeper | undefined;
  let streamIndex = 0;
  let depth = 0;
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let batchStart = 0;
  let batchEvents = 0;
  let batchCommas = 0;
  let needElement = false;
  let sawElementByte = false;
  // Batches stay well below V8's large-object size (128 KiB), so their text dies young.
  const batchTarget = Math.max(512, Math.min(64 * 1024, Math.floor(limits.maxStreamBytes / 16)));
  let done = false;
  let base = 0;

  const addSkeleton = (part: Buffer): void => {
    skeletonBytes += part.length;
    if (skeletonBytes > limits.maxPartBytes) {
      throw new BundleTooLargeError(`the bundle outside its log events exceeds ${Math.round(limits.maxPartBytes / MiB)} MiB`);
    }
    skeleton.push(Buffer.from(part));
  };
  const addBatch = (part: Buffer): void => {
    if (part.length === 0) return;
    batchBytes += part.length;
    if (batchBytes > limits.maxPartBytes) throw new BundleTooLargeError(`one log event exceeds ${Math.round(limits.maxPartBytes / MiB)} MiB`);
    batch.push(Buffer.from(part));
  };
  /** Parses the batch: the pieces copied so far, then `tail` (a part of the current chunk). */
  const flush = (tail: Buffer): void => {
    const bytes = batchBytes + tail.length;
    if (bytes > limits.maxPartBytes) throw new BundleTooLargeError(`one log event exceeds ${Math.round(limits.maxPartBytes / MiB)} MiB`);
    const count = sawElementByte ? batchCommas + 1 : 0;
    const first = batchEvents;
    batchEvents += count;
    batchCommas = 0;
    const pieces = batch;
    batch = [];
    batchBytes = 0;
    if (!stream) return;
    // An event counts at most what is kept of it (`MAX_LOG_EVENT_BYTES`), so one oversized line
    // neither crowds the other events of its stream out nor changes what a read of the same bundle
    // from standard input keeps.
    const budgetBytes = Math.min(bytes, count * (MAX_LOG_EVENT_BYTES + EVENT_OVERHEAD_BYTES));
    const keep = mode.plan?.get(streamIndex);
    if (mode.survey || (keep && first >= keep.head && first + count <= keep.tailFrom)) {
      stream.skip(count, budgetBytes);
      return;
    }
    const text = pieces.length === 0 ? `[${tail.toString('utf8')}]` : `[${Buffer.concat([...pieces, tail]).toString('utf8')}]`;
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new BundleSyntaxError(jsonSyntaxReason(error), batchStart);
    }
    let list = raw as unknown[];
    let keptBytes = bytes;
    if (keep) {
      list = list.filter((_, k) => first + k < keep.head || first + k >= keep.tailFrom);
      keptBytes = Math.round((bytes * list.length) / Math.max(1, count));
    }
    const events: LogEventEvidence[] = [];
    const cut = appendLogEvents(list, events, { where, stream: streamIndex }, first);
    const before = stream.keptBytes;
    stream.add(events, count, budgetBytes, Math.min(keptBytes, budgetBytes));
    if (cut > 0) {
      stream.truncated = true;
      stream.cutMessages += cut;
    }
    totalKept += stream.keptBytes - before;
    if (totalKept > limits.maxTotalBytes) {
      throw new BundleTooLargeError(`its log events hold more than ${Math.round(limits.maxTotalBytes / MiB)} MiB`);
    }
  };

  for await (const chunk of withoutByteOrderMark(chunks)) {
    const length = chunk.length;
    let segment = 0;
    let i = skip;
    // The character after a backslash that ended the last chunk: part of a key being read.
    if (keyBytes && keyBytes.length < 256) for (let k = 0; k < Math.min(skip, length); k += 1) keyBytes.push(chunk[k] as number);
    skip = 0;
    // The next backslash at or after i (length when none): one forward search per chunk, not per string.
    let backslash = -1;
    while (i < length) {
      if (inString) {
        // The next quote or backslash: looked for byte by byte over the first bytes (most strings
        // are short, and a native search costs a call), then by a native search.
        let next = -1;
        const stop = Math.min(length, i + INLINE_SCAN);
        for (let j = i; j < stop; j += 1) {
          const c = chunk[j];
          if (c === QUOTE || c === BACKSLASH) {
            next = j;
            break;
          }
        }
        if (next === -1 && stop < length) {
          const quote = chunk.indexOf(QUOTE, stop);
          if (backslash < stop) {
            backslash = chunk.indexOf(BACKSLASH, stop);
            if (backslash === -1) backslash = length;
          }
          next = quote === -1 ? (backslash < length ? backslash : -1) : Math.min(quote, backslash);
        }
        if (next === -1) {
          if (keyBytes && keyBytes.length < 256) for (let k = i; k < length; k += 1) keyBytes.push(chunk[k] as number);
          i = length;
          break;
        }
        if (chunk[next] === BACKSLASH) {
          if (keyBytes && keyBytes.length < 256) for (let k = i; k < Math.min(next + 2, length); k += 1) keyBytes.push(chunk[k] as number);
          i = next + 2;
          if (i > length) skip = i - length;
          continue;
        }
        if (keyBytes) {
          for (let k = i; k < next && keyBytes.length < 256; k += 1) keyBytes.push(chunk[k] as number);
          const frame = stack[stack.length - 1];
          if (frame) frame.key = keyBytes.length < 256 ? keyText(keyBytes, base + i) : '';
          keyBytes = undefined;
        }
        inString = false;
        i = next + 1;
        continue;
      }
      const b = chunk[i] as number;
      if (stream) {
        // Inside an events array: find element boundaries only.
        if (b === QUOTE) {
          inString = true;
          sawElementByte = true;
        } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
          depth += 1;
          sawElementByte = true;
        } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
          if (depth === 0) {
            if (b !== CLOSE_ARRAY) throw new BundleSyntaxError("Expected ',' or ']' after array element", base + i);
            if (needElement && !sawElementByte) throw new BundleSyntaxError('Unexpected character', base + i);
            if (batchBytes > 0 || i > segment) flush(chunk.subarray(segment, i));
            logs.set(streamIndex, stream);
            stream = undefined;
            // The `]` goes to the skeleton text (which resumes here) but closes no skeleton frame.
            segment = i;
            i += 1;
            continue;
          }
          depth -= 1;
        } else if (b === COMMA && depth === 0) {
          if (batchBytes + (i - segment) >= batchTarget) {
            flush(chunk.subarray(segment, i));
            batchStart = base + i + 1;
            segment = i + 1;
            needElement = true;
            sawElementByte = false;
          } else {
            batchCommas += 1;
          }
        } else if (!isSpace(b)) {
          sawElementByte = true;
        }
        i += 1;
        continue;
      }
      // Skeleton: track objects, arrays and keys to find `evidence.logs[i].events`.
      const frame = stack[stack.length - 1];
      if (done && !isSpace(b)) throw new BundleSyntaxError('Unexpected non-whitespace character after JSON', base + i);
      if (frame?.array && frame.expect && !isSpace(b) && b !== CLOSE_ARRAY && b !== COMMA) {
        frame.count += 1;
        frame.expect = false;
      }
      switch (b) {
        case QUOTE:
          inString = true;
          keyBytes = frame && !frame.array && frame.expect ? [] : undefined;
          break;
        case OPEN_OBJECT:
          stack.push({ array: false, expect: true, count: 0 });
          break;
        case OPEN_ARRAY: {
          const [root, evidence, list, entry] = stack;
          if (stack.length === 4 && root?.key === 'evidence' && evidence?.key === 'logs' && list?.array && entry && !entry.array && entry.key === 'events') {
            addSkeleton(chunk.subarray(segment, i + 1));
            segment = i + 1;
            streamIndex = list.count - 1;
            stream = new StreamKeeper(mode.plan || mode.survey ? Number.POSITIVE_INFINITY : limits.maxStreamBytes);
            depth = 0;
            batchEvents = 0;
            batchCommas = 0;
            batchStart = base + i + 1;
            needElement = false;
            sawElementByte = false;
          } else {
            stack.push({ array: true, expect: true, count: 0 });
          }
          break;
        }
        case CLOSE_OBJECT:
        case CLOSE_ARRAY: {
          const closed = stack.pop();
          if (!closed || closed.array !== (b === CLOSE_ARRAY)) throw new BundleSyntaxError('Unexpected character', base + i);
          if (stack.length === 0) done = true;
          break;
        }
        case COMMA:
          if (frame) frame.expect = true;
          else throw new BundleSyntaxError('Unexpected character', base + i);
          break;
        case COLON:
          if (frame && !frame.array) frame.expect = false;
          break;
      }
      i += 1;
    }
    if (stream) addBatch(chunk.subarray(segment, length));
    else addSkeleton(chunk.subarray(segment, length));
    base += length;
  }
  if (inString || stream || stack.length > 0) throw new BundleSyntaxError('Unexpected end of JSON input', base);
  const text = Buffer.concat(skeleton).toString('utf8');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BundleSyntaxError(jsonSyntaxReason(error), 0);
  }
  return { skeleton: parsed, logs: new Map([...logs].map(([index, keeper]) => [index, keeper.result()])) };
}
