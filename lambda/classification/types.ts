import type { Evidence } from '../evidence/types';
import type { EvidenceItem } from '../report/report-schema';
import type { Category } from './taxonomy';

/**
 * What a rule proves: one candidate cause with the literal evidence for it.
 * The engine turns it into a report `Finding` (adding the rule's remediation and id).
 */
export interface RuleFinding {
  /** Defaults to the rule's category. */
  category?: Category;
  title: string;
  explanation: string;
  /** 0–1: how sure the rule is that this is what happened. */
  confidence: number;
  /** Literal substrings of what was read, strongest first. Never empty. */
  evidence: EvidenceItem[];
  /** Steps specific to this evidence, shown before the rule's generic remediation. */
  remediation?: string[];
  /**
   * Whose fault the evidence shows. `task`: the analysed task itself (its stop reason, its containers'
   * reasons, exit codes or own logs). `context`: something around it (service events, other tasks,
   * target health, alarms) that may or may not concern the analysed task.
   */
  scope: 'task' | 'context';
  /** The task the evidence is about, when known (multi-task triggers count tasks by it). */
  taskArn?: string;
  /**
   * Categories this finding is the cause of when both are seen (an ECS agent that cannot reach its
   * endpoints explains `placement_failed`): the ranking makes their findings symptoms of this one.
   */
  explains?: readonly Category[];
}

/**
 * A rule's verdict. Tri-state: the evidence a rule needs is absent (`not_applicable`), present without
 * the signal (`no_match`), or the signal is there (`match`, with at least one finding).
 */
export type RuleResult =
  | { status: 'not_applicable' }
  | { status: 'no_match' }
  | { status: 'match'; findings: RuleFinding[] };

/** A classification rule: data plus one pure function. No SDK, logger or clock inside. */
export interface Rule {
  /** Equal to the file name, kebab-case. */
  id: string;
  category: Category;
  /** One line for the rules catalogue. */
  title: string;
  /** Generic remediation steps for this category of fault, most useful first. */
  remediation: string[];
  /** AWS or runtime documentation the rule's texts come from. */
  sources?: string[];
  /**
   * Every pattern the rule runs over log lines (through `findAll`, `findFirst` or `findInStreams` on
   * `logLines`, `logStreams`, `streamLines`, …), so one combined pass per analysis finds the candidate
   * lines of all rules (`line-scan.ts`). An undeclared pattern still works; it costs one more pass
   * over the lines, and the rule tests fail on it.
   */
  logPatterns?: readonly RegExp[];
  match(evidence: Evidence): RuleResult;
}

export const NOT_APPLICABLE: RuleResult = { status: 'not_applicable' };
export const NO_MATCH: RuleResult = { status: 'no_match' };
