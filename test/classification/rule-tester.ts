import type { ContainerEvidence, Evidence, TaskEvidence } from '../../lambda/evidence/types';
import { classify } from '../../lambda/classification/classify';
import { rank } from '../../lambda/classification/rank';
import type { Category } from '../../lambda/classification/taxonomy';
import type { Rule, RuleFinding } from '../../lambda/classification/types';
import { appLogs, serviceEvents, taskStopped, unhealthyTarget } from '../helpers/evidence';

/**
 * A table-driven rule tester in the spirit of eslint's `RuleTester`: a rule's fixtures are data in
 * `test/classification/rules/<rule-id>.cases.ts` (`export const cases: RuleCases`), and
 * `rule-cases.test.ts` runs every such file. See docs/writing-rules.md.
 */

/** The evidence of one case, written in shorthand; each part is optional. */
export interface CaseInput {
  /** Test name; defaults to the first text of the case. */
  name?: string;
  /** Lines (log events) of the analysed task's container `app`, oldest first. */
  log?: string | readonly string[];
  /** The analysed task's `stoppedReason`. */
  stoppedReason?: string;
  /** The analysed task's `stopCode`. */
  stopCode?: string;
  /** `reason` of the analysed task's container `app`. */
  containerReason?: string;
  /** `exitCode` of the analysed task's container `app`. */
  exitCode?: number;
  /** Messages of service `web`'s events, newest first. */
  serviceEvents?: readonly string[];
  /** One unhealthy target of target group `web-tg`: `TargetHealth.Reason` and optional `Description`. */
  targetHealth?: { reason: string; description?: string };
  /** More of the analysed task (e.g. `group`, `containers`); merged over the shorthand above. */
  task?: Partial<TaskEvidence>;
  /** More evidence (e.g. `taskDefinition`); replaces the parts the shorthand built. */
  evidence?: Partial<Omit<Evidence, 'trigger'>>;
}

/** A case the rule must match (eslint's `invalid`). */
export interface MatchCase extends CaseInput {
  /** The literal text one finding cites first (its `evidence[0].text`). */
  cites: string;
  /** The category of that finding; defaults to the rule's. */
  category?: Category;
  /** That finding's exact title. */
  title?: string;
  /** That finding's scope: the analysed task's own evidence, or context. */
  scope?: RuleFinding['scope'];
  /** Also run the whole catalogue and ranking: this rule's finding must be the root cause. */
  rootCause?: boolean;
}

/** The fixtures of one rule. */
export interface RuleCases {
  /** Texts the rule must recognise, with what it must cite. At least one. */
  match: readonly MatchCase[];
  /** Evidence the rule reads but must not match (look-alikes owned by other rules, benign lines). At least one. */
  noMatch: readonly CaseInput[];
  /** Evidence without what the rule needs. */
  notApplicable?: readonly CaseInput[];
}

const lines = (log: CaseInput['log']): string[] => (log === undefined ? [] : typeof log === 'string' ? [log] : [...log]);

/** The evidence a case describes: a `task_stopped` trigger around the analysed task. */
export function caseEvidence(input: CaseInput): Evidence {
  const container: ContainerEvidence | undefined =
    input.containerReason !== undefined || input.exitCode !== undefined
      ? { name: 'app', ...(input.containerReason !== undefined ? { reason: input.containerReason } : {}), ...(input.exitCode !== undefined ? { exitCode: input.exitCode } : {}) }
      : undefined;
  const task: Partial<TaskEvidence> = {
    ...(input.stoppedReason !== undefined ? { stoppedReason: input.stoppedReason } : {}),
    ...(input.stopCode !== undefined ? { stopCode: input.stopCode } : {}),
    ...(container ? { containers: [container] } : {}),
    ...input.task,
  };
  const log = lines(input.log);
  return taskStopped(task, {
    ...(log.length > 0 ? { logs: appLogs(...log) } : {}),
    ...(input.serviceEvents ? { services: serviceEvents(...input.serviceEvents) } : {}),
    ...(input.targetHealth ? { targetHealth: unhealthyTarget(input.targetHealth.reason, input.targetHealth.description) } : {}),
    ...input.evidence,
  });
}

/** A test name for a case: its `name`, else its first text. */
export function caseName(input: CaseInput | MatchCase): string {
  const text = input.name ?? ('cites' in input ? input.cites : undefined) ?? lines(input.log)[0] ?? input.containerReason ?? input.stoppedReason ?? input.serviceEvents?.[0] ?? input.targetHealth?.reason ?? 'evidence';
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

/** Defines the jest tests of one rule's cases. */
export function testRuleCases(rule: Rule, cases: RuleCases): void {
  describe(rule.id, () => {
    it('has at least one matching and one non-matching case', () => {
      expect(cases.match.length).toBeGreaterThan(0);
      expect(cases.noMatch.length).toBeGreaterThan(0);
    });

    it.each(cases.match.map((c) => [caseName(c), c] as const))('matches: %s', (_name, c) => {
      const evidence = caseEvidence(c);
      const result = rule.match(evidence);
      expect(result.status).toBe('match');
      if (result.status !== 'match') return;
      const cited = result.findings.map((f) => f.evidence[0]?.text);
      expect(cited).toContain(c.cites);
      const finding = result.findings.find((f) => f.evidence[0]?.text === c.cites) as RuleFinding;
      expect(finding.category ?? rule.category).toBe(c.category ?? rule.category);
      if (c.title !== undefined) expect(finding.title).toBe(c.title);
      if (c.scope !== undefined) expect(finding.scope).toBe(c.scope);
      if (c.rootCause) {
        const ranked = rank(evidence, classify(evidence).candidates);
        expect({ ruleId: ranked.rootCause.ruleId, category: ranked.rootCause.category }).toEqual({ ruleId: rule.id, category: c.category ?? rule.category });
        expect(ranked.rootCause.evidence.map((e) => e.text)).toContain(c.cites);
      }
    });

    it.each(cases.noMatch.map((c) => [caseName(c), c] as const))('does not match: %s', (_name, c) => {
      expect(rule.match(caseEvidence(c)).status).toBe('no_match');
    });

    if (cases.notApplicable && cases.notApplicable.length > 0) {
      it.each(cases.notApplicable.map((c) => [caseName(c), c] as const))('is not applicable: %s', (_name, c) => {
        expect(rule.match(caseEvidence(c)).status).toBe('not_applicable');
      });
    }
  });
}
