import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BundleSyntaxError, BundleTooLargeError, splitBundle, type SplitLimits } from '../../lambda/evidence/bundle/bundle-stream';
import { bundleLimits, parseBundle, readBundle, readBundleStream } from '../../lambda/evidence/bundle/read-bundle';
import { BadInputError } from '../../lambda/shared/errors';

// The event of a recorded incident; the tests vary only its log streams.
const { event } = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'shared', 'corpus', '01-dockerhub-rate-limit-batch-task.json'), 'utf8')) as { event: unknown };
const stream = (name: string, events: unknown[]) => ({ logGroupName: '/ecs/web', logStreamName: name, events });
const bundleOf = (logs: unknown[], extra: Record<string, unknown> = {}) => ({ schema: 'incident-bundle.v1', event, evidence: { logs, ...extra } });

/** The bytes of `text` as chunks of `size` bytes (to cut strings, escapes and UTF-8 sequences anywhere). */
async function* chunksOf(text: string | Buffer, size: number): AsyncGenerator<Buffer> {
  const bytes = Buffer.isBuffer(text) ? text : Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

const roomy: SplitLimits = bundleLimits();
const small: SplitLimits = { maxStreamBytes: 8 * 1024, maxTotalBytes: 1 << 30, maxPartBytes: 1 << 20 };

async function split(text: string, size: number, limits = roomy) {
  const result = await splitBundle(chunksOf(text, size), 'x.json', limits);
  return parseBundle(result.skeleton, 'x.json', result.logs);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'bundle-stream-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('splitBundle', () => {
  // Escapes (also at chunk ends), multi-byte characters, nested values inside events, keys written
  // with escapes, other arrays named "events" (service events), pretty printing and a byte-order mark.
  const tricky = bundleOf(
    [
      stream('s1', [
        { timestamp: 1711126915000, message: 'quote " backslash \\ end\\', ingestionTime: 1, extra: { nested: [1, { events: ['x]'] }] } },
        { timestamp: '2024-03-22T17:01:56Z', message: 'ünïcødé ✓ 🚀 and \u0000 control' },
        { message: 'no timestamp', timestamp: null },
        { timestamp: 1711126917000, message: '{"json":"in a log line","arr":[1,2]}' },
        { timestamp: 1711126918000, message: `${'long '.repeat(80)}" quoted \\ ${'ü'.repeat(200)}"],{` },
      ]),
      stream('s2', []),
      { logGroupName: '/ecs/web', logStreamName: 's3', events: null },
    ],
    { services: [{ serviceName: 'web', events: [{ id: 'a', message: 'not a log event ]' }] }] },
  );

  it.each([1, 2, 3, 5, 7, 64, 1 << 20])('gives what parsing the whole text gives, in chunks of %i bytes', async (size) => {
    const text = JSON.stringify(tricky, null, 2).replace('"evidence"', '"ev\\u0069dence"');
    const expected = parseBundle(JSON.parse(text), 'x.json');
    expect(await split(text, size)).toEqual(expected);
    expect(await split(`\uFEFF${text}`, size)).toEqual(expected);
  });

  it('converts events as parseBundle does', async () => {
    const bundle = await split(JSON.stringify(tricky), 4096);
    expect(bundle.evidence.logs?.[0]?.events).toEqual([
      { timestamp: 1711126915000, message: 'quote " backslash \\ end\\' },
      { timestamp: Date.parse('2024-03-22T17:01:56Z'), message: 'ünïcødé ✓ 🚀 and \u0000 control' },
      { message: 'no timestamp' },
      { timestamp: 1711126917000, message: '{"json":"in a log line","arr":[1,2]}' },
      { timestamp: 1711126918000, message: `${'long '.repeat(80)}" quoted \\ ${'ü'.repeat(200)}"],{` },
    ]);
    expect(bundle.evidence.services?.[0]?.events).toEqual([{ id: 'a', message: 'not a log event ]' }]);
  });

  it('keeps the first quarter and the last three quarters of a stream larger than allowed (read once)', async () => {
    const events = Array.from({ length: 2000 }, (_, i) => ({ timestamp: 1e12 + i, message: `line ${i} ${'x'.repeat(40)}` }));
    const result = await splitBundle(chunksOf(JSON.stringify(bundleOf([stream('big', events)])), 1000), 'x.json', small);
    const kept = result.logs.get(0);
    expect(kept?.truncated).toBe(true);
    expect(kept?.readEvents).toBe(2000);
    const messages = kept?.events.map((e) => e.message) ?? [];
    expect(messages[0]).toMatch(/^line 0 /);
    expect(messages[messages.length - 1]).toMatch(/^line 1999 /);
    expect(messages.length).toBeLessThan(400);
    // Oldest first, no duplicates: a head, then a contiguous tail.
    const indexes = messages.map((m) => Number(m.split(' ')[1]));
    expect([...indexes].sort((a, b) => a - b)).toEqual(indexes);
    expect(new Set(indexes).size).toBe(indexes.length);
  });

  it('keeps the same events whether the input can be read again (a file) or not (a pipe)', async () => {
    const line = (i: number) => ({ timestamp: 1e12 + i, message: `event ${i} ${'q'.repeat(i % 97)}${i % 50 === 0 ? ` \\ "quoted" ${'ü'.repeat(30)}` : ''}` });
    const long = { timestamp: 2e12, message: `long ${'L'.repeat(20_000)}` };
    const bundle = bundleOf([
      stream('big', Array.from({ length: 4000 }, (_, i) => line(i))),
      stream('small', Array.from({ length: 20 }, (_, i) => line(i))),
      // An event larger than the tail window, last in its stream: kept as parsed events, not as text.
      stream('long', [...Array.from({ length: 500 }, (_, i) => line(i)), long]),
    ]);
    for (const text of [JSON.stringify(bundle), `\uFEFF${JSON.stringify(bundle, null, 1)}`]) {
      const path = join(dir, 'reread.json');
      writeFileSync(path, text);
      const fromFile = await readBundle(path, small);
      const fromPipe = await splitBundle(chunksOf(text, 777), path, small);
      expect(fromFile).toEqual(parseBundle(fromPipe.skeleton, path, fromPipe.logs));
      // Standard input (`analyze -`) is read as a pipe is.
      expect(await readBundleStream(chunksOf(text, 4096), path, small)).toEqual(fromFile);
      const [big, whole, withLong] = fromFile.evidence.logs ?? [];
      expect(big?.truncated).toBe(true);
      expect(whole?.events).toHaveLength(20);
      expect(withLong?.events?.at(-1)?.message === long.message).toBe(true);
      expect(withLong?.events?.at(-2)?.message).toMatch(/^event 499 /);
    }
  });

  it('counts an oversized line at what is kept of it, so the lines just before it stay in the tail', async () => {
    const limits: SplitLimits = { maxStreamBytes: 4 * 1024 * 1024, maxTotalBytes: 1 << 30, maxPartBytes: 64 * 1024 * 1024 };
    const filler = Array.from({ length: 50_000 }, (_, i) => ({ timestamp: 1e12 + i, message: `request ${i} served ${'f'.repeat(70)}` }));
    const crash = { timestamp: 2e12, message: 'Traceback: the crash just before the runaway line' };
    const runaway = { timestamp: 2e12 + 1, message: 'r'.repeat(6 * 1024 * 1024) };
    const text = JSON.stringify(bundleOf([stream('s', [...filler, crash, runaway, { timestamp: 2e12 + 2, message: 'last' }])]));
    const path = join(dir, 'runaway.json');
    writeFileSync(path, text);
    const fromPipe = await splitBundle(chunksOf(text, 1 << 20), path, limits);
    for (const bundle of [await readBundle(path, limits), parseBundle(fromPipe.skeleton, path, fromPipe.logs)]) {
      const messages = (bundle.evidence.logs?.[0]?.events ?? []).map((e) => e.message);
      expect(messages.at(-1)).toBe('last');
      expect(messages.at(-2)?.length).toBe(1024 * 1024);
      expect(messages.at(-3)).toBe(crash.message);
      // The window keeps about three quarters of 4 MiB of lines besides the runaway line's 1 MiB.
      expect(messages.length).toBeGreaterThan(10_000);
      expect(bundle.notices?.join(' ')).toMatch(/longer than CloudWatch Logs' 1 MB event limit/);
    }
  });

  it('says a mistake after the log events is outside them, not at byte 0', async () => {
    const events = Array.from({ length: 300 }, (_, i) => ({ timestamp: 1e12 + i, message: `line ${i}` }));
    const text = JSON.stringify(bundleOf([stream('s', events)])).replace(/\}$/, ',"expected":{oops}}');
    await expect(readBundleStream(chunksOf(text, 1000), 'stdin', small)).rejects.toThrow(/^stdin: not valid JSON \([^)]* outside the log events\)$/);
  });

  it.each([
    ['a trailing comma in a long events array', (t: string) => t.replace(/\]\}\]/, ',]}]')],
    ['a closing brace for a bracket', (t: string) => t.replace(/\]\}\]/, '}}]')],
    ['a cut-off file', (t: string) => t.slice(0, t.length - 20)],
    ['text after the bundle', (t: string) => `${t} x`],
  ])('refuses %s', async (_name, spoil) => {
    const events = Array.from({ length: 300 }, (_, i) => ({ timestamp: 1e12 + i, message: `line ${i} ${'y'.repeat(30)}` }));
    const text = spoil(JSON.stringify(bundleOf([stream('s', events)])));
    await expect(splitBundle(chunksOf(text, 333), 'x.json', small)).rejects.toBeInstanceOf(BundleSyntaxError);
  });

  it('refuses more log than allowed over all streams, and oversized parts', async () => {
    const events = Array.from({ length: 200 }, (_, i) => ({ message: `line ${i} ${'z'.repeat(100)}` }));
    const text = JSON.stringify(bundleOf([stream('a', events), stream('b', events)]));
    await expect(splitBundle(chunksOf(text, 4096), 'x.json', { ...roomy, maxTotalBytes: 30_000 })).rejects.toBeInstanceOf(BundleTooLargeError);
    await expect(splitBundle(chunksOf(text, 4096), 'x.json', { ...roomy, maxPartBytes: 1000 })).rejects.toBeInstanceOf(BundleTooLargeError);
  });
});

describe('readBundle of big bundles', () => {
  const write = (name: string, value: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(value));
    return path;
  };

  it('reads a stream larger than a stream may keep: its head and tail, truncated, with a notice', async () => {
    const events = Array.from({ length: 3000 }, (_, i) => ({ timestamp: 1e12 + i, message: `request ${i} ${'a'.repeat(60)}` }));
    const path = write('big.json', bundleOf([stream('ecs/app/0123456789abcdef0123456789abcdef', events)]));
    const bundle = await readBundle(path, small);
    const log = bundle.evidence.logs?.[0];
    expect(log?.truncated).toBe(true);
    const messages = (log?.events ?? []).map((e) => e.message as string);
    expect(messages[0]).toMatch(/^request 0 /);
    expect(messages[messages.length - 1]).toMatch(/^request 2999 /);
    expect(messages.length).toBeGreaterThan(50);
    expect(messages.length).toBeLessThan(300);
    expect(bundle.notices).toEqual([expect.stringMatching(/^\S+big\.json: evidence\.logs\[0\] \(ecs\/app\/0123456789abcdef0123456789abcdef\) holds 3000 log events \(0\.\d MB\); analysed its first and last, \d+ events/)]);
  });

  it('reads the whole stream and gives no notice when it fits', async () => {
    const events = Array.from({ length: 50 }, (_, i) => ({ timestamp: 1e12 + i, message: `line ${i}` }));
    const bundle = await readBundle(write('fits.json', bundleOf([stream('s', events)])));
    expect(bundle.evidence.logs?.[0]?.events).toHaveLength(50);
    expect(bundle.evidence.logs?.[0]?.truncated).toBeUndefined();
    expect(bundle.notices).toBeUndefined();
  });

  it('says a bundle is too large, not malformed, when its log exceeds what the process may hold', async () => {
    const events = Array.from({ length: 500 }, (_, i) => ({ message: `line ${i} ${'b'.repeat(100)}` }));
    const path = write('huge.json', bundleOf([stream('a', events), stream('b', events)]));
    const error = await readBundle(path, { ...small, maxTotalBytes: 10_000 }).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(error).toBeInstanceOf(BadInputError);
    expect(error?.message).toMatch(/^\S+huge\.json: too large to analyse \(0 MB\): its log events hold more than \d+ MiB; this process may use \d+ MiB \(raise it with NODE_OPTIONS=--max-old-space-size=<MiB>, or record fewer log events\)$/);
    expect(error?.message).not.toMatch(/JSON|malformed/);
  });

  it('names an invalid log event as parseBundle does', async () => {
    const path = write('bad-event.json', bundleOf([stream('s', [{ message: 'ok' }, { timestamp: 1 }])]));
    await expect(readBundle(path)).rejects.toThrow(`${path}: invalid incident-bundle.v1: evidence.logs[0].events[1].message: missing (expected string)`);
  });
});
