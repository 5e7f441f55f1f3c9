import { whatChanged } from './what-changed';
import type { Finding, RcaReport } from '../report-schema';
import { clusterName, containerSummaries, headline, oneLine, printable, serviceLabel, stopFacts } from './summary';
import { cutText, prefixCodeUnits } from '../../shared/text';

/**
 * The Slack rendering of a report: a Block Kit message for an incoming webhook (or `chat.postMessage`)
 * with a plain-text `text` fallback for notifications and clients that cannot show blocks.
 *
 * Layout, verdict first: header (severity emoji, service, root-cause title); the root cause with its
 * severity, service, cluster, category and confidence; the fix; a few evidence lines in a code block;
 * contributing causes, symptoms, ruled-out causes and evidence gaps in a context block; console links;
 * a footer with the incident key.
 *
 * The layout has a fixed number of blocks, and every text is cut to its Block Kit limit after escaping,
 * so the message is valid whatever the report holds
 * (https://docs.slack.dev/reference/block-kit/blocks, https://docs.slack.dev/messaging/formatting-message-text).
 */

/** Block Kit limits this renderer keeps to. Character counts are UTF-16 code units (JS `length`). */
export const SLACK_LIMITS = {
  /** Blocks per message. */
  blocks: 50,
  /** Header block `text`. */
  headerText: 150,
  /** Section block `text`. */
  sectionText: 3000,
  /** Section block `fields`: count and length of each. */
  sectionFields: 10,
  fieldText: 2000,
  /** Context block `elements`, and the length of each text element. */
  contextElements: 10,
  contextText: 3000,
  /** Button text and URL; link URLs are held to the same 3000 characters. */
  buttonText: 75,
  buttonUrl: 3000,
  /** Our cap for the top-level fallback `text` (Slack truncates very long texts). */
  fallbackText: 3000,
} as const;

/** The blocks this renderer emits. */
export type SlackBlock =
  | { type: 'header'; text: { type: 'plain_text'; text: string; emoji?: boolean } }
  | { type: 'section'; text: { type: 'mrkdwn'; text: string }; fields?: { type: 'mrkdwn'; text: string }[] }
  | { type: 'context'; elements: { type: 'mrkdwn'; text: string }[] }
  | { type: 'divider' };

/** A Slack message: the webhook payload. */
export interface SlackMessage {
  /** Plain-text fallback, shown in notifications; mrkdwn-escaped. */
  text: string;
  blocks: SlackBlock[];
  /** Always false: a link or image quoted from a log never unfurls into a preview. */
  unfurl_links: false;
  unfurl_media: false;
}

/** The unfurl settings of every message the analyzer posts. */
export const NO_UNFURL = { unfurl_links: false, unfurl_media: false } as const;

const EVIDENCE_LINES = 5;
const EVIDENCE_LINE_CHARS = 300;
const ROLE_ITEMS = 5;
const LOG_STREAM_LINKS = 3;

/** Renders the report as a Block Kit message. Pure. */
export function renderSlack(report: RcaReport): SlackMessage {
  const root = report.rootCause;
  const service = serviceLabel(report);
  const cluster = clusterName(report.resource.clusterArn);
  const blocks: SlackBlock[] = [];

  blocks.push({
    type: 'header',
    text: { type: 'plain_text', emoji: true, text: cutText(`${SEVERITY_EMOJI[report.severity]} ${oneLine(headline(report))}`, SLACK_LIMITS.headerText) },
  });

  const fields = [
    ...(report.actionTaken ? [`*Action*\n${mrkdwn(report.actionTaken.summary, 300)}`] : []),
    `*Severity*\n${report.severity.toUpperCase()}`,
    `*Service*\n${mrkdwn(service, 300)}`,
    ...(cluster ? [`*Cluster*\n${mrkdwn(cluster, 300)}`] : []),
    `*Category*\n\`${root.category}\``,
    `*Confidence*\n${Math.round(root.confidence * 100)}%${root.taskCount !== undefined ? ` (${root.taskCount} task(s))` : ''}`,
    `*Trigger*\n${mrkdwn(report.trigger.detailType, 300)}`,
    ...stopFacts(report).map((fact) => `*${fact.label}*\n${mrkdwn(oneLine(fact.value), 600)}`),
  ];
  const logsWarning = report.applicationLogs ? `:warning: ${mrkdwn(oneLine(report.applicationLogs.message), 1200)}\n` : '';
  const causeTitle = `${logsWarning}*Root cause:* ${mrkdwn(oneLine(root.title), 500)}`;
  // Which container failed, whether it is essential, and which are sidecars.
  const containers = report.resource.containers.length > 0 ? `\n*Containers:* ${mrkdwn(oneLine(containerSummaries(report).join(', ')), 600)}` : '';
  const explanation = root.explanation.trim()
    ? `\n${mrkdwn(cleanText(root.explanation), SLACK_LIMITS.sectionText - causeTitle.length - containers.length - 1)}`
    : '';
  blocks.push({
    type: 'section',
    text: { type: 'mrkdwn', text: causeTitle + explanation + containers },
    fields: fields.slice(0, SLACK_LIMITS.sectionFields).map((text) => ({ type: 'mrkdwn' as const, text })),
  });

  const fix = listText('*How to fix*', root.remediation.map((step, i) => `${i + 1}. ${oneLine(step)}`), SLACK_LIMITS.sectionText);
  if (fix) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: fix } });

  const changed = whatChangedText(report);
  if (changed) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: changed } });

  const evidence = codeBlockText('*Evidence*', root.evidence.slice(0, EVIDENCE_LINES).map((e) => `${e.source}${e.containerName ? ` (${e.containerName})` : ''}: ${oneLine(e.text)}`));
  if (evidence) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: evidence } });

  const context = [
    roleText('Contributing', report.contributing),
    roleText('Symptoms', report.symptoms),
    roleText('Ruled out', report.dismissed),
    listText('*Evidence gaps*', report.evidenceGaps.slice(0, ROLE_ITEMS).map((g) => `• ${oneLine(g)}`), SLACK_LIMITS.contextText, report.evidenceGaps.length),
    listText('*Rule errors*', (report.ruleErrors ?? []).slice(0, ROLE_ITEMS).map((e) => `• ${e.ruleId}: ${oneLine(e.message)}`), SLACK_LIMITS.contextText, report.ruleErrors?.length),
  ].filter((t): t is string => !!t);
  if (context.length) {
    blocks.push({ type: 'context', elements: context.slice(0, SLACK_LIMITS.contextElements).map((text) => ({ type: 'mrkdwn' as const, text })) });
  }

  const links = linksText(report);
  if (links) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: links } });

  blocks.push({ type: 'divider' });
  const footer = `Incident \`${report.incidentKey}\` · event ${report.trigger.eventId} · ecs-incident-analyzer ${report.analyzerVersion} · ${report.analyzedAt}`;
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(oneLine(footer), SLACK_LIMITS.contextText) }] });

  return { text: fallbackText(report), blocks: blocks.slice(0, SLACK_LIMITS.blocks), ...NO_UNFURL };
}

/** One "What changed" section: headline, a few items, who, and the console link to the service revisions. */
function whatChangedText(report: RcaReport): string | undefined {
  const block = whatChanged(report);
  if (!block) return undefined;
  const lines = [block.headline, ...block.items.map((i) => `• ${i}`), ...(block.more > 0 ? [`+${block.more} more in the S3 audit record`] : [])];
  if (block.actor) lines.push(`Changed by: ${block.actor}`);
  let text = listText('*What changed*', lines, SLACK_LIMITS.sectionText - 200) ?? '*What changed*';
  const link = block.link ? mrkdwnLink(block.link, 'Service revisions') : undefined;
  if (link) text += `
${link}`;
  return text;
}

/** Escapes `&`, `<` and `>` as Slack's mrkdwn requires (they would otherwise start links and mentions). */
export function escapeMrkdwn(text: string): string {
  // `<!channel>`-style mentions are inert once `<` is escaped; a plain `@channel`, `@here` or
  // `@everyone` gets a zero-width space so no client or `link_names` setting turns it into a ping.
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(channel|here|everyone)\b/gi, '@\u200b$1');
}

/**
 * The notification preview (push, desktop): severity and the headline, in the analyzer's own words;
 * neither the root-cause title nor a remediation step (either may quote a log) is in it.
 */
function fallbackText(report: RcaReport): string {
  return mrkdwn(`${report.severity.toUpperCase()} ${oneLine(headline(report))}`, SLACK_LIMITS.fallbackText);
}

function roleText(label: string, findings: Finding[]): string | undefined {
  const items = findings.slice(0, ROLE_ITEMS).map((f) => `• \`${f.category}\` ${oneLine(f.title)}${f.reason ? ` (ruled out: ${oneLine(f.reason)})` : ''}`);
  return listText(`*${label}*`, items, SLACK_LIMITS.contextText, findings.length);
}

/**
 * A heading and lines, escaped, each line cut to fit; lines that no longer fit are counted in a
 * "+N more" note. `total` is the number of items before the caller's slicing.
 */
function listText(heading: string, rawLines: string[], max: number, total: number = rawLines.length): string | undefined {
  if (rawLines.length === 0) return undefined;
  const reserve = 40; // room for the "+N more" note
  let text = heading;
  let shown = 0;
  for (const raw of rawLines) {
    const room = max - reserve - text.length - 1;
    if (room < 20) break;
    text += `\n${mrkdwn(raw, Math.min(room, 1000))}`;
    shown += 1;
  }
  if (total > shown) text += `\n_+${total - shown} more in the S3 audit record_`;
  return text;
}

/** Evidence lines in a code block; the fences are always kept, lines are added while they fit. */
function codeBlockText(heading: string, rawLines: string[]): string | undefined {
  if (rawLines.length === 0) return undefined;
  const open = `${heading}\n\`\`\`\n`;
  const close = '\n```';
  const lines: string[] = [];
  let used = open.length + close.length;
  for (const raw of rawLines) {
    const line = mrkdwn(raw, EVIDENCE_LINE_CHARS);
    if (used + line.length + (lines.length ? 1 : 0) > SLACK_LIMITS.sectionText) break;
    used += line.length + (lines.length ? 1 : 0);
    lines.push(line);
  }
  return lines.length ? `${open}${lines.join('\n')}${close}` : undefined;
}

// mrkdwn links rather than URL buttons: a click on a URL button also sends an interaction payload to
// the app, and a webhook-only app that cannot acknowledge it shows a warning icon
// (https://github.com/slackapi/node-slack-sdk/issues/869).
function linksText(report: RcaReport): string | undefined {
  const { task, service, logStreams, targetGroup } = report.links;
  const candidates: [string, string | undefined][] = [
    ['Task', task],
    ['Service', service],
    ...(logStreams ?? []).slice(0, LOG_STREAM_LINKS).map((url, i, all): [string, string] => [all.length > 1 ? `Log stream ${i + 1}` : 'Log stream', url]),
    ['Target group', targetGroup],
  ];
  const links: string[] = [];
  let used = '*Console:* '.length;
  for (const [label, url] of candidates) {
    const link = url ? mrkdwnLink(url, label) : undefined;
    if (!link || used + link.length + 3 > SLACK_LIMITS.sectionText) continue;
    used += link.length + 3;
    links.push(link);
  }
  return links.length ? `*Console:* ${links.join(' · ')}` : undefined;
}

/** `<url|label>` for http(s) URLs short enough to stay whole; undefined otherwise (a cut URL is a broken link). */
function mrkdwnLink(url: string, label: string): string | undefined {
  if (!/^https?:\/\//i.test(url) || /\s/.test(url)) return undefined;
  // `|` would end the URL part of the link and a backtick run could open a code block: percent-encode them.
  const safe = escapeMrkdwn(url).replace(/\|/g, '%7C').replace(/`/g, '%60');
  if (safe.length > SLACK_LIMITS.buttonUrl) return undefined;
  return `<${safe}|${escapeMrkdwn(label)}>`;
}

const SEVERITY_EMOJI: Record<RcaReport['severity'], string> = {
  critical: ':rotating_light:',
  high: ':red_circle:',
  medium: ':large_orange_circle:',
  low: ':large_yellow_circle:',
  info: ':information_source:',
};

/**
 * Escapes, makes any ``` inert (only our own fences may open code blocks), then cuts to `max` code
 * units without splitting an entity or a surrogate pair.
 */
function mrkdwn(raw: string, max: number): string {
  const escaped = inertFences(escapeMrkdwn(raw));
  if (escaped.length <= max) return escaped;
  let cut = prefixCodeUnits(escaped, Math.max(0, max - 1));
  const amp = cut.lastIndexOf('&');
  if (amp >= 0 && !cut.includes(';', amp)) cut = cut.slice(0, amp);
  return max >= 1 ? `${cut}…` : '';
}

/** A ``` in report text would open or close a code block; zero-width spaces keep it visible but inert. */
function inertFences(text: string): string {
  return text.replace(/`(?=`)/g, '`\u200b');
}


/** Keeps line breaks; drops escape sequences and other control characters (see `printable`). */
const cleanText = printable;
