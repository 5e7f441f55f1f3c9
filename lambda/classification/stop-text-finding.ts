import { findAll, serviceEvents, stopTexts, type TextMatch } from './evidence-text';
import { hitFinding, ownFirst, resultOf, type Confidence } from './finding';
import { NO_MATCH, type RuleResult } from './types';

/** What a stop-message rule says about its match. */
export interface StopTextFinding {
  title: string;
  explanation: string;
  /** Defaults to 0.95 on the analysed task's own text and 0.75 from context. */
  confidence?: Confidence;
  /** Steps specific to the matched text (shown before the rule's generic remediation). */
  steps?: (text: string, hit: TextMatch) => string[];
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
 * analysed task and 0.75 from context unless the finding says otherwise. `NO_MATCH` without hits.
 */
export function stopTextResult(hits: TextMatch[], finding: StopTextFinding): RuleResult {
  const hit = ownFirst(hits);
  if (!hit) return NO_MATCH;
  const { title, explanation, confidence = { task: 0.95, context: 0.75 } } = finding;
  return resultOf(hitFinding(hit, { title, explanation, confidence, remediation: finding.steps?.(hit.item.text, hit) }));
}
