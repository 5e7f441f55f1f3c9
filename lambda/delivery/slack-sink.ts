import { IncomingWebhook, IncomingWebhookHTTPError, type FetchFunction } from '@slack/webhook';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { RcaReport } from '../report/report-schema';
import { renderSlack, type SlackMessage } from '../report/renderers/slack';
import { describeError, remainingMs, sleep, withTimeout } from '../shared/http-timeout';
import type { DeliveryContext, DeliveryOutcome, Sink } from './types';

/** Returns the incoming-webhook URL; may use `signal` to stop early. The URL is a secret. */
export type WebhookUrlSource = (signal?: AbortSignal) => Promise<string>;

/** Options of `SlackSink`. */
export interface SlackSinkOptions {
  /** Where the webhook URL comes from, e.g. `webhookUrlFromSecret(...)`. */
  getWebhookUrl: WebhookUrlSource;
  /** Timeout of each POST, and of reading the URL, in ms (capped by the delivery deadline); default 5 000. */
  timeoutMs?: number;
  /** Longest `Retry-After` wait honoured after a 429, in ms; default 10 000 (and never past the deadline). */
  maxRetryAfterMs?: number;
  /** The fetch implementation; default `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
}

/** The result of one POST. */
type Attempt = { ok: true } | { ok: false; status?: number; retryAfterMs?: number; error: string };

/**
 * Posts the Block Kit rendering of the report to a Slack incoming webhook with `@slack/webhook`.
 *
 * Every POST has a timeout (the library aborts its fetch after `timeout` ms, and our signal also
 * fires at the delivery deadline). Slack answers a rate-limited webhook with HTTP 429 and a
 * `Retry-After` header in seconds (https://docs.slack.dev/apis/web-api/rate-limits): the sink waits
 * and retries once when that wait fits before the deadline, otherwise it records the failure. Other
 * errors (4xx such as `invalid_blocks` or `channel_not_found`, 5xx, timeouts) are not retried: a
 * retried POST whose first attempt did reach Slack would post the message twice.
 *
 * The webhook URL is never written to outcomes or errors.
 */
export class SlackSink implements Sink {
  readonly name = 'slack';
  private readonly getWebhookUrl: WebhookUrlSource;
  private readonly timeoutMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly fetchFn: typeof globalThis.fetch;

  constructor(options: SlackSinkOptions) {
    this.getWebhookUrl = options.getWebhookUrl;
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 10_000;
    this.fetchFn = options.fetch ?? globalThis.fetch;
  }

  /** Posts; `ok: false` with the HTTP status and Slack's error text, the timeout, or the secret error. */
  async deliver(report: RcaReport, ctx: DeliveryContext): Promise<DeliveryOutcome> {
    let url: string;
    try {
      const raw = await withTimeout(this.budget(ctx), 'reading the Slack webhook URL', (signal) => this.getWebhookUrl(signal));
      url = checkedUrl(raw);
    } catch (error) {
      return this.failure(`could not read the Slack webhook URL: ${describeError(error)}`);
    }

    const message = renderSlack(report);
    const first = await this.post(url, message, ctx);
    if (first.ok) return { sink: this.name, ok: true, detail: `posted ${message.blocks.length} blocks` };
    if (first.status !== 429) return this.failure(first.error);

    const waitMs = first.retryAfterMs ?? 1_000;
    const attemptMs = Math.min(this.timeoutMs, 1_000);
    if (waitMs > this.maxRetryAfterMs || waitMs + attemptMs > remainingMs(ctx.deadline)) {
      return this.failure(`${first.error}; Retry-After ${Math.ceil(waitMs / 1000)} s does not fit before the delivery deadline`);
    }
    try {
      await sleep(waitMs, ctx.signal);
    } catch (error) {
      return this.failure(`${first.error}; aborted while waiting to retry: ${describeError(error)}`);
    }
    const second = await this.post(url, message, ctx);
    if (second.ok) return { sink: this.name, ok: true, detail: `posted ${message.blocks.length} blocks after one 429 retry (waited ${waitMs} ms)` };
    return this.failure(`${second.error} (after one retry following HTTP 429)`);
  }

  private async post(url: string, message: SlackMessage, ctx: DeliveryContext): Promise<Attempt> {
    let status: number | undefined;
    let retryAfter: string | null = null;
    try {
      await withTimeout(this.budget(ctx), 'Slack webhook POST', async (signal) => {
        // Our fetch joins the library's own timeout signal with ours (deadline, caller abort) and
        // remembers the status and Retry-After, which the library's error does not carry.
        const fetch: FetchFunction = async (input, init) => {
          const signals = [signal, ...(init?.signal ? [init.signal] : [])];
          const response = await this.fetchFn(input, { ...init, signal: AbortSignal.any(signals) });
          status = response.status;
          retryAfter = response.headers.get('retry-after');
          return response;
        };
        const webhook = new IncomingWebhook(url, { fetch, timeout: this.timeoutMs, retryConfig: { retries: 0 } });
        await webhook.send(message);
      });
      return { ok: true };
    } catch (error) {
      const detail =
        error instanceof IncomingWebhookHTTPError
          ? `HTTP ${error.statusCode}${error.body ? `: ${oneLine(error.body).slice(0, 200)}` : ''}`
          : describeError(error);
      return {
        ok: false,
        ...(status !== undefined ? { status } : {}),
        ...(status === 429 ? { retryAfterMs: parseRetryAfter(retryAfter) } : {}),
        error: `Slack webhook failed: ${scrub(detail, url)}`,
      };
    }
  }

  private budget(ctx: DeliveryContext): { timeoutMs: number; deadline: number; signal?: AbortSignal } {
    return { timeoutMs: this.timeoutMs, deadline: ctx.deadline, ...(ctx.signal ? { signal: ctx.signal } : {}) };
  }

  private failure(error: string): DeliveryOutcome {
    return { sink: this.name, ok: false, error };
  }
}

/** Options of `webhookUrlFromSecret`. */
export interface SecretWebhookUrlOptions {
  /** Name or ARN of the Secrets Manager secret. */
  secretId: string;
  /** Client built once by the caller; default: one from the environment (honours `AWS_ENDPOINT_URL_SECRETS_MANAGER`). */
  client?: SecretsManagerClient;
  /** How long the value is cached in memory, in seconds; default 300. */
  maxAgeSeconds?: number;
}

/**
 * A `WebhookUrlSource` reading the URL from Secrets Manager through Powertools Parameters, cached for
 * `maxAgeSeconds` across invocations of a warm Lambda
 * (https://docs.aws.amazon.com/powertools/typescript/latest/features/parameters/).
 *
 * The secret holds either the URL itself or JSON with a `url`, `webhookUrl` or `webhook_url` key.
 * Powertools' provider takes no abort signal; `SlackSink` bounds the call with its timeout instead.
 */
export function webhookUrlFromSecret(options: SecretWebhookUrlOptions): WebhookUrlSource {
  const provider = options.client ? new SecretsProvider({ awsSdkV3Client: options.client }) : new SecretsProvider();
  const maxAge = options.maxAgeSeconds ?? 300;
  return async () => {
    const value = await provider.get(options.secretId, { maxAge });
    if (typeof value !== 'string' || value.trim() === '') {
      throw new Error(`secret ${options.secretId} has no SecretString`);
    }
    return urlFromSecretString(value.trim(), options.secretId);
  };
}

function urlFromSecretString(value: string, secretId: string): string {
  if (!value.startsWith('{')) return value;
  try {
    const parsed = JSON.parse(value) as Record<string, unknown>;
    const url = parsed.url ?? parsed.webhookUrl ?? parsed.webhook_url;
    if (typeof url === 'string') return url;
  } catch {
    // fall through: the error below says what was expected without echoing the secret
  }
  throw new Error(`secret ${secretId} is JSON without a string "url", "webhookUrl" or "webhook_url" key`);
}

/** Rejects anything but an absolute http(s) URL, without echoing the value (it is a secret). */
function checkedUrl(value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error('the configured value is not a URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('the configured URL is not http(s)');
  return value;
}

/** `Retry-After` as delay-seconds or an HTTP date (RFC 9110 §10.2.3), in ms; undefined when absent or invalid. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function scrub(text: string, url: string): string {
  return url ? text.split(url).join('[webhook URL]') : text;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
