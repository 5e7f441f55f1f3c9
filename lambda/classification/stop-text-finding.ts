import { citeMatch, findAll, serviceEvents, stopTexts, type TextMatch } from './evidence-text';
import { NO_MATCH, type RuleResult } from './types';

/** What a stop-message rule says about its match. */
export interface StopTextFinding {
  title: string;
  explanation: string;
  /** Steps specific to the matched text (shown before the rule's generic remediation). */
  steps?: (text: string) => string[];
}

/**
 * The matches of `pattern` in the texts ECS writes when a task cannot start — container reasons,
 * stop reasons, then service events — minus those `exclude` rejects (a text another rule owns).
 */
export function stopTextHits(evidence: Parameters<typeof stopTexts>[0], pattern: RegExp, exclude?: (text: string) => boolean): TextMatch[] {
  const hits = findAll([...stopTexts(evidence), ...serviceEvents(evidence)], pattern);
  return exclude ? hits.filter((hit) => !exclude(hit.item.text)) : hits;
}

/**
 * The result of a rule that recognises one AWS message: it cites the analysed task's own message if
 * there is one, else the first (another task's, or a service event's), with confidence 0.95 on the
 * analysed task and 0.75 from context. `NO_MATCH` without hits.
 */
export function stopTextResult(hits: TextMatch[], finding: StopTextFinding): RuleResult {
  const hit = hits.find((h) => h.item.scope === 'task') ?? hits[0];
  if (!hit) return NO_MATCH;
  const steps = finding.steps?.(hit.item.text) ?? [];
  return {
    status: 'match',
    findings: [
      {
        title: finding.title,
        explanation: finding.explanation,
        confidence: hit.item.scope === 'task' ? 0.95 : 0.75,
        evidence: [citeMatch(hit)],
        ...(steps.length > 0 ? { remediation: steps } : {}),
        scope: hit.item.scope,
        taskArn: hit.item.taskArn,
      },
    ],
  };
}
