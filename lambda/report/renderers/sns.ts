import { whatChangedLines } from './what-changed';
import type { EvidenceItem, Finding, RcaReport } from '../report-schema';
import { CATEGORIES } from '../../classification/taxonomy';
import { clusterName, containerSummaries, headline, oneLine, printable, serviceLabel, stopFacts } from './summary';
import { cutText, prefixUtf8 } from '../../shared/text';

/**
 * The SNS rendering of a report: a subject, a message and message attributes for `Publish`.
 *
 * - `text`: a plain-text message for email, SMS-less HTTP and SQS subscribers; verdict first.
 * - `chatbot`: the custom-notification JSON of Amazon Q Developer in chat applications (formerly AWS
 *   Chatbot), so one topic can feed Slack, Microsoft Teams or Amazon Chime through AWS
 *   (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html).
 *
 * SNS limits relied on (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html): the subject is
 * text without line breaks or control characters, under 100 characters, starting with a letter,
 * number or punctuation mark (we also keep it ASCII so every email client shows it as is); the message
 * is UTF-8 and at most 262,144 bytes. Message attributes let subscription filter policies select
 * messages (https://docs.aws.amazon.com/sns/latest/dg/sns-message-filtering.html); SNS rejects empty
 * attribute values, so an unknown value is left out rather than sent empty.
 */

/** Body format of the SNS message. */
export type SnsFormat = 'text' | 'chatbot';

/** Options of `renderSns`. */
export interface SnsRenderOptions {
  format: SnsFormat;
}

/** One SNS message attribute (always `String` here). */
export interface SnsMessageAttribute {
  DataType: 'String';
  StringValue: string;
}

/** What `Publish` needs. */
export interface SnsRendering {
  /** ASCII, one line, at most `SNS_SUBJECT_MAX_CHARS`. */
  subject: string;
  /** UTF-8; with the subject and attributes at most `SNS_MAX_PUBLISH_BYTES`. */
  message: string;
  /** `category`, `severity`, `alert`, and `cluster`/`service` when known. */
  messageAttributes: Record<string, SnsMessageAttribute>;
}

/** SNS subjects must be under 100 characters. */
export const SNS_SUBJECT_MAX_CHARS = 99;
/** SNS message size limit (256 KB); the subject and attributes are counted against it too, to be safe. */
export const SNS_MAX_PUBLISH_BYTES = 262_144;

const ATTRIBUTE_MAX_CHARS = 256;
const TRUNCATION_NOTE = '\n\n[Message truncated to fit the SNS size limit; the full report is in the S3 audit record.]';

/** Evidence shown per finding at one truncation level: how many items, how many characters each. */
interface EvidenceBudget {
  items: number;
  chars: number;
}

// Evidence is cut progressively (fewer and shorter lines) until the message fits; everything else
// stays whole unless even no evidence is not enough.
const EVIDENCE_LEVELS: readonly EvidenceBudget[] = [
  { items: Number.POSITIVE_INFINITY, chars: Number.POSITIVE_INFINITY },
  { items: 20, chars: 2000 },
  { items: 10, chars: 500 },
  { items: 5, chars: 200 },
  { items: 2, chars: 120 },
  { items: 0, chars: 0 },
];

/** Renders the report for SNS `Publish`. Pure. */
export function renderSns(report: RcaReport, options: SnsRenderOptions = { format: 'text' }): SnsRendering {
  const subject = snsSubject(report);
  const messageAttributes = snsMessageAttributes(report);
  const budget = SNS_MAX_PUBLISH_BYTES - utf8Bytes(subject) - attributesBytes(messageAttributes);
  const message = options.format === 'chatbot' ? renderChatbot(report, subject) : renderText(report, budget);
  return { subject, message, messageAttributes };
}

/**
 * `HIGH web: app_import_error - the program cannot load a module, …`, ASCII, one line, under 100
 * characters; built from the analyzer's own words only (severity, service, category and its meaning),
 * never from log text (see `headline`).
 */
export function snsSubject(report: RcaReport): string {
  const where = serviceLabel(report);
  const category = report.rootCause.category;
  const raw = `${report.severity.toUpperCase()} ${where}: ${category} - ${CATEGORIES[category]?.meaning ?? 'cause not determined'}`;
  const ascii = toAsciiLine(raw) || 'ECS incident';
  return cutText(ascii, SNS_SUBJECT_MAX_CHARS, '...');
}

/** Attributes for subscription filter policies; unknown values are omitted (SNS refuses empty ones). */
export function snsMessageAttributes(report: RcaReport): Record<string, SnsMessageAttribute> {
  const values: Record<string, string | undefined> = {
    category: report.rootCause.category,
    severity: report.severity,
    alert: String(report.alert),
    cluster: clusterName(report.resource.clusterArn),
    service: report.resource.serviceName,
  };
  const attributes: Record<string, SnsMessageAttribute> = {};
  for (const [name, value] of Object.entries(values)) {
    const cleaned = value === undefined ? '' : cutText(oneLine(value), ATTRIBUTE_MAX_CHARS, '');
    if (cleaned) attributes[name] = { DataType: 'String', StringValue: cleaned };
  }
  return attributes;
}

/** Bytes of `text` in UTF-8. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}


function renderText(report: RcaReport, budgetBytes: number): string {
  for (const level of EVIDENCE_LEVELS) {
    const text = textBody(report, level);
    if (utf8Bytes(text) <= budgetBytes) return text;
  }
  const bare = textBody(report, { items: 0, chars: 0 });
  return prefixUtf8(bare, budgetBytes - utf8Bytes(TRUNCATION_NOTE)) + TRUNCATION_NOTE;
}

function textBody(report: RcaReport, evidence: EvidenceBudget): string {
  const root = report.rootCause;
  const out: string[] = [];
  const cluster = clusterName(report.resource.clusterArn);
  out.push(
    `${report.severity.toUpperCase()}: ${root.category} in ${serviceLabel(report)}${cluster ? ` (cluster ${cluster})` : ''}`,
    `Root cause: ${oneLine(root.title)}`,
    `Confidence: ${percent(root.confidence)}${root.taskCount !== undefined ? `, seen in ${root.taskCount} task(s)` : ''}, rule ${root.ruleId}`,
    ...(report.applicationLogs ? [clean(report.applicationLogs.message)] : []),
    ...stopFacts(report).map((fact) => `${fact.label}: ${oneLine(fact.value)}`),
  );
  section(out, 'What happened', [clean(root.explanation)]);
  section(out, 'How to fix', root.remediation.map((step, i) => `  ${i + 1}. ${indentRest(clean(step), '     ')}`));
  section(out, 'What changed', whatChangedLines(report).map((line) => `  ${oneLine(line)}`));
  section(out, 'Evidence', evidenceLines(root.evidence, evidence));
  section(out, 'Contributing causes', report.contributing.flatMap((f) => findingLines(f, evidence)));
  section(out, 'Symptoms', report.symptoms.flatMap((f) => findingLines(f, evidence)));
  section(out, 'Ruled out', report.dismissed.flatMap((f) => findingLines(f, evidence)));
  section(out, 'Evidence gaps', report.evidenceGaps.map((gap) => `  - ${oneLine(gap)}`));
  section(out, 'Rule errors', (report.ruleErrors ?? []).map((e) => `  - ${e.ruleId}: ${oneLine(e.message)}`));
  section(out, 'Links', linkLines(report));
  section(out, 'Details', detailLines(report));
  return out.join('\n');
}

function findingLines(finding: Finding, evidence: EvidenceBudget): string[] {
  const lines = [`  - [${finding.category}] ${oneLine(finding.title)} (confidence ${percent(finding.confidence)})`];
  if (finding.reason) lines.push(`      Why ruled out: ${oneLine(finding.reason)}`);
  if (finding.explanation) lines.push(`      ${indentRest(clean(finding.explanation), '      ')}`);
  lines.push(...evidenceLines(finding.evidence, evidence).map((line) => `    ${line}`));
  return lines;
}

function evidenceLines(items: EvidenceItem[], budget: EvidenceBudget): string[] {
  const shown = items.slice(0, budget.items);
  const lines = shown.map((item) => {
    const where = [item.source, item.containerName, item.timestamp, item.logStreamName].filter(Boolean).join(' ');
    const text = cutText(clean(item.text), budget.chars, ' [...]');
    return `  - [${where}] ${indentRest(text, '      ')}`;
  });
  if (items.length > shown.length) lines.push(`  (${items.length - shown.length} more evidence item(s) in the S3 audit record)`);
  return lines;
}

function linkLines(report: RcaReport): string[] {
  const { task, service, logStreams, targetGroup } = report.links;
  return [
    ...(task ? [`  Task: ${task}`] : []),
    ...(service ? [`  Service: ${service}`] : []),
    ...(logStreams ?? []).map((url) => `  Log stream: ${url}`),
    ...(targetGroup ? [`  Target group: ${targetGroup}`] : []),
  ];
}

function detailLines(report: RcaReport): string[] {
  const r = report.resource;
  const t = report.trigger;
  const fields: [string, string | undefined][] = [
    ['Action', report.actionTaken?.summary],
    ['Cluster', r.clusterArn],
    ['Service', r.serviceName],
    ['Task', r.taskArn],
    ['Task definition', r.taskDefinitionArn],
    ['Deployment', r.deploymentId],
    ['Target group', r.targetGroupArn],
  ];
  const lines = fields.filter(([, v]) => v).map(([k, v]) => `  ${k}: ${oneLine(v ?? '')}`);
  const summaries = containerSummaries(report);
  r.containers.forEach((c, i) => {
    const parts = [c.image, c.reason].filter(Boolean);
    lines.push(`  Container ${oneLine(summaries[i] ?? c.name)}${parts.length ? `: ${oneLine(parts.join(', '))}` : ''}`);
  });
  lines.push(
    `  Trigger: ${t.detailType} ${t.eventId} at ${t.time} (account ${t.account}, ${t.region})`,
    `  Incident key: ${report.incidentKey}`,
    `  Analyzed at ${report.analyzedAt} by ecs-incident-analyzer ${report.analyzerVersion}`,
  );
  return lines;
}

// --- Amazon Q Developer in chat applications custom notification ------------------------------------

// Our own caps, chosen so the chat card stays readable and the JSON stays far below the SNS limit.
const CHATBOT_TITLE_MAX = 250;
const CHATBOT_DESCRIPTION_MAX = 4000;
const CHATBOT_NEXT_STEPS = 5;
const CHATBOT_STEP_MAX = 500;
const CHATBOT_EVIDENCE_LINES = 5;
const CHATBOT_EVIDENCE_CHARS = 300;
const CHATBOT_VALUE_MAX = 1024;

/** The custom notification event (`version` 1.0, `source` custom). */
export interface ChatbotNotification {
  version: '1.0';
  source: 'custom';
  id: string;
  content: {
    textType: 'client-markdown';
    title: string;
    description: string;
    nextSteps: string[];
    keywords: string[];
  };
  metadata: {
    threadId: string;
    summary: string;
    eventType: string;
    relatedResources: string[];
    additionalContext: Record<string, string>;
  };
}

/** Builds the custom notification object (exported for tests and previews). */
export function chatbotNotification(report: RcaReport, subject: string = snsSubject(report)): ChatbotNotification {
  const root = report.rootCause;
  const cluster = clusterName(report.resource.clusterArn);
  const r = report.resource;
  const context: Record<string, string | undefined> = {
    category: root.category,
    severity: report.severity,
    cluster,
    service: r.serviceName,
    taskArn: r.taskArn,
    stopCode: r.stopCode,
    stoppedReason: r.stoppedReason,
    containers: r.containers.length > 0 ? containerSummaries(report).join(', ') : undefined,
    incidentKey: report.incidentKey,
  };
  return {
    version: '1.0',
    source: 'custom',
    id: report.trigger.eventId,
    content: {
      textType: 'client-markdown',
      title: `${severityEmoji(report.severity)} ${escapedCut(oneLine(headline(report)), CHATBOT_TITLE_MAX - 25)}`,
      description: chatbotDescription(report),
      nextSteps: root.remediation.slice(0, CHATBOT_NEXT_STEPS).map((step) => escapedCut(oneLine(step), CHATBOT_STEP_MAX)),
      keywords: [report.severity, root.category, cluster, r.serviceName].filter((k): k is string => !!k).map((k) => cutText(oneLine(k), 50, '')),
    },
    metadata: {
      // One thread per incident: repeats of the same incident can be grouped under the first message.
      threadId: cutText(report.incidentKey, CHATBOT_VALUE_MAX, ''),
      summary: subject,
      eventType: 'ecs-incident-rca',
      relatedResources: [r.taskArn, r.taskDefinitionArn, r.targetGroupArn, r.clusterArn]
        .filter((v): v is string => !!v)
        .map((v) => cutText(v, CHATBOT_VALUE_MAX, '')),
      additionalContext: Object.fromEntries(
        Object.entries(context)
          .filter((e): e is [string, string] => !!e[1])
          .map(([k, v]) => [k, cutText(oneLine(v), CHATBOT_VALUE_MAX, '')]),
      ),
    },
  };
}

function renderChatbot(report: RcaReport, subject: string): string {
  // Every field of the notification is capped, so its JSON is bounded far below the SNS limit.
  return JSON.stringify(chatbotNotification(report, subject));
}

function chatbotDescription(report: RcaReport): string {
  const root = report.rootCause;
  const budget = new CharBudget(CHATBOT_DESCRIPTION_MAX);
  if (report.applicationLogs) budget.add(`*Warning:* ${escapedCut(oneLine(report.applicationLogs.message), 1200)}`);
  budget.add(`*Root cause* (\`${root.category}\`, ${report.severity}, confidence ${percent(root.confidence)}): ${escapedCut(oneLine(root.title), 500)}`);
  if (root.explanation.trim()) budget.add(escapedCut(clean(root.explanation), Math.min(1200, budget.room())));
  for (const fact of stopFacts(report)) budget.add(`*${fact.label}:* ${escapedCut(oneLine(fact.value), 600)}`);
  const lines = root.evidence.slice(0, CHATBOT_EVIDENCE_LINES).map((e) => `${e.source}: ${cutText(oneLine(e.text), CHATBOT_EVIDENCE_CHARS, ' …')}`);
  if (lines.length) {
    const block = lines.map((l) => escapeChat(l));
    while (block.length && !budget.fits(`*Evidence*\n\`\`\`\n${block.join('\n')}\n\`\`\``)) block.pop();
    if (block.length) budget.add(`*Evidence*\n\`\`\`\n${block.join('\n')}\n\`\`\``);
  }
  const changed = whatChangedLines(report).map((line) => escapedCut(oneLine(line), 300));
  if (changed.length > 0) budget.add(`*What changed*\n${changed.join('\n')}`);
  const roles: [string, Finding[]][] = [['Contributing', report.contributing], ['Symptoms', report.symptoms], ['Ruled out', report.dismissed]];
  for (const [label, findings] of roles) {
    for (const [i, f] of findings.entries()) {
      const reason = f.reason ? ` (ruled out: ${oneLine(f.reason)})` : '';
      const line = `${i === 0 ? `*${label}*\n` : ''}• \`${f.category}\` ${escapedCut(oneLine(f.title) + reason, 300)}`;
      if (!budget.add(line)) break;
    }
  }
  for (const [i, gap] of report.evidenceGaps.entries()) {
    if (!budget.add(`${i === 0 ? '*Evidence gaps*\n' : ''}• ${escapedCut(oneLine(gap), 300)}`)) break;
  }
  for (const line of linkLines(report)) budget.add(line.trim());
  return budget.text();
}

/** Appends whole lines while they fit in a character budget (so fences and links are never cut). */
class CharBudget {
  private readonly parts: string[] = [];
  private used = 0;
  constructor(private readonly max: number) {}
  fits(line: string): boolean {
    return this.used + line.length + (this.parts.length ? 1 : 0) <= this.max;
  }
  add(line: string): boolean {
    if (!this.fits(line)) return false;
    this.used += line.length + (this.parts.length ? 1 : 0);
    this.parts.push(line);
    return true;
  }
  /** Characters still free for one more line. */
  room(): number {
    return Math.max(0, this.max - this.used - (this.parts.length ? 1 : 0));
  }
  text(): string {
    return this.parts.join('\n');
  }
}

// --- shared text helpers ---------------------------------------------------------------------------

function severityEmoji(severity: RcaReport['severity']): string {
  return { critical: ':rotating_light:', high: ':red_circle:', medium: ':large_orange_circle:', low: ':large_yellow_circle:', info: ':information_source:' }[severity];
}

/**
 * Slack-style escaping of `&`, `<`, `>`, which Amazon Q Developer passes through to Slack; runs of
 * backticks get zero-width spaces so report text cannot open or close a code block.
 */
function escapeChat(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/`(?=`)/g, '`\u200b');
}

function section(out: string[], heading: string, lines: string[]): void {
  if (lines.length === 0 || lines.every((l) => !l.trim())) return;
  out.push('', `${heading}:`, ...lines);
}

function percent(confidence: number): string {
  return `${Math.round(confidence * 100)}%`;
}

// Escape sequences and other control characters make log lines unreadable in email (see `printable`).
const clean = printable;

function indentRest(text: string, indent: string): string {
  return text.replace(/\n/g, `\n${indent}`);
}

/** One ASCII line: accents dropped, typographic punctuation mapped, anything else non-ASCII as `?`. */
function toAsciiLine(text: string): string {
  return oneLine(text)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[\u2018\u2019\u201A\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u2033]/g, '"')
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/\u2026/g, '...')
    .replace(/[^\x20-\x7e]+/g, '?')
    .replace(/\s+/g, ' ')
    .trim();
}


/** Escapes for chat markdown, then cuts to `max` without leaving half an entity such as `&am`. */
function escapedCut(raw: string, max: number): string {
  const escaped = escapeChat(raw);
  if (escaped.length <= max) return escaped;
  let cut = cutText(escaped, max - 1, '');
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  return `${cut}…`;
}

function attributesBytes(attributes: Record<string, SnsMessageAttribute>): number {
  return Object.entries(attributes).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v.DataType) + utf8Bytes(v.StringValue), 0);
}
