import type { ActionTaken, RcaReport } from '../report/report-schema';
import type { Rule } from '../classification/types';
import { deliver, type DeliveryResult, type DeliverySinks } from '../delivery/deliver';
import type { CollectConfig } from '../evidence/collect-config';
import { collectEvidence, type CollectDeps } from '../evidence/collect-evidence';
import type { ParsedTriggerEvent } from '../evidence/events';
import type { Evidence } from '../evidence/types';
import type { IncidentBundleFile } from '../evidence/bundle/read-bundle';
import { analyzeEvidence, incidentBundleOf } from './analyze-evidence';
import type { EvidenceClients } from '../shared/aws-clients';
import type { Deadline } from '../shared/deadline';

// The offline part of the pipeline lives in `./analyze-evidence` (no AWS SDK behind it, so the CLI's
// offline commands start without loading one); re-exported for the callers of the whole pipeline.
export { analyzeEvidence, incidentBundleOf, type AnalysisOptions } from './analyze-evidence';

/** What `runAnalysis` needs. Nothing is read from the environment and nothing is logged here. */
export interface RunAnalysisDeps {
  /** Evidence clients, built once by the caller. */
  clients: EvidenceClients;
  /** Budgets of the live collection. */
  collectConfig: CollectConfig;
  /** When evidence collection must stop, so report and delivery still fit in the invocation. */
  deadline: Deadline;
  /** Audit sink first, then the notification sinks. */
  sinks: DeliverySinks;
  /** Epoch milliseconds by which every delivery call must have finished. */
  deliveryDeadline: number;
  /** Aborts the deliveries early (e.g. the Lambda is about to time out). */
  signal?: AbortSignal;
  /**
   * What the delivery could not establish, in the analyzer's own words (e.g. "Duplicate check
   * unavailable: …"), added to the report's `evidenceGaps` so every message and the audit record say it.
   */
  deliveryNotes?: readonly string[];
  /** The clock written into `analyzedAt`. */
  now: () => Date;
  /** A Logs client for log groups in another region (see `CollectDeps.logsForRegion`). */
  logsForRegion?: CollectDeps['logsForRegion'];
  /** The rule catalogue; defaults to every rule. */
  rules?: readonly Rule[];
  /** What was done about the incident, recorded in the report before it is delivered (the lifecycle hook). */
  actionTaken?: ActionTaken;
}

/** Everything one live analysis produced. */
export interface RunAnalysisResult {
  /** The validated trigger. */
  trigger: ParsedTriggerEvent;
  /** The report (its `evidenceGaps` name every call that failed). */
  report: RcaReport;
  /** The audit write and each notification's outcome. */
  deliveries: DeliveryResult;
  /** The captured `incident-bundle.v1`, as archived with the report. */
  bundle: IncidentBundleFile;
}

/**
 * The live pipeline: validate the trigger event → collect its evidence from AWS → classify and build
 * the report → deliver it (S3 audit first, then the notifications).
 *
 * Collection never throws for an AWS failure (each is an evidence gap) and analysis never throws for a
 * rule's fault, so after validation only the audit write can fail the run.
 *
 * @param event the EventBridge event as received.
 * @throws BadInputError (including `UnsupportedEventError`) when the event is invalid or of a kind the
 *   analyzer does not analyse — before anything is fetched or delivered.
 * @throws AuditWriteError when the S3 audit record could not be written; nothing was notified.
 */
export async function runAnalysis(event: unknown, deps: RunAnalysisDeps): Promise<RunAnalysisResult> {
  const collected = await collectEvidence(event, 'event', {
    clients: deps.clients,
    deadline: deps.deadline,
    config: deps.collectConfig,
    ...(deps.logsForRegion ? { logsForRegion: deps.logsForRegion } : {}),
  });
  const analysed = analyzeEvidence(collected.evidence, { now: deps.now(), ...(deps.rules ? { rules: deps.rules } : {}) });
  const noted = deps.deliveryNotes?.length ? { ...analysed, evidenceGaps: [...analysed.evidenceGaps, ...deps.deliveryNotes] } : analysed;
  const report = deps.actionTaken ? { ...noted, actionTaken: deps.actionTaken } : noted;
  const bundle = incidentBundleOf(event, collected.bundle);
  const deliveries = await deliver(report, deps.sinks, {
    deadline: deps.deliveryDeadline,
    bundle,
    ...(deps.signal ? { signal: deps.signal } : {}),
  });
  return { trigger: collected.trigger, report, deliveries, bundle };
}
