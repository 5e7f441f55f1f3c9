import { PublishCommand, SNSClient, SNSServiceException } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { SnsSink } from '../../lambda/delivery/sns-sink';
import { renderSns } from '../../lambda/report/renderers/sns';
import { sampleReport } from '../helpers/report';

const TOPIC = 'arn:aws:sns:us-east-1:111122223333:ecs-incidents';
const sns = mockClient(SNSClient);
const client = new SNSClient({ region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
const soon = (ms = 10_000): number => Date.now() + ms;

beforeEach(() => sns.reset());
afterAll(() => {
  sns.restore();
  client.destroy();
});

describe('SnsSink', () => {
  it('publishes the rendered subject, text body and filterable attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const report = sampleReport();
    const outcome = await new SnsSink({ client, topicArn: TOPIC }).deliver(report, { deadline: soon() });
    const expected = renderSns(report, { format: 'text' });
    expect(outcome).toEqual({ sink: 'sns', ok: true, detail: `published to ${TOPIC} as text (MessageId m-1)` });
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: TOPIC,
      Subject: expected.subject,
      Message: expected.message,
      MessageAttributes: expected.messageAttributes,
    });
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.MessageGroupId).toBeUndefined();
    expect(input.MessageAttributes?.category).toEqual({ DataType: 'String', StringValue: 'app_import_error' });
  });

  it('publishes the Amazon Q Developer custom notification when configured', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    await new SnsSink({ client, topicArn: TOPIC, format: 'chatbot' }).deliver(sampleReport(), { deadline: soon() });
    const message = JSON.parse(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message ?? '{}') as { version?: string; source?: string };
    expect(message).toMatchObject({ version: '1.0', source: 'custom' });
  });

  it('sets a stable group and deduplication id on FIFO topics', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-3' });
    const sink = new SnsSink({ client, topicArn: `${TOPIC}.fifo` });
    await sink.deliver(sampleReport(), { deadline: soon() });
    await sink.deliver(sampleReport(), { deadline: soon() });
    await sink.deliver(sampleReport({ trigger: { ...sampleReport().trigger, eventId: 'other' } }), { deadline: soon() });
    const [a, b, c] = sns.commandCalls(PublishCommand).map((call) => call.args[0].input);
    expect(a?.MessageGroupId).toMatch(/^[0-9a-f]{64}$/);
    expect(a?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(b?.MessageDeduplicationId).toBe(a?.MessageDeduplicationId);
    expect(c?.MessageGroupId).toBe(a?.MessageGroupId);
    expect(c?.MessageDeduplicationId).not.toBe(a?.MessageDeduplicationId);
  });

  it('records an SNS error with its name instead of throwing', async () => {
    sns.on(PublishCommand).rejects(
      new SNSServiceException({ name: 'AuthorizationErrorException', $fault: 'client', $metadata: {}, message: 'User is not authorized to perform: SNS:Publish' }),
    );
    const outcome = await new SnsSink({ client, topicArn: TOPIC }).deliver(sampleReport(), { deadline: soon() });
    expect(outcome).toEqual({
      sink: 'sns',
      ok: false,
      detail: TOPIC,
      error: 'AuthorizationErrorException: User is not authorized to perform: SNS:Publish',
    });
  });

  it('gives up on a Publish that never returns, within its timeout', async () => {
    sns.on(PublishCommand).callsFake(() => new Promise(() => undefined));
    const outcome = await new SnsSink({ client, topicArn: TOPIC, timeoutMs: 200 }).deliver(sampleReport(), { deadline: soon() });
    expect(outcome).toMatchObject({ ok: false, error: 'SNS Publish timed out after 200 ms' });
  });

  it('does not call SNS when the deadline has already passed', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'late' });
    const outcome = await new SnsSink({ client, topicArn: TOPIC }).deliver(sampleReport(), { deadline: Date.now() - 1 });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/no time left before the deadline/);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 0);
  });
});
