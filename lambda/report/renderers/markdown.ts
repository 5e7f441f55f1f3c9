import type { EvidenceItem, Finding, RcaReport } from '../report-schema';
import { whatChanged } from './what-changed';
import { containerSummaries, evidenceOrigin, labelledLinks, percent, printable, resourceFacts, stopFacts, taskCountNote } from './summary';

/**
 * Markdown rendering of a report (CommonMark/GitHub-flavoured), for issues, wikis and chat tools that
 * take markdown. Texts the analyzer read are only ever placed in code spans or fenced code blocks whose
 * fence is longer than any backtick run inside, so no log line can break out of its block or inject
 * links, HTML or headings. Prose written by rules may use `code spans`; everything else in it is
 * backslash-escaped (CommonMark lets any ASCII punctuation be escaped:
 * https://spec.commonmark.org/0.31.2/#backslash-escapes).
 */

/** Longest run of backticks in a text. */
function longestBacktickRun(text: string): number {
  let longest = 0;
  for (const run of text.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return longest;
}

/**
 * A fenced code block holding `text` verbatim. The fence is one backtick longer than the longest
 * backtick run in the text (and at least three), so the text cannot close it
 * (https://spec.commonmark.org/0.31.2/#fenced-code-blocks).
 */
export function codeBlock(text: string, info = 'text'): string {
  const body = printable(text);
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return `${fence}${info}\n${body}\n${fence}`;
}

/**
 * An inline code span holding `text` (line breaks become spaces). The delimiter is longer than any
 * backtick run inside, padded with spaces when the text starts or ends with a backtick
 * (https://spec.commonmark.org/0.31.2/#code-spans).
 */
export function inlineCode(text: string): string {
  const body = printable(text).replace(/\n/g, ' ');
  if (body === '') return '';
  const delimiter = '`'.repeat(longestBacktickRun(body) + 1);
  const pad = body.startsWith('`') || body.endsWith('`') || (body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') ? ' ' : '';
  return `${delimiter}${pad}${body}${pad}${delimiter}`;
}

// Characters that can start emphasis, code, links (`[`), HTML, tables, strikethrough or headings, and
// an `&` that would start a character reference. Parentheses need no escape once `[` and `]` have one.
const INLINE_SPECIAL = /[\\`*_[\]<>#|~]|&(?=#?\w+;)/g;
// Markers that would turn the start of a line into a list item, quote, heading or thematic break.
const LINE_START_SPECIAL = /^(\s*)([-+=]|\d+(?=[.)]))/;

/**
 * Escapes prose for markdown while keeping its single-backtick code spans (rules write
 * `repositoryCredentials` in their remediation and mean it as code).
 */
export function escapeMarkdown(text: string): string {
  return printable(text)
    .split('\n')
    .map((line) => {
      const escaped = line
        .split(/(`[^`]+`)/)
        .map((part, i) => (i % 2 === 1 ? part : part.replace(INLINE_SPECIAL, '\\$&')))
        .join('');
      return escaped.replace(LINE_START_SPECIAL, (_, space: string, marker: string) =>
        /^\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
      );
    })
    .join('  \n');
}

/** A URL usable as a markdown link destination: characters that would end it are percent-encoded. */
function linkDestination(url: string): string {
  return printable(url).replace(/[\s()<>]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

function evidenceBlocks(items: readonly EvidenceItem[]): string[] {
  return items.flatMap((item) => [evidenceOrigin(item).map(inlineCode).join(' · '), '', codeBlock(item.text), '']);
}

const numbered = (steps: readonly string[]): string[] => steps.map((step, i) => `${i + 1}. ${escapeMarkdown(step).replace(/ {2}\n/g, '  \n   ')}`);

function findingSection(finding: Finding, body: string[]): string[] {
  const note = taskCountNote(finding);
  return [`### ${inlineCode(finding.category)} ${escapeMarkdown(finding.title)}${note ? ` (${note})` : ''}`, '', ...body];
}

function secondary(title: string, findings: readonly Finding[], describe: (finding: Finding) => string[]): string[] {
  if (findings.length === 0) return [];
  return [`## ${title}`, '', ...findings.flatMap((finding) => findingSection(finding, describe(finding)))];
}

/**
 * Renders a report as markdown, in the same order as the text renderer: verdict, explanation,
 * evidence, fix, contributing causes, symptoms, dismissed (with reasons), evidence gaps, links.
 * Pure; returns the document without a trailing newline.
 */
/** `## What changed`: the headline, every change item, who made it (the link is under Links). */
function whatChangedMarkdown(report: RcaReport): string[] {
  const block = whatChanged(report, Infinity);
  if (!block) return [];
  return [
    '## What changed',
    '',
    escapeMarkdown(block.headline),
    '',
    ...block.items.map((item) => `- ${escapeMarkdown(item)}`),
    ...(block.actor ? ['', `**Changed by:** ${escapeMarkdown(block.actor)}`] : []),
    '',
  ];
}

export function renderMarkdown(report: RcaReport): string {
  const { rootCause } = report;
  const note = taskCountNote(rootCause);
  const lines: string[] = [
    `# ${report.alert ? 'ECS incident' : 'ECS stop (no alert)'}: ${escapeMarkdown(rootCause.title)}`,
    '',
    `**Severity:** ${report.severity} · **Alert:** ${report.alert ? 'yes' : 'no'} · **Category:** ${inlineCode(rootCause.category)} · **Confidence:** ${percent(rootCause.confidence)}${note ? ` · ${note}` : ''}`,
    '',
  ];
  if (report.applicationLogs) lines.push(`> **Warning:** ${escapeMarkdown(report.applicationLogs.message)}`, '');
  const facts = resourceFacts(report).map((fact) => `- **${fact.label}:** ${inlineCode(fact.value)}`);
  const containers = containerSummaries(report);
  if (containers.length > 0) facts.push(`- **Containers:** ${containers.map(inlineCode).join(', ')}`);
  for (const fact of stopFacts(report)) facts.push(`- **${fact.label}:** ${inlineCode(fact.value)}`);
  const { trigger } = report;
  facts.push(`- **Trigger:** ${escapeMarkdown(trigger.detailType)} at ${inlineCode(trigger.time)} (${inlineCode(trigger.region)}, account ${inlineCode(trigger.account)})`);
  lines.push(...facts, '');

  if (rootCause.explanation) lines.push(escapeMarkdown(rootCause.explanation), '');

  lines.push('## Evidence', '', ...(rootCause.evidence.length > 0 ? evidenceBlocks(rootCause.evidence) : ['_None._', '']));
  if (rootCause.remediation.length > 0) lines.push('## Fix', '', ...numbered(rootCause.remediation), '');
  lines.push(...whatChangedMarkdown(report));

  lines.push(
    ...secondary('Contributing causes', report.contributing, (finding) => [
      escapeMarkdown(finding.explanation),
      '',
      ...evidenceBlocks(finding.evidence),
      ...(finding.remediation.length > 0 ? ['**Fix:**', '', ...numbered(finding.remediation), ''] : []),
    ]),
    ...secondary('Symptoms', report.symptoms, (finding) => [escapeMarkdown(finding.explanation), '', ...evidenceBlocks(finding.evidence)]),
    ...secondary('Dismissed', report.dismissed, (finding) => [
      `**Why dismissed:** ${escapeMarkdown(finding.reason ?? 'outweighed by stronger evidence')}`,
      '',
      ...evidenceBlocks(finding.evidence),
    ]),
  );

  if (report.evidenceGaps.length > 0) lines.push('## Evidence gaps', '', ...report.evidenceGaps.map((gap) => `- ${escapeMarkdown(gap)}`), '');
  if (report.ruleErrors && report.ruleErrors.length > 0) {
    lines.push('## Rules that failed', '', ...report.ruleErrors.map((error) => `- ${inlineCode(error.ruleId)}: ${escapeMarkdown(error.message)}`), '');
  }
  const links = labelledLinks(report);
  if (links.length > 0) lines.push('## Links', '', ...links.map((link) => `- [${link.label}](${linkDestination(link.url)})`), '');

  const redacted = report.redactions ? ` · ${report.redactions} secret(s) masked` : '';
  lines.push('---', '', `_Incident ${inlineCode(report.incidentKey)} · analyzed ${inlineCode(report.analyzedAt)} · ecs-incident-analyzer ${inlineCode(report.analyzerVersion)}${redacted}_`);
  return lines.join('\n');
}
