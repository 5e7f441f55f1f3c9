import type { RcaReport } from '../report/report-schema';
import { deploymentName, progressLine, type DeploymentSnapshot } from './deployment-state';
import { newPollMemory, pollDeployment, pollFailure, type DeploymentTarget, type PollDeps } from './poll-deployment';

/**
 * Follows one deployment until it succeeds, fails or the time runs out. As soon as a task of the new
 * revision stops with a failure (or ECS rolls the deployment back) it hands the snapshot to `analyse`
 * and returns the report, without waiting for the circuit breaker.
 *
 * Polling respects the ECS API's request limits: every call goes through the SDK's `standard` retry
 * mode (which retries throttling with backoff), and a poll that is still throttled after those
 * retries doubles the interval up to `maxPollIntervalMs`; it comes back to the base interval after a
 * poll that succeeds. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html
 * The clock and the sleep are injected, so tests replay recorded deployments without waiting.
 */

export { WATCH_DEFAULTS } from './watch-defaults';
import { WATCH_DEFAULTS } from './watch-defaults';

/** Options of one watch. */
export interface WatchOptions {
  target: DeploymentTarget;
  /** Milliseconds until the watch gives up (exit 3). */
  timeoutMs: number;
  /** Milliseconds between polls. */
  pollIntervalMs?: number;
  /** Longest interval after throttling, in ms. */
  maxPollIntervalMs?: number;
}

/** What a watch needs from outside. */
export interface WatchDeps extends PollDeps {
  /** Epoch ms clock. */
  now: () => number;
  /** Waits `ms` milliseconds. */
  sleep: (ms: number) => Promise<void>;
  /** Receives one line each time the deployment's state changes (and on throttling and errors). */
  progress: (line: string) => void;
  /** Analyses a failing deployment (collect evidence → report). */
  analyse: (snapshot: DeploymentSnapshot) => Promise<RcaReport>;
}

/** How a watch ended. */
export type WatchOutcome =
  | { kind: 'succeeded'; snapshot: DeploymentSnapshot; polls: number }
  | { kind: 'failed'; snapshot: DeploymentSnapshot; report: RcaReport; polls: number }
  | { kind: 'timeout'; snapshot?: DeploymentSnapshot; polls: number; lastError?: string };

/**
 * Watches the deployment.
 *
 * @throws PollError of kind `denied` (no credentials, no Region, access denied) or `not_found`
 *   (unknown cluster, service or deployment): waiting cannot fix them.
 */
export async function watchDeployment(options: WatchOptions, deps: WatchDeps): Promise<WatchOutcome> {
  const base = options.pollIntervalMs ?? WATCH_DEFAULTS.pollIntervalMs;
  const longest = Math.max(base, options.maxPollIntervalMs ?? WATCH_DEFAULTS.maxPollIntervalMs);
  const started = deps.now();
  const memory = newPollMemory(options.target);
  let interval = base;
  let lastLine: string | undefined;
  let snapshot: DeploymentSnapshot | undefined;
  let lastError: string | undefined;
  let polls = 0;
  const say = (line: string) => {
    if (line !== lastLine) deps.progress(line);
    lastLine = line;
  };

  for (;;) {
    polls += 1;
    try {
      snapshot = await pollDeployment(options.target, memory, deps);
      lastError = undefined;
      interval = base;
      say(progressLine(snapshot));
      if (snapshot.phase === 'succeeded') return { kind: 'succeeded', snapshot, polls };
      if (snapshot.phase === 'failed') {
        deps.progress(`analysing deployment ${deploymentName(snapshot)}: ${snapshot.failedTasks.length} failed tasks, status ${snapshot.status}`);
        return { kind: 'failed', snapshot, report: await deps.analyse(snapshot), polls };
      }
    } catch (error) {
      const failure = pollFailure(error);
      if (failure.kind === 'denied' || failure.kind === 'not_found') throw failure;
      lastError = failure.message;
      if (failure.kind === 'throttled') {
        interval = Math.min(longest, interval * 2);
        say(`ECS throttled the poll; polling every ${Math.round(interval / 1000)} s`);
      } else {
        say(`poll failed, retrying: ${failure.message}`);
      }
    }
    const remaining = options.timeoutMs - (deps.now() - started);
    if (remaining <= 0) return { kind: 'timeout', ...(snapshot ? { snapshot } : {}), polls, ...(lastError ? { lastError } : {}) };
    await deps.sleep(Math.min(interval, remaining));
  }
}
