import type { Evidence } from '../evidence/types';
import type { TextSource } from './evidence-text';
import { LineScan, ScanPlan } from './line-scan';
import type { Rule } from './types';

/**
 * What one analysis reads out of its evidence, built once and shared by every rule: the log lines,
 * their physical lines, the lines grouped by stream, and the combined scan over them (`line-scan.ts`).
 *
 * `classify` (or `analyzeEvidence`, so that ranking shares it) attaches a fresh context to a shallow
 * copy of the evidence with `withScanContext`; the accessors (`logLines`, `logStreams`, …) read it from
 * there. Evidence without a context (a rule called on its own, a test) gets a new one per call: correct,
 * only slower. No state lives outside an analysis, so nothing needs a reset between analyses.
 */
export interface ScanContext {
  /** The combined scan; undefined outside an analysis (every line is then tested). */
  readonly scan?: LineScan;
  /** `logLines(evidence)`, once read. */
  lines?: readonly TextSource[];
  /** Their physical lines (multi-line events split), once read. */
  physical?: readonly TextSource[];
  /** The physical lines grouped by stream, once read. */
  streams?: readonly (readonly TextSource[])[];
  /** The streams' lines, stream after stream, once read. */
  streamLines?: readonly TextSource[];
}

const CONTEXT = Symbol('scan context');

type WithContext = Evidence & { [CONTEXT]?: ScanContext };

/** The patterns the rules declare they run over log lines (`Rule.logPatterns`). */
export function declaredLogPatterns(rules: readonly Rule[]): RegExp[] {
  return [...new Set(rules.flatMap((rule) => rule.logPatterns ?? []))];
}

/**
 * The compiled scan plan of each rule catalogue (normally just `RULES`). A plan depends on the rules'
 * declared patterns alone and never changes once compiled, so it is shared by every analysis by the
 * same catalogue instead of building its automaton again (tens of ms) for each.
 */
const plans = new WeakMap<readonly Rule[], ScanPlan>();

function planOf(rules: readonly Rule[]): ScanPlan {
  let plan = plans.get(rules);
  if (!plan) {
    plan = new ScanPlan(declaredLogPatterns(rules));
    plans.set(rules, plan);
  }
  return plan;
}

/**
 * The evidence with a new scan context for one analysis by `rules` (a shallow copy: the evidence
 * itself is not modified). Evidence that already has one is returned as it is.
 */
export function withScanContext(evidence: Evidence, rules: readonly Rule[]): Evidence {
  if ((evidence as WithContext)[CONTEXT]) return evidence;
  const context: ScanContext = { scan: new LineScan(planOf(rules)) };
  const copy: WithContext = { ...evidence };
  Object.defineProperty(copy, CONTEXT, { value: context, enumerable: false });
  return copy;
}

/** The evidence's scan context, or a new one of its own when it has none (see `ScanContext`). */
export function scanContext(evidence: Evidence): ScanContext {
  return (evidence as WithContext)[CONTEXT] ?? {};
}
