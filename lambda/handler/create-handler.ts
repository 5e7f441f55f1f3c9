import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy, { type MiddlewareObj, type MiddyfiedHandler, type MiddyHandlerObject } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { Category } from '../classification/taxonomy';
import { AuditWriteError } from '../delivery/deliver';
import { postResolutions } from '../delivery/grouped-sink';
import type { DeliveryOutcome } from '../delivery/types';
import { parseRecoveryEvent, type RecoveryEvent } from '../evidence/recovery-event';
import { runAnalysis } from '../pipeline/run-analysis';
import { Deadline } from '../shared/deadline';
import { BadInputError, UnsupportedEventError } from '../shared/errors';
import type { HandlerDeps, HandlerGrouping } from './dependencies';
import { runOnce } from './idempotency';
import { recordAnalysed, recordDuplicate, recordGrouping, recordInvalidEvent, recordResolved, recordSinkFailure } from './metrics';

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
 *   and the invocation still succeeds (a retry would notify the other channels twice);
 * - a duplicate delivery (same idempotency key, see `idempotency.ts`) returns `duplicate` without
 *   running, also while the first delivery is still being processed: that one's own retries cover
 *   its failure;
 * - a recovery event (deployment completed, service steady state) closes the service's open
 *   incidents when grouping is on; a table or channel failure there is logged, not retried.
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
  // Recovery events are not analysed; closing an incident twice is harmless (conditional write), so
  // they skip the idempotency check.
  const recovery = deps.grouping ? parseRecoveryEvent(event) : undefined;
  if (recovery && deps.grouping) return handleRecovery(recovery, deps.grouping, context, signal, deps, options);
  if (!deps.idempotency) return analyse(event, context, signal, deps, options);

  const eventId = eventIdOf(event);
  const once = await runOnce(deps.idempotency, event, context, () => analyse(event, context, signal, deps, options));
  switch (once.kind) {
    case 'ran':
      return once.value;
    case 'duplicate':
      recordDuplicate(metrics);
      logger.info('Duplicate event not processed again', { reason: 'already processed', original: once.value.status });
      return { status: 'duplicate', ...(eventId ? { eventId } : {}), reason: 'already processed', original: once.value };
    case 'in-progress':
      recordDuplicate(metrics);
      logger.info('Duplicate event not processed again', { reason: 'being processed by another invocation' });
      return { status: 'duplicate', ...(eventId ? { eventId } : {}), reason: 'being processed by another invocation' };
    case 'unguarded':
      logger.warn('Idempotency table unavailable; the event was processed without the duplicate check', once.error as Error);
      return once.value;
  }
}

async function handleRecovery(
  recovery: RecoveryEvent,
  grouping: HandlerGrouping,
  context: Context,
  signal: AbortSignal | undefined,
  deps: HandlerDeps,
  options: CreateHandlerOptions,
): Promise<HandlerResult> {
  const { logger, metrics } = options;
  const now = deps.now ?? Date.now;
  const { deliveryDeadline } = invocationBudgets(context.getRemainingTimeInMillis(), now(), options.deliveryReserveMs, options.finalMarginMs);
  const service = `${recovery.cluster}/${recovery.serviceName}`;
  const budget = { deadline: deliveryDeadline, ...(signal ? { signal } : {}) };
  let resolved: Awaited<ReturnType<typeof grouping.gate.resolveService>> = [];
  try {
    resolved = await grouping.gate.resolveService(recovery, { at: recovery.at, reason: recovery.reason }, budget);
  } catch (error) {
    // Only the "resolved" note is lost: open incidents still end after a quiet window.
    logger.warn('Open incidents of the service could not be read or closed', { service, error: (error as Error).message });
  }
  const deliveries = await postResolutions(resolved, grouping.channels, budget);
  const failed = deliveries.filter((d) => !d.ok);
  recordResolved(metrics, resolved.length, failed.map((d) => d.sink));
  for (const outcome of failed) logger.warn('Delivery failed', { sink: outcome.sink, error: outcome.error });
  // The scheduler repeats SERVICE_STEADY_STATE while a service is healthy: only a closure is news.
  const details = { service, reason: recovery.reason, resolved: resolved.map((r) => r.record.incidentKey), deliveries };
  if (resolved.length > 0) logger.info('Service recovered; incidents resolved', details);
  else logger.debug('Service recovered; no open incident', details);
  return { status: 'recovered', eventId: recovery.eventId, service, resolved: resolved.map((r) => r.record.incidentKey), deliveries };
}

async function analyse(event: unknown, context: Context, signal: AbortSignal | undefined, deps: HandlerDeps, options: CreateHandlerOptions): Promise<HandlerResult> {
  const { logger, metrics } = options;
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
  const decision = await deps.grouping?.gate.decided(report);
  const incident = decision
    ? { action: decision.action, reason: decision.reason, ...(decision.incident ? { occurrences: decision.incident.count } : {}) }
    : undefined;
  if (incident) recordGrouping(metrics, incident.action);
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
    ...(incident ? { incident } : {}),
  });
  return {
    status: 'analysed',
    eventId: report.trigger.eventId,
    incidentKey: report.incidentKey,
    category: report.rootCause.category,
    alert: report.alert,
    evidenceGaps: report.evidenceGaps,
    deliveries: outcomes,
    ...(incident ? { incident } : {}),
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
