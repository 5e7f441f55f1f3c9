import type { Context } from 'aws-lambda';
import { AuditWriteError, DeliveryIncompleteError, deliveryNeedMs } from '../delivery/deliver';
import { postResolutions } from '../delivery/grouped-sink';
import { parseRecoveryEvent, type RecoveryEvent } from '../evidence/recovery-event';
import { runAnalysis } from '../pipeline/run-analysis';
import { Deadline } from '../shared/deadline';
import { BadInputError, UnsupportedEventError } from '../shared/errors';
import { invocationBudgets } from './budgets';
import type { CreateHandlerOptions, HandlerResult } from './create-handler';
import type { HandlerDeps, HandlerGrouping } from './dependencies';
import { detailTypeOf, edgeProblem, eventIdOf } from './event-fields';
import { runOnce } from './idempotency';
import { recordAnalysed, recordDuplicate, recordGrouping, recordInvalidEvent, recordResolved, recordSinkFailure } from './metrics';

/**
 * One invocation of the handler, after its dependencies are built: recovery events close incidents,
 * every other event goes through the idempotency guard (when configured) into `runAnalysis`.
 *
 * This module is the heavy half of the handler — it loads the pipeline (collectors, rules, report,
 * sinks) and, through them, the AWS SDK clients — so `create-handler.ts` imports it with a dynamic
 * `import()` on the first invocation instead of at cold start (see `index.ts`). The failure policy
 * is documented on `create-handler.ts`.
 */

/**
 * Handles one event with built dependencies.
 *
 * @param signal aborted by middy when the invocation is about to time out.
 * @throws AuditWriteError when the S3 audit record cannot be written (Lambda retries the event), and
 *   any unexpected error of the pipeline.
 */
export async function handleInvocation(
  event: unknown,
  context: Context,
  signal: AbortSignal | undefined,
  deps: HandlerDeps,
  options: CreateHandlerOptions,
): Promise<HandlerResult> {
  // Bounds and the idempotency key's types first: a malformed event is declined, never retried.
  const problem = edgeProblem(event);
  if (problem) return declined(problem, event, options);
  const { logger, metrics } = options;
  // Recovery events are not analysed; closing an incident twice is harmless (conditional write), so
  // they skip the idempotency check.
  const recovery = deps.grouping ? parseRecoveryEvent(event) : undefined;
  if (recovery && deps.grouping) return handleRecovery(recovery, deps.grouping, context, signal, deps, options);
  if (!deps.idempotency) return analyse(event, context, signal, deps, options);

  const eventId = eventIdOf(event);
  const once = await runOnce(deps.idempotency, event, context, (notes) => analyse(event, context, signal, deps, options, notes));
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
    case 'local-duplicate': {
      recordDuplicate(metrics);
      const reason = 'already processed by this execution environment (duplicate check unavailable)';
      logger.warn('Idempotency table unavailable; duplicate event not processed again', { reason, error: (once.error as Error)?.message });
      return { status: 'duplicate', ...(eventId ? { eventId } : {}), reason };
    }
  }
}

/** Retrying cannot make the event valid: acknowledge it, but leave a trace and a metric. */
function declined(error: BadInputError, event: unknown, options: CreateHandlerOptions): HandlerResult {
  const eventId = eventIdOf(event);
  recordInvalidEvent(options.metrics);
  options.logger.warn('Event not analysed', {
    reason: error.message,
    kind: error instanceof UnsupportedEventError ? 'unsupported' : 'invalid',
    ...(detailTypeOf(event) ? { detailType: detailTypeOf(event) } : {}),
  });
  return { status: 'ignored', ...(eventId ? { eventId } : {}), reason: error.message };
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
  // Nothing is collected: the whole usable time is for reading the table and posting the notes.
  const { deliveryDeadline } = invocationBudgets(context.getRemainingTimeInMillis(), now(), 0);
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

async function analyse(
  event: unknown,
  context: Context,
  signal: AbortSignal | undefined,
  deps: HandlerDeps,
  options: CreateHandlerOptions,
  notes: readonly string[] = [],
): Promise<HandlerResult> {
  const { logger, metrics } = options;
  const now = deps.now ?? Date.now;
  const budgets = invocationBudgets(context.getRemainingTimeInMillis(), now(), deliveryNeedMs(deps.sinks));
  const deadline = Deadline.fromLambdaContext(context, { safetyMarginMs: budgets.collectionMarginMs, now });

  let result: Awaited<ReturnType<typeof runAnalysis>>;
  try {
    result = await runAnalysis(event, {
      clients: deps.clients,
      collectConfig: deps.config.collect,
      deadline,
      sinks: deps.sinks,
      deliveryDeadline: budgets.deliveryDeadline,
      ...(notes.length > 0 ? { deliveryNotes: notes } : {}),
      ...(signal ? { signal } : {}),
      now: () => new Date(now()),
    });
  } catch (error) {
    if (error instanceof BadInputError) return declined(error, event, options);
    if (error instanceof AuditWriteError) {
      recordSinkFailure(metrics, error.outcome.sink);
      logger.error('Audit record not written; failing the invocation so Lambda retries it', error);
    } else if (error instanceof DeliveryIncompleteError) {
      for (const sink of error.sinks) recordSinkFailure(metrics, sink);
      logger.error('Notifications not tried before the deadline; failing the invocation so Lambda retries it', {
        sinks: error.sinks,
        deliveries: [error.result.audit, ...error.result.notifications],
      });
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

