import { BadInputError } from '../../shared/errors';
import { BUNDLE_LIMITS } from '../input-bounds';
import type { LogEventEvidence } from '../types';
import { ByteRing } from './byte-ring';
import { appendLogEvents, MAX_LOG_EVENT_BYTES, type LogEventsPlace } from './log-events';

/**
 * Reads an incident bundle from a byte stream without ever holding the whole file: a bundle is a
 * few kilobytes of event and AWS responses plus, in `evidence.logs[i].events`, possibly gigabytes of
 * log events. The bytes are split, not parsed, here — `JSON.parse` does all the parsing:
 *
 * - everything outside `evidence.logs[*].events` (the "skeleton", with each such array left empty)
 *   is collected and parsed at the end;
 * - the elements of each `evidence.logs[i].events` array are cut at element boundaries into batches
 *   of up to 64 KiB, and each kept batch is parsed and turned into `LogEventEvidence`
 *   (`appendLogEvents`), so only the kept `{ timestamp, message }` objects outlive it.
 *
 * The splitter tracks only what it needs to find element boundaries (strings, escapes, nesting);
 * anything malformed surfaces as a `BundleSyntaxError` with the byte offset where it was noticed.
 * A stream holding more than `maxStreamBytes` of events keeps its first quarter and its last
 * three quarters (a crash is logged at the end) and is marked `truncated`; the input is read once,
 * and the events left out are neither parsed nor checked (see `StreamKeeper`).
 */

/** Malformed JSON, noticed at a byte offset of the input. */
export class BundleSyntaxError extends Error {
  constructor(
    message: string,
    /** Byte offset in the input (0-based); undefined when the problem is outside the log events, which are parsed apart. */
    readonly offset: number | undefined,
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
  constructor(
    message: string,
    /** True for the fixed bound on one part (`maxPartBytes`), which a larger heap does not raise. */
    readonly fixed = false,
  ) {
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
/** The most one event counts against its stream's budget: what is kept of it. */
const ELEMENT_COST_BYTES = MAX_LOG_EVENT_BYTES + EVENT_OVERHEAD_BYTES;

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

/** A batch of one stream's events as the splitter cut it: whole elements of the array, no brackets. */
interface Batch {
  /** The batch's bytes: copies of earlier chunks' parts, then a part of the current chunk (valid until the next chunk). */
  parts: Buffer[];
  /** Total length of `parts`. */
  bytes: number;
  /** Elements in the batch. */
  count: number;
  /** Bytes of its elements beyond `ELEMENT_COST_BYTES` each (what is not kept of oversized events). */
  excess: number;
  /** Index in the stream's `events` of the batch's first element. */
  first: number;
  /** Byte offset of the batch in the input, for syntax errors. */
  offset: number;
}

/** A batch of the tail window: its text in the store (`at`, `length`), or its events already parsed. */
interface TailBatch {
  first: number;
  offset: number;
  /** What the batch counts against the stream's byte budget. */
  cost: number;
  at: number;
  length: number;
  parsed?: { events: LogEventEvidence[]; cut: number };
}

/**
 * A tail batch up to this size waits as text in the store (a batch is cut after about 64 KiB, so only
 * one holding a long event is larger); a larger one is parsed at once, its messages cut to
 * `MAX_LOG_EVENT_BYTES`, and kept as events.
 */
const RING_BATCH_BYTES = 256 * 1024;

/**
 * Where the tail window's texts wait until their stream ends: a `ByteRing` copy, or, when the input
 * can be read again (a file), nothing but their position.
 */
export interface TailStore {
  /** Keeps `parts`, the bytes at input position `offset`; returns where `read` finds them. */
  write(parts: readonly Buffer[], offset: number): number;
  /** The `length` bytes kept at `at`, valid until the next `write` or `read`. */
  read(at: number, length: number): Buffer;
}

/** Reads `length` bytes of the input at byte `position` again; the result is valid until the next call. */
export type ReadAt = (position: number, length: number) => Buffer;

/** A `TailStore` that re-reads the input (`position` counts from after any byte-order mark). */
function rereadStore(readAt: ReadAt, skipped: { bytes: number }): TailStore {
  return { write: (_parts, offset) => offset, read: (at, length) => readAt(at + skipped.bytes, length) };
}

/** The events of one batch's text, checked (see `appendLogEvents`). */
function parseBatch(text: Buffer, first: number, offset: number, place: LogEventsPlace): { events: LogEventEvidence[]; cut: number } {
  let raw: unknown;
  try {
    raw = JSON.parse(`[${text.toString('utf8')}]`);
  } catch (error) {
    throw new BundleSyntaxError(jsonSyntaxReason(error), offset);
  }
  const events: LogEventEvidence[] = [];
  const cut = appendLogEvents(raw as unknown[], events, place, first);
  return { events, cut };
}

/**
 * The kept events of one stream, read in one pass: the first quarter of `maxBytes` (the head) is
 * parsed as it arrives; after it, a rolling window of the latest batches fills the rest (the tail)
 * and waits in a `TailStore` (the input's own bytes, read again, or a `ByteRing`), so batches that
 * roll out of the window are never parsed (nor checked) and leave no garbage. The window is parsed
 * when the stream ends. A batch costs its bytes, but each of its events at most
 * `ELEMENT_COST_BYTES` (what is kept of it), so one oversized line does not crowd out the rest of
 * its stream.
 */
class StreamKeeper {
  private readonly events: LogEventEvidence[] = [];
  private headBytes = 0;
  private readonly tail: (TailBatch | undefined)[] = [];
  /** Index in `tail` of the oldest batch still in the window. */
  private oldest = 0;
  private tailBytes = 0;
  private store: TailStore | undefined;
  readEvents = 0;
  readBytes = 0;
  truncated = false;
  cutMessages = 0;

  /** @param newStore the store of the tail window's texts, given the bytes they may hold at once. */
  constructor(
    private readonly maxBytes: number,
    private readonly place: LogEventsPlace,
    private readonly newStore: (capacity: number) => TailStore,
  ) {}

  /** Bytes the stream keeps (head and tail window). */
  get keptBytes(): number {
    return this.headBytes + this.tailBytes;
  }

  add(batch: Batch): void {
    if (batch.count === 0) return;
    const cost = batch.bytes - batch.excess;
    this.readEvents += batch.count;
    this.readBytes += batch.bytes;
    if (this.tail.length === 0 && this.headBytes + cost <= this.maxBytes / 4) {
      this.keep(parseBatch(concat(batch.parts, batch.bytes), batch.first, batch.offset, this.place));
      this.headBytes += cost;
      return;
    }
    // The newest batch is always kept; the oldest of the window make room for it. Stored texts cost
    // their bytes, so they never exceed `room`, the store's capacity.
    const room = this.maxBytes - this.headBytes;
    while (this.oldest < this.tail.length && this.tailBytes + cost > room) this.evictOldest();
    if (this.oldest > 1024 && this.oldest * 2 > this.tail.length) {
      this.tail.splice(0, this.oldest);
      this.oldest = 0;
    }
    const entry: TailBatch = { first: batch.first, offset: batch.offset, cost, at: 0, length: 0 };
    if (batch.bytes <= Math.min(RING_BATCH_BYTES, room)) {
      this.store ??= this.newStore(room);
      entry.at = this.store.write(batch.parts, batch.offset);
      entry.length = batch.bytes;
    } else {
      entry.parsed = parseBatch(concat(batch.parts, batch.bytes), batch.first, batch.offset, this.place);
    }
    this.tail.push(entry);
    this.tailBytes += cost;
  }

  /** The stream's events (head, then the tail window parsed), and what was left out. */
  result(): StreamedLogEvents {
    for (let k = this.oldest; k < this.tail.length; k += 1) {
      const entry = this.tail[k] as TailBatch;
      this.keep(entry.parsed ?? parseBatch((this.store as TailStore).read(entry.at, entry.length), entry.first, entry.offset, this.place));
    }
    this.tail.length = 0;
    this.store = undefined;
    return { events: this.events, truncated: this.truncated, cutMessages: this.cutMessages, readEvents: this.readEvents, readBytes: this.readBytes };
  }

  private keep(parsed: { events: LogEventEvidence[]; cut: number }): void {
    for (const event of parsed.events) this.events.push(event);
    if (parsed.cut > 0) {
      this.truncated = true;
      this.cutMessages += parsed.cut;
    }
  }

  private evictOldest(): void {
    this.tailBytes -= (this.tail[this.oldest] as TailBatch).cost;
    this.tail[this.oldest] = undefined;
    this.oldest += 1;
    this.truncated = true;
  }
}

/** One buffer of `parts` (without a copy when there is one). */
function concat(parts: Buffer[], bytes: number): Buffer {
  return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts, bytes);
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Nesting the splitter follows outside the log events: one level more than a bundle may have
 * (`BUNDLE_LIMITS`, checked with the path once parsed), so endless `[[[[…` on a pipe stops at once.
 */
const MAX_SKELETON_DEPTH = BUNDLE_LIMITS.maxDepth + 2;

function tooDeep(where: string): BadInputError {
  return new BadInputError(`${where}: nested more than ${BUNDLE_LIMITS.maxDepth} levels deep`);
}

/** A key's text from its raw bytes (escapes decoded); a malformed key is a `BundleSyntaxError` at `offset`. */
function keyText(bytes: number[], offset: number): string {
  try {
    return JSON.parse(`"${Buffer.from(bytes).toString('utf8')}"`) as string;
  } catch (error) {
    throw new BundleSyntaxError(jsonSyntaxReason(error), offset);
  }
}

/** The chunks without a leading UTF-8 byte-order mark (editors on Windows may save one), however they are cut; `skipped.bytes` says whether one was. */
async function* withoutByteOrderMark(chunks: AsyncIterable<Buffer>, skipped: { bytes: number }): AsyncGenerator<Buffer> {
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
    if (start.subarray(0, BOM.length).equals(BOM)) skipped.bytes = BOM.length;
    yield start.subarray(skipped.bytes);
  }
  if (!started && start.length > 0 && !BOM.equals(start)) yield start;
}

/**
 * The index of the next `"` or `\\` in `chunk` from `i`, or -1: looked for byte by byte over the first
 * bytes (most strings are short, and a native search costs a call), then by a native search.
 * `seen.backslash` caches the next backslash of the chunk (reset to -1 for each chunk), so a chunk
 * of long strings without one is searched for it once, not once per string.
 */
function nextQuoteOrBackslash(chunk: Buffer, i: number, seen: { backslash: number }): number {
  const length = chunk.length;
  const stop = Math.min(length, i + INLINE_SCAN);
  for (let j = i; j < stop; j += 1) {
    const c = chunk[j];
    if (c === QUOTE || c === BACKSLASH) return j;
  }
  if (stop === length) return -1;
  const quote = chunk.indexOf(QUOTE, stop);
  if (seen.backslash < stop) {
    seen.backslash = chunk.indexOf(BACKSLASH, stop);
    if (seen.backslash === -1) seen.backslash = length;
  }
  if (quote === -1) return seen.backslash < length ? seen.backslash : -1;
  return Math.min(quote, seen.backslash);
}

/** Where a scan inside an events array is, kept from chunk to chunk. */
interface EventsScan {
  inString: boolean;
  /** Nesting inside the current element. */
  depth: number;
  /** Commas between elements seen in the current batch. */
  commas: number;
  /** Whether the current element has begun (a byte other than whitespace since the last comma). */
  sawElementByte: boolean;
  /** The next backslash of the chunk (see `nextQuoteOrBackslash`). */
  backslash: number;
  /** Input offset where the current element begins (after the comma or bracket before it). */
  elementStart: number;
  /** Bytes beyond `ELEMENT_COST_BYTES` of the batch's elements ended so far. */
  excess: number;
}

/** Ends the current element at input offset `end` (its comma or closing bracket), counting any excess. */
function endElement(scan: EventsScan, end: number): void {
  scan.excess += Math.max(0, end - scan.elementStart - ELEMENT_COST_BYTES);
  scan.elementStart = end + 1;
}

/**
 * Scans the bytes of an events array from `i`, tracking strings, nesting and the commas between
 * elements, up to the first byte the caller acts on: a comma between elements at or after
 * `flushFrom`, or a `]` or `}` at the array's own level. Returns that byte's index or, when the chunk
 * ended first, a value of at least `chunk.length` (beyond it by the bytes of an escape that
 * continues in the next chunk). Every byte of a gigabyte log passes here, so the state lives in
 * locals while it runs.
 */
function scanEvents(chunk: Buffer, base: number, from: number, flushFrom: number, scan: EventsScan): number {
  const length = chunk.length;
  let { inString, depth, commas, sawElementByte } = scan;
  let i = from;
  while (i < length) {
    if (inString) {
      const next = nextQuoteOrBackslash(chunk, i, scan);
      if (next === -1) {
        i = length;
        break;
      }
      if (chunk[next] === BACKSLASH) {
        i = next + 2;
        continue;
      }
      inString = false;
      i = next + 1;
      continue;
    }
    const b = chunk[i] as number;
    if (b === QUOTE) {
      inString = true;
      sawElementByte = true;
    } else if (b === OPEN_OBJECT || b === OPEN_ARRAY) {
      depth += 1;
      sawElementByte = true;
    } else if (b === CLOSE_OBJECT || b === CLOSE_ARRAY) {
      if (depth === 0) break;
      depth -= 1;
    } else if (b === COMMA && depth === 0) {
      if (i >= flushFrom) break;
      commas += 1;
      endElement(scan, base + i);
    } else if (!isSpace(b)) {
      sawElementByte = true;
    }
    i += 1;
  }
  scan.inString = inString;
  scan.depth = depth;
  scan.commas = commas;
  scan.sawElementByte = sawElementByte;
  return i;
}

/**
 * Splits and parses a bundle read as byte chunks (see the module comment).
 *
 * @param where what to name in messages (the file path).
 * @param readAt reads bytes of the input again (a file): the tail window of a long stream is then
 *   read back when the stream ends instead of copied as it passes; without it (a pipe), it is
 *   copied into a `ByteRing` of at most `maxStreamBytes`.
 * @throws BundleSyntaxError for malformed JSON; BundleTooLargeError past `limits`;
 *   BadInputError for a log event that is not an object with a string `message`; whatever `readAt` throws.
 */
export async function splitBundle(chunks: AsyncIterable<Buffer>, where: string, limits: SplitLimits, readAt?: ReadAt): Promise<SplitBundle> {
  const stack: Frame[] = [];
  const skeleton: Buffer[] = [];
  let skeletonBytes = 0;
  const logs = new Map<number, StreamedLogEvents>();
  let totalKept = 0;
  // Strings: inside one, bytes still to skip after a backslash at a chunk's end, and a key being read.
  let inString = false;
  let skip = 0;
  let keyBytes: number[] | undefined;
  // The events array being read: its stream, nesting inside it, and the current batch.
  let stream: StreamKeeper | undefined;
  let streamIndex = 0;
  const scan: EventsScan = { inString: false, depth: 0, commas: 0, sawElementByte: false, backslash: -1, elementStart: 0, excess: 0 };
  let batch: Buffer[] = [];
  let batchBytes = 0;
  let batchStart = 0;
  let batchEvents = 0;
  let needElement = false;
  // Batches stay well below V8's large-object size (128 KiB), so their text dies young.
  const batchTarget = Math.max(512, Math.min(64 * 1024, Math.floor(limits.maxStreamBytes / 16)));
  let done = false;
  let base = 0;

  const addSkeleton = (part: Buffer): void => {
    skeletonBytes += part.length;
    if (skeletonBytes > limits.maxPartBytes) {
      throw new BundleTooLargeError(`the bundle outside its log events exceeds ${Math.round(limits.maxPartBytes / MiB)} MiB`, true);
    }
    skeleton.push(Buffer.from(part));
  };
  const addBatch = (part: Buffer): void => {
    if (part.length === 0) return;
    batchBytes += part.length;
    if (batchBytes > limits.maxPartBytes) throw new BundleTooLargeError(`one log event exceeds ${Math.round(limits.maxPartBytes / MiB)} MiB`, true);
    batch.push(Buffer.from(part));
  };
  /** Hands the batch to its stream: the pieces copied so far, then `tail` (a part of the current chunk). */
  const flush = (tail: Buffer): void => {
    const bytes = batchBytes + tail.length;
    if (bytes > limits.maxPartBytes) throw new BundleTooLargeError(`one log event exceeds ${Math.round(limits.maxPartBytes / MiB)} MiB`, true);
    const count = scan.sawElementByte ? scan.commas + 1 : 0;
    const first = batchEvents;
    batchEvents += count;
    scan.commas = 0;
    endElement(scan, batchStart + bytes);
    const excess = scan.excess;
    scan.excess = 0;
    const parts = batch;
    if (tail.length > 0) parts.push(tail);
    batch = [];
    batchBytes = 0;
    if (!stream) return;
    const before = stream.keptBytes;
    stream.add({ parts, bytes, count, excess, first, offset: batchStart });
    totalKept += stream.keptBytes - before;
    if (totalKept > limits.maxTotalBytes) {
      throw new BundleTooLargeError(`its log events hold more than ${Math.round(limits.maxTotalBytes / MiB)} MiB`);
    }
  };

  const skipped = { bytes: 0 };
  const newStore = readAt ? () => rereadStore(readAt, skipped) : (capacity: number) => new ByteRing(capacity);
  for await (const chunk of withoutByteOrderMark(chunks, skipped)) {
    const length = chunk.length;
    let segment = 0;
    let i = skip;
    // The character after a backslash that ended the last chunk: part of a key being read.
    if (keyBytes && keyBytes.length < 256) for (let k = 0; k < Math.min(skip, length); k += 1) keyBytes.push(chunk[k] as number);
    skip = 0;
    // One cache of the chunk's next backslash for both scans: each only moves forward in the chunk.
    scan.backslash = -1;
    while (i < length) {
      if (stream) {
        // Inside an events array: find element boundaries only.
        i = scanEvents(chunk, base, i, segment + batchTarget - batchBytes, scan);
        if (i >= length) {
          skip = i - length;
          break;
        }
        if (chunk[i] === COMMA) {
          flush(chunk.subarray(segment, i));
          batchStart = base + i + 1;
          segment = i + 1;
          needElement = true;
          scan.sawElementByte = false;
          i += 1;
          continue;
        }
        if (chunk[i] !== CLOSE_ARRAY) throw new BundleSyntaxError("Expected ',' or ']' after array element", base + i);
        if (needElement && !scan.sawElementByte) throw new BundleSyntaxError('Unexpected character', base + i);
        if (batchBytes > 0 || i > segment) flush(chunk.subarray(segment, i));
        logs.set(streamIndex, stream.result());
        stream = undefined;
        // The `]` goes to the skeleton text (which resumes here) but closes no skeleton frame.
        segment = i;
        i += 1;
        continue;
      }
      if (inString) {
        const next = nextQuoteOrBackslash(chunk, i, scan);
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
          if (stack.length > MAX_SKELETON_DEPTH) throw tooDeep(where);
          break;
        case OPEN_ARRAY: {
          const [root, evidence, list, entry] = stack;
          if (stack.length === 4 && root?.key === 'evidence' && evidence?.key === 'logs' && list?.array && entry && !entry.array && entry.key === 'events') {
            addSkeleton(chunk.subarray(segment, i + 1));
            segment = i + 1;
            streamIndex = list.count - 1;
            stream = new StreamKeeper(limits.maxStreamBytes, { where, stream: streamIndex }, newStore);
            Object.assign(scan, { inString: false, depth: 0, commas: 0, sawElementByte: false, elementStart: base + i + 1, excess: 0 });
            batchEvents = 0;
            batchStart = base + i + 1;
            needElement = false;
          } else {
            stack.push({ array: true, expect: true, count: 0 });
            if (stack.length > MAX_SKELETON_DEPTH) throw tooDeep(where);
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
  // No value began (nothing, or only whitespace): said as such, not as a cut-off file.
  if (!done && text.trim() === '') throw new BundleSyntaxError('the input is empty', undefined);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new BundleSyntaxError(`${jsonSyntaxReason(error)} outside the log events`, undefined);
  }
  return { skeleton: parsed, logs };
}
