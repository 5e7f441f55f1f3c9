import type { EvidenceItem, Finding, RcaReport, Severity } from '../report-schema';
import { oneLine } from '../../shared/text';
import { containerSummaries, evidenceOrigin, labelledLinks, percent, printable, resourceFacts, stopFacts, taskCountNote } from './summary';
import { chunks } from '../../shared/chunks';
import { whatChanged } from './what-changed';

/** Options of the text renderer. */
export interface TextRenderOptions {
  /**
   * Whether to use ANSI colours. The CLI sets it only when stdout is a TTY and `NO_COLOR` is unset
   * (https://no-color.org/); the renderer itself never looks at the environment, so it stays pure.
   */
  color?: boolean;
}

// SGR codes with their specific resets, so nested styles do not cancel each other. A tiny map rather
// than `util.styleText`, whose TTY/NO_COLOR detection differs between Node 20 and 22.
const SGR = {
  bold: [1, 22],
  dim: [2, 22],
  red: [31, 39],
  green: [32, 39],
  yellow: [33, 39],
  cyan: [36, 39],
} as const;
type Style = keyof typeof SGR;

type Paint = (style: Style, text: string) => string;

const paintWith =
  (color: boolean): Paint =>
  (style, text) =>
    color ? `\u001b[${SGR[style][0]}m${text}\u001b[${SGR[style][1]}m` : text;

const SEVERITY_STYLE: Record<Severity, Style> = {
  critical: 'red',
  high: 'red',
  medium: 'yellow',
  low: 'cyan',
  info: 'green',
};

/** How many evidence lines a secondary finding (contributing, symptom, dismissed) shows. */
const SECONDARY_EVIDENCE_LIMIT = 3;

/** Indents every line of a (possibly multi-line) text. Never re-wraps it. */
const indent = (text: string, prefix: string): string[] => text.split('\n').map((line) => `${prefix}${line}`);

function evidenceLines(items: readonly EvidenceItem[], prefix: string, paint: Paint, limit = Infinity): string[] {
  const lines: string[] = [];
  for (const item of items.slice(0, limit)) {
    lines.push(`${prefix}${paint('dim', evidenceOrigin(item).map(printable).join('  '))}`);
    // The evidence itself is printed whole, one source line per terminal line: a wrapped or cut log
    // line would no longer be the literal text someone can search for in CloudWatch.
    lines.push(...indent(printable(item.text), `${prefix}  `));
  }
  if (items.length > limit) lines.push(`${prefix}${paint('dim', `(+${items.length - limit} more in the JSON report)`)}`);
  return lines;
}

/** Numbered steps; continuation lines of a multi-line step align under its first word. */
function numbered(steps: readonly string[], prefix: string): string[] {
  return steps.flatMap((step, i) => {
    const marker = `${i + 1}. `;
    const [first = '', ...rest] = printable(step).split('\n');
    return [`${prefix}${marker}${first}`, ...rest.map((line) => `${prefix}${' '.repeat(marker.length)}${line}`)];
  });
}

function heading(title: string, paint: Paint): string[] {
  return ['', paint('bold', title)];
}

function findingHeadline(finding: Finding, paint: Paint): string {
  const note = taskCountNote(finding);
  return `  * ${paint('bold', finding.category)}  ${oneLine(finding.title)}${note ? paint('dim', ` (${note})`) : ''}`;
}

function verdict(report: RcaReport, paint: Paint): string[] {
  const { rootCause } = report;
  const severity = paint(SEVERITY_STYLE[report.severity], paint('bold', report.severity.toUpperCase()));
  const alert = report.alert ? paint('red', 'ALERT') : paint('green', 'no alert');
  const note = taskCountNote(rootCause);
  const lines = [
    `${severity}  ${alert}  ${paint('bold', rootCause.category)}  ${paint('dim', `confidence ${percent(rootCause.confidence)}`)}`,
    `Root cause: ${paint('bold', oneLine(rootCause.title))}${note ? ` (${note})` : ''}`,
  ];
  // Without the program's own logs every finding is a guess: say so before anything else.
  if (report.applicationLogs) lines.push(paint('yellow', printable(report.applicationLogs.message)));
  const facts = resourceFacts(report);
  // Three facts a line keeps the verdict readable in an 80–120 column terminal.
  for (const row of chunks(facts, 3)) {
    lines.push(row.map((fact) => `${fact.label}: ${oneLine(fact.value)}`).join('   '));
  }
  const containers = containerSummaries(report);
  if (containers.length > 0) lines.push(`Containers: ${oneLine(containers.join(', '))}`);
  for (const fact of stopFacts(report)) lines.push(`${fact.label}: ${oneLine(fact.value)}`);
  const { trigger } = report;
  lines.push(paint('dim', `Trigger: ${trigger.detailType} at ${trigger.time} (${trigger.region}, account ${trigger.account})`));
  return lines;
}

function secondary(title: string, findings: readonly Finding[], paint: Paint, describe: (finding: Finding) => string[]): string[] {
  if (findings.length === 0) return [];
  return [...heading(`${title} (${findings.length})`, paint), ...findings.flatMap(describe)];
}

/** The "What changed" section: every change item (a terminal has room), who made it; the link is under Links. */
function whatChangedText(report: RcaReport, paint: Paint): string[] {
  const block = whatChanged(report, Infinity);
  if (!block) return [];
  return [
    ...heading('What changed', paint),
    `  ${block.headline}`,
    ...block.items.map((item) => `  * ${item}`),
    ...(block.actor ? [`  Changed by: ${block.actor}`] : []),
  ];
}

/**
 * Renders a report for a terminal: the verdict first (severity, alert, category, root cause, what
 * failed), then the root cause's explanation and evidence, the numbered fix, contributing causes,
 * symptoms, dismissed look-alikes with the reason each was ruled out, evidence gaps and console links.
 *
 * Pure: the same report and options give the same string (no trailing newline). Evidence texts are
 * never wrapped or cut; terminal control sequences in them are removed (see `printable`).
 */
export function renderText(report: RcaReport, options: TextRenderOptions = {}): string {
  const paint = paintWith(options.color === true);
  const { rootCause } = report;
  const lines: string[] = [...verdict(report, paint)];

  if (rootCause.explanation) lines.push('', ...indent(printable(rootCause.explanation), ''));

  lines.push(...heading('Evidence', paint));
  lines.push(...(rootCause.evidence.length > 0 ? evidenceLines(rootCause.evidence, '  ', paint) : ['  (none)']));

  if (rootCause.remediation.length > 0) lines.push(...heading('Fix', paint), ...numbered(rootCause.remediation, '  '));
  lines.push(...whatChangedText(report, paint));

  lines.push(
    ...secondary('Contributing causes', report.contributing, paint, (finding) => [
      findingHeadline(finding, paint),
      ...indent(printable(finding.explanation), '    '),
      ...evidenceLines(finding.evidence, '    ', paint, SECONDARY_EVIDENCE_LIMIT),
      ...(finding.remediation.length > 0 ? ['    Fix:', ...numbered(finding.remediation, '      ')] : []),
    ]),
    ...secondary('Symptoms', report.symptoms, paint, (finding) => [
      findingHeadline(finding, paint),
      ...evidenceLines(finding.evidence, '    ', paint, SECONDARY_EVIDENCE_LIMIT),
    ]),
    ...secondary('Dismissed', report.dismissed, paint, (finding) => [
      findingHeadline(finding, paint),
      ...indent(`Why dismissed: ${printable(finding.reason ?? 'outweighed by stronger evidence')}`, '    '),
      ...evidenceLines(finding.evidence, '    ', paint, SECONDARY_EVIDENCE_LIMIT),
    ]),
  );

  if (report.evidenceGaps.length > 0) {
    lines.push(...heading('Evidence gaps', paint), ...report.evidenceGaps.flatMap((gap) => indent(printable(gap), '  * ')));
  }
  if (report.ruleErrors && report.ruleErrors.length > 0) {
    lines.push(
      ...heading('Rules that failed (their findings are missing)', paint),
      ...report.ruleErrors.map((error) => `  * ${error.ruleId}: ${oneLine(error.message)}`),
    );
  }

  const links = labelledLinks(report);
  if (links.length > 0) {
    const width = Math.max(...links.map((link) => link.label.length)) + 2;
    lines.push(...heading('Links', paint), ...links.map((link) => `  ${`${link.label}:`.padEnd(width)}${oneLine(link.url)}`));
  }

  const redacted = report.redactions ? ` · ${report.redactions} secret(s) masked` : '';
  lines.push('', paint('dim', `incident ${report.incidentKey} · analyzed ${report.analyzedAt} · ecs-incident-analyzer ${report.analyzerVersion}${redacted}`));
  return lines.join('\n');
}
