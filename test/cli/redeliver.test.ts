import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { auditObjectKey } from '../../lambda/delivery/s3-audit-sink';
import { sampleReport } from '../helpers/report';
import { startS3rver, type LocalS3 } from '../helpers/s3rver';
import { startSlackServer, type SlackTestServer } from '../helpers/slack-server';
import { expectOneLineError, runCli } from './harness';

// The audit record in a local s3rver (read through AWS_ENDPOINT_URL_S3, as any SDK client would),
// Slack on a local server (its webhook URL in the secret's place: SLACK_SECRET_ARN is read from
// Secrets Manager, mocked), SNS mocked (nothing local speaks it).

const TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:ecs-incidents';
const sns = mockClient(SNSClient);
let s3: LocalS3;
let slack: SlackTestServer;
const saved = { ...process.env };
beforeAll(async () => {
  [s3, slack] = await Promise.all([startS3rver('redeliver-audit'), startSlackServer()]);
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: s3.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([s3.close(), slack.close()]);
});
beforeEach(() => {
  sns.reset();
  sns.on(PublishCommand).resolves({ MessageId: 'm-redelivered' });
  slack.requests.length = 0;
});

async function putRecord(record: unknown, key = auditObjectKey(sampleReport())): Promise<string> {
  await s3.client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: key, Body: JSON.stringify(record) }));
  return `s3://${s3.bucket}/${key}`;
}

describe('ecs-rca redeliver', () => {
  it('re-sends the report to the channel whose delivery failed, and only to it', async () => {
    const uri = await putRecord({
      report: sampleReport(),
      deliveries: [
        { sink: 'sns', ok: false, error: 'AuthorizationErrorException: not authorized (failed 3 tries)' },
        { sink: 'slack', ok: true, detail: 'posted 8 blocks' },
      ],
    });
    const result = await runCli(['redeliver', uri], { env: { TOPIC_ARN } });
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`sns: delivered (published to ${TOPIC_ARN} as text (MessageId m-redelivered))\n`);
    expect(result.code).toBe(0);
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Subject).toMatch(/^HIGH /);
    expect(slack.requests).toHaveLength(0);
  });

  it('exits 3 when the channel refuses the report on every try', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Topic does not exist'), { name: 'NotFoundException' }));
    const uri = await putRecord({ report: sampleReport(), deliveries: [{ sink: 'sns', ok: false, error: 'x' }] });
    const result = await runCli(['redeliver', uri, '--topic-arn', TOPIC_ARN]);
    expect(result.stdout).toBe('sns: FAILED: NotFoundException: Topic does not exist (failed 3 tries)\n');
    expect(result.code).toBe(3);
  });

  it('has nothing to do when every channel accepted the report, unless --all', async () => {
    const uri = await putRecord({ report: sampleReport(), deliveries: [{ sink: 'sns', ok: true }] });
    const quiet = await runCli(['redeliver', uri], { env: { TOPIC_ARN } });
    expect([quiet.code, quiet.stdout]).toEqual([0, '']);
    expect(quiet.stderr).toMatch(/nothing to redeliver/);
    const all = await runCli(['redeliver', uri, '--all'], { env: { TOPIC_ARN } });
    expect([all.code, all.stdout]).toEqual([0, expect.stringMatching(/^sns: delivered/)]);
  });

  it('rejects bad input with one line and exit 2', async () => {
    expectOneLineError(await runCli(['redeliver', 'https://example.com/x.json'], { env: { TOPIC_ARN } }), /^ecs-rca: "https:\/\/example\.com\/x\.json": not an S3 URI; give the audit record as s3:\/\/<bucket>\/<key>$/m);
    expectOneLineError(await runCli(['redeliver', 's3://b/k'], { env: { TOPIC_ARN } }), /^ecs-rca: "s3:\/\/b\/k": "b" is not an S3 bucket name \(3 to 63 lower-case letters, digits, dots and hyphens\)$/m);
    expectOneLineError(await runCli(['redeliver', 's3://my-bucket/'], { env: { TOPIC_ARN } }), /"s3:\/\/my-bucket\/": no object key/);
    expectOneLineError(await runCli(['redeliver', 's3://my-bucket/k', '--sns-format', 'bogus'], { env: { TOPIC_ARN } }), /option '--sns-format <format>' argument 'bogus' is invalid\. Allowed choices are text, chatbot/);
    expectOneLineError(await runCli(['redeliver', 's3://my-bucket/k'], { env: { TOPIC_ARN, SNS_MESSAGE_FORMAT: 'bogus' } }), /environment variable SNS_MESSAGE_FORMAT="bogus" is invalid/);
    expectOneLineError(await runCli(['redeliver', `s3://my-bucket/k\u001b[2J${'x'.repeat(5000)}`], { env: { TOPIC_ARN: 'not-an-arn' } }), /environment variable TOPIC_ARN="not-an-arn" is invalid/);
    expectOneLineError(await runCli(['redeliver', `s3://${s3.bucket}/no/such/key.json`], { env: { TOPIC_ARN } }), /the audit record cannot be read \(NoSuchKey/);
    const notRecord = await putRecord({ hello: 'world' }, 'other/thing.json');
    expectOneLineError(await runCli(['redeliver', notRecord], { env: { TOPIC_ARN } }), /not an audit record of ecs-incident-analyzer/);
    const uri = await putRecord({ report: sampleReport() });
    expectOneLineError(await runCli(['redeliver', uri]), /no channel to send to: set TOPIC_ARN or SLACK_SECRET_ARN/);
    expectOneLineError(await runCli(['redeliver', uri, '--topic-arn', 'not-an-arn']), /option --topic-arn="not-an-arn" is invalid: not an SNS topic ARN/);
  });

  it('documents itself: --help names the exit codes', async () => {
    const help = await runCli(['redeliver', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Exit codes: 0 delivered \(or nothing to redeliver\), 2 bad input/);
  });
});
