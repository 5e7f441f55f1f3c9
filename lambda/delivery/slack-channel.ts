import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RcaReport } from '../report/report-schema';
import { renderSlackParent, renderSlackUpdate, type IncidentUpdate } from '../report/renderers/incident-update';
import { renderSlack, type SlackMessage } from '../report/renderers/slack';
import { describeError, remainingMs, sleep, withTimeout, type CallBudget } from '../shared/http-timeout';
import type { IncidentChannel, PostedReport, UpdateOptions } from './grouped-sink';
import type { ThreadRef } from './incident-grouping';
import type { DeliveryContext, DeliveryOutcome } from './types';
import { cutText, oneLine } from '../shared/text';

/**
 * Slack as a notification channel, through either credential the Slack secret may hold:
 *
 * - an **incoming webhook** URL (https://docs.slack.dev/messaging/sending-messages-using-incoming-webhooks):
 *   every message is a new post in the webhook's channel, so incident follow-ups are new messages;
 * - a **bot token** and a channel (https://docs.slack.dev/reference/methods/chat.postMessage): the
 *   first report of an incident is posted with `chat.postMessage`, follow-ups are replies with
 *   `thread_ts`, and each summary also refreshes the first message with `chat.update`
 *   (https://docs.slack.dev/reference/methods/chat.update). The bot needs the `chat:write` scope and
 *   must be a member of the channel.
 *
 * Both are plain HTTPS POSTs of JSON with `fetch`; the Web API takes the token as
 * `Authorization: Bearer` (https://docs.slack.dev/apis/web-api/#posting-json) and reports failures as
 * `{"ok": false, "error": "…"}` with HTTP 200. HTTP 429 carries `Retry-After` in seconds
 * (https://docs.slack.dev/apis/web-api/rate-limits): the call is retried once when that wait fits
 * before the delivery deadline. Nothing else is retried: a retried POST whose first attempt did
 * reach Slack would post twice. Neither the URL nor the token ever appears in an outcome or error.
 */

/** Where and how to post. Both values are secrets. */
export type SlackTarget = { kind: 'webhook'; url: string } | { kind: 'bot'; token: string; channel: string };

/** Returns the current target; may use `signal` to stop early. */
export type SlackTargetSource = (signal?: AbortSignal) => Promise<SlackTarget>;

/** Default base URL of the Slack Web API (GovSlack: `https://slack-gov.com/api/`). */
export const DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** Options of `SlackChannel`. */
export interface SlackChannelOptions {
  getTarget: SlackTargetSource;
  /** Timeout of each POST and of reading the target, in ms (capped by the delivery deadline); default 5 000. */
  timeoutMs?: number;
  /** Longest `Retry-After` wait honoured after a 429, in ms; default 10 000 (and never past the deadline). */
  maxRetryAfterMs?: number;
  /** Base URL of the Web API, ending in `/`; default `DEFAULT_SLACK_API_URL`. */
  apiUrl?: string;
  /** The fetch implementation; default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

/** One HTTP exchange's result. */
type Reply = { ok: true; body: string } | { ok: false; status?: number; retryAfterMs?: number; error: string };

/** Slack through a webhook or a bot token; see the module comment. */
export class SlackChannel implements IncidentChannel {
  readonly name = 'slack';
  private readonly getTarget: SlackTargetSource;
  readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly apiUrl: string;
  private readonly fetchFn: typeof globalThis.fetch;

  constructor(options: SlackChannelOptions) {
    this.getTarget = options.getTarget;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    const api = options.apiUrl ?? DEFAULT_SLACK_API_URL;
    this.apiUrl = api.endsWith('/') ? api : `${api}/`;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /** Posts the report (without grouping). */
  async deliver(report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    return (await this.postReport(report, ctx)).outcome;
  }

  /** Posts the Block Kit report; with a bot token, returns the message as the incident's thread. */
  async postReport(report: RcaReport, ctx: DeliveryContext): Promise<PostedReport> {
    const target = await this.target(ctx);
    if ('error' in target) return { outcome: this.failure(target.error) };
    const message = renderSlack(report);
    if (target.kind === 'webhook') return { outcome: await this.webhook(target.url, message, ctx, `posted ${message.blocks.length} blocks`) };
    const posted = await this.api(target.token, 'chat.postMessage', { channel: target.channel, ...message, unfurl_links: false, unfurl_media: false }, ctx);
    if (!posted.ok) return { outcome: this.failure(posted.error) };
    const thread = threadOf(posted.body, target.channel);
    return {
      outcome: { sink: this.name, ok: true, detail: `posted ${message.blocks.length} blocks with chat.postMessage${thread ? ` (ts ${thread.ts})` : ''}` },
      ...(thread ? { thread } : {}),
    };
  }

  /** True with a bot token: follow-ups go into the incident's thread. */
  async threaded(ctx: DeliveryContext): Promise<boolean> {
    const target = await this.target(ctx);
    if ('error' in target) throw new Error(target.error);
    return target.kind === 'bot';
  }

  /**
   * Posts a follow-up. Webhook: a new message. Bot token: a reply in the thread (a resolution is
   * also shown in the channel, `reply_broadcast`), and for a summary with the triggering report the
   * first message is refreshed with `chat.update`.
   */
  async postUpdate(update: IncidentUpdate, ctx: DeliveryContext, options: UpdateOptions): Promise<DeliveryOutcome> {
    const target = await this.target(ctx);
    if ('error' in target) return this.failure(target.error);
    const message = renderSlackUpdate(update);
    if (target.kind === 'webhook') return this.webhook(target.url, message, ctx, `posted the ${update.kind} note`);
    const { thread } = options;
    const reply = await this.api(
      target.token,
      'chat.postMessage',
      {
        channel: thread?.channel ?? target.channel,
        ...message,
        ...(thread ? { thread_ts: thread.ts, ...(update.kind === 'resolved' ? { reply_broadcast: true } : {}) } : {}),
        unfurl_links: false,
        unfurl_media: false,
      },
      ctx,
    );
    if (!reply.ok) return this.failure(reply.error);
    let detail = thread ? `replied in thread ${thread.ts}` : 'posted as a new message (no thread recorded)';
    if (thread && options.report && update.kind === 'summary') {
      const parent = renderSlackParent(options.report, update);
      const updated = await this.api(target.token, 'chat.update', { channel: thread.channel, ts: thread.ts, ...parent }, ctx);
      detail += updated.ok ? '; first message updated' : `; first message not updated: ${updated.error}`;
    }
    return { sink: this.name, ok: true, detail };
  }

  private async target(ctx: DeliveryContext): Promise<SlackTarget | { error: string }> {
    try {
      return await withTimeout(this.budget(ctx), 'reading the Slack secret', (signal) => this.getTarget(signal));
    } catch (error) {
      return { error: `could not read the Slack secret: ${describeError(error)}` };
    }
  }

  private async webhook(url: string, message: SlackMessage, ctx: DeliveryContext, what: string): Promise<DeliveryOutcome> {
    const reply = await this.post(url, message, {}, ctx);
    if (!reply.ok) return this.failure(`Slack webhook failed: ${scrub(reply.error, url)}`);
    return { sink: this.name, ok: true, detail: what };
  }

  /** Calls a Web API method; `ok: false` for HTTP errors and for `{"ok": false}` answers. */
  private async api(token: string, method: string, body: Record<string, unknown>, ctx: DeliveryContext): Promise<Reply> {
    const reply = await this.post(`${this.apiUrl}${method}`, body, { authorization: `Bearer ${token}` }, ctx);
    if (!reply.ok) return { ...reply, error: `Slack ${method} failed: ${scrub(reply.error, token)}` };
    let parsed: { ok?: unknown; error?: unknown };
    try {
      parsed = JSON.parse(reply.body) as { ok?: unknown; error?: unknown };
    } catch {
      return { ok: false, error: `Slack ${method} answered with something that is not JSON` };
    }
    if (parsed.ok !== true) return { ok: false, error: `Slack ${method} failed: ${typeof parsed.error === 'string' ? cutText(oneLine(parsed.error), 100) : 'ok is not true'}` };
    return reply;
  }

  /** One POST, retried once after a 429 whose `Retry-After` fits before the deadline. */
  private async post(url: string, body: unknown, headers: Record<string, string>, ctx: DeliveryContext): Promise<Reply> {
    const first = await this.once(url, body, headers, ctx);
    if (first.ok || first.status !== 429) return first;
    const waitMs = first.retryAfterMs ?? 1_000;
    if (waitMs > this.maxRetryAfterMs || waitMs + Math.min(this.timeoutMs, 1_000) > remainingMs(ctx.deadline)) {
      return { ...first, error: `${first.error}; Retry-After ${Math.ceil(waitMs / 1000)} s does not fit before the delivery deadline` };
    }
    try {
      await sleep(waitMs, ctx.signal);
    } catch (error) {
      return { ok: false, error: `${first.error}; aborted while waiting to retry: ${describeError(error)}` };
    }
    const second = await this.once(url, body, headers, ctx);
    return second.ok ? second : { ...second, error: `${second.error} (after one retry following HTTP 429)` };
  }

  private async once(url: string, body: unknown, headers: Record<string, string>, ctx: DeliveryContext): Promise<Reply> {
    try {
      return await withTimeout(this.budget(ctx), 'Slack POST', async (signal) => {
        const response = await this.fetchFn(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
          body: JSON.stringify(body),
          signal,
        });
        const text = await response.text();
        if (response.ok) return { ok: true, body: text };
        return {
          ok: false,
          status: response.status,
          ...(response.status === 429 ? { retryAfterMs: parseRetryAfter(response.headers.get('retry-after')) } : {}),
          error: `HTTP ${response.status}${text ? `: ${cutText(oneLine(text), 200)}` : ''}`,
        } satisfies Reply;
      });
    } catch (error) {
      return { ok: false, error: describeError(error) };
    }
  }

  private budget(ctx: DeliveryContext): CallBudget {
    return { timeoutMs: this.timeoutMs, deadline: ctx.deadline, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  }

  private failure(error: string): DeliveryOutcome {
    return { sink: this.name, ok: false, error };
  }
}

/** Options of `slackTargetFromSecret`. */
export interface SlackSecretOptions {
  /** Name or ARN of the Secrets Manager secret. */
  secretId: string;
  client: SecretsManagerClient;
  /** How long the value is cached in memory, in seconds; default 300. */
  maxAgeSeconds?: number;
  /** Clock in epoch ms; default `Date.now`. */
  now?: () => number;
}

/**
 * A `SlackTargetSource` reading the Slack secret with `GetSecretValue`
 * (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html), cached
 * for `maxAgeSeconds` across the invocations of a warm Lambda; concurrent reads share one call.
 * The secret's formats are those of `parseSlackSecret`.
 */
export function slackTargetFromSecret(options: SlackSecretOptions): SlackTargetSource {
  const maxAgeMs = (options.maxAgeSeconds ?? 300) * 1000;
  const now = options.now ?? Date.now;
  let cached: { at: number; value: Promise<SlackTarget> } | undefined;
  return (signal) => {
    if (cached && now() - cached.at < maxAgeMs) return cached.value;
    const value = (async () => {
      const output = await options.client.send(new GetSecretValueCommand({ SecretId: options.secretId }), signal ? { abortSignal: signal } : {});
      const text = output.SecretString?.trim();
      if (!text) throw new Error(`secret ${options.secretId} has no SecretString`);
      return parseSlackSecret(text, options.secretId);
    })();
    cached = { at: now(), value };
    value.catch(() => {
      if (cached?.value === value) cached = undefined; // a failed read is retried next time
    });
    return value;
  };
}

/**
 * The target a Slack secret holds:
 * - the webhook URL as the plain string, or JSON `{"url": "https://hooks.slack.com/…"}` (also
 *   `webhookUrl`, `webhook_url`);
 * - JSON `{"botToken": "xoxb-…", "channel": "C0123456789"}` (also `bot_token`/`token` and
 *   `channelId`/`channel_id`) for the Web API. A bot token wins when both are present.
 *
 * @throws Error naming what is missing, never echoing the value.
 */
export function parseSlackSecret(value: string, secretId: string): SlackTarget {
  if (!value.startsWith('{')) return { kind: 'webhook', url: checkedUrl(value, secretId) };
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new Error(`secret ${secretId} starts with "{" but is not JSON`);
  }
  const token = firstString(parsed, ['botToken', 'bot_token', 'token']);
  if (token !== undefined) {
    if (!/^xox[a-z]-/.test(token)) throw new Error(`secret ${secretId}: the bot token does not look like a Slack token (xoxb-…)`);
    const channel = firstString(parsed, ['channel', 'channelId', 'channel_id']);
    if (!channel) throw new Error(`secret ${secretId} has a bot token but no "channel" (the channel ID, e.g. C0123456789)`);
    return { kind: 'bot', token, channel };
  }
  const url = firstString(parsed, ['url', 'webhookUrl', 'webhook_url']);
  if (url !== undefined) return { kind: 'webhook', url: checkedUrl(url, secretId) };
  throw new Error(`secret ${secretId} is JSON without "url" (incoming webhook) or "botToken" and "channel" (bot token)`);
}

function firstString(object: Record<string, unknown>, keys: string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string' && value.trim() !== '') return value.trim();
  }
  return undefined;
}

function checkedUrl(value: string, secretId: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`secret ${secretId}: the configured value is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error(`secret ${secretId}: the configured URL is not http(s)`);
  return value;
}

function threadOf(body: string, fallbackChannel: string): ThreadRef | undefined {
  try {
    const parsed = JSON.parse(body) as { ts?: unknown; channel?: unknown };
    if (typeof parsed.ts !== 'string') return undefined;
    return { channel: typeof parsed.channel === 'string' ? parsed.channel : fallbackChannel, ts: parsed.ts };
  } catch {
    return undefined;
  }
}

/**
 * The wait a `Retry-After` header asks for, in ms: delay-seconds (`"30"`) or an HTTP date, measured
 * from `now` (epoch ms) and never negative (RFC 9110 §10.2.3, https://www.rfc-editor.org/rfc/rfc9110#section-10.2.3).
 * Slack sends seconds (https://docs.slack.dev/apis/web-api/rate-limits).
 *
 * @returns undefined when the header is absent or neither form parses.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function scrub(text: string, secret: string): string {
  return secret ? text.split(secret).join('[redacted]') : text;
}
