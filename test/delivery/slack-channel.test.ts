import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import {
  parseRetryAfter,
  parseSlackSecret,
  SlackChannel,
  slackTargetFromSecret,
  type SlackChannelOptions,
  type SlackTarget,
} from '../../lambda/delivery/slack-channel';
import type { IncidentUpdate } from '../../lambda/report/renderers/incident-update';
import { renderSlack } from '../../lambda/report/renderers/slack';
import { sampleReport } from '../helpers/report';
import { startSlackServer, type SlackTestServer } from '../helpers/slack-server';

const TOKEN = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const secretsMock = mockClient(SecretsManagerClient);

let slack: SlackTestServer;
beforeAll(async () => {
  slack = await startSlackServer();
});
afterAll(async () => {
  await slack.close();
});
beforeEach(() => {
  slack.requests.length = 0;
  secretsMock.reset();
});

const ctx = () => ({ deadline: Date.now() + 10_000 });
const channel = (target: SlackTarget, options: Omit<SlackChannelOptions, 'getTarget'> = {}) =>
  new SlackChannel({ getTarget: async () => target, apiUrl: slack.apiUrl, timeoutMs: 2_000, ...options });
const bot = (): SlackTarget => ({ kind: 'bot', token: TOKEN, channel: 'C0INCIDENTS' });

const UPDATE: IncidentUpdate = {
  kind: 'summary',
  incidentKey: 'app_import_error-0123456789abcdef',
  title: "Python cannot import module 'app.handlers'",
  category: 'app_import_error',
  severity: 'high',
  service: 'web',
  cluster: 'app-prod',
  count: 17,
  taskStops: 17,
  firstSeen: '2026-01-15T10:02:00.000Z',
  lastSeen: '2026-01-15T10:40:00.000Z',
  recentTaskIds: ['a1', 'b2'],
};

describe('parseSlackSecret', () => {
  it('reads a webhook URL, plain or as JSON, and a bot token with its channel', () => {
    expect(parseSlackSecret('https://hooks.slack.com/services/T0/B0/x', 's')).toEqual({ kind: 'webhook', url: 'https://hooks.slack.com/services/T0/B0/x' });
    for (const key of ['url', 'webhookUrl', 'webhook_url']) {
      expect(parseSlackSecret(`{"${key}": "https://hooks.slack.com/services/T0/B0/x"}`, 's')).toEqual({ kind: 'webhook', url: 'https://hooks.slack.com/services/T0/B0/x' });
    }
    expect(parseSlackSecret(`{"botToken": "${TOKEN}", "channel": "C0INCIDENTS"}`, 's')).toEqual(bot());
    // A bot token wins over a URL: it can thread.
    expect(parseSlackSecret(`{"url": "https://hooks.slack.com/x", "bot_token": "${TOKEN}", "channel_id": "C0INCIDENTS"}`, 's')).toEqual(bot());
  });

  it('names what is wrong without echoing the value', () => {
    const problems = [
      ['not a url', /is not a URL/],
      ['{"botToken": "secret-value-123", "channel": "C1"}', /does not look like a Slack token/],
      [`{"botToken": "${TOKEN}"}`, /has a bot token but no "channel"/],
      ['{"channel": "C1"}', /without "url" \(incoming webhook\) or "botToken" and "channel"/],
      ['{oops', /is not JSON/],
      ['{"token": "xoxb-secret-value-123"}', /has a bot token but no "channel"/],
    ] as const;
    for (const [value, message] of problems) {
      let error: unknown;
      try {
        parseSlackSecret(value, 'team/slack');
      } catch (e) {
        error = e;
      }
      expect(String(error)).toMatch(message);
      expect(String(error)).not.toContain('secret-value-123');
      expect(String(error)).not.toContain(TOKEN);
      expect(String(error)).not.toContain('xoxb-secret');
    }
  });
});

describe('slackTargetFromSecret', () => {
  it('caches the secret for its max age and retries a failed read', async () => {
    let now = 0;
    secretsMock.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: ` ${slack.url} ` });
    const source = slackTargetFromSecret({ secretId: 'team/slack', client: new SecretsManagerClient({ region: 'us-east-1' }), maxAgeSeconds: 60, now: () => now });
    await expect(source()).rejects.toThrow('throttled');
    expect(await source()).toEqual({ kind: 'webhook', url: slack.url });
    now = 59_000;
    await source();
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(2);
    now = 61_000;
    await source();
    expect(secretsMock.commandCalls(GetSecretValueCommand)).toHaveLength(3);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates, and nothing else', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    // A date already past asks for no wait, not a negative one.
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT'))).toBe(0);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('')).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});

describe('SlackChannel with an incoming webhook', () => {
  it('posts the report and each follow-up as new messages', async () => {
    const webhook = channel({ kind: 'webhook', url: slack.url });
    expect(await webhook.threaded(ctx())).toBe(false);
    const posted = await webhook.postReport(sampleReport(), ctx());
    expect(posted).toEqual({ outcome: { sink: 'slack', ok: true, detail: `posted ${renderSlack(sampleReport()).blocks.length} blocks` } });
    const update = await webhook.postUpdate(UPDATE, ctx(), { thread: { channel: 'C1', ts: '1.1' } });
    expect(update).toEqual({ sink: 'slack', ok: true, detail: 'posted the summary note' });
    expect(slack.requests.map((r) => [r.path, r.violations])).toEqual([
      [new URL(slack.url).pathname, []],
      [new URL(slack.url).pathname, []],
    ]);
    expect(slack.requests[0]?.payload).toEqual(renderSlack(sampleReport()));
    expect(slack.requests[0]?.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.stringify(slack.requests[1]?.payload)).toContain('17 tasks stopped, same cause, since 10:02 UTC');
  });

  it('retries once after a 429 whose Retry-After fits, and never shows the URL', async () => {
    slack.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '0' } });
    const ok = await channel({ kind: 'webhook', url: slack.url }).deliver(sampleReport(), ctx());
    expect(ok.ok).toBe(true);
    expect(slack.requests).toHaveLength(2);
    slack.reply({ status: 404, body: 'no_service' });
    const failed = await channel({ kind: 'webhook', url: slack.url }).deliver(sampleReport(), ctx());
    expect(failed).toEqual({ sink: 'slack', ok: false, error: 'Slack webhook failed: HTTP 404: no_service' });
  });

  it('waits the Retry-After seconds before the one retry', async () => {
    slack.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } });
    const outcome = await channel({ kind: 'webhook', url: slack.url }).deliver(sampleReport(), ctx());
    expect(outcome.ok).toBe(true);
    expect(slack.requests).toHaveLength(2);
    expect(slack.requests[1]!.at - slack.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('records a 429 at once when its Retry-After does not fit before the deadline or exceeds maxRetryAfterMs', async () => {
    const webhook = channel({ kind: 'webhook', url: slack.url });
    slack.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '3' } });
    const late = await webhook.deliver(sampleReport(), { deadline: Date.now() + 2_500 });
    expect(late).toEqual({
      sink: 'slack',
      ok: false,
      error: 'Slack webhook failed: HTTP 429: rate_limited; Retry-After 3 s does not fit before the delivery deadline',
    });
    slack.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } });
    const long = await webhook.deliver(sampleReport(), { deadline: Date.now() + 60_000 });
    expect(long.error).toMatch(/^Slack webhook failed: HTTP 429: rate_limited; Retry-After 30 s/);
    expect(slack.requests).toHaveLength(2);
  });

  it('retries a 429 only once', async () => {
    slack.reply({ status: 429, headers: { 'retry-after': '0' } }, { status: 429, body: 'rate_limited', headers: { 'retry-after': '0' } });
    const outcome = await channel({ kind: 'webhook', url: slack.url }).deliver(sampleReport(), ctx());
    expect(outcome).toEqual({ sink: 'slack', ok: false, error: 'Slack webhook failed: HTTP 429: rate_limited (after one retry following HTTP 429)' });
    expect(slack.requests).toHaveLength(2);
  });

  it('does not retry a 500 (the first POST may have been posted)', async () => {
    slack.reply({ status: 500, body: 'internal_error' });
    const outcome = await channel({ kind: 'webhook', url: slack.url }).deliver(sampleReport(), ctx());
    expect(outcome).toEqual({ sink: 'slack', ok: false, error: 'Slack webhook failed: HTTP 500: internal_error' });
    expect(slack.requests).toHaveLength(1);
  });

  it('aborts a hung webhook at its timeout and never reveals the URL', async () => {
    slack.reply('hang');
    let fetchSignal: AbortSignal | undefined;
    const fetch: typeof globalThis.fetch = (input, init) => {
      fetchSignal = init?.signal ?? undefined;
      return globalThis.fetch(input, init);
    };
    const outcome = await channel({ kind: 'webhook', url: slack.url }, { timeoutMs: 300, fetch }).deliver(sampleReport(), ctx());
    expect(outcome).toEqual({ sink: 'slack', ok: false, error: 'Slack webhook failed: Slack POST timed out after 300 ms' });
    expect(JSON.stringify(outcome)).not.toContain(slack.url);
    expect(JSON.stringify(outcome)).not.toContain('XXXXXXXX');
    // The HTTP request itself was aborted, not just abandoned.
    expect(fetchSignal?.aborted).toBe(true);
    expect(slack.requests).toHaveLength(1);
  });

  it('stops at the delivery deadline even when the timeout is longer', async () => {
    slack.reply('hang');
    const outcome = await channel({ kind: 'webhook', url: slack.url }, { timeoutMs: 10_000 }).deliver(sampleReport(), { deadline: Date.now() + 300 });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^Slack webhook failed: Slack POST timed out after \d+ ms$/);
  });
});

describe('SlackChannel reading its secret', () => {
  const client = new SecretsManagerClient({ region: 'us-east-1' });
  const fromSecret = (secretId: string) => new SlackChannel({ getTarget: slackTargetFromSecret({ secretId, client }), apiUrl: slack.apiUrl, timeoutMs: 2_000 });

  it('reads the named secret once for concurrent and repeated reads', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: `${slack.url}\n` });
    const source = slackTargetFromSecret({ secretId: 'team/slack', client });
    const [a, b] = await Promise.all([source(), source()]);
    expect(await source()).toEqual({ kind: 'webhook', url: slack.url });
    expect([a, b]).toEqual([
      { kind: 'webhook', url: slack.url },
      { kind: 'webhook', url: slack.url },
    ]);
    expect(secretsMock.commandCalls(GetSecretValueCommand).map((call) => call.args[0].input)).toEqual([{ SecretId: 'team/slack' }]);
  });

  it('posts to the webhook the secret names', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ webhookUrl: slack.url }) });
    expect(await fromSecret('team/slack').deliver(sampleReport(), ctx())).toMatchObject({ sink: 'slack', ok: true });
    expect(slack.requests.map((r) => r.path)).toEqual([new URL(slack.url).pathname]);
  });

  it('records a missing secret as a failed delivery, and never echoes a malformed value', async () => {
    secretsMock
      .on(GetSecretValueCommand, { SecretId: 'missing' })
      .rejects(Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException' }));
    const missing = await fromSecret('missing').deliver(sampleReport(), ctx());
    expect(missing).toEqual({
      sink: 'slack',
      ok: false,
      error: "could not read the Slack secret: ResourceNotFoundException: Secrets Manager can't find the specified secret.",
    });
    secretsMock.on(GetSecretValueCommand, { SecretId: 'garbage' }).resolves({ SecretString: 'not a url but a secret-ish value' });
    const garbage = await fromSecret('garbage').deliver(sampleReport(), ctx());
    expect(garbage).toEqual({ sink: 'slack', ok: false, error: 'could not read the Slack secret: secret garbage: the configured value is not a URL' });
    secretsMock.on(GetSecretValueCommand, { SecretId: 'empty' }).resolves({});
    expect((await fromSecret('empty').deliver(sampleReport(), ctx())).error).toBe('could not read the Slack secret: secret empty has no SecretString');
    expect(slack.requests).toHaveLength(0);
  });
});

describe('SlackChannel with a bot token', () => {
  it('posts with chat.postMessage and returns the message as the thread', async () => {
    const posted = await channel(bot()).postReport(sampleReport(), ctx());
    expect(posted.outcome).toMatchObject({ sink: 'slack', ok: true });
    expect(posted.thread).toEqual({ channel: 'C0INCIDENTS', ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    const [request] = slack.requests;
    expect(request?.path).toBe('/api/chat.postMessage');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request?.payload).toEqual({ channel: 'C0INCIDENTS', ...renderSlack(sampleReport()), unfurl_links: false, unfurl_media: false });
  });

  it('replies in the thread and refreshes the first message for a summary', async () => {
    const thread = { channel: 'C0INCIDENTS', ts: '1767225600.000001' };
    const outcome = await channel(bot()).postUpdate(UPDATE, ctx(), { thread, report: sampleReport() });
    expect(outcome).toEqual({ sink: 'slack', ok: true, detail: `replied in thread ${thread.ts}; first message updated` });
    expect(slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage', '/api/chat.update']);
    expect(slack.requests[0]?.payload).toMatchObject({ channel: 'C0INCIDENTS', thread_ts: thread.ts });
    expect(slack.requests[0]?.payload).not.toHaveProperty('reply_broadcast');
    const parent = slack.requests[1]?.payload as { ts: string; blocks: { type: string; elements?: { text: string }[] }[] };
    expect(parent.ts).toBe(thread.ts);
    expect(parent.blocks[1]?.elements?.[0]?.text).toBe('17 tasks stopped, same cause, since 10:02 UTC (last 10:40 UTC) · follow-ups in the thread');
    expect(slack.requests.every((r) => r.violations.length === 0)).toBe(true);
  });

  it('shows a resolution in the channel too, and posts a new message when no thread is known', async () => {
    const thread = { channel: 'C0INCIDENTS', ts: '1767225600.000001' };
    await channel(bot()).postUpdate({ ...UPDATE, kind: 'resolved', resolvedAt: '2026-01-15T10:50:00.000Z' }, ctx(), { thread });
    expect(slack.requests[0]?.payload).toMatchObject({ thread_ts: thread.ts, reply_broadcast: true });
    const outcome = await channel(bot()).postUpdate(UPDATE, ctx(), {});
    expect(outcome.detail).toBe('posted as a new message (no thread recorded)');
    expect(slack.requests[1]?.payload).not.toHaveProperty('thread_ts');
  });

  it('turns {"ok": false} into a failed outcome without the token', async () => {
    const outcome = await channel({ kind: 'bot', token: TOKEN, channel: '' }).deliver(sampleReport(), ctx());
    expect(outcome).toEqual({ sink: 'slack', ok: false, error: 'Slack chat.postMessage failed: channel_not_found' });
    slack.reply({ status: 500, body: `upstream said ${TOKEN}` });
    const failed = await channel(bot()).deliver(sampleReport(), ctx());
    expect(failed.error).toBe('Slack chat.postMessage failed: HTTP 500: upstream said [redacted]');
  });

  it('fails the delivery, not the invocation, when the secret cannot be read', async () => {
    const broken = new SlackChannel({ getTarget: async () => Promise.reject(new Error('AccessDeniedException')), apiUrl: slack.apiUrl });
    expect(await broken.deliver(sampleReport(), ctx())).toEqual({ sink: 'slack', ok: false, error: 'could not read the Slack secret: AccessDeniedException' });
    await expect(broken.threaded(ctx())).rejects.toThrow(/AccessDeniedException/);
  });
});
