import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { AuditWriteError, DeliveryIncompleteError, deliver, type DeliverySinks } from '../../lambda/delivery/deliver';
import { SnsChannel } from '../../lambda/delivery/grouped-sink';
import { auditObjectKey, S3AuditSink, type AuditRecord } from '../../lambda/delivery/s3-audit-sink';
import { SlackChannel, slackTargetFromSecret } from '../../lambda/delivery/slack-channel';
import { SnsSink } from '../../lambda/delivery/sns-sink';
import type { Sink } from '../../lambda/delivery/types';
import { sampleFinding, sampleReport } from '../helpers/report';
import { startS3rver, type LocalS3 } from '../helpers/s3rver';
import { startSlackServer, type SlackTestServer } from '../helpers/slack-server';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ecs-incidents';
const SLACK_SECRET = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecs-rca/slack-AbCdEf';
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const snsClient = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const secretsClient = new SecretsManagerClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const soon = (ms = 10_000): number => Date.now() + ms;

let s3: LocalS3;
let slack: SlackTestServer;

beforeAll(async () => {
  s3 = await startS3rver();
});
afterAll(async () => {
  await s3.close();
  sns.restore();
  secrets.restore();
  snsClient.destroy();
  secretsClient.destroy();
});
beforeEach(async () => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  slack = await startSlackServer();
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: SLACK_SECRET }).resolves({ SecretString: slack.url });
});
afterEach(async () => {
  await slack.close();
});

/**
 * The sinks as `buildSinks` in lambda/handler/dependencies.ts builds them without incident grouping:
 * the S3 audit sink, then the SNS and Slack channels (Slack's webhook URL read from Secrets Manager).
 * With grouping each channel is wrapped in a `GroupedSink`, which test/handler/grouping.test.ts covers.
 */
function sinks(bucket: string = s3.bucket, extra: Sink[] = []): DeliverySinks {
  return {
    audit: new S3AuditSink({ client: s3.client, bucket, timeoutMs: 2_000 }),
    notifications: [
      new SnsChannel(new SnsSink({ client: snsClient, topicArn: TOPIC })),
      new SlackChannel({ getTarget: slackTargetFromSecret({ secretId: SLACK_SECRET, client: secretsClient }), timeoutMs: 1_000 }),
      ...extra,
    ],
  };
}

async function auditRecord(key: string): Promise<AuditRecord> {
  const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
  return JSON.parse(await object.Body!.transformToString()) as AuditRecord;
}

describe('deliver', () => {
  it('writes the audit record before notifying, then records every outcome in it', async () => {
    const report = sampleReport({ incidentKey: 'happy' });
    const key = auditObjectKey(report);
    let auditExistedAtPublish = false;
    sns.on(PublishCommand).callsFake(async () => {
      auditExistedAtPublish = (await s3.client.send(new HeadObjectCommand({ Bucket: s3.bucket, Key: key }))).$metadata.httpStatusCode === 200;
      return { MessageId: 'm-1' };
    });
    const result = await deliver(report, sinks(), { deadline: soon(), bundle: { schema: 'incident-bundle.v1' } });
    expect(auditExistedAtPublish).toBe(true);
    expect(result.audit).toMatchObject({ sink: 's3-audit', ok: true });
    expect(result.notifications.map((o) => [o.sink, o.ok])).toEqual([
      ['sns', true],
      ['slack', true],
    ]);
    expect(result.auditUpdate?.ok).toBe(true);
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]?.violations).toEqual([]);
    const record = await auditRecord(key);
    expect(record.bundle).toEqual({ schema: 'incident-bundle.v1' });
    expect(record.deliveries).toEqual(result.notifications);
  });

  it('throws when the S3 audit write fails, and notifies nobody', async () => {
    const report = sampleReport({ incidentKey: 's3-down' });
    const error = await deliver(report, sinks('missing-bucket'), { deadline: soon() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuditWriteError);
    expect((error as AuditWriteError).message).toBe('S3 audit write failed, nothing was notified: NoSuchBucket: The specified bucket does not exist');
    expect((error as AuditWriteError).outcome).toMatchObject({ sink: 's3-audit', ok: false });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(slack.requests).toHaveLength(0);
  });

  it('retries a failed sink with backoff: a transient Slack 500 is delivered on the second try', async () => {
    slack.reply({ status: 500, body: 'internal_error' });
    const result = await deliver(sampleReport({ incidentKey: 'slack-blip' }), sinks(), { deadline: soon() });
    expect(result.notifications[1]).toEqual({ sink: 'slack', ok: true, detail: expect.stringMatching(/; delivered on try 2$/) });
    expect(slack.requests).toHaveLength(2);
  });

  it('never retries into the time kept for the audit rewrite, so the record says what happened', async () => {
    slack.reply({ status: 500, body: 'internal_error' });
    // 2.6 s left, 2 s of it the rewrite's (the audit sink's timeout): the first try may use it, a retry may not.
    const result = await deliver(sampleReport({ incidentKey: 'keep-rewrite' }), sinks(), { deadline: soon(2_600) });
    expect(result.notifications[1]).toEqual({ sink: 'slack', ok: false, error: 'Slack webhook failed: HTTP 500: internal_error' });
    expect(slack.requests).toHaveLength(1);
    expect(result.auditUpdate?.ok).toBe(true);
    expect((await auditRecord(auditObjectKey(sampleReport({ incidentKey: 'keep-rewrite' })))).deliveries).toEqual(result.notifications);
  });

  it('still publishes to SNS when Slack fails every try, and records both outcomes', async () => {
    slack.reply(...Array.from({ length: 3 }, () => ({ status: 500, body: 'internal_error' })));
    const report = sampleReport({ incidentKey: 'slack-down' });
    const result = await deliver(report, sinks(), { deadline: soon() });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(result.notifications).toEqual([
      { sink: 'sns', ok: true, detail: `published to ${TOPIC} as text (MessageId m-1)` },
      { sink: 'slack', ok: false, error: 'Slack webhook failed: HTTP 500: internal_error (failed 3 tries)' },
    ]);
    expect((await auditRecord(auditObjectKey(report))).deliveries).toEqual(result.notifications);
  });

  it('still posts to Slack when SNS fails', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
    const result = await deliver(sampleReport({ incidentKey: 'sns-down' }), sinks(), { deadline: soon() });
    expect(result.notifications.map((o) => [o.sink, o.ok, o.error])).toEqual([
      ['sns', false, 'NotFoundException: Topic does not exist (failed 3 tries)'],
      ['slack', true, undefined],
    ]);
    expect(slack.requests).toHaveLength(1);
  });

  it('only writes the audit record when the report does not alert', async () => {
    const report = sampleReport({ incidentKey: 'benign', alert: false, severity: 'info', rootCause: sampleFinding({ category: 'benign_stop' }) });
    const result = await deliver(report, sinks(), { deadline: soon() });
    expect(result).toEqual({
      audit: expect.objectContaining({ ok: true }),
      notifications: [],
      skipped: 'report.alert is false (benign_stop): nobody needs to act',
    });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(slack.requests).toHaveLength(0);
    expect((await auditRecord(auditObjectKey(report))).deliveries).toBeUndefined();
  });

  it('lets the caller suppress notifications of an alerting report (grouped repeats)', async () => {
    const result = await deliver(sampleReport({ incidentKey: 'repeat' }), sinks(), { deadline: soon() }, { notify: false });
    expect(result.skipped).toBe('notifications suppressed by the caller');
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });

  it('fails (DeliveryIncompleteError) when the audit write used up the delivery time, after recording every outcome', async () => {
    const deadline = soon();
    const real = sinks().audit;
    // The clock jumps past the deadline while the audit record is written (an injected clock: Date.now).
    const audit: Sink = {
      name: real.name,
      timeoutMs: real.timeoutMs,
      deliver: async (report, ctx) => {
        const outcome = await real.deliver(report, ctx);
        if (ctx.deliveries === undefined) jest.spyOn(Date, 'now').mockReturnValue(deadline + 1);
        return outcome;
      },
    };
    const report = sampleReport({ incidentKey: 'no-time-left' });
    try {
      const error: unknown = await deliver(report, { ...sinks(), audit }, { deadline }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DeliveryIncompleteError);
      expect(error).toMatchObject({ sinks: ['sns', 'slack'], message: 'no time was left to notify sns, slack; failing the invocation so Lambda retries it' });
      expect((error as DeliveryIncompleteError).result.notifications.map((o) => [o.sink, o.ok, o.error])).toEqual([
        ['sns', false, 'sns delivery: no time left before the deadline'],
        ['slack', false, 'slack delivery: no time left before the deadline'],
      ]);
    } finally {
      jest.restoreAllMocks();
    }
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
    expect(slack.requests).toHaveLength(0);
    // The first audit write stands (the rewrite had no time either): the retry rewrites it.
    expect((await auditRecord(auditObjectKey(report))).report.incidentKey).toBe('no-time-left');
  });

  it('turns a throwing or hanging sink into a failed outcome by the deadline, without stopping the others', async () => {
    const throwing: Sink = { name: 'throws', timeoutMs: 1_000, deliver: async () => Promise.reject(new TypeError('bug in sink')) };
    const hanging: Sink = { name: 'hangs', timeoutMs: 1_000, deliver: () => new Promise(() => undefined) };
    const result = await deliver(sampleReport({ incidentKey: 'odd-sinks' }), sinks(s3.bucket, [throwing, hanging]), { deadline: soon(1_500) }, { retry: { attempts: 1, baseDelayMs: 0, minTryMs: 0 } });
    expect(result.notifications.map((o) => [o.sink, o.ok, o.error])).toEqual([
      ['sns', true, undefined],
      ['slack', true, undefined],
      ['throws', false, 'TypeError: bug in sink'],
      ['hangs', false, expect.stringMatching(/^hangs delivery timed out after \d+ ms$/)],
    ]);
    // The rewrite of the audit record came after the deadline: recorded, not thrown.
    expect(result.auditUpdate).toMatchObject({ sink: 's3-audit', ok: false });
  });
});
