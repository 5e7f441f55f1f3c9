import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { parseRetryAfter, SlackSink, webhookUrlFromSecret } from '../../lambda/delivery/slack-sink';
import { renderSlack } from '../../lambda/report/renderers/slack';
import { sampleReport } from '../helpers/report';
import { startSlackServer, type SlackTestServer } from '../helpers/slack-server';

const soon = (ms = 10_000): number => Date.now() + ms;

describe('SlackSink against a local webhook server', () => {
  let slack: SlackTestServer;
  beforeEach(async () => {
    slack = await startSlackServer();
  });
  afterEach(async () => {
    await slack.close();
  });
  const sink = (options: Partial<ConstructorParameters<typeof SlackSink>[0]> = {}): SlackSink =>
    new SlackSink({ getWebhookUrl: async () => slack.url, timeoutMs: 1_000, ...options });

  it('posts a valid Block Kit payload to the webhook', async () => {
    const report = sampleReport();
    const outcome = await sink().deliver(report, { deadline: soon() });
    expect(outcome).toEqual({ sink: 'slack', ok: true, detail: `posted ${renderSlack(report).blocks.length} blocks` });
    expect(slack.requests).toHaveLength(1);
    const [request] = slack.requests;
    expect(request?.path).toBe('/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(request?.violations).toEqual([]);
    expect(request?.payload).toEqual(renderSlack(report));
  });

  it('honours Retry-After once after a 429 when it fits before the deadline', async () => {
    slack.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } });
    const outcome = await sink().deliver(sampleReport(), { deadline: soon() });
    expect(outcome.ok).toBe(true);
    expect(outcome.detail).toMatch(/after one 429 retry \(waited 1000 ms\)/);
    expect(slack.requests).toHaveLength(2);
    expect(slack.requests[1]!.at - slack.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('records the failure without waiting when Retry-After does not fit before the deadline', async () => {
    slack.reply({ status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } });
    const started = Date.now();
    const outcome = await sink().deliver(sampleReport(), { deadline: soon(5_000) });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(outcome).toEqual({
      sink: 'slack',
      ok: false,
      error: 'Slack webhook failed: HTTP 429: rate_limited; Retry-After 30 s does not fit before the delivery deadline',
    });
    expect(slack.requests).toHaveLength(1);
  });

  it('retries a 429 only once', async () => {
    slack.reply({ status: 429, headers: { 'retry-after': '0' } }, { status: 429, body: 'rate_limited', headers: { 'retry-after': '0' } });
    const outcome = await sink().deliver(sampleReport(), { deadline: soon() });
    expect(outcome).toMatchObject({ ok: false, error: 'Slack webhook failed: HTTP 429: rate_limited (after one retry following HTTP 429)' });
    expect(slack.requests).toHaveLength(2);
  });

  it('records a 500 without retrying (a retry could post twice)', async () => {
    slack.reply({ status: 500, body: 'internal_error' });
    const outcome = await sink().deliver(sampleReport(), { deadline: soon() });
    expect(outcome).toEqual({ sink: 'slack', ok: false, error: 'Slack webhook failed: HTTP 500: internal_error' });
    expect(slack.requests).toHaveLength(1);
  });

  it('aborts a hung webhook within its timeout and never reveals the URL', async () => {
    slack.reply('hang');
    let fetchSignal: AbortSignal | undefined;
    const fetch: typeof globalThis.fetch = (input, init) => {
      fetchSignal = init?.signal ?? undefined;
      return globalThis.fetch(input, init);
    };
    const started = Date.now();
    const outcome = await sink({ timeoutMs: 300, fetch }).deliver(sampleReport(), { deadline: soon() });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toBe('Slack webhook failed: Slack webhook POST timed out after 300 ms');
    expect(JSON.stringify(outcome)).not.toContain(slack.url);
    expect(JSON.stringify(outcome)).not.toContain('XXXXXXXX');
    // The HTTP request itself was aborted, not just abandoned.
    expect(fetchSignal?.aborted).toBe(true);
  });

  it('stops at the delivery deadline even when the timeout is longer', async () => {
    slack.reply('hang');
    const started = Date.now();
    const outcome = await sink({ timeoutMs: 10_000 }).deliver(sampleReport(), { deadline: soon(300) });
    expect(Date.now() - started).toBeLessThan(1_500);
    expect(outcome.ok).toBe(false);
  });

  it('records a failure to read the URL, without echoing a malformed secret value', async () => {
    const failing = await sink({ getWebhookUrl: async () => Promise.reject(new Error('AccessDeniedException: not authorized')) }).deliver(sampleReport(), {
      deadline: soon(),
    });
    expect(failing).toEqual({ sink: 'slack', ok: false, error: 'could not read the Slack webhook URL: AccessDeniedException: not authorized' });
    const garbage = await sink({ getWebhookUrl: async () => 'not a url but a secret-ish value' }).deliver(sampleReport(), { deadline: soon() });
    expect(garbage.error).toBe('could not read the Slack webhook URL: the configured value is not a URL');
    expect(slack.requests).toHaveLength(0);
  });
});

describe('webhookUrlFromSecret', () => {
  const secrets = mockClient(SecretsManagerClient);
  const client = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  beforeEach(() => secrets.reset());
  afterAll(() => {
    secrets.restore();
    client.destroy();
  });

  it('reads the URL once and serves it from the cache afterwards', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'https://hooks.slack.com/services/T1/B1/abc\n' });
    const get = webhookUrlFromSecret({ secretId: 'slack/webhook', client, maxAgeSeconds: 60 });
    await expect(get()).resolves.toBe('https://hooks.slack.com/services/T1/B1/abc');
    await expect(get()).resolves.toBe('https://hooks.slack.com/services/T1/B1/abc');
    expect(secrets).toHaveReceivedCommandTimes(GetSecretValueCommand, 1);
    expect(secrets).toHaveReceivedCommandWith(GetSecretValueCommand, { SecretId: 'slack/webhook' });
  });

  it('accepts JSON secrets with a url key and explains a JSON secret without one', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: 'json' }).resolves({ SecretString: '{"webhookUrl":"https://hooks.slack.com/services/T1/B1/json"}' });
    secrets.on(GetSecretValueCommand, { SecretId: 'other' }).resolves({ SecretString: '{"token":"xoxb-secret"}' });
    await expect(webhookUrlFromSecret({ secretId: 'json', client })()).resolves.toBe('https://hooks.slack.com/services/T1/B1/json');
    const error = await webhookUrlFromSecret({ secretId: 'other', client })().catch((e: Error) => e.message);
    expect(error).toBe('secret other is JSON without a string "url", "webhookUrl" or "webhook_url" key');
    expect(error).not.toContain('xoxb');
  });

  it('feeds SlackSink: a missing secret becomes a recorded failure', async () => {
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error("Secrets Manager can't find the specified secret."), { name: 'ResourceNotFoundException' }));
    const outcome = await new SlackSink({ getWebhookUrl: webhookUrlFromSecret({ secretId: 'missing', client }) }).deliver(sampleReport(), { deadline: soon() });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/^could not read the Slack webhook URL: .*can't find the specified secret/);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP dates', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:10 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(10_000);
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
});
