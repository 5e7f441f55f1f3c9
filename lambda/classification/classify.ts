import type { Evidence } from '../evidence/types';
import type { Finding } from '../report/report-schema';
import { RULES } from './rules/index';
import { withScanContext } from './scan-context';
import type { Rule, RuleFinding } from './types';
import type { Category } from './taxonomy';

/** A rule's finding, completed with the rule's id, category and remediation; input to the ranking. */
export interface Candidate extends Omit<Finding, 'reason' | 'taskCount'> {
  category: Category;
  scope: RuleFinding['scope'];
  /** Analysed tasks that showed this finding (ARNs). */
  taskArns: string[];
  /** See `RuleFinding.explains`. */
  explains?: readonly Category[];
}

/** A rule that threw. The run goes on without it. */
export interface RuleError {
  ruleId: string;
  message: string;
}

/** The outcome of running the catalogue over one evidence object. */
export interface Classification {
  candidates: Candidate[];
  /** Rules that returned `no_match` or `match`, i.e. had the evidence they need. */
  applicableRules: string[];
  errors: RuleError[];
}

function toCandidate(rule: Rule, finding: RuleFinding): Candidate {
  const remediation = [...(finding.remediation ?? []), ...rule.remediation.filter((step) => !finding.remediation?.includes(step))];
  return {
    category: finding.category ?? rule.category,
    ruleId: rule.id,
    title: finding.title,
    explanation: finding.explanation,
    confidence: Math.min(1, Math.max(0, finding.confidence)),
    evidence: finding.evidence,
    remediation,
    scope: finding.scope,
    taskArns: finding.taskArn ? [finding.taskArn] : [],
    ...(finding.explains ? { explains: finding.explains } : {}),
  };
}

/**
 * Runs every rule over the evidence. Pure. A rule that throws, or returns a match without evidence,
 * becomes a `RuleError` and the run goes on (as cdk-nag's pack runner and k8sgpt's analysers do).
 * The rules share one scan context (`scan-context.ts`): the evidence's own, when the caller attached
 * one with `withScanContext`, or a new one for this run.
 */
export function classify(given: Evidence, rules: readonly Rule[] = RULES): Classification {
  const evidence = withScanContext(given, rules);
  const candidates: Candidate[] = [];
  const applicableRules: string[] = [];
  const errors: RuleError[] = [];
  for (const rule of rules) {
    try {
      const result = rule.match(evidence);
      if (result.status === 'not_applicable') continue;
      applicableRules.push(rule.id);
      if (result.status !== 'match') continue;
      for (const finding of result.findings) {
        if (finding.evidence.length === 0) throw new Error('a finding without evidence');
        candidates.push(toCandidate(rule, finding));
      }
    } catch (error) {
      errors.push({ ruleId: rule.id, message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { candidates, applicableRules, errors };
}
