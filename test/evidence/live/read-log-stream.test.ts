import { CloudWatchLogsClient, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { mockClient } from 'aws-sdk-client-mock';
import { readLogStream } from '../../../lambda/evidence/logs/read-log-stream';
import { Deadline } from '../../../lambda/shared/deadline';
import { fakeLogStream, fakeLogStreamOf, type FakeLogStream } from './fake-log-stream';

const logsMock = mockClient(CloudWatchLogsClient);
const logs = new CloudWatchLogsClient({ region: 'us-east-1' });
const ctx = () => ({ deadline: Deadline.after(10_000), callTimeoutMs: 2_000 });
const target = { logGroupName: '/ecs/web', logStreamName: 'ecs/app/0123456789abcdef0123456789abcdef', window: {} };

function serve(stream: FakeLogStream): void {
  logsMock.on(GetLogEventsCommand).callsFake((input) => stream.get(input));
}

beforeEach(() => logsMock.reset());

describe('readLogStream', () => {
  it('reads a small stream completely and stops when the forward token repeats', async () => {
    const stream = fakeLogStreamOf(['starting', 'listening on :8080', 'Error: boom']);
    serve(stream);
    const result = await readLogStream(logs, ctx(), { ...target, budget: { lines: 400, bytes: 256 * 1024 } });
    expect(result.events.map((e) => e.message)).toEqual(['starting', 'listening on :8080', 'Error: boom']);
    expect(result.truncated).toBe(false);
    expect(result.gaps).toEqual([]);
    // One page with the events, one that hands back the same token: then it stops.
    expect(stream.requests).toHaveLength(2);
    expect(stream.requests[1]?.nextToken).toBe('f/3');
    expect(stream.requests.every((r) => r.startFromHead === true)).toBe(true);
  });

  it('never reads a 50 MB stream fully: keeps its first and last lines within the line and byte budget', async () => {
    const line = 'x'.repeat(1000);
    const count = 52_429; // ≈ 50 MiB of messages
    const stream = fakeLogStream(count, (i) => ({ timestamp: 1_736_935_200_000 + i, ingestionTime: 1_736_935_200_000 + i, message: `${i} ${line}` }));
    serve(stream);
    const budget = { lines: 400, bytes: 256 * 1024 };
    const result = await readLogStream(logs, ctx(), { ...target, budget });
    const bytes = result.events.reduce((n, e) => n + Buffer.byteLength(e.message ?? ''), 0);
    expect(stream.totalBytes).toBeGreaterThan(50 * 1024 * 1024);
    expect(result.events.length).toBeLessThanOrEqual(budget.lines);
    expect(bytes).toBeLessThanOrEqual(budget.bytes);
    expect(result.truncated).toBe(true);
    // Head: the first line after start; tail: the very last line before the stop.
    expect(result.events[0]?.message?.startsWith('0 ')).toBe(true);
    expect(result.events.at(-1)?.message?.startsWith(`${count - 1} `)).toBe(true);
    // Oldest first throughout.
    const ts = result.events.map((e) => e.timestamp ?? 0);
    expect([...ts].sort((a, b) => a - b)).toEqual(ts);
    expect(result.calls).toBeLessThanOrEqual(4);
  });

  it('de-duplicates the overlap when head and tail meet', async () => {
    // 300 lines: the head takes 200 (half of 400), the tail meets it.
    const messages = Array.from({ length: 300 }, (_, i) => `line ${i}`);
    const stream = fakeLogStreamOf(messages);
    serve(stream);
    const result = await readLogStream(logs, ctx(), { ...target, budget: { lines: 400, bytes: 256 * 1024 } });
    expect(result.events.map((e) => e.message)).toEqual(messages);
    expect(result.truncated).toBe(false);
    expect(stream.requests.some((r) => r.startFromHead === false)).toBe(true);
  });

  it('reads the tail in backward pages within the budget', async () => {
    const messages = Array.from({ length: 30 }, (_, i) => `l${i}`);
    const stream = fakeLogStreamOf(messages);
    // Pages of 4 events at most, to force several backward pages.
    logsMock.on(GetLogEventsCommand).callsFake((input) => stream.get({ ...input, limit: Math.min(input.limit ?? 4, 4) }));
    const result = await readLogStream(logs, ctx(), { ...target, budget: { lines: 12, bytes: 10_000 }, maxPagesPerDirection: 50 });
    expect(result.events.map((e) => e.message)).toEqual([...messages.slice(0, 6), ...messages.slice(24)]);
    expect(result.truncated).toBe(true);
    expect(stream.requests.filter((r) => r.startFromHead === false).map((r) => r.nextToken)).toEqual([undefined, 'b/26']);
  });

  it('stops paginating backwards when the backward token repeats at the start of the stream', async () => {
    const stream = fakeLogStreamOf(['a', 'b', 'c', 'd', 'e']);
    let empty = 0;
    // Forward pages come back empty with fresh tokens (allowed by the API), so only the tail finds events.
    logsMock.on(GetLogEventsCommand).callsFake((input) => {
      if (input.startFromHead === true) {
        empty += 1;
        return { events: [], nextForwardToken: `f/empty-${empty}`, nextBackwardToken: 'b/0', $metadata: {} };
      }
      return stream.get(input);
    });
    const result = await readLogStream(logs, ctx(), { ...target, budget: { lines: 12, bytes: 10_000 }, maxPagesPerDirection: 2 });
    expect(result.events.map((e) => e.message)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(result.truncated).toBe(false);
    const backward = stream.requests.map((r) => r.nextToken);
    // The second backward call sent b/0 and got b/0 back: the start of the stream; no third call.
    expect(backward).toEqual([undefined, 'b/0']);
  });

  it('follows empty pages while the token changes, but only up to the page limit', async () => {
    let n = 0;
    // A stream that keeps answering empty pages with new tokens (documented: results can be empty
    // while more events are available).
    logsMock.on(GetLogEventsCommand).callsFake(() => {
      n += 1;
      return { events: [], nextForwardToken: `f/${n}`, nextBackwardToken: `b/${n}`, $metadata: {} };
    });
    const result = await readLogStream(logs, ctx(), { ...target, budget: { lines: 10, bytes: 1000 }, maxPagesPerDirection: 3 });
    expect(result.events).toEqual([]);
    expect(result.calls).toBe(6);
    expect(result.truncated).toBe(true);
  });

  it('cuts a message longer than the byte budget to a literal prefix on a character boundary', async () => {
    const long = `${'é'.repeat(100)}END`;
    serve(fakeLogStreamOf([long]));
    const result = await readLogStream(logs, ctx(), { ...target, budget: { lines: 10, bytes: 51 } });
    // Half the byte budget (26 bytes) goes to the head: 13 two-byte characters. The tail recognises
    // the same event and does not add a second, differently cut copy.
    expect(result.events.map((e) => e.message)).toEqual(['é'.repeat(13)]);
    expect(result.truncated).toBe(true);
  });

  it('turns a missing log group into a gap naming the call and the reason', async () => {
    logsMock
      .on(GetLogEventsCommand)
      .rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: { httpStatusCode: 400 } }));
    const result = await readLogStream(logs, ctx(), { ...target, budget: { lines: 10, bytes: 1000 } });
    expect(result.notFound).toBe(true);
    expect(result.events).toEqual([]);
    expect(result.gaps).toEqual([
      'logs:GetLogEvents for log stream ecs/app/0123456789abcdef0123456789abcdef in log group /ecs/web failed: not found (ResourceNotFoundException: The specified log group does not exist).',
    ]);
  });

  it('passes the time window: startTime inclusive, endTime exclusive', async () => {
    const stream = fakeLogStreamOf(['before', 'during 1', 'during 2', 'after'], 1000_000_000_000);
    serve(stream);
    const result = await readLogStream(logs, ctx(), {
      ...target,
      window: { startTime: 1000_000_001_000, endTime: 1000_000_003_000 },
      budget: { lines: 10, bytes: 1000 },
    });
    expect(result.events.map((e) => e.message)).toEqual(['during 1', 'during 2']);
  });
});
