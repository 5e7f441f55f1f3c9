import type { Evidence } from '../evidence/types';
import type { RcaReport } from '../report/report-schema';
import { classify } from '../classification/classify';
import { rank } from '../classification/rank';
import { RULES } from '../classification/rules/index';
import type { Rule } from '../classification/types';
import { buildReport } from '../report/build-report';

/** Options of one analysis. */
export interface AnalysisOptions {
  /** Clock for `analyzedAt` (tests pass a fixed date). Defaults to now. */
  now?: Date;
  /** The rule catalogue; defaults to every rule. */
  rules?: readonly Rule[];
}

/**
 * Classifies the evidence and builds the `rca-report.v1` report: classify → rank → build.
 * Pure apart from the clock; never throws for a rule's fault (see `classify`).
 */
export function analyzeEvidence(evidence: Evidence, options: AnalysisOptions = {}): RcaReport {
  const classification = classify(evidence, options.rules ?? RULES);
  const ranked = rank(evidence, classification.candidates);
  return buildReport(evidence, ranked, classification, (options.now ?? new Date()).toISOString());
}
