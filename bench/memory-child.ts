import { GetLogEventsCommand, ResourceNotFoundException, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import type { CollectConfig } from '../lambda/evidence/collect-config';
import { collectEvidence } from '../lambda/evidence/collect-evidence';
import { toEpochMs } from '../lambda/evidence/normalise';
import { analyzeEvidence } from '../lambda/pipeline/run-analysis';
import { logsMock, mockDeps, serveBundle } from '../test/evidence/live/corpus-aws';
import { fakeLogStream } from '../test/evidence/live/fake-log-stream';
import { BENCH_BUNDLES, CORPUS_DIR, loadBundle } from './corpus';
import { LogLineGenerator, corpusLogLines } from './synthetic-logs';

/**
 * Child process of measurement 4 (run by `memory.ts`, one process per measurement so that the peak
 * RSS is this analysis's own). Serves the bench task stop through the SDK mocks, with its container's
 * log stream replaced by `BENCH_STREAM_BYTES` of synthetic log events that GetLogEvents pages through
 * (1 MB pages, generated on demand), then runs live collection and analysis with the collect config
 * in `BENCH_COLLECT_CONFIG` (JSON). Mode `baseline` loads and serves the same but analyses nothing.
 * Prints one JSON line: `process.resourceUsage().maxRSS` (KB), what the collector kept, and how long
 * the analysis took — the first of the process (nothing compiled or derived before), then again.
 */

async function main(): Promise<void> {
  const mode = process.argv[2] === 'analyze' ? 'analyze' : 'baseline';
  const config = JSON.parse(process.env.BENCH_COLLECT_CONFIG ?? '{}') as Partial<CollectConfig>;
  const streamBytes = Number(process.env.BENCH_STREAM_BYTES ?? 50_000_000);
  const bundle = loadBundle(BENCH_BUNDLES.task_stopped);
  const recorded = bundle.evidence.logs?.[0];
  if (!recorded) throw new Error(`${BENCH_BUNDLES.task_stopped} has no log stream`);
  serveBundle(bundle);

  // A pool of distinct synthetic lines, cycled: events are made on demand, so the 50 MB exist only as
  // the pages the collector asks for.
  const generator = new LogLineGenerator(7, corpusLogLines(CORPUS_DIR));
  const pool = Array.from({ length: 20_000 }, () => generator.next());
  const poolBytes = pool.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
  const count = Math.ceil((streamBytes / poolBytes) * pool.length);
  const detail = bundle.trigger.event.detail as { startedAt?: string; stoppedAt?: string };
  const from = toEpochMs(detail.startedAt) ?? 0;
  const span = (toEpochMs(detail.stoppedAt) ?? from + 600_000) - from;
  const stream = fakeLogStream(count, (i) => {
    const timestamp = from + Math.floor((i * span) / count);
    return { timestamp, ingestionTime: timestamp + 100, message: pool[i % pool.length] ?? '' };
  });
  logsMock.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
    if (input.logGroupName === recorded.logGroupName && input.logStreamName === recorded.logStreamName) return stream.get(input);
    throw new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: { httpStatusCode: 400 } });
  });
  const totalBytes = Math.floor(count / pool.length) * poolBytes + pool.slice(0, count % pool.length).reduce((s, l) => s + Buffer.byteLength(l), 0);

  let kept = { lines: 0, bytes: 0, truncated: false, rootCause: '' };
  let analysisMs = 0;
  let secondAnalysisMs = 0;
  if (mode === 'analyze') {
    const { evidence } = await collectEvidence(bundle.event, BENCH_BUNDLES.task_stopped, mockDeps(config));
    const start = performance.now();
    const report = analyzeEvidence(evidence); // the first analysis of this process: nothing is warm
    analysisMs = performance.now() - start;
    const again = performance.now();
    analyzeEvidence({ ...evidence }); // the same input again (a new object: nothing memoised is reused)
    secondAnalysisMs = performance.now() - again;
    const events = evidence.logs.flatMap((l) => l.events);
    kept = {
      lines: events.length,
      bytes: events.reduce((s, e) => s + Buffer.byteLength(e.message), 0),
      truncated: evidence.logs.some((l) => l.truncated === true),
      rootCause: report.rootCause.category,
    };
  }
  process.stdout.write(
    `${JSON.stringify({ mode, maxRssKb: process.resourceUsage().maxRSS, streamBytes: totalBytes, streamEvents: count, getLogEventsCalls: stream.requests.length, kept, analysisMs, secondAnalysisMs })}\n`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
