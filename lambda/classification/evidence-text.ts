import type { EpochMs, Evidence, LogStreamEvidence, TaskEvidence } from '../evidence/types';
import type { EvidenceItem, EvidenceSource } from '../report/report-schema';
import { findSecrets } from '../shared/redaction';
import { eachCandidate } from './line-scan';
import { scanContext } from './scan-context';

/**
 * Helpers every rule uses to read texts out of the evidence model and cite them.
 *
 * A `TextSource` is one string the analyzer read (a stop reason, a container reason, a log line, a
 * service event, a target-health description) with where it came from. Rules match on `text` and cite
 * it through `cite()`, so every evidence text stays a literal substring of what was read.
 */
export interface TextSource {
  source: EvidenceSource;
  /** The literal text as read. */
  text: string;
  /** Epoch ms, when known. */
  timestamp?: EpochMs;
  /** `task` when it is about an analysed task, `context` otherwise (see `RuleFinding.scope`). */
  scope: 'task' | 'context';
  taskArn?: string;
  containerName?: string;
  logGroupName?: string;
  logStreamName?: string;
  /** Position of a log line in its stream (0 = oldest read). */
  lineIndex?: number;
}

/** Longest evidence text we cite; longer texts are cut around the match (still a literal substring). */
export const MAX_EVIDENCE_CHARS = 600;

const CURLY = /[\u2018\u2019\u201B\u2032\u201C\u201D\u201F\u2033]/;

/**
 * Text prepared for matching: curly apostrophes and quotes become straight ones, so rules written
 * with `'` and `"` match texts copied through consoles and chat tools. Lengths are unchanged, so an
 * index found in the normalised text is valid in the original.
 */
export function normaliseText(text: string): string {
  // One test first: most texts hold no curly quote, and then need no copy.
  if (!CURLY.test(text)) return text;
  return text.replace(/[\u2018\u2019\u201B\u2032]/g, "'").replace(/[\u201C\u201D\u201F\u2033]/g, '"');
}

/** Whether a task is one the analysis is about (the event's task, or any task of a multi-task trigger). */
export function isAnalysedTask(evidence: Evidence, task: TaskEvidence): boolean {
  if (evidence.trigger.kind !== 'task_stopped') return true;
  return task === evidence.tasks[0] || task.taskArn === evidence.tasks[0]?.taskArn;
}

/** The task the event is about, for `task_stopped` triggers; undefined otherwise. */
export function primaryTask(evidence: Evidence): TaskEvidence | undefined {
  return evidence.trigger.kind === 'task_stopped' ? evidence.tasks[0] : undefined;
}

/** Tasks the analysis is about: the event's task, or the stopped tasks gathered for a service. */
export function analysedTasks(evidence: Evidence): TaskEvidence[] {
  return evidence.tasks.filter((task) => isAnalysedTask(evidence, task));
}

const scopeOf = (evidence: Evidence, task: TaskEvidence): 'task' | 'context' =>
  isAnalysedTask(evidence, task) ? 'task' : 'context';

/** Every task's `stoppedReason`. */
export function stoppedReasons(evidence: Evidence): TextSource[] {
  return evidence.tasks.flatMap((task) =>
    task.stoppedReason
      ? [{ source: 'stoppedReason' as const, text: task.stoppedReason, timestamp: task.stoppedAt ?? task.stoppingAt, scope: scopeOf(evidence, task), taskArn: task.taskArn }]
      : [],
  );
}

/** Every container's `reason` (e.g. `CannotPullContainerError: …`). */
export function containerReasons(evidence: Evidence): TextSource[] {
  return evidence.tasks.flatMap((task) =>
    task.containers.flatMap((container) =>
      container.reason
        ? [{ source: 'containerReason' as const, text: container.reason, timestamp: task.stoppedAt ?? task.stoppingAt, scope: scopeOf(evidence, task), taskArn: task.taskArn, containerName: container.name }]
        : [],
    ),
  );
}

/** Container reasons first (they are the most specific), then stop reasons. */
export function stopTexts(evidence: Evidence): TextSource[] {
  return [...containerReasons(evidence), ...stoppedReasons(evidence)];
}

function streamScope(evidence: Evidence, stream: LogStreamEvidence): { scope: 'task' | 'context'; taskArn?: string } {
  const byId = stream.taskId ? evidence.tasks.find((t) => t.taskId === stream.taskId) : undefined;
  const byName = byId ?? evidence.tasks.find((t) => stream.logStreamName.endsWith(`/${t.taskId}`));
  if (byName) return { scope: scopeOf(evidence, byName), taskArn: byName.taskArn };
  // A stream we cannot tie to a task was collected for this incident: treat it as the analysed task's.
  const primary = primaryTask(evidence);
  return { scope: 'task', taskArn: primary?.taskArn };
}

function buildLogLines(evidence: Evidence): TextSource[] {
  const lines: TextSource[] = [];
  for (const stream of evidence.logs) {
    const { scope, taskArn } = streamScope(evidence, stream);
    const { containerName, logGroupName, logStreamName, events } = stream;
    // A plain loop: this runs once per log event of the incident, which may be millions.
    for (let lineIndex = 0; lineIndex < events.length; lineIndex += 1) {
      const event = events[lineIndex] as LogStreamEvidence['events'][number];
      lines.push({ source: 'log', text: event.message, timestamp: event.timestamp, scope, taskArn, containerName, logGroupName, logStreamName, lineIndex });
    }
  }
  return lines;
}

/**
 * Every log line, stream by stream, oldest first within a stream.
 *
 * Read once per analysis (every rule reads the same lines, see `scan-context.ts`): the array is
 * shared, so never modify it.
 */
export function logLines(evidence: Evidence): readonly TextSource[] {
  const context = scanContext(evidence);
  if (!context.lines) {
    context.lines = buildLogLines(evidence);
    context.scan?.register(context.lines);
  }
  return context.lines;
}

/** Every service event message, newest first as ECS lists them. */
export function serviceEvents(evidence: Evidence): TextSource[] {
  return evidence.services.flatMap((service) =>
    service.events.map((event) => ({ source: 'serviceEvent' as const, text: event.message, timestamp: event.createdAt, scope: 'context' as const })),
  );
}

/** `TargetHealth.Reason` and `TargetHealth.Description` of every unhealthy target. */
export function targetHealthTexts(evidence: Evidence): TextSource[] {
  return evidence.targetHealth.flatMap((group) =>
    group.targets
      .filter((target) => target.state !== 'healthy')
      .flatMap((target) =>
        [target.description, target.reason]
          .filter((text): text is string => Boolean(text))
          .map((text) => ({ source: 'targetHealth' as const, text, scope: 'context' as const })),
      ),
  );
}

/** A match of a pattern in a text source. */
export interface TextMatch {
  item: TextSource;
  /** Index of the match in `item.text`. */
  index: number;
  /** The matched characters, as in the original text. */
  matched: string;
  /** Capture groups of the match (normalised text). */
  groups: (string | undefined)[];
}

/**
 * Finds the first match of `pattern` in `text` after quote normalisation. The returned index and
 * `matched` refer to the original text. Patterns must not be global (`g`/`y`): they are stateless.
 */
export function matchText(text: string, pattern: RegExp): Omit<TextMatch, 'item'> | undefined {
  const m = pattern.exec(normaliseText(text));
  if (!m) return undefined;
  return { index: m.index, matched: text.slice(m.index, m.index + m[0].length), groups: m.slice(1) };
}

/**
 * Every source whose text matches `pattern`, in the order given. On the shared log lines of an
 * analysis the pattern only runs on lines holding one of its required literals (see `line-scan.ts`;
 * a rule declares the patterns it runs over log lines in `logPatterns`).
 */
export function findAll(sources: readonly TextSource[], pattern: RegExp): TextMatch[] {
  const matches: TextMatch[] = [];
  eachCandidate(sources, pattern, (item) => {
    const m = matchText(item.text, pattern);
    if (m) matches.push({ item, ...m });
    return false;
  });
  return matches;
}

/** The first source whose text matches `pattern` (prefiltered like `findAll`). */
export function findFirst(sources: readonly TextSource[], pattern: RegExp): TextMatch | undefined {
  let found: TextMatch | undefined;
  eachCandidate(sources, pattern, (item) => {
    const m = matchText(item.text, pattern);
    if (m) found = { item, ...m };
    return found !== undefined;
  });
  return found;
}

/** Epoch ms → ISO-8601, or undefined. */
export function isoTime(ms: EpochMs | undefined): string | undefined {
  return ms === undefined || !Number.isFinite(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * Cites a text source as report evidence. Texts longer than `MAX_EVIDENCE_CHARS` are cut to a window
 * around `at` (an index into the text), so the citation stays a literal substring and keeps the match.
 */
export function cite(item: TextSource, at = 0): EvidenceItem {
  let text = item.text.trim();
  if (text.length > MAX_EVIDENCE_CHARS) {
    let start = Math.max(0, Math.min(at - 100, item.text.length - MAX_EVIDENCE_CHARS));
    let end = start + MAX_EVIDENCE_CHARS;
    // Never cut through a secret: a cut token (a JWT without its `eyJ`, a key without its name) would
    // no longer be recognised by the report's redaction. Widen the window to hold it whole instead.
    for (const span of findSecrets(item.text)) {
      if (span.start < start && span.end > start) start = span.start;
      if (span.start < end && span.end > end) end = span.end;
    }
    // A window edge inside a surrogate pair moves outwards, so the citation never holds half a character.
    if (start > 0 && isLowSurrogate(item.text.charCodeAt(start))) start -= 1;
    if (end < item.text.length && isLowSurrogate(item.text.charCodeAt(end))) end += 1;
    text = item.text.slice(start, end);
  }
  return {
    source: item.source,
    text,
    ...(item.timestamp !== undefined ? { timestamp: isoTime(item.timestamp) } : {}),
    ...(item.logGroupName ? { logGroupName: item.logGroupName } : {}),
    ...(item.logStreamName ? { logStreamName: item.logStreamName } : {}),
    ...(item.containerName ? { containerName: item.containerName } : {}),
    ...(item.taskArn ? { taskArn: item.taskArn } : {}),
  };
}

function isLowSurrogate(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

/** Cites a match (the whole line it is in). */
export function citeMatch(match: TextMatch): EvidenceItem {
  return cite(match.item, match.index);
}
