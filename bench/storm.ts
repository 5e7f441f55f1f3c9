import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GroupedSink, type IncidentChannel, type PostedReport } from '../lambda/delivery/grouped-sink';
import { IncidentGate } from '../lambda/delivery/incident-gate';
import { GROUPING_DEFAULTS, isMilestone, type GroupingSettings } from '../lambda/delivery/incident-grouping';
import { IncidentStore } from '../lambda/delivery/incident-store';
import type { DeliveryOutcome } from '../lambda/delivery/types';
import type { RcaReport } from '../lambda/report/report-schema';
import { createStateTable } from '../test/helpers/dynalite';
import { sampleReport } from '../test/helpers/report';
import { median, timeMsAsync } from './stats';
import type { Row } from './table';

/**
 * Measurement 7: a storm. A crash-looping service stops 200 tasks with the same root cause (one a
 * minute of event time) and each stop's report goes through the incident gate and two grouped
 * channels — a broadcast channel (Slack webhook, SNS) and a threaded one (Slack bot token) — against
 * dynalite (a real local DynamoDB) in its own process, as DynamoDB is a service beside the function.
 * Once with one invocation at a time, once with 10 in parallel (10 execution environments, each with
 * its own gate, taking the next event when done). The figure is the wall time per event; the budget
 * is that 10 in parallel are not slower per event than one at a time, which they were while
 * concurrent invocations retried on the incident record. Every run must also notify exactly what
 * grouping promises: one full report per channel, a summary per milestone in the threaded channel
 * and at most one per window in the broadcast channel.
 */

const TASKS = 200;
const PARALLEL = 10;
const RUNS = 3;
/**
 * Added to every DynamoDB call: the network round trip a local dynalite lacks (DynamoDB answers in
 * single-digit milliseconds within a Region, https://aws.amazon.com/dynamodb/features/). Both modes pay
 * it alike; it is what lets parallel invocations overlap, as they do in Lambda.
 */
const ROUND_TRIP_MS = 5;
const T0 = Date.parse('2026-01-15T10:02:00.000Z');
const SETTINGS: GroupingSettings = { ...GROUPING_DEFAULTS, windowMs: 60 * 60_000 };

/** Budget: wall time per event with 10 in parallel ÷ one at a time. */
export const STORM_PARALLEL_RATIO = 1.0;

/** The report of the n-th stopped task: its own task, event id and time (n minutes after T0). */
function stopReport(n: number): RcaReport {
  const base = sampleReport();
  return {
    ...base,
    trigger: { ...base.trigger, eventId: `storm-${n}`, time: new Date(T0 + n * 60_000).toISOString() },
    resource: { ...base.resource, taskArn: `arn:aws:ecs:us-east-1:111122223333:task/app-prod/${n.toString(16).padStart(32, '0')}` },
  };
}

/** A channel that accepts everything at once and counts what it was sent. */
class CountingChannel implements IncidentChannel {
  /** Answers at once. */
  readonly timeoutMs = 1_000;
  reports = 0;
  summaries = 0;

  constructor(
    readonly name: string,
    private readonly isThreaded: boolean,
  ) {}

  async deliver(): Promise<DeliveryOutcome> {
    return { sink: this.name, ok: true };
  }

  async postReport(): Promise<PostedReport> {
    this.reports += 1;
    return { outcome: { sink: this.name, ok: true }, ...(this.isThreaded ? { thread: { channel: 'C0STORM', ts: '1767225600.000001' } } : {}) };
  }

  async threaded(): Promise<boolean> {
    return this.isThreaded;
  }

  async postUpdate(): Promise<DeliveryOutcome> {
    this.summaries += 1;
    return { sink: this.name, ok: true };
  }
}

/** dynalite in a child process (the repository's copy), on 127.0.0.1 and a free port. */
async function startDynaliteProcess(): Promise<{ endpoint: string; child: ChildProcess }> {
  const script = [
    "const server = require('dynalite')({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });",
    "server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));",
  ].join(' ');
  const child = spawn(process.execPath, ['-e', script], { cwd: join(__dirname, '..'), stdio: ['ignore', 'pipe', 'inherit'] });
  const [chunk] = (await Promise.race([once(child.stdout!, 'data'), once(child, 'exit').then(() => [undefined])])) as [Buffer | undefined];
  const port = Number(chunk?.toString().trim());
  if (!Number.isInteger(port) || port <= 0) throw new Error('dynalite did not start');
  return { endpoint: `http://127.0.0.1:${port}`, child };
}

/** DynamoDB calls made, reads among them, and conditions refused, counted on the client. */
interface CallCount {
  calls: number;
  reads: number;
  refused: number;
}

function countingClient(endpoint: string, count: CallCount): DynamoDBClient {
  const client = new DynamoDBClient({ region: 'us-east-1', endpoint, maxAttempts: 1, credentials: { accessKeyId: 'DYNALITE', secretAccessKey: 'DYNALITE' } });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      count.calls += 1;
      if (context.commandName === 'GetItemCommand') count.reads += 1;
      await sleep(ROUND_TRIP_MS);
      try {
        return await next(args);
      } catch (error) {
        if (error instanceof Error && error.name === 'ConditionalCheckFailedException') count.refused += 1;
        throw error;
      }
    },
    { step: 'initialize', name: 'stormCallCount' },
  );
  return client;
}

/** One storm: every report through `parallel` environments. */
interface StormRun {
  ms: number;
  calls: number;
  reads: number;
  refused: number;
  /** channel name → [full reports, summaries] */
  sent: Record<string, [number, number]>;
}

async function runStorm(client: DynamoDBClient, count: CallCount, tableName: string, parallel: number): Promise<StormRun> {
  const channels = [new CountingChannel('webhook', false), new CountingChannel('slack-thread', true)];
  const store = new IncidentStore({ client, tableName, timeoutMs: 30_000 });
  const environments: GroupedSink[][] = Array.from({ length: parallel }, () => {
    const gate = new IncidentGate({ store, settings: SETTINGS });
    return channels.map((channel) => new GroupedSink(channel, gate));
  });
  const reports = Array.from({ length: TASKS }, (_, n) => stopReport(n));
  const before = { ...count };
  let next = 0;
  const ms = await timeMsAsync(() =>
    Promise.all(
      environments.map(async (sinks) => {
        for (let i = next++; i < reports.length; i = next++) {
          const report = reports[i] as RcaReport;
          const ctx = { deadline: Date.now() + 60_000 };
          // As deliver() does: the notification sinks of one invocation in parallel.
          const outcomes = await Promise.all(sinks.map((sink) => sink.deliver(report, ctx)));
          const failed = outcomes.find((o) => !o.ok);
          if (failed) throw new Error(`storm delivery failed: ${failed.error ?? failed.detail ?? failed.sink}`);
        }
      }),
    ),
  );
  return {
    ms,
    calls: count.calls - before.calls,
    reads: count.reads - before.reads,
    refused: count.refused - before.refused,
    sent: Object.fromEntries(channels.map((c) => [c.name, [c.reports, c.summaries]])),
  };
}

/**
 * What grouping promises for the storm: per channel one full report; in the threaded channel a
 * summary at each milestone (up to `maxSummaries`); in the broadcast channel the milestones at least
 * a window of event time after the previous broadcast one.
 */
function expectedNotifications(): Record<string, [number, number]> {
  const milestones = Array.from({ length: TASKS }, (_, i) => i + 1).filter((n) => isMilestone(n, SETTINGS)).slice(0, SETTINGS.maxSummaries);
  let lastBroadcast = Number.NEGATIVE_INFINITY;
  let broadcast = 0;
  for (const n of milestones) {
    // The n-th occurrence happened about n - 1 minutes after T0 (±PARALLEL when they run in parallel).
    const at = (n - 1) * 60_000;
    if (at - lastBroadcast >= SETTINGS.windowMs) {
      broadcast += 1;
      lastBroadcast = at;
    }
  }
  return { webhook: [1, broadcast], 'slack-thread': [1, milestones.length] };
}

/** The storm rows: per-event time with 10 in parallel beside one at a time, and the notifications sent. */
export async function measureStorm(log: (line: string) => void): Promise<{ rows: Row[]; notes: string[] }> {
  const { endpoint, child } = await startDynaliteProcess();
  const count: CallCount = { calls: 0, reads: 0, refused: 0 };
  const client = countingClient(endpoint, count);
  const sequential: StormRun[] = [];
  const parallel: StormRun[] = [];
  try {
    let tables = 0;
    const table = () => createStateTable(client, `storm-${(tables += 1)}`);
    // A warm-up storm of each kind (connections, JIT), then alternating runs so that noise and drift hit both alike.
    await runStorm(client, count, await table(), 1);
    await runStorm(client, count, await table(), PARALLEL);
    for (let run = 0; run < RUNS; run += 1) {
      for (const parallelFirst of run % 2 === 0 ? [false, true] : [true, false]) {
        if (parallelFirst) parallel.push(await runStorm(client, count, await table(), PARALLEL));
        else sequential.push(await runStorm(client, count, await table(), 1));
      }
      log(`  run ${run + 1}: ${(sequential.at(-1)!.ms / TASKS).toFixed(2)} ms/event one at a time, ${(parallel.at(-1)!.ms / TASKS).toFixed(2)} ms/event ${PARALLEL} in parallel`);
    }
  } finally {
    client.destroy();
    child.kill();
  }
  const perEvent = (runs: StormRun[]) => median(runs.map((r) => r.ms / TASKS));
  const seq = perEvent(sequential);
  const par = perEvent(parallel);
  const expected = expectedNotifications();
  const describe = (sent: Record<string, [number, number]>) =>
    Object.entries(sent)
      .map(([name, [reports, summaries]]) => `${name} ${reports} report + ${summaries} summaries`)
      .join(', ');
  const wrong = [...sequential, ...parallel].filter((r) => describe(r.sent) !== describe(expected));
  const calls = (runs: StormRun[]) => median(runs.map((r) => r.calls / TASKS));
  const reads = (runs: StormRun[]) => median(runs.map((r) => r.reads / TASKS));
  const refused = (runs: StormRun[]) => median(runs.map((r) => r.refused));
  const callsOf = (runs: StormRun[]) => `${calls(runs).toFixed(2)} (reads ${reads(runs).toFixed(2)}, ${refused(runs)} conditions refused)`;
  return {
    rows: [
      {
        name: `8 storm ${TASKS} tasks, ${PARALLEL} in parallel`,
        figure: `${par.toFixed(2)} ms/event`,
        reference: `${seq.toFixed(2)} ms/event one at a time`,
        ratio: par / seq,
        budget: `≤ ${STORM_PARALLEL_RATIO.toFixed(1)}× one at a time`,
        pass: par / seq <= STORM_PARALLEL_RATIO,
      },
      {
        name: '8 storm notifications (every run)',
        figure: wrong.length === 0 ? describe(expected) : `${wrong.length} of ${sequential.length + parallel.length} runs sent ${describe(wrong[0]!.sent)}`,
        reference: 'one report per channel, summaries per milestone',
        budget: 'exactly as grouping promises',
        pass: wrong.length === 0,
      },
      {
        name: '8 storm DynamoDB calls per event',
        figure: `${callsOf(parallel)} ${PARALLEL} in parallel`,
        reference: `${callsOf(sequential)} one at a time`,
        ratio: calls(parallel) / calls(sequential),
        budget: '',
      },
    ],
    notes: [
      `storm: dynalite in a child process, ${ROUND_TRIP_MS} ms added to every call; ${TASKS} task stops one minute apart in event time, grouping window ${SETTINGS.windowMs / 60_000} min; medians of ${RUNS} runs each after a warm-up. A read per event above 1 is a decision read again; refused conditions include claims skipped because another invocation made them unnecessary (a later last-seen time, a lost opening race).`,
    ],
  };
}
