import type { EvidenceItem } from '../report/report-schema';
import { citeMatch, type TextMatch, type TextSource } from './evidence-text';
import type { Category } from './taxonomy';
import { NO_MATCH, type RuleFinding, type RuleResult } from './types';

/**
 * The boilerplate most rules share: pick the analysed task's own hit, turn a hit into a finding
 * (cited line, scope, task), and wrap findings into a `RuleResult`.
 */

/** A finding's confidence: one number, or one for the analysed task's own evidence and one for context. */
export type Confidence = number | { task: number; context: number };

/** What a rule says about one hit; `hitFinding` adds the evidence, scope and task. */
export interface HitFindingSpec {
  title: string;
  explanation: string;
  confidence: Confidence;
  /** Defaults to the rule's category. */
  category?: Category;
  /** Steps specific to this hit; omitted from the finding when empty. */
  remediation?: readonly string[];
  /** Evidence cited after the hit's own line (e.g. the exit code that followed it). */
  evidence?: readonly EvidenceItem[];
}

/** The first hit on the analysed task's own evidence, else the first hit (another task's, a service event). */
export function ownFirst<T extends { item: Pick<TextSource, 'scope'> }>(hits: readonly T[]): T | undefined {
  return hits.find((h) => h.item.scope === 'task') ?? hits[0];
}

/** The number a `Confidence` gives for evidence of this scope. */
export const confidenceFor = (confidence: Confidence, scope: TextSource['scope']): number =>
  typeof confidence === 'number' ? confidence : confidence[scope];

/** A finding citing `hit`'s line (cut around the match) as its first evidence, with the hit's scope and task. */
export function hitFinding(hit: TextMatch, spec: HitFindingSpec): RuleFinding {
  const remediation = spec.remediation ?? [];
  return {
    ...(spec.category ? { category: spec.category } : {}),
    title: spec.title,
    explanation: spec.explanation,
    confidence: confidenceFor(spec.confidence, hit.item.scope),
    evidence: [citeMatch(hit), ...(spec.evidence ?? [])],
    ...(remediation.length > 0 ? { remediation: [...remediation] } : {}),
    scope: hit.item.scope,
    taskArn: hit.item.taskArn,
  };
}

/** `match` with the given findings (undefined ones dropped), or `NO_MATCH` when none is left. */
export function resultOf(findings: RuleFinding | undefined | readonly (RuleFinding | undefined)[]): RuleResult {
  const list = (Array.isArray(findings) ? findings : [findings]).filter((f): f is RuleFinding => f !== undefined);
  return list.length > 0 ? { status: 'match', findings: list } : NO_MATCH;
}
