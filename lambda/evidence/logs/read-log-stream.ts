import { GetLogEventsCommand, type CloudWatchLogsClient, type OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { callAws, isNotFound, type CallContext } from '../../shared/aws-call';
import { prefixUtf8 } from '../../shared/text';

/**
 * Reads the start and the end of one log stream within a budget.
 *
 * The first lines after a container starts hold start-up errors; the last lines before it stops hold
 * the crash. A stream can be gigabytes, so the reader takes half the budget from the head
 * (`startFromHead: true`), then the rest from the tail (`startFromHead: false`, paging backwards), and
 * stops paginating when the returned token equals the one it sent: GetLogEvents "returns the same
 * token you passed in" at the end of the stream, and may return empty pages before that.
 * https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
 */

/** Per-stream limits. */
export interface LogBudget {
  /** Log events kept at most. */
  lines: number;
  /** UTF-8 bytes of messages kept at most. */
  bytes: number;
}

/** Time window of the container's life, epoch ms. */
export interface LogWindow {
  /** Events at or after this time (GetLogEvents `startTime`, inclusive). */
  startTime?: number;
  /** Events before this time (GetLogEvents `endTime`, exclusive). */
  endTime?: number;
}

/** Input of `readLogStream`. */
export interface ReadLogStreamInput {
  logGroupName: string;
  logStreamName: string;
  window: LogWindow;
  budget: LogBudget;
  /** GetLogEvents calls per direction at most. Default 5. */
  maxPagesPerDirection?: number;
}

/** The events read (GetLogEvents `OutputLogEvent` shape, oldest first) and gaps. */
export interface ReadLogStreamResult {
  events: OutputLogEvent[];
  /** True when the budget or page limit left part of the stream unread. */
  truncated: boolean;
  /** Whether the stream (or log group) did not exist. */
  notFound: boolean;
  /** GetLogEvents calls made. */
  calls: number;
  gaps: string[];
}

/** Largest `limit` GetLogEvents accepts. */
const MAX_LIMIT = 10_000;

function bytesOf(message: string): number {
  return Buffer.byteLength(message, 'utf8');
}


function eventKey(e: OutputLogEvent): string {
  return `${e.timestamp ?? ''}\u0000${e.ingestionTime ?? ''}\u0000${e.message ?? ''}`;
}

interface Spend {
  lines: number;
  bytes: number;
}

function exhausted(spend: Spend, budget: LogBudget): boolean {
  return spend.lines >= budget.lines || spend.bytes >= budget.bytes;
}

/** Takes `event` into the spend if it fits; a too-long message is cut to what fits. Returns null when nothing fits. */
function take(event: OutputLogEvent, spend: Spend, budget: LogBudget): { event: OutputLogEvent; cut: boolean } | null {
  if (exhausted(spend, budget)) return null;
  const message = event.message ?? '';
  const size = bytesOf(message);
  if (spend.bytes + size <= budget.bytes) {
    spend.lines += 1;
    spend.bytes += size;
    return { event, cut: false };
  }
  const kept = prefixUtf8(message, budget.bytes - spend.bytes);
  if (kept.length === 0) return null;
  spend.lines += 1;
  spend.bytes += bytesOf(kept);
  return { event: { ...event, message: kept }, cut: true };
}

/**
 * Reads the head and the tail of a stream within `budget`, de-duplicating the overlap. Never throws.
 * A missing log group or stream (`ResourceNotFoundException`) sets `notFound` and adds a gap.
 */
export async function readLogStream(logs: CloudWatchLogsClient, ctx: CallContext, input: ReadLogStreamInput): Promise<ReadLogStreamResult> {
  const maxPages = Math.max(1, input.maxPagesPerDirection ?? 5);
  const subject = `log stream ${input.logStreamName} in log group ${input.logGroupName}`;
  const result: ReadLogStreamResult = { events: [], truncated: false, notFound: false, calls: 0, gaps: [] };
  const budget = { lines: Math.max(0, input.budget.lines), bytes: Math.max(0, input.budget.bytes) };
  if (budget.lines === 0 || budget.bytes === 0) return { ...result, truncated: true };
  const window = {
    ...(input.window.startTime !== undefined ? { startTime: Math.floor(input.window.startTime) } : {}),
    ...(input.window.endTime !== undefined ? { endTime: Math.ceil(input.window.endTime) } : {}),
  };
  const spend: Spend = { lines: 0, bytes: 0 };
  let anyCut = false;
  const get = (startFromHead: boolean, limit: number, nextToken: string | undefined) => {
    result.calls += 1;
    return callAws('logs:GetLogEvents', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject }, (abortSignal) =>
      logs.send(
        new GetLogEventsCommand({
          logGroupName: input.logGroupName,
          logStreamName: input.logStreamName,
          startFromHead,
          limit: Math.max(1, Math.min(MAX_LIMIT, limit)),
          ...window,
          ...(nextToken ? { nextToken } : {}),
        }),
        { abortSignal },
      ),
    );
  };

  // Head: up to half the budget, oldest first.
  const headBudget = { lines: Math.ceil(budget.lines / 2), bytes: Math.ceil(budget.bytes / 2) };
  const head: OutputLogEvent[] = [];
  // Keys of the events as AWS sent them (a cut message must still match its tail copy).
  const headKeys = new Set<string>();
  let reachedEnd = false;
  let token: string | undefined;
  for (let page = 0; page < maxPages; page++) {
    const outcome = await get(true, headBudget.lines - spend.lines, token);
    if (!outcome.ok) {
      result.gaps.push(outcome.gap);
      result.notFound = isNotFound(outcome.error);
      result.truncated = head.length > 0;
      return { ...result, events: head };
    }
    let full = false;
    for (const event of outcome.value.events ?? []) {
      const taken = take(event, spend, headBudget);
      if (!taken) {
        full = true;
        break;
      }
      head.push(taken.event);
      headKeys.add(eventKey(event));
      if (taken.cut) {
        anyCut = true;
        full = true;
        break;
      }
    }
    if (exhausted(spend, headBudget)) full = true;
    const next = outcome.value.nextForwardToken;
    if (next === undefined || next === token) {
      reachedEnd = !full;
      break;
    }
    if (full) break;
    token = next;
  }
  if (reachedEnd) return { ...result, truncated: anyCut, events: head };

  // Tail: the rest of the budget, newest first, paging backwards until it meets the head.
  const tailPages: OutputLogEvent[][] = [];
  let metHead = false;
  let backToken: string | undefined;
  let tailDone = false;
  for (let page = 0; page < maxPages && !tailDone; page++) {
    const outcome = await get(false, budget.lines - spend.lines, backToken);
    if (!outcome.ok) {
      result.gaps.push(outcome.gap);
      break;
    }
    const events = outcome.value.events ?? [];
    const kept: OutputLogEvent[] = [];
    // Each page is oldest-first; spend the budget from its newest event backwards.
    for (let i = events.length - 1; i >= 0; i--) {
      const event = events[i];
      if (!event) continue;
      if (headKeys.has(eventKey(event))) {
        metHead = true;
        tailDone = true;
        break;
      }
      const taken = take(event, spend, budget);
      if (!taken) {
        tailDone = true;
        break;
      }
      kept.unshift(taken.event);
      if (taken.cut) {
        anyCut = true;
        tailDone = true;
        break;
      }
    }
    tailPages.unshift(kept);
    if (exhausted(spend, budget)) tailDone = true;
    const next = outcome.value.nextBackwardToken;
    if (next === undefined || next === backToken) {
      // Start of the stream reached going backwards: everything between head and tail was read.
      metHead = true;
      break;
    }
    backToken = next;
  }
  // Unread events remain unless the tail met the head; a cut message is also a truncation.
  result.truncated = !metHead || anyCut;
  return { ...result, events: [...head, ...tailPages.flat()] };
}
