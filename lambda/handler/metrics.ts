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
