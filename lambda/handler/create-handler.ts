import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler, type MiddyHandlerObject } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from '../classification/taxonomy';
import { AuditWriteError } from '../delivery/deliver';
import type { DeliveryOutcome } from '../delivery/types';
import { runAnalysis } from '../pipeline/run-analysis';
import { Deadline } from '../shared/deadline';
import { BadInputError, UnsupportedEventError } from '../shared/errors';
import type { HandlerDeps } from './dependencies';
import { recordAnalysed, recordInvalidEvent, recordSinkFailure } from './metrics';

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
 * - an SNS or Slack failure is an outcome in the audit record, a log line and a `SinkFailures` metric,
 *   and the invocation still succeeds (a retry would notify the other channels twice).
 */

/** Milliseconds kept after delivery to flush logs and metrics and return. */
export const FINAL_MARGIN_MS = 1_000;
/**
 * Milliseconds kept for delivery after evidence collection (audit write, notifications, audit
 * rewrite); at most half of the time left, so a short timeout still leaves time to collect.
 */
export const DELIVERY_RESERVE_MS = 15_000;

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
    };

/** Options of `createHandler`. */
export interface CreateHandlerOptions {
  /** The dependencies, or a function building them on first use (called once per invocation; memoise it). */
  deps: HandlerDeps | (() => HandlerDeps);
  logger: Logger;
  metrics: Metrics;
  /** Override of `DELIVERY_RESERVE_MS`. */
  deliveryReserveMs?: number;
  /** Override of `FINAL_MARGIN_MS`. */
  finalMarginMs?: number;
}

/** The time budgets of one invocation. */
export interface InvocationBudgets {
  /** Milliseconds kept back from the remaining time before collection must stop. */
  collectionMarginMs: number;
  /** Epoch ms by which deliveries must have finished. */
  deliveryDeadline: number;
}

/**
 * Splits the remaining time: collection stops `collectionMarginMs` before the end (the delivery
 * reserve, capped at half the usable time, plus the final margin); deliveries end at the final margin.
 *
 * @param remainingMs `context.getRemainingTimeInMillis()`.
 * @param nowMs the current epoch ms.
 */
export function invocationBudgets(remainingMs: number, nowMs: number, reserveMs = DELIVERY_RESERVE_MS, finalMarginMs = FINAL_MARGIN_MS): InvocationBudgets {
  const usable = Math.max(0, remainingMs - finalMarginMs);
  const reserve = Math.min(reserveMs, Math.floor(usable / 2));
  return { collectionMarginMs: finalMarginMs + reserve, deliveryDeadline: nowMs + usable };
}

function eventIdOf(event: unknown): string | undefined {
  const id = typeof event === 'object' && event !== null ? (event as { id?: unknown }).id : undefined;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function detailTypeOf(event: unknown): string | undefined {
  const value = typeof event === 'object' && event !== null ? (event as Record<string, unknown>)['detail-type'] : undefined;
  return typeof value === 'string' ? value : undefined;
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

async function handle(event: unknown, context: Context, signal: AbortSignal | undefined, options: CreateHandlerOptions): Promise<HandlerResult> {
  const { logger, metrics } = options;
  let deps: HandlerDeps;
  try {
    deps = typeof options.deps === 'function' ? options.deps() : options.deps;
  } catch (error) {
    // A configuration error: fail so the event is retried and kept, and say why on this invocation too.
    logger.error('Handler not configured; the event will be retried', error as Error);
    throw error;
  }
  const now = deps.now ?? Date.now;
  const budgets = invocationBudgets(context.getRemainingTimeInMillis(), now(), options.deliveryReserveMs, options.finalMarginMs);
  const deadline = Deadline.fromLambdaContext(context, { safetyMarginMs: budgets.collectionMarginMs, now });
  const eventId = eventIdOf(event);

  let result: Awaited<ReturnType<typeof runAnalysis>>;
  try {
    result = await runAnalysis(event, {
      clients: deps.clients,
      collectConfig: deps.config.collect,
      deadline,
      sinks: deps.sinks,
      deliveryDeadline: budgets.deliveryDeadline,
      ...(signal ? { signal } : {}),
      now: () => new Date(now()),
    });
  } catch (error) {
    if (error instanceof BadInputError) {
      // Retrying cannot make the event valid: acknowledge it, but leave a trace and a metric.
      recordInvalidEvent(metrics);
      logger.warn('Event not analysed', {
        reason: error.message,
        kind: error instanceof UnsupportedEventError ? 'unsupported' : 'invalid',
        ...(detailTypeOf(event) ? { detailType: detailTypeOf(event) } : {}),
      });
      return { status: 'ignored', ...(eventId ? { eventId } : {}), reason: error.message };
    }
    if (error instanceof AuditWriteError) {
      recordSinkFailure(metrics, error.outcome.sink);
      logger.error('Audit record not written; failing the invocation so Lambda retries it', error);
    } else {
      logger.error('Analysis failed', error as Error);
    }
    throw error;
  }

  const { report, deliveries } = result;
  recordAnalysed(metrics, report, deliveries);
  const outcomes = [deliveries.audit, ...deliveries.notifications];
  for (const failed of [...deliveries.notifications, ...(deliveries.auditUpdate ? [deliveries.auditUpdate] : [])].filter((o) => !o.ok)) {
    logger.warn('Delivery failed', { sink: failed.sink, error: failed.error });
  }
  logger.info('Incident analysed', {
    incidentKey: report.incidentKey,
    trigger: report.trigger.kind,
    category: report.rootCause.category,
    severity: report.severity,
    alert: report.alert,
    rootCause: report.rootCause.title,
    evidenceGaps: report.evidenceGaps,
    deliveries: outcomes,
    ...(deliveries.skipped ? { notificationsSkipped: deliveries.skipped } : {}),
  });
  return {
    status: 'analysed',
    eventId: report.trigger.eventId,
    incidentKey: report.incidentKey,
    category: report.rootCause.category,
    alert: report.alert,
    evidenceGaps: report.evidenceGaps,
    deliveries: outcomes,
  };
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
