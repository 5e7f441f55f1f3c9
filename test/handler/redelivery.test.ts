import { PublishCommand } from '@aws-sdk/client-sns';
import { runCli } from '../cli/harness';
import { loadCorpus, serveBundle } from '../evidence/live/corpus-aws';
import { analysed, emittedMetrics, SLACK_SECRET_ARN, snsMock, TOPIC_ARN, useHandlerWorld } from './harness';

// Issue 12 item 5, end to end: the handler's Slack post fails every try (a real local server
// answering 500), the report stays in the audit record (s3rver) with the failed outcome and a
// `SinkFailures` metric (the stack's DeliveryFailures alarm), and `ecs-rca redeliver s3://…` re-sends
// it from that record to the channel that failed, and only to it.

const bundle = loadCorpus('08-ecr-pull-403-iam.json');
const world = useHandlerWorld(() => serveBundle(bundle));
const saved = { ...process.env };
beforeAll(() => {
  // The CLI's S3 client reads the record through the SDK's standard endpoint variable.
  Object.assign(process.env, { AWS_ENDPOINT_URL_S3: world.s3.endpoint, AWS_REGION: 'us-east-1', AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER' });
});
afterAll(() => {
  process.env = saved;
});

it('a report Slack refused after every try is alarmed, kept in the audit record, and re-delivered from it by ecs-rca redeliver', async () => {
  world.slack.reply(...Array.from({ length: 3 }, () => ({ status: 500, body: 'internal_error' })));
  const invocation = await world.invoke(bundle.event);
  const result = analysed(invocation);
  expect(result.deliveries.map((d) => [d.sink, d.ok])).toEqual([
    ['s3-audit', true],
    ['sns', true],
    ['slack', false],
  ]);
  expect(emittedMetrics(invocation.output)).toContainEqual(expect.objectContaining({ name: 'SinkFailures', value: 1, dimensions: expect.objectContaining({ sink: 'slack' }) }));
  const uri = result.deliveries[0]!.detail!;
  expect(uri).toMatch(/^s3:\/\//);
  const original = world.slack.requests[0]?.payload;
  world.slack.requests.length = 0;
  snsMock.resetHistory();

  const redelivered = await runCli(['redeliver', uri], { env: { TOPIC_ARN, SLACK_SECRET_ARN } });
  expect(redelivered.stderr).toBe('');
  expect(redelivered.stdout).toMatch(/^slack: delivered \(posted \d+ blocks\)\n$/);
  expect(redelivered.code).toBe(0);
  // The same full report, to Slack only: SNS had accepted it.
  expect(world.slack.requests).toHaveLength(1);
  expect(world.slack.requests[0]?.violations).toEqual([]);
  expect(world.slack.requests[0]?.payload).toEqual(original);
  expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
});
