import type { GetLogEventsCommandInput, GetLogEventsCommandOutput, OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';

/**
 * A log stream served with the documented GetLogEvents semantics, for tests: `limit`, the 1 MB page
 * cap, `startTime` inclusive / `endTime` exclusive, forward and backward tokens, and — at either end of
 * the stream — the same token handed back. Events are generated on demand, so a 50 MB stream costs no
 * memory. https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
 */
export interface FakeLogStream {
  /** Answers one GetLogEvents request. */
  get(input: GetLogEventsCommandInput): GetLogEventsCommandOutput;
  /** Requests answered so far. */
  requests: GetLogEventsCommandInput[];
  /** Total message bytes of the stream. */
  totalBytes: number;
  count: number;
}

const PAGE_BYTES = 1_048_576;

/** A stream of `count` events; `event(i)` gives the i-th (timestamps must not decrease). */
export function fakeLogStream(count: number, event: (i: number) => OutputLogEvent): FakeLogStream {
  let totalBytes = 0;
  let bytesKnown = false;
  const requests: GetLogEventsCommandInput[] = [];
  const ts = (i: number) => event(i).timestamp ?? 0;
  const firstAtOrAfter = (t: number | undefined) => {
    if (t === undefined) return 0;
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts(mid) < t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  const metadata = { $metadata: {} };
  const stream: FakeLogStream = {
    requests,
    count,
    get totalBytes() {
      if (!bytesKnown) {
        for (let i = 0; i < count; i++) totalBytes += Buffer.byteLength(event(i).message ?? '');
        bytesKnown = true;
      }
      return totalBytes;
    },
    get(input) {
      requests.push(input);
      const lower = firstAtOrAfter(input.startTime);
      const upper = input.endTime === undefined ? count : firstAtOrAfter(input.endTime);
      const limit = Math.min(input.limit ?? 10_000, 10_000);
      const token = input.nextToken;
      const forward = token ? token.startsWith('f/') : input.startFromHead === true;
      if (forward) {
        const from = token ? Number(token.slice(2)) : lower;
        const events: OutputLogEvent[] = [];
        let bytes = 0;
        let i = from;
        for (; i < upper && events.length < limit; i++) {
          const e = event(i);
          bytes += Buffer.byteLength(e.message ?? '') + 26;
          if (bytes > PAGE_BYTES && events.length > 0) break;
          events.push(e);
        }
        // At the end of the stream the same token comes back.
        const next = events.length === 0 && token ? token : `f/${i}`;
        return { ...metadata, events, nextForwardToken: next, nextBackwardToken: `b/${from}` };
      }
      const to = token ? Number(token.slice(2)) : upper;
      const events: OutputLogEvent[] = [];
      let bytes = 0;
      let i = to - 1;
      for (; i >= lower && events.length < limit; i--) {
        const e = event(i);
        bytes += Buffer.byteLength(e.message ?? '') + 26;
        if (bytes > PAGE_BYTES && events.length > 0) break;
        events.unshift(e);
      }
      const start = i + 1;
      const back = events.length === 0 && token ? token : `b/${start}`;
      return { ...metadata, events, nextBackwardToken: back, nextForwardToken: `f/${to}` };
    },
  };
  return stream;
}

/** A stream of fixed messages, one second apart from `t0`. */
export function fakeLogStreamOf(messages: readonly string[], t0 = 1_736_935_200_000): FakeLogStream {
  return fakeLogStream(messages.length, (i) => ({ timestamp: t0 + i * 1000, ingestionTime: t0 + i * 1000 + 5, message: messages[i] ?? '' }));
}
