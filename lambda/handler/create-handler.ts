import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler, type MiddyHandlerObject } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from '../classification/taxonomy';
import type { DeliveryOutcome } from '../delivery/types';
import type { HandlerDeps } from './dependencies';
import { eventIdOf } from './event-fields';

/**
 * The Lambda handler: middy wiring (Powertools logger with the EventBridge event id as correlation
 * id, Powertools metrics) around one call of `runAnalysis`.
 *
 * Failure policy (asynchronous invocation by EventBridge,
 * https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html):
 * - an invalid or unsupported event is logged with the reason, counted (`InvalidEvents`) and
 *   acknowledged: retrying it cannot help;
 * - an S3 audit write failure fails the invocation, so Lambda retries it and, after its retries, the
 *   on-failure destination keeps the event; nothing was notified before the audit existed;
 * - an SNS or Slack failure (after its retries) is an outcome in the audit record, a log line and a
 *   `SinkFailures` metric, and the invocation still succeeds (a retry would notify the other channels
 *   twice);
 * - a notification that got no try at all because the deadline had passed fails the invocation
 *   (`DeliveryIncompleteError`, after the audit record was rewritten), so Lambda retries it and the
 *   idempotency record does not swallow the retry;
 * - a duplicate delivery (same idempotency key, see `idempotency.ts`) returns `duplicate` without
 *   running, also while the first delivery is still being processed: that one's own retries cover
 *   its failure;
 * - a recovery event (deployment completed, service steady state) closes the service's open
 *   incidents when grouping is on; a table or channel failure there is logged, not retried.
 *
 * Only the middy wiring is loaded with this module. The invocation itself (`invocation.ts`, which
 * loads the pipeline and the AWS SDK clients) is imported on the first invocation and reused, so a
 * cold start does not pay for modules it does not run yet.
 */

// The budgets live in a dependency-free module that `invocation.ts` shares; callers keep importing them from here.
export { FINAL_MARGIN_MS, invocationBudgets, type InvocationBudgets } from './budgets';

/** What one invocation did (the return value; Lambda records it for on-success destinations). */
export type HandlerResult =
  | {
      status: 'ignored';
      /** The event's `id`, when it has one. */
      eventId?: string;
      /** Why the event was not analysed (the validation message). */
      reason: string;
    }
  | {
      status: 'analysed';
      eventId: string;
      incidentKey: string;
      category: Category;
      alert: boolean;
      evidenceGaps: string[];
      /** The audit write, then each notification sink's outcome. */
      deliveries: DeliveryOutcome[];
      /** What incident grouping did with this occurrence (grouping on, alerting reports only). */
      incident?: { action: 'notify' | 'summarize' | 'suppress'; reason: string; occurrences?: number };
    }
  | {
      status: 'duplicate';
      eventId?: string;
      /** `already processed` or `being processed by another invocation`. */
      reason: string;
      /** The first delivery's result, when it has finished. */
      original?: HandlerResult;
    }
  | {
      status: 'recovered';
      eventId: string;
      /** `<cluster>/<service>`. */
      service: string;
      /** Keys of the incidents closed. */
      resolved: string[];
      /** The resolution notes' outcomes. */
      deliveries: DeliveryOutcome[];
    };

/** Options of `createHandler`. */
export interface CreateHandlerOptions {
  /**
   * The dependencies, or a function building them on first use (called once per invocation; memoise
   * it). It may return a promise, so that the modules the dependencies need are loaded only then.
   */
  deps: HandlerDeps | (() => HandlerDeps | Promise<HandlerDeps>);
  logger: Logger;
  metrics: Metrics;
}

/** Sets the logger's correlation id to the EventBridge event `id` (reset after each invocation). */
function correlationIdFromEvent(logger: Logger): MiddlewareObj<unknown, HandlerResult, Error, Context> {
  return {
    before: (request) => {
      const id = eventIdOf(request.event);
      if (id) logger.setCorrelationId(id);
    },
  };
}

let invocationModule: Promise<typeof import('./invocation')> | undefined;

/**
 * `invocation.ts`, imported once per execution environment. A failed import is not cached, so the
 * next invocation tries again instead of failing until the environment is recycled.
 */
function loadInvocation(): Promise<typeof import('./invocation')> {
  invocationModule ??= import('./invocation').catch((error: unknown) => {
    invocationModule = undefined;
    throw error;
  });
  return invocationModule;
}

async function handle(event: unknown, context: Context, signal: AbortSignal | undefined, options: CreateHandlerOptions): Promise<HandlerResult> {
  let deps: HandlerDeps;
  try {
    deps = typeof options.deps === 'function' ? await options.deps() : options.deps;
  } catch (error) {
    // A configuration error: fail so the event is retried and kept, and say why on this invocation too.
    options.logger.error('Handler not configured; the event will be retried', error as Error);
    throw error;
  }
  const { handleInvocation } = await loadInvocation();
  return handleInvocation(event, context, signal, deps, options);
}

/**
 * Builds the middy-wrapped handler. Only this folder loads middy and Powertools; the pipeline and its
 * tests never do.
 *
 * Middlewares, in order: `injectLambdaContext` (Lambda context keys on every log line, keys reset
 * after each invocation), `logMetrics` (flushes metrics after success or failure, with a `ColdStart`
 * metric), then the correlation id (the EventBridge event `id`).
 *
 * @throws AuditWriteError (from the invocation) when the S3 audit write fails, and any unexpected error.
 */
export function createHandler(options: CreateHandlerOptions): MiddyfiedHandler<unknown, HandlerResult, Error, Context> {
  const base = (event: unknown, context: Context, opts: MiddyHandlerObject): Promise<HandlerResult> => handle(event, context, opts?.signal, options);
  return middy<unknown, HandlerResult, Error, Context>(base)
    .use(injectLambdaContext(options.logger, { resetKeys: true }))
    .use(logMetrics(options.metrics, { captureColdStartMetric: true }))
    .use(correlationIdFromEvent(options.logger));
}
