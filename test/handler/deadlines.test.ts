import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { ecsMock, loadCorpus, serveBundle } from '../evidence/live/corpus-aws';
import { startDynalite, type LocalDynamo } from '../helpers/dynalite';
import { startSilentServer, type SilentServer } from '../helpers/silent-server';
import { startSlowProxy, type SlowProxy } from '../helpers/slow-proxy';
import { analysed, snsMock, useHandlerWorld, type Invocation } from './harness';

// Issue 12 item 2: with little time left and slow calls, delivery comes first. The handler reserves
// what delivery needs (audit write, every try of the slowest channel, audit rewrite) before it
// collects anything, retries never eat the audit rewrite's time, and the idempotency record is
// completed only once every channel has an outcome. S3 is s3rver behind a proxy that answers 100 ms
// late, SNS a real never-answering socket (the SDK client, not a mock), Slack a real local server,
// the idempotency table dynalite; ECS never answers.

const bundle = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
const world = useHandlerWorld(() => serveBundle(bundle));
let silent: SilentServer;
let slowS3: SlowProxy;
let dynamo: LocalDynamo;

beforeEach(() => {
  // A real SNS client for this file: the harness' class mock (set up again before each test) would answer before any socket.
  snsMock.restore();
  ecsMock.callsFake(() => new Promise(() => undefined));
});
beforeAll(async () => {
  [silent, slowS3, dynamo] = await Promise.all([startSilentServer(), startSlowProxy(world.s3.endpoint, 100), startDynalite()]);
  // Loads the pipeline once (a warm execution environment), so the 4 s below are spent on calls.
  await world.invoke({ warm: 'up' });
});
afterAll(async () => {
  await Promise.all([silent.close(), slowS3.close(), dynamo.close()]);
});

/** Slow dependencies; CALL_TIMEOUT_MS 1 s, so delivery needs 1 + (3 × 1 + 0.75) + 1 = 5.75 s. */
function slowDeps(env: Record<string, string> = {}) {
  const credentials = { accessKeyId: 'LOCAL', secretAccessKey: 'LOCAL' };
  const sns = new SNSClient({ region: 'us-east-1', endpoint: silent.endpoint, maxAttempts: 1, credentials });
  const s3 = new S3Client({ region: 'us-east-1', endpoint: slowS3.endpoint, forcePathStyle: true, maxAttempts: 1, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const config = world.config({ CALL_TIMEOUT_MS: '1000', POWERTOOLS_LOG_LEVEL: 'WARN', ...env });
  return world.deps(config, { sns, s3, ...(env.IDEMPOTENCY_TABLE_NAME ? { dynamodb: dynamo.client } : {}) });
}

/** Asserts the report was audited, SNS timed out, Slack has `slack`, and the rewritten audit record holds both outcomes. */
async function expectEveryChannelDecided(invocation: Invocation, slack: { ok: boolean }): Promise<void> {
  const result = analysed(invocation);
  expect(result.deliveries).toEqual([
    expect.objectContaining({ sink: 's3-audit', ok: true }),
    expect.objectContaining({ sink: 'sns', ok: false, error: expect.stringMatching(/^SNS Publish timed out after 1000 ms/) }),
    expect.objectContaining({ sink: 'slack', ...slack }),
  ]);
  const record = await world.readAudit(result.deliveries[0]!.detail!.replace(`s3://${world.s3.bucket}/`, ''));
  expect(record.deliveries).toEqual(result.deliveries.slice(1));
  expect(silent.connections()).toBeGreaterThan(0);
  // Returned while Lambda would still have been running it.
  expect(invocation.error).toBeUndefined();
  expect(invocation.remainingAtReturnMs).toBeGreaterThan(0);
}

describe('4 s left and slow calls: delivery first, every channel decided before the invocation ends', () => {
  it('collects nothing (the delivery reserve does not fit), names the gaps, notifies, and records every outcome', async () => {
    const invocation = await world.invoke(bundle.event, { deps: slowDeps(), remainingMs: 4_000 });
    await expectEveryChannelDecided(invocation, { ok: true });
    expect(world.slack.requests).toHaveLength(1);
    const gaps = analysed(invocation).evidenceGaps;
    expect(gaps.length).toBeGreaterThan(0);
    for (const gap of gaps) expect(gap).toMatch(/was not completed: the invocation deadline was reached, so the analysis went on without it\.$/);
  }, 20_000);

  it('completes the idempotency record only once every channel has an outcome: a retry meanwhile is in progress, later a duplicate of the full result', async () => {
    const table = await dynamo.createTable();
    const deps = slowDeps({ IDEMPOTENCY_TABLE_NAME: table });
    world.slack.reply('hang');
    const first = world.invoke(bundle.event, { deps, remainingMs: 4_000 });
    // Slack's post is hanging: the report is audited and the channels are still being tried.
    for (let waited = 0; world.slack.requests.length === 0 && waited < 100; waited += 1) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(world.slack.requests).toHaveLength(1);
    const during = await world.invoke(bundle.event, { deps, remainingMs: 4_000 });
    expect(during.result).toMatchObject({ status: 'duplicate', reason: 'being processed by another invocation' });

    const invocation = await first;
    await expectEveryChannelDecided(invocation, { ok: false });

    const after = await world.invoke(bundle.event, { deps });
    expect(after.result).toMatchObject({ status: 'duplicate', reason: 'already processed', original: { status: 'analysed', deliveries: analysed(invocation).deliveries } });
    expect(world.slack.requests).toHaveLength(1);
  }, 20_000);
});
