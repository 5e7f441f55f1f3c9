import type { Evidence } from '../evidence/types';
import type { EvidenceItem, Finding } from '../report/report-schema';
import { appLogsStatus } from './app-logs';
import type { Candidate } from './classify';
import { analysedTasks, cite, isoTime, logLines, primaryTask, stopTexts, type TextSource } from './evidence-text';
import { crashesRequireAnEnd } from './program-ended';
import { CATEGORIES, CAUSAL_ORDER, SYMPTOM_CATEGORIES, type Category } from './taxonomy';
import { withTruncatedLogs } from './truncated-logs';

/** The findings of one analysis in their roles (see "Roles in a report" in the taxonomy). */
export interface RankedFindings {
  rootCause: Finding;
  contributing: Finding[];
  symptoms: Finding[];
  dismissed: Finding[];
}

/** Below this confidence a finding is a hint, not a cause: it never outranks a confident one. */
const CONFIDENT = 0.5;
/** The most a symptom-only finding may claim when the analysed task's own logs are missing. */
const SYMPTOM_WITHOUT_LOGS = 0.4;
/** Evidence lines kept per merged finding. */
const MAX_EVIDENCE = 6;

const IMAGE_PULL: ReadonlySet<Category> = new Set(['image_pull_rate_limited', 'image_not_found', 'registry_auth_failed']);
const PLACEMENT: ReadonlySet<Category> = new Set(['placement_failed', 'network_config_failed']);

const order = (category: Category): number => CAUSAL_ORDER.indexOf(category);
const firstTime = (c: Candidate): number => {
  const times = c.evidence.map((e) => (e.timestamp ? Date.parse(e.timestamp) : Number.POSITIVE_INFINITY));
  return Math.min(Number.POSITIVE_INFINITY, ...times);
};

/** Orders rule ids; the last tie-break, so that no ranking depends on the order of the rule catalogue. */
const byRuleId = (a: Candidate, b: Candidate): number => (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);

/** Merges candidates of the same category and scope: one finding per cause, counting tasks. */
function merge(candidates: Candidate[]): Candidate[] {
  const byKey = new Map<string, Candidate>();
  for (const c of [...candidates].sort((a, b) => b.confidence - a.confidence || byRuleId(a, b))) {
    const key = `${c.category}|${c.scope}`;
    const seen = byKey.get(key);
    if (!seen) {
      byKey.set(key, { ...c, evidence: [...c.evidence], remediation: [...c.remediation], taskArns: [...c.taskArns] });
      continue;
    }
    for (const item of c.evidence) {
      if (seen.evidence.length < MAX_EVIDENCE && !seen.evidence.some((e) => e.text === item.text)) seen.evidence.push(item);
    }
    for (const step of c.remediation) if (!seen.remediation.includes(step)) seen.remediation.push(step);
    for (const arn of c.taskArns) if (!seen.taskArns.includes(arn)) seen.taskArns.push(arn);
  }
  return [...byKey.values()];
}

/** How a candidate compares as a root cause: confident first, then most tasks, causal order, own task, confidence, time, rule id. */
function compareAsRoot(a: Candidate, b: Candidate): number {
  const confident = Number(b.confidence >= CONFIDENT) - Number(a.confidence >= CONFIDENT);
  if (confident !== 0) return confident;
  // Across several tasks (a failed deployment), the cause most tasks show is the dominant one.
  if (a.scope === 'task' && b.scope === 'task' && a.taskArns.length !== b.taskArns.length) return b.taskArns.length - a.taskArns.length;
  const causal = order(a.category) - order(b.category);
  if (causal !== 0) return causal;
  const scope = Number(b.scope === 'task') - Number(a.scope === 'task');
  if (scope !== 0) return scope;
  if (b.confidence !== a.confidence) return b.confidence - a.confidence;
  const time = firstTime(a) - firstTime(b);
  return Number.isNaN(time) || time === 0 ? byRuleId(a, b) : time;
}

/** When the analysed task pulled its image and started, in words; undefined if not shown. */
function startedProof(evidence: Evidence): string | undefined {
  for (const task of analysedTasks(evidence)) {
    if (task.pullStoppedAt !== undefined || task.startedAt !== undefined) {
      const pulled = isoTime(task.pullStoppedAt);
      const started = isoTime(task.startedAt);
      return `task ${task.taskId} ${pulled ? `finished pulling its image at ${pulled}` : 'pulled its image'}${started ? ` and started at ${started}` : ' and started'}`;
    }
    if (task.containers.some((c) => c.exitCode !== undefined)) {
      return `task ${task.taskId}'s container ran and exited with a code, so its image was pulled`;
    }
  }
  if (logLines(evidence).some((line) => line.scope === 'task')) return 'the analysed task wrote its own log lines, so its image was pulled and the program started';
  return undefined;
}

/** Why a candidate is ruled out by the rest of the evidence, or undefined when it stands. */
function dismissal(c: Candidate, evidence: Evidence, started: string | undefined): string | undefined {
  if (c.scope !== 'context') return undefined;
  if (IMAGE_PULL.has(c.category) && started) {
    return `This pull failure concerns another or an earlier task: ${started}.`;
  }
  if (PLACEMENT.has(c.category) && primaryTask(evidence)) {
    return 'This placement failure concerns another attempt: the analysed task was placed and ran.';
  }
  return undefined;
}

/**
 * When the analysed task ran but none of its own log lines were read, symptom-only findings
 * (load-balancer or container health, a bare exit code) cannot show the cause: they are kept below
 * the confidence of a cause, and say why.
 */
function withoutLogs(evidence: Evidence, candidates: Candidate[]): Candidate[] {
  if (appLogsStatus(evidence) === undefined) return candidates;
  return candidates.map((c) =>
    SYMPTOM_CATEGORIES.has(c.category) && c.confidence > SYMPTOM_WITHOUT_LOGS
      ? {
          ...c,
          confidence: SYMPTOM_WITHOUT_LOGS,
          explanation: `${c.explanation} The task's own application logs were not read, so this is what was seen from outside the program, not its cause: confidence is low until the logs are found.`,
        }
      : c,
  );
}

const asFinding = (c: Candidate, extra: Partial<Finding> = {}): Finding => ({
  category: c.category,
  ruleId: c.ruleId,
  title: c.title,
  explanation: c.explanation,
  confidence: c.confidence,
  evidence: c.evidence,
  remediation: c.remediation,
  ...(c.taskArns.length > 1 ? { taskCount: c.taskArns.length } : {}),
  ...extra,
});

/** True when every evidence text of `c` is already cited by `by` (same lines, another reading). */
const subsumed = (c: Candidate, by: Candidate): boolean =>
  c.evidence.every((item) => by.evidence.some((e) => e.text.includes(item.text) || item.text.includes(e.text)));

// What makes a line look like an error, for the `unknown` fallback's evidence: a log level, then words.
const SEVERE_LEVEL = /\b(?:FATAL|CRITICAL|CRIT|ERROR|ERR|SEVERE|EMERG|ALERT|PANIC)\b|"level":\s*"(?:fatal|error|critical)"/;
const WARN_LEVEL = /\b(?:WARN|WARNING)\b|"level":\s*"warn(?:ing)?"/;
const ERROR_WORDS =
  /\b(?:fatal|panic|error|exception|fail(?:ed|ure)?|denied|refused|unable|unavailable|cannot|can't|timed? ?out|abort(?:ed|ing)?|killed|unhealthy|invalid|missing)\b/i;

/** Log lines scored from each end of the analysed task's logs when no rule matched. */
const UNKNOWN_SCAN_LINES = 5000;

/** How error-like a text looks: 0 (not at all) to 6. */
const errorScore = (t: TextSource): number =>
  (SEVERE_LEVEL.test(t.text) ? 3 : WARN_LEVEL.test(t.text) ? 2 : 0) + (ERROR_WORDS.test(t.text) ? 2 : 0) + (t.source === 'log' ? 0 : 1);

/** The most error-like texts read, for a report whose cause no rule recognised. */
function unknownRoot(evidence: Evidence): Finding {
  const lines = logLines(evidence).filter((t) => t.scope === 'task');
  // Start-up errors sit at the head of a log, the fatal ones at its tail; a huge offline bundle need
  // not be scored line by line in between.
  const bounded = lines.length > 2 * UNKNOWN_SCAN_LINES ? [...lines.slice(0, UNKNOWN_SCAN_LINES), ...lines.slice(-UNKNOWN_SCAN_LINES)] : lines;
  const texts: TextSource[] = [...stopTexts(evidence).filter((t) => t.scope === 'task'), ...bounded];
  const scored = texts
    .map((t, i) => ({ t, i, score: errorScore(t) }))
    .filter((s) => s.score > 1 || s.t.source !== 'log')
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, 5);
  const items: EvidenceItem[] = scored.map((s) => cite(s.t));
  const fallback = texts[0] ?? stopTexts(evidence)[0];
  if (items.length === 0 && fallback) items.push(cite(fallback));
  if (items.length === 0) items.push({ source: 'event', text: evidence.trigger.detailType });
  return {
    category: 'unknown',
    ruleId: 'engine',
    title: 'No known failure pattern matched',
    explanation:
      'None of the rules recognised the cause. The lines below are the most error-like texts the analyzer read; start there. If you find the cause, please contribute a rule or an incident bundle.',
    confidence: 0.1,
    evidence: items,
    remediation: [
      'Read the container logs around the stop time (the log-stream links below).',
      'Check the task\'s stoppedReason and each container\'s reason and exitCode in the ECS console.',
      'Capture the incident with `ecs-rca capture` and open an issue with the bundle so a rule can be added.',
    ],
  };
}

/**
 * Ranks rule findings into root cause, contributing causes, symptoms and dismissed look-alikes.
 *
 * Rules of evidence: a benign stop of the analysed task outranks everything; image-pull and
 * placement failures seen only on other tasks or in service events are dismissed when the analysed
 * task pulled its image and started; confident findings outrank hints; then the earliest cause in
 * the causal chain (`CAUSAL_ORDER`) wins, the analysed task's own evidence before context; health-check
 * and bare-exit findings are symptoms of any other root cause, and stay below 0.5 when the analysed
 * task's own logs are missing; findings whose category a confident finding `explains` (an ECS agent
 * that cannot reach its endpoints explains a placement failure) are its symptoms, never the root cause; a symptom or unknown root cause loses some confidence when a log stream
 * was truncated (`withTruncatedLogs`); a finding that only re-cites the root
 * cause's lines is dropped; when nothing matches, the root cause is `unknown` with the most
 * error-like lines as evidence. Pure.
 */
export function rank(evidence: Evidence, candidates: Candidate[]): RankedFindings {
  const merged = withoutLogs(evidence, crashesRequireAnEnd(evidence, merge(candidates)));
  const started = startedProof(evidence);

  const benign = merged.find((c) => c.category === 'benign_stop' && c.scope === 'task');
  if (benign) {
    const reason = `The analysed task was stopped on purpose (${benign.title.toLowerCase()}), so this signal did not cause the stop.`;
    return {
      rootCause: asFinding(benign),
      contributing: [],
      symptoms: [],
      dismissed: merged.filter((c) => c !== benign && c.category !== 'benign_stop').map((c) => asFinding(c, { reason })),
    };
  }

  const dismissed: Finding[] = [];
  const live: Candidate[] = [];
  for (const c of merged.filter((m) => m.category !== 'benign_stop')) {
    const reason = dismissal(c, evidence, started);
    if (reason) dismissed.push(asFinding(c, { reason }));
    else live.push(c);
  }
  // A confident finding that names another's category as its consequence (`explains`) makes it a symptom.
  const explained = (c: Candidate): boolean => live.some((o) => o !== c && o.confidence >= CONFIDENT && o.explains?.includes(c.category) === true);
  live.sort((a, b) => Number(explained(a)) - Number(explained(b)) || compareAsRoot(a, b));
  const [root, ...rest] = live;
  if (!root) return { rootCause: withTruncatedLogs(evidence, unknownRoot(evidence)), contributing: [], symptoms: [], dismissed };

  const contributing: Finding[] = [];
  const symptoms: Finding[] = [];
  const rootIsSymptomKind = SYMPTOM_CATEGORIES.has(root.category);
  for (const c of rest) {
    if (c.category === root.category || subsumed(c, root)) continue;
    const healthLike = SYMPTOM_CATEGORIES.has(c.category);
    if (explained(c) && root.explains?.includes(c.category)) {
      symptoms.push(asFinding(c));
    } else if (healthLike && (!rootIsSymptomKind || CATEGORIES[c.category].phase === CATEGORIES[root.category].phase || c.category === 'app_exit_nonzero')) {
      symptoms.push(asFinding(c));
    } else if (c.confidence >= CONFIDENT) {
      contributing.push(asFinding(c));
    } else {
      dismissed.push(asFinding(c, { reason: `A weak signal (confidence ${c.confidence}) outranked by the root cause's direct evidence.` }));
    }
  }
  return { rootCause: withTruncatedLogs(evidence, asFinding(root)), contributing, symptoms, dismissed };
}
