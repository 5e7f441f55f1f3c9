import { createWriteStream, readFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { BENCH_BUNDLES, CORPUS_DIR } from './corpus';
import { LogLineGenerator } from './synthetic-logs';

/**
 * Incident bundles with big logs, written to files for the whole-command measurements: the bench task
 * stop (`BENCH_BUNDLES.task_stopped`, as recorded in the corpus) with its container's log stream
 * replaced by synthetic lines (`LogLineGenerator`, seeded), one log event per line, oldest first.
 * The same lines are written to a plain log file beside it, so `grep` and `rg` read exactly the
 * messages the analyzer reads. Written in chunks: a 1 GB bundle never exists in memory.
 */

/** A bundle written by `writeSyntheticBundle`. */
export interface SyntheticBundle {
  /** The incident-bundle.v1 file. */
  bundle: string;
  /** The same log messages, one per line (only when asked for). */
  log?: string;
  /** Size of the bundle file, bytes. */
  bundleBytes: number;
  /** UTF-8 bytes of the log messages (without newlines). */
  messageBytes: number;
  lines: number;
}

/** How much log to write: a number of lines, or lines until the messages reach a number of bytes. */
export type SyntheticSize = { lines: number } | { messageBytes: number };

async function write(out: WriteStream, text: string): Promise<void> {
  if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
}

async function close(out: WriteStream): Promise<void> {
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
}

/**
 * Writes the bench task stop with `size` of synthetic log to `dir/name.json` (and with `withLog`,
 * the messages to `dir/name.log`). Deterministic for a seed.
 */
export async function writeSyntheticBundle(
  dir: string,
  name: string,
  size: SyntheticSize,
  options: { seed: number; corpusLines: readonly string[]; withLog?: boolean },
): Promise<SyntheticBundle> {
  const recorded = JSON.parse(readFileSync(join(CORPUS_DIR, BENCH_BUNDLES.task_stopped), 'utf8')) as {
    event: { detail: { startedAt?: string; stoppedAt?: string } };
    evidence: { logs: Record<string, unknown>[] };
  };
  const [stream, ...otherStreams] = recorded.evidence.logs;
  if (!stream) throw new Error(`${BENCH_BUNDLES.task_stopped} has no log stream`);
  // Everything but the events, then the events array written piecewise.
  const marker = '"__EVENTS__"';
  const skeleton = JSON.stringify({ ...recorded, evidence: { ...recorded.evidence, logs: [{ ...stream, events: marker }, ...otherStreams] } });
  const [head, tail] = skeleton.split(JSON.stringify(marker));
  if (head === undefined || tail === undefined) throw new Error('bundle skeleton without the events marker');

  const bundle = join(dir, `${name}.json`);
  const out = createWriteStream(bundle);
  const log = options.withLog ? createWriteStream(join(dir, `${name}.log`)) : undefined;
  const generator = new LogLineGenerator(options.seed, options.corpusLines);
  const from = Date.parse(recorded.event.detail.startedAt ?? '2019-06-30T19:15:48.000Z');
  const enough = (lines: number, bytes: number) => ('lines' in size ? lines >= size.lines : bytes >= size.messageBytes);
  let lines = 0;
  let messageBytes = 0;
  let bundleBytes = Buffer.byteLength(head) + 1;
  await write(out, `${head}[`);
  let events: string[] = [];
  let messages: string[] = [];
  const flush = async (): Promise<void> => {
    const text = events.join('');
    bundleBytes += Buffer.byteLength(text);
    await write(out, text);
    if (log) await write(log, messages.join(''));
    events = [];
    messages = [];
  };
  while (!enough(lines, messageBytes)) {
    const message = generator.next();
    // 40 ms apart on average, like a busy service.
    events.push(`${lines === 0 ? '' : ','}{"timestamp":${from + lines * 40},"message":${JSON.stringify(message)}}`);
    if (log) messages.push(`${message}\n`);
    messageBytes += Buffer.byteLength(message);
    lines += 1;
    if (events.length >= 10_000) await flush();
  }
  await flush();
  await write(out, `]${tail}`);
  bundleBytes += 1 + Buffer.byteLength(tail);
  await close(out);
  if (log) await close(log);
  return { bundle, ...(log ? { log: join(dir, `${name}.log`) } : {}), bundleBytes, messageBytes, lines };
}
