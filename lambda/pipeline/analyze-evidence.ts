import { classify } from '../classification/classify';
import { rank } from '../classification/rank';
import { RULES } from '../classification/rules/index';
import { withScanContext } from '../classification/scan-context';
import type { Rule } from '../classification/types';
import { BUNDLE_SCHEMA, type BundleEvidence, type IncidentBundleFile } from '../evidence/bundle/read-bundle';
import { redactBundleEvent, redactBundleEvidence } from '../evidence/bundle/redact-bundle';
import type { Evidence } from '../evidence/types';
import { buildReport } from '../report/build-report';
import { attributeChanges } from '../changes/attribute-changes';
import { changesOf } from '../changes/changes-of';
import { redactReport } from '../report/redact-report';
import type { RcaReport } from '../report/report-schema';

/**
 * The offline part of the pipeline: evidence → report, and the bundle a live analysis archives.
 * Nothing here reaches AWS, so `ecs-rca analyze FILE` and `eval` load no AWS SDK client; the live
 * pipeline (`./run-analysis`) builds on it.
 */

/** Options of one analysis. */
export interface AnalysisOptions {
  /** Clock for `analyzedAt` (tests pass a fixed date). Defaults to now. */
  now?: Date;
  /** The rule catalogue; defaults to every rule. */
  rules?: readonly Rule[];
}

/**
 * Classifies the evidence and builds the `rca-report.v1` report: classify → rank → build → attribute
 * to the changes that preceded it (`changes/`) → redact.
 * Pure apart from the clock; never throws for a rule's fault (see `classify`).
 */
export function analyzeEvidence(evidence: Evidence, options: AnalysisOptions = {}): RcaReport {
  const rules = options.rules ?? RULES;
  // One scan context for the whole analysis: ranking reads the log lines the rules read.
  const analysed = withScanContext(evidence, rules);
  const classification = classify(analysed, rules);
  const ranked = rank(analysed, classification.candidates);
  // Secrets quoted in evidence are masked before any renderer or sink sees the report.
  const report = buildReport(analysed, ranked, classification, (options.now ?? new Date()).toISOString());
  return redactReport(attributeChanges(report, changesOf(evidence)));
}

/**
 * An `incident-bundle.v1` of a live incident: the event as received and the raw evidence parts the
 * collectors fetched (SDK v3 shapes), with every secret masked (`redactBundleEvent`,
 * `redactBundleEvidence`) because the bundle leaves the analyzer — archived with the report in the S3
 * audit record, or written by `ecs-rca capture`. `ecs-rca analyze FILE` replays it to the same report.
 *
 * @param event the EventBridge event as delivered (not the parsed copy, so nothing is normalised away).
 * @param parts `collectEvidence(...).bundle`.
 */
export function incidentBundleOf(event: unknown, parts: BundleEvidence): IncidentBundleFile {
  return { schema: BUNDLE_SCHEMA, event: redactBundleEvent(event).event, evidence: redactBundleEvidence(parts).evidence };
}
