import { setTimeout as sleep } from 'node:timers/promises';
import type { CollectConfig } from '../lambda/evidence/collect-config';
import { collectEvidence, type CollectDeps } from '../lambda/evidence/collect-evidence';
import type { IncidentBundle } from '../lambda/evidence/bundle/read-bundle';
import type { TriggerKind } from '../lambda/evidence/types';
import { analyzeEvidence } from '../lambda/pipeline/run-analysis';
import { Deadline } from '../lambda/shared/deadline';
import { mockDeps, resetMocks, serveBundle } from '../test/evidence/live/corpus-aws';
import { BENCH_BUNDLES, loadBundle } from './corpus';
import { median, timeMsAsync } from './stats';
import type { Row } from './table';

/**
 * Measurement 2: the critical path of evidence collection. AWS is the recorded evidence of a corpus
 * bundle served through aws-sdk-client-mock (`test/evidence/live/corpus-aws.ts`), and every call
 * answers 100 ms after it is sent, so the time is dominated by how many calls wait on each other.
 * Each call's start and end are recorded; the number of sequential round trips is the longest chain
 * of calls in which each starts after the previous one ended.
 */

/** Simulated latency of every AWS call. */
export const CALL_DELAY_MS = 100;
/** Budget for a task stop: sequential round trips. */
export const TASK_STOP_ROUND_TRIPS = 3;
/** Budget for a task stop: end-to-end ms of collection and analysis. */
export const TASK_STOP_BUDGET_MS = 600;
const RUNS = 5;

/** One recorded AWS call, times in ms on a monotonic clock. */
export interface CallSpan {
  name: string;
  start: number;
  end: number;
}

const now = (): number => performance.now();

/**
 * The longest chain of calls where each starts at or after the end of the one before: the number of
 * round trips that could not overlap.
 */
export function longestChain(calls: readonly CallSpan[]): CallSpan[] {
  const sorted = [...calls].sort((a, b) => a.end - b.end);
  const best: CallSpan[][] = [];
  sorted.forEach((call, i) => {
    let chain: CallSpan[] = [];
    for (let j = 0; j < i; j += 1) {
      const before = sorted[j] as CallSpan;
      const candidate = best[j] as CallSpan[];
      if (before.end <= call.start && candidate.length > chain.length) chain = candidate;
    }
    best.push([...chain, call]);
  });
  return best.reduce<CallSpan[]>((a, b) => (b.length > a.length ? b : a), []);
}

interface Sendable {
  send(command: object, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/** Makes every call of `client` answer `CALL_DELAY_MS` late and records its span in `calls`. */
function delayed(client: Sendable, service: string, calls: CallSpan[]): void {
  const send = client.send.bind(client);
  client.send = async (command, options) => {
    const start = now();
    try {
      await sleep(CALL_DELAY_MS, undefined, options?.abortSignal ? { signal: options.abortSignal } : undefined);
      return await send(command, options);
    } finally {
      calls.push({ name: `${service}:${command.constructor.name.replace(/Command$/, '')}`, start, end: now() });
    }
  };
}

/** What one trigger kind measured. */
export interface CriticalPathResult {
  kind: TriggerKind;
  /** Row name; defaults to the kind (e.g. `task_stopped with change evidence`). */
  label?: string;
  file: string;
  /** Median end-to-end ms of collection + analysis. */
  endToEndMs: number;
  /** Median ms of the analysis alone (after collection). */
  analysisMs: number;
  roundTrips: number;
  calls: number;
  /** The calls of the longest chain, in order (from the last run). */
  chain: string[];
  gaps: string[];
}

/** Runs measurement 2 for one trigger kind, on its corpus bundle or on `given` (e.g. a change fixture). */
export async function measureCriticalPath(
  kind: TriggerKind,
  config: Partial<CollectConfig>,
  given?: { file: string; bundle: IncidentBundle; label: string },
): Promise<CriticalPathResult> {
  const file = given?.file ?? BENCH_BUNDLES[kind];
  const bundle = given?.bundle ?? loadBundle(file);
  const ends: number[] = [];
  const analyses: number[] = [];
  const trips: number[] = [];
  let last: { calls: CallSpan[]; chain: CallSpan[]; gaps: string[] } | undefined;
  for (let run = 0; run < RUNS + 1; run += 1) {
    resetMocks();
    serveBundle(bundle);
    const calls: CallSpan[] = [];
    const deps: CollectDeps = mockDeps(config, Deadline.after(30_000));
    delayed(deps.clients.ecs as unknown as Sendable, 'ecs', calls);
    delayed(deps.clients.logs as unknown as Sendable, 'logs', calls);
    delayed(deps.clients.elbv2 as unknown as Sendable, 'elbv2', calls);
    delayed(deps.clients.cloudwatch as unknown as Sendable, 'cloudwatch', calls);
    let gaps: string[] = [];
    let analysisMs = 0;
    const ms = await timeMsAsync(async () => {
      const { evidence } = await collectEvidence(bundle.event, file, deps);
      gaps = evidence.gaps;
      const start = now();
      analyzeEvidence(evidence);
      analysisMs = now() - start;
    });
    if (run === 0) continue; // warm-up: module loading and JIT
    const chain = longestChain(calls);
    ends.push(ms);
    analyses.push(analysisMs);
    trips.push(chain.length);
    last = { calls, chain, gaps };
  }
  resetMocks();
  if (!last) throw new Error('no run');
  return {
    kind,
    ...(given ? { label: given.label } : {}),
    file,
    endToEndMs: median(ends),
    analysisMs: median(analyses),
    roundTrips: median(trips),
    calls: last.calls.length,
    chain: last.chain.map((c) => c.name),
    gaps: last.gaps,
  };
}

/** Table rows of measurement 2. */
export function criticalPathRows(results: readonly CriticalPathResult[]): Row[] {
  const rows: Row[] = [];
  for (const r of results) {
    const budgeted = r.kind === 'task_stopped';
    const name = r.label ?? r.kind;
    rows.push({
      name: `2 ${name}: round trips`,
      figure: `${r.roundTrips} sequential`,
      reference: `${r.calls} calls in all`,
      budget: budgeted ? `≤ ${TASK_STOP_ROUND_TRIPS}` : '',
      ...(budgeted ? { pass: r.roundTrips <= TASK_STOP_ROUND_TRIPS } : {}),
    });
    const floor = r.roundTrips * CALL_DELAY_MS;
    rows.push({
      name: `2 ${name}: end to end`,
      figure: `${r.endToEndMs.toFixed(0)} ms (analysis ${r.analysisMs.toFixed(0)} ms)`,
      reference: `${r.roundTrips} × ${CALL_DELAY_MS} ms = ${floor} ms`,
      ratio: r.endToEndMs / floor,
      budget: budgeted ? `< ${TASK_STOP_BUDGET_MS} ms` : '',
      ...(budgeted ? { pass: r.endToEndMs < TASK_STOP_BUDGET_MS } : {}),
    });
  }
  return rows;
}
