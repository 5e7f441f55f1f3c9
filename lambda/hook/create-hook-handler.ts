import type { Logger } from '@aws-lambda-powertools/logger';
import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { Context } from 'aws-lambda';
import { describeError } from '../shared/http-timeout';
import type { HookResponse } from './hook-event';
import { faultResponse, runHook, type HookDeps } from './run-hook';

/**
 * The lifecycle hook's Lambda wiring, thin over `runHook`: builds the dependencies (once), answers
 * before the function times out, logs every answer and fault, and emits the metrics `HookAnswers`
 * (dimension `hookStatus`) and `HookFaults` (the hook's own failures, answered per `HOOK_FAIL_CLOSED`).
 * A timed-out or crashed hook function would make ECS roll the deployment back, which is exactly what
 * fail-open promises not to do; so the answer races the Lambda deadline.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html
 */

/** Metric names of the hook. */
export const HOOK_METRICS = { answers: 'HookAnswers', faults: 'HookFaults' } as const;

/** Milliseconds kept before the Lambda timeout to answer and flush logs and metrics. */
export const HOOK_ANSWER_MARGIN_MS = 2_000;

/** Options of `createHookHandler`. */
export interface CreateHookHandlerOptions {
  /** The dependencies (without `onFault`, which the handler provides), or a function building them; it may throw (invalid configuration). */
  deps: () => Omit<HookDeps, 'onFault' | 'onDeliveryFailure'> | Promise<Omit<HookDeps, 'onFault' | 'onDeliveryFailure'>>;
  /** Whether a fault fails the deployment, when the dependencies cannot even be built. */
  failClosed: boolean;
  logger: Logger;
  metrics: Metrics;
}

function count(metrics: Metrics, name: string, dimension?: [string, string]): void {
  const metric = metrics.singleMetric();
  if (dimension) metric.addDimension(dimension[0], dimension[1]);
  metric.addMetric(name, MetricUnit.Count, 1);
}

/** Builds the handler `(event, context) => HookResponse`; it never throws. */
export function createHookHandler(options: CreateHookHandlerOptions): (event: unknown, context: Context) => Promise<HookResponse> {
  const { logger, metrics } = options;
  let built: ReturnType<CreateHookHandlerOptions['deps']> | undefined;
  const onFault = (error: unknown, response: HookResponse): void => {
    count(metrics, HOOK_METRICS.faults);
    logger.error(`Lifecycle hook fault; answering ${response.hookStatus} (${options.failClosed ? 'fail-closed' : 'fail-open'})`, {
      error: describeError(error),
      ...(error instanceof Error ? { errorName: error.name } : {}),
    });
  };

  return async (event, context) => {
    logger.addContext(context);
    let timer: NodeJS.Timeout | undefined;
    try {
      let deps: Awaited<ReturnType<CreateHookHandlerOptions['deps']>>;
      try {
        built ??= options.deps();
        deps = await built;
      } catch (error) {
        built = undefined;
        const response = faultResponse({ failClosed: options.failClosed });
        onFault(error, response);
        return response;
      }
      const full: HookDeps = {
        ...deps,
        onFault,
        onDeliveryFailure: (error) => logger.error('Report of the rolled-back deployment not delivered', { error: describeError(error) }),
      };
      const budget = Math.max(0, context.getRemainingTimeInMillis() - HOOK_ANSWER_MARGIN_MS);
      const late = new Promise<HookResponse>((resolve) => {
        timer = setTimeout(() => {
          const response = faultResponse(deps.settings);
          onFault(new Error(`no decision within ${budget} ms of the invocation's time`), response);
          resolve(response);
        }, budget);
      });
      const response = await Promise.race([runHook(event, full), late]);
      count(metrics, HOOK_METRICS.answers, ['hookStatus', response.hookStatus]);
      logger.info('Lifecycle hook answered', {
        hookStatus: response.hookStatus,
        ...(response.callBackDelay !== undefined ? { callBackDelay: response.callBackDelay } : {}),
        lifecycleStage: (event as { lifecycleStage?: unknown } | null)?.lifecycleStage,
      });
      return response;
    } finally {
      if (timer) clearTimeout(timer);
      metrics.publishStoredMetrics();
    }
  };
}
