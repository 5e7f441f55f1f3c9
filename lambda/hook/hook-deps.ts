import { deliveryNeedMs, type DeliverySinks } from '../delivery/deliver';
import { buildSinks, defaultHandlerClients, type HandlerClients } from '../handler/dependencies';
import { runAnalysis } from '../pipeline/run-analysis';
import type { ActionTaken } from '../report/report-schema';
import { Deadline } from '../shared/deadline';
import { hookConfigFromEnv, type HookConfig } from './config';
import type { HookDeps } from './run-hook';

/**
 * The hook's dependencies: ECS for the polls, and for a failing deployment the same pipeline and
 * sinks as the analyzer (`runAnalysis`: collect → classify → report → S3 audit first, then SNS and
 * Slack). No incident grouping: a rolled-back deployment is always news.
 */

/**
 * How long the analysis of a failing deployment may take, collection and delivery together, in ms.
 * Of that, delivery keeps what its sinks need (`deliveryNeedMs`), as the analyzer's handler does;
 * collection gets the rest, or nothing when delivery needs it all.
 */
export const HOOK_ANALYSIS_BUDGET_MS = 60_000;

/**
 * Builds the dependencies from a configuration and clients (tests pass local ones).
 *
 * @param now epoch ms clock of the decisions and of the report's `analyzedAt`.
 */
export function hookDepsOf(config: HookConfig, clients: HandlerClients, now: () => number = Date.now): Omit<HookDeps, 'onFault' | 'onDeliveryFailure'> {
  const sinks: DeliverySinks = buildSinks(config.handler, clients);
  const collectionMs = Math.max(0, HOOK_ANALYSIS_BUDGET_MS - deliveryNeedMs(sinks));
  return {
    ecs: clients.ecs,
    callTimeoutMs: config.handler.collect.callTimeoutMs,
    now,
    settings: config.settings,
    analyseAndDeliver: async (event: Record<string, unknown>, actionTaken: ActionTaken) => {
      // Budgets run on the real clock: the collectors' and sinks' timers do.
      await runAnalysis(event, {
        clients,
        collectConfig: config.handler.collect,
        deadline: Deadline.after(collectionMs),
        sinks,
        deliveryDeadline: Date.now() + HOOK_ANALYSIS_BUDGET_MS,
        now: () => new Date(now()),
        actionTaken,
      });
    },
  };
}

/**
 * The dependencies of this execution environment, from the environment variables.
 *
 * @throws HandlerConfigError when a variable is invalid.
 */
export function buildHookDeps(env: Readonly<Record<string, string | undefined>>): Omit<HookDeps, 'onFault' | 'onDeliveryFailure'> {
  const config = hookConfigFromEnv(env);
  return hookDepsOf(config, defaultHandlerClients(config.handler));
}
