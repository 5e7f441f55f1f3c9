import { MetricUnit, type Metrics } from '@aws-lambda-powertools/metrics';
import type { DeliveryResult } from '../delivery/deliver';
import type { RcaReport } from '../report/report-schema';

/**
 * The handler's CloudWatch metrics (embedded metric format through Powertools Metrics), in the
 * `POWERTOOLS_METRICS_NAMESPACE` namespace with the `service` dimension Powertools adds.
 *
 * Metrics with their own dimension (`category`, `sink`) are emitted as single metrics, because every
 * metric stored on the shared instance is flushed with the same dimension set.
 * https://docs.aws.amazon.com/powertools/typescript/latest/features/metrics/
 */
export const METRIC_NAMES = {
  /** One per analysed event, dimension `category` = the root cause's taxonomy id. */
  incidentsAnalyzed: 'IncidentsAnalyzed',
  /** Number of evidence gaps in the report (0 when everything could be read). */
  evidenceGaps: 'EvidenceGaps',
  /** One per failed delivery, dimension `sink` = `s3-audit`, `sns` or `slack`. */
  sinkFailures: 'SinkFailures',
  /** One per event acknowledged without analysis (invalid, or a kind or state not analysed). */
  invalidEvents: 'InvalidEvents',
  /** One per delivery not processed again: already processed, or being processed by another invocation. */
  duplicateEvents: 'DuplicateEvents',
  /** One per analysed occurrence of an open incident that notified nobody (grouping). */
  notificationsSuppressed: 'NotificationsSuppressed',
  /** One per occurrence that sent an incident summary (grouping). */
  incidentSummaries: 'IncidentSummaries',
  /** One per incident closed by a recovery event (grouping). */
  incidentsResolved: 'IncidentsResolved',
} as const;

/** Records an analysed incident: its category, its gaps and every failed delivery. */
export function recordAnalysed(metrics: Metrics, report: RcaReport, deliveries: DeliveryResult): void {
  metrics.singleMetric().addDimension('category', report.rootCause.category).addMetric(METRIC_NAMES.incidentsAnalyzed, MetricUnit.Count, 1);
  metrics.addMetric(METRIC_NAMES.evidenceGaps, MetricUnit.Count, report.evidenceGaps.length);
  const failed = [...deliveries.notifications, ...(deliveries.auditUpdate ? [deliveries.auditUpdate] : [])].filter((o) => !o.ok);
  for (const outcome of failed) recordSinkFailure(metrics, outcome.sink);
}

/** Records one failed delivery of `sink`. */
export function recordSinkFailure(metrics: Metrics, sink: string): void {
  metrics.singleMetric().addDimension('sink', sink).addMetric(METRIC_NAMES.sinkFailures, MetricUnit.Count, 1);
}

/** Records an event acknowledged without analysis. */
export function recordInvalidEvent(metrics: Metrics): void {
  metrics.addMetric(METRIC_NAMES.invalidEvents, MetricUnit.Count, 1);
}

/** Records a duplicate delivery. */
export function recordDuplicate(metrics: Metrics): void {
  metrics.addMetric(METRIC_NAMES.duplicateEvents, MetricUnit.Count, 1);
}

/** Records what grouping did with an analysed occurrence (nothing for a first occurrence). */
export function recordGrouping(metrics: Metrics, action: 'notify' | 'summarize' | 'suppress'): void {
  if (action === 'suppress') metrics.addMetric(METRIC_NAMES.notificationsSuppressed, MetricUnit.Count, 1);
  if (action === 'summarize') metrics.addMetric(METRIC_NAMES.incidentSummaries, MetricUnit.Count, 1);
}

/** Records incidents closed by one recovery event, and its failed resolution notes. */
export function recordResolved(metrics: Metrics, resolved: number, failedSinks: readonly string[]): void {
  if (resolved > 0) metrics.addMetric(METRIC_NAMES.incidentsResolved, MetricUnit.Count, resolved);
  for (const sink of failedSinks) recordSinkFailure(metrics, sink);
}
