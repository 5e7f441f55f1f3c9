import type { ECSClient } from '@aws-sdk/client-ecs';
import { deploymentFailedEvent } from '../deployment/deployment-event';
import { deploymentName, revisionHealthy, type DeploymentSnapshot } from '../deployment/deployment-state';
import { newPollMemory, pollDeployment } from '../deployment/poll-deployment';
import type { ActionTaken } from '../report/report-schema';
import { parseHookEvent, serviceOfHookEvent, type HookEvent, type HookResponse } from './hook-event';

/**
 * The decision of the deployment lifecycle hook, as a plain function of the payload and its
 * dependencies (`index.ts` is the Lambda wiring):
 *
 * - a task of the target revision stopped with a failure → the incident is analysed and delivered
 *   like any other (S3 audit, then SNS and Slack), marked "deployment rolled back by the hook", and
 *   the answer is FAILED, so ECS rolls the deployment back;
 * - every requested task of the revision runs, none pending or unhealthy, for `healthyForMs` →
 *   SUCCEEDED;
 * - otherwise IN_PROGRESS with `callBackDelay`, the state (when the revision was first seen healthy,
 *   when the hook first ran) kept in `hookDetails` under `ecsIncidentAnalyzer`, next to the user's own keys.
 *
 * The hook's own faults — an invalid payload, an AWS error or timeout, giving up after `maxWaitMs`, a
 * bug — never fail a deployment unless `failClosed` is set: they are reported to `onFault` (logged and
 * counted by the handler) and answered SUCCEEDED (FAILED when fail-closed).
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html
 */

/** Settings of the hook (environment variables of the hook function, see `config.ts`). */
export interface HookSettings {
  /** Answer FAILED instead of SUCCEEDED when the hook itself fails. */
  failClosed: boolean;
  /** How long the revision's tasks must stay running and healthy before SUCCEEDED, in ms. */
  healthyForMs: number;
  /** `callBackDelay` of IN_PROGRESS answers, in seconds. */
  callBackDelaySeconds: number;
  /** How long the hook waits for the revision at most before giving up (a fault), in ms. */
  maxWaitMs: number;
}

/** What one decision needs. */
export interface HookDeps {
  ecs: ECSClient;
  /** Milliseconds one ECS call may take including retries. */
  callTimeoutMs: number;
  /** Epoch ms clock. */
  now: () => number;
  settings: HookSettings;
  /** Analyses and delivers the synthesized failure event with `actionTaken` in the report. */
  analyseAndDeliver: (event: Record<string, unknown>, actionTaken: ActionTaken) => Promise<void>;
  /** Receives the hook's own faults (the answer then follows `failClosed`). */
  onFault: (error: unknown, response: HookResponse) => void;
  /** Receives a delivery failure after the decision to roll back (the answer stays FAILED). */
  onDeliveryFailure?: (error: unknown) => void;
}

/** The key of our state inside `hookDetails`. */
export const HOOK_STATE_KEY = 'ecsIncidentAnalyzer';

/** The state the hook keeps between invocations (epoch ms). */
export interface HookState {
  firstInvokedAt: number;
  healthySince?: number;
}

function stateOf(event: HookEvent, now: number): HookState {
  const raw = event.hookDetails?.[HOOK_STATE_KEY] as Partial<HookState> | undefined;
  const first = typeof raw?.firstInvokedAt === 'number' && raw.firstInvokedAt <= now ? raw.firstInvokedAt : now;
  return { firstInvokedAt: first, ...(typeof raw?.healthySince === 'number' && raw.healthySince <= now ? { healthySince: raw.healthySince } : {}) };
}

function withState(event: HookEvent, state: HookState): Record<string, unknown> {
  return { ...(event.hookDetails ?? {}), [HOOK_STATE_KEY]: state };
}

/** The answer to give when the hook itself failed. */
export function faultResponse(settings: Pick<HookSettings, 'failClosed'>): HookResponse {
  return { hookStatus: settings.failClosed ? 'FAILED' : 'SUCCEEDED' };
}

/** Why a hook gave up waiting: its own fault (a timeout), not evidence against the deployment. */
export class HookWaitExceededError extends Error {
  override readonly name = 'HookWaitExceededError';
}

async function rollBack(event: HookEvent, snapshot: DeploymentSnapshot, deps: HookDeps): Promise<HookResponse> {
  const now = new Date(deps.now());
  const failure = deploymentFailedEvent(snapshot, `ECS lifecycle hook at ${event.lifecycleStage}`, now);
  const actionTaken: ActionTaken = {
    kind: 'deployment_rolled_back',
    summary: `deployment rolled back by the hook at ${event.lifecycleStage}`,
    lifecycleStage: event.lifecycleStage,
    ...(snapshot.serviceDeploymentArn ? { serviceDeploymentArn: snapshot.serviceDeploymentArn } : {}),
  };
  try {
    if (failure) await deps.analyseAndDeliver(failure, actionTaken);
  } catch (error) {
    // The failed tasks are facts: the deployment is rolled back whether or not the report went out.
    deps.onDeliveryFailure?.(error);
  }
  return { hookStatus: 'FAILED' };
}

async function decide(event: HookEvent, deps: HookDeps): Promise<HookResponse> {
  const now = deps.now();
  const state = stateOf(event, now);
  const { cluster, service } = serviceOfHookEvent(event);
  const serviceDeploymentArn = event.resourceArn?.includes(':service-deployment/') ? event.resourceArn : undefined;
  const target = {
    cluster,
    service,
    ...(serviceDeploymentArn ? { serviceDeploymentArn } : {}),
    ...(event.executionDetails.targetServiceRevisionArn ? { targetServiceRevisionArn: event.executionDetails.targetServiceRevisionArn } : {}),
  };
  const snapshot = await pollDeployment(target, newPollMemory(target), { ecs: deps.ecs, callTimeoutMs: deps.callTimeoutMs, now: deps.now, checkHealth: true });
  if (snapshot.failedTasks.length > 0) return rollBack(event, snapshot, deps);
  if (snapshot.desired === 0) return { hookStatus: 'SUCCEEDED', hookDetails: withState(event, state) };

  if (!revisionHealthy(snapshot)) {
    if (now - state.firstInvokedAt >= deps.settings.maxWaitMs) {
      throw new HookWaitExceededError(
        `deployment ${deploymentName(snapshot)} was not healthy within ${Math.round(deps.settings.maxWaitMs / 1000)} s (${snapshot.running}/${snapshot.desired} running, ${snapshot.pending} pending, ${snapshot.unhealthy} unhealthy)`,
      );
    }
    const next: HookState = { firstInvokedAt: state.firstInvokedAt };
    return { hookStatus: 'IN_PROGRESS', callBackDelay: deps.settings.callBackDelaySeconds, hookDetails: withState(event, next) };
  }
  const healthySince = state.healthySince ?? now;
  const healthyFor = now - healthySince;
  if (healthyFor >= deps.settings.healthyForMs) return { hookStatus: 'SUCCEEDED', hookDetails: withState(event, { ...state, healthySince }) };
  const wait = Math.ceil((deps.settings.healthyForMs - healthyFor) / 1000);
  return {
    hookStatus: 'IN_PROGRESS',
    callBackDelay: Math.max(1, Math.min(deps.settings.callBackDelaySeconds, wait)),
    hookDetails: withState(event, { ...state, healthySince }),
  };
}

/**
 * Answers one invocation of the lifecycle hook. Never throws: faults become `faultResponse`.
 *
 * @param payload the event ECS sent (validated here).
 */
export async function runHook(payload: unknown, deps: HookDeps): Promise<HookResponse> {
  try {
    return await decide(parseHookEvent(payload), deps);
  } catch (error) {
    const response = faultResponse(deps.settings);
    deps.onFault(error, response);
    return response;
  }
}
