import type { RcaReport } from '../report-schema';
import { escapeMrkdwn, NO_UNFURL, renderSlack, type SlackBlock, type SlackMessage } from './slack';
import { SNS_SUBJECT_MAX_CHARS, type SnsFormat, type SnsMessageAttribute, type SnsRendering } from './sns';
import { cutText, oneLine, prefixCodeUnits } from '../../shared/text';

/**
 * Renderings of the short follow-ups of a grouped incident: the bounded summary of repeats ("17
 * tasks stopped, same cause, since 10:02 UTC") and the "resolved" note. Pure; the delivery layer
 * decides when one is sent (see `delivery/incident-grouping.ts`).
 *
 * Slack limits (https://docs.slack.dev/reference/block-kit/blocks) and SNS subject rules
 * (https://docs.aws.amazon.com/sns/latest/api/API_Publish.html) are the same as for the full report.
 */

/** What a follow-up says about one incident. Times are ISO-8601 strings. */
export interface IncidentUpdate {
  /** `summary`: repeats of an open incident; `resolved`: the service recovered. */
  kind: 'summary' | 'resolved';
  incidentKey: string;
  /** Root-cause title of the incident's first report. */
  title: string;
  /** Taxonomy id of the root cause. */
  category: string;
  severity: RcaReport['severity'];
  /** Service name, `task family …` or `standalone task` (`serviceLabel`). */
  service: string;
  cluster?: string;
  /** Occurrences grouped into the incident so far (the first included). */
  count: number;
  /** Of those, how many were stopped tasks. */
  taskStops: number;
  firstSeen: string;
  lastSeen: string;
  /** The most recent task ids (bounded). */
  recentTaskIds: string[];
  /** Why this follow-up was sent now, e.g. `deployment ecs-svc/123 failed`; absent for a plain summary. */
  note?: string;
  /** When and why the incident was closed (`resolved` only). */
  resolvedAt?: string;
  resolvedBy?: string;
}

const SHOWN_TASK_IDS = 5;

/** `10:02 UTC`, or `2026-01-15 10:02 UTC` when `iso` is not on the day of `reference`. */
export function shortTime(iso: string, reference: string = iso): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = date.toISOString().slice(0, 10);
  const time = `${date.toISOString().slice(11, 16)} UTC`;
  return day === new Date(reference).toISOString().slice(0, 10) ? time : `${day} ${time}`;
}

/** The one-line gist: `17 tasks stopped, same cause, since 10:02 UTC (last 10:40 UTC)`. */
export function updateHeadline(update: IncidentUpdate): string {
  const since = shortTime(update.firstSeen, update.lastSeen);
  if (update.kind === 'resolved') {
    const resolvedAt = update.resolvedAt ?? update.lastSeen;
    return `Resolved at ${shortTime(resolvedAt, update.firstSeen)}${update.resolvedBy ? ` (${update.resolvedBy})` : ''}: ${occurrences(update)} between ${since} and ${shortTime(update.lastSeen, update.firstSeen)}`;
  }
  return `${occurrences(update)}, same cause, since ${since} (last ${shortTime(update.lastSeen)})`;
}

function occurrences(update: IncidentUpdate): string {
  const tasks = `${update.taskStops} task${update.taskStops === 1 ? '' : 's'} stopped`;
  if (update.taskStops === update.count) return tasks;
  const events = `${update.count} occurrence${update.count === 1 ? '' : 's'}`;
  return update.taskStops === 0 ? events : `${events} (${tasks})`;
}

function detailLines(update: IncidentUpdate): string[] {
  const lines = [`${update.service}${update.cluster ? ` in ${update.cluster}` : ''}: ${oneLine(update.title)} (${update.category}, ${update.severity})`];
  if (update.note) lines.push(oneLine(update.note));
  if (update.recentTaskIds.length > 0) {
    const shown = update.recentTaskIds.slice(-SHOWN_TASK_IDS);
    lines.push(`Recent tasks: ${shown.join(', ')}${update.taskStops > shown.length ? ` (+${update.taskStops - shown.length} more)` : ''}`);
  }
  return lines;
}

/**
 * A Slack message for the follow-up: a section with the headline and details, and a context line
 * with the incident key. Every text is escaped and cut to its Block Kit limit.
 */
export function renderSlackUpdate(update: IncidentUpdate): SlackMessage {
  const icon = update.kind === 'resolved' ? ':white_check_mark:' : ':repeat:';
  const headline = `${icon} *${mrkdwn(updateHeadline(update), 1000)}*`;
  const body = detailLines(update).map((l) => mrkdwn(l, 600)).join('\n');
  const blocks: SlackBlock[] = [
    { type: 'section', text: { type: 'mrkdwn', text: cutText(`${headline}\n${body}`, 3000) } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn(`Incident ${update.incidentKey} · full reports in the S3 audit record`, 3000) }] },
  ];
  return { text: mrkdwn(`${update.kind === 'resolved' ? 'RESOLVED' : 'UPDATE'} ${update.service}: ${updateHeadline(update)}`, 3000), blocks, ...NO_UNFURL };
}

/**
 * The incident's first Slack message brought up to date: the full report of the latest occurrence
 * with a status line under its header (`chat.update` of the thread parent, bot token only).
 */
export function renderSlackParent(report: RcaReport, update: IncidentUpdate): SlackMessage {
  const message = renderSlack(report);
  const status: SlackBlock = {
    type: 'context',
    elements: [{ type: 'mrkdwn', text: mrkdwn(`${updateHeadline(update)} · follow-ups in the thread`, 3000) }],
  };
  const [header, ...rest] = message.blocks;
  const blocks = header ? [header, status, ...rest] : [status, ...rest];
  // Keep within the 50-block limit by dropping from the end (the footer context goes last).
  return { text: message.text, blocks: blocks.slice(0, 50), ...NO_UNFURL };
}

/** The SNS subject of a follow-up: `UPDATE web: app_crash - 17 tasks stopped since 10:02 UTC`, ASCII, < 100 characters. */
export function snsUpdateSubject(update: IncidentUpdate): string {
  const what = update.kind === 'resolved' ? 'RESOLVED' : 'UPDATE';
  const gist = update.kind === 'resolved' ? 'resolved' : `${occurrences(update)} since ${shortTime(update.firstSeen, update.lastSeen)}`;
  const ascii = toAscii(`${what} ${update.service}: ${update.category} - ${gist}`);
  return cutText(ascii, SNS_SUBJECT_MAX_CHARS, '...');
}

/**
 * The follow-up for SNS `Publish`: `text` is a few plain lines; `chatbot` is an Amazon Q Developer
 * custom notification with the incident key as `threadId`, so it joins the first report's thread
 * (https://docs.aws.amazon.com/chatbot/latest/adminguide/custom-notifs.html). The message attributes
 * match the full report's (`category`, `severity`, `alert`, `cluster`, `service`) plus `update`.
 */
export function renderSnsUpdate(update: IncidentUpdate, format: SnsFormat = 'text'): SnsRendering {
  const subject = snsUpdateSubject(update);
  const lines = [updateHeadline(update), '', ...detailLines(update), '', `Incident: ${update.incidentKey}`, 'Every occurrence is in the S3 audit record.'];
  const message =
    format === 'chatbot'
      ? JSON.stringify({
          version: '1.0',
          source: 'custom',
          content: {
            textType: 'client-markdown',
            title: `${update.kind === 'resolved' ? ':white_check_mark:' : ':repeat:'} ${escapeMrkdwn(cutText(`${update.service}: ${updateHeadline(update)}`, 200))}`,
            description: escapeMrkdwn(cutText(detailLines(update).join('\n'), 3500)),
          },
          metadata: { threadId: update.incidentKey, summary: subject, eventType: 'ecs-incident-rca-update' },
        })
      : lines.join('\n');
  const values: Record<string, string | undefined> = {
    category: update.category,
    severity: update.severity,
    alert: 'true',
    cluster: update.cluster,
    service: update.service,
    update: update.kind,
  };
  const messageAttributes: Record<string, SnsMessageAttribute> = {};
  for (const [name, value] of Object.entries(values)) {
    const cleaned = value ? cutText(oneLine(value), 256, '') : '';
    if (cleaned) messageAttributes[name] = { DataType: 'String', StringValue: cleaned };
  }
  return { subject, message, messageAttributes };
}


/** Escapes for mrkdwn, then cuts without leaving half an entity such as `&am`. */
function mrkdwn(raw: string, max: number): string {
  const escaped = escapeMrkdwn(raw).replace(/`(?=`)/g, '`\u200b');
  if (escaped.length <= max) return escaped;
  let text = prefixCodeUnits(escaped, max - 1);
  const amp = text.lastIndexOf('&');
  if (amp >= 0 && !text.includes(';', amp)) text = text.slice(0, amp);
  return `${text}…`;
}

function toAscii(text: string): string {
  return oneLine(text)
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .replace(/[^\x20-\x7e]+/g, '?');
}
