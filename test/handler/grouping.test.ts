import { PublishCommand } from '@aws-sdk/client-sns';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { IncidentStore } from '../../lambda/delivery/incident-store';
import type { HandlerResult } from '../../lambda/handler/create-handler';
import { loadCorpus, resetMocks, serveBundle } from '../evidence/live/corpus-aws';
import { startDynalite, type LocalDynamo } from '../helpers/dynalite';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { handlerClientOptions } from '../../lambda/handler/dependencies';
import { getClient } from '../../lambda/shared/aws-clients';
import { startSilentServer } from '../helpers/silent-server';
import { emittedMetrics, logLines, secretsMock, snsMock, startHandlerWorld, type HandlerWorld, type Invocation } from './harness';

// The real handler (middy, Powertools idempotency, logger, metrics) with its state table in dynalite,
// audit records in s3rver and Slack on a local server. A crash-looping deployment is replayed as
// distinct task stops of one service deployment with the same root cause (corpus 08: the image pull
// is refused with 403 Forbidden), one a minute.

const BOT_TOKEN = 'xoxb-1111111111-2222222222-AbCdEfGhIjKlMnOpQrStUvWx';
const T0 = Date.parse('2026-01-15T10:02:00.000Z');
const bundle = loadCorpus('08-ecr-pull-403-iam.json');
const base = bundle.event as Record<string, unknown> & { detail: Record<string, unknown> };
const CLUSTER = 'app-cluster';
const SERVICE_ARN = `arn:aws:ecs:us-east-1:111122223333:service/${CLUSTER}/app`;

/** The n-th stopped task of the crash loop: its own task, event id and time, the same deployment. */
function stopEvent(n: number): Record<string, unknown> {
  const taskArn = `arn:aws:ecs:us-east-1:111122223333:task/${CLUSTER}/${n.toString(16).padStart(32, '0')}`;
  return {
    ...structuredClone(base),
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    time: new Date(T0 + n * 60_000).toISOString(),
    resources: [taskArn],
    detail: { ...structuredClone(base.detail), taskArn },
  };
}

/** `SERVICE_DEPLOYMENT_COMPLETED` for the service, `minutesAfter` T0. */
function deploymentCompleted(minutesAfter: number): Record<string, unknown> {
  return {
    version: '0',
    id: `11111111-0000-4000-8000-${String(minutesAfter).padStart(12, '0')}`,
    'detail-type': 'ECS Deployment State Change',
    source: 'aws.ecs',
    account: '111122223333',
    time: new Date(T0 + minutesAfter * 60_000).toISOString(),
    region: 'us-east-1',
    resources: [SERVICE_ARN],
    detail: { eventType: 'INFO', eventName: 'SERVICE_DEPLOYMENT_COMPLETED', deploymentId: 'ecs-svc/0000000000000000001', reason: 'ECS deployment ecs-svc/0000000000000000001 completed.' },
  };
}

let world: HandlerWorld;
let dynamo: LocalDynamo;
let table: string;
beforeAll(async () => {
  [world, dynamo] = await Promise.all([startHandlerWorld(), startDynalite()]);
});
afterAll(async () => {
  await Promise.all([world.close(), dynamo.close()]);
});
beforeEach(async () => {
  resetMocks();
  serveBundle(bundle);
  world.resetDeliveryMocks();
  world.slack.requests.length = 0;
  table = await dynamo.createTable();
});

function groupedDeps(env: Record<string, string> = {}) {
  // A generous call timeout: these tests count messages, and a busy machine must not turn a slow local call into a fault.
  const config = world.config({ IDEMPOTENCY_TABLE_NAME: table, INCIDENT_TABLE_NAME: table, POWERTOOLS_LOG_LEVEL: 'WARN', CALL_TIMEOUT_MS: '10000', ...env });
  return world.deps(config, { dynamodb: dynamo.client });
}

/** Invokes the handler for each event, `parallel` at a time, in order of the batches. */
async function invokeAll(events: unknown[], deps: ReturnType<typeof groupedDeps>, parallel: number): Promise<Invocation[]> {
  const invocations: Invocation[] = [];
  for (let i = 0; i < events.length; i += parallel) {
    invocations.push(...(await Promise.all(events.slice(i, i + parallel).map((event) => world.invoke(event, { deps })))));
  }
  return invocations;
}

function results(invocations: Invocation[]): HandlerResult[] {
  for (const invocation of invocations) if (invocation.error !== undefined) throw invocation.error;
  return invocations.map((i) => i.result!);
}

const publishes = () => snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input);

describe('storms: one message per incident', () => {
  it('turns a replayed crash loop of 200 task stops into one notification, bounded summaries and 200 audit records', async () => {
    const deps = groupedDeps();
    // Ten invocations at a time: the incident record is updated concurrently throughout.
    const all = results(await invokeAll(Array.from({ length: 200 }, (_, n) => stopEvent(n)), deps, 10));

    const analysed = all.filter((r): r is Extract<HandlerResult, { status: 'analysed' }> => r.status === 'analysed');
    expect(analysed).toHaveLength(200);
    expect(new Set(analysed.map((r) => r.incidentKey)).size).toBe(1);
    expect(new Set(analysed.map((r) => r.category))).toEqual(new Set(['registry_auth_failed']));
    const actions = analysed.map((r) => r.incident?.action);
    expect(actions.filter((a) => a === 'notify')).toHaveLength(1);
    // Summaries at the 5th, 10th, 20th, 40th, 80th and 160th occurrence; everything else suppressed.
    expect(actions.filter((a) => a === 'summarize')).toHaveLength(6);
    expect(actions.filter((a) => a === 'suppress')).toHaveLength(193);

    // Webhook and SNS: the report once, then at most one summary per hour of the storm (its 5th,
    // 80th and 160th occurrence, at 10:02 + ≤9 min, ≥70 min and ≥150 min).
    expect(world.slack.requests).toHaveLength(4);
    expect(world.slack.requests.every((r) => r.violations.length === 0)).toBe(true);
    const summaries = world.slack.requests.slice(1).map((r) => (r.payload as { text: string }).text);
    expect(summaries.map((t) => /(\d+) tasks stopped, same cause, since (\d\d:\d\d) UTC/.exec(t)?.[1])).toEqual(['5', '80', '160']);
    const sns = publishes();
    expect(sns).toHaveLength(4);
    expect(sns[0]?.Subject).toMatch(/^HIGH app: registry_auth_failed/);
    expect(sns.slice(1).map((p) => p.MessageAttributes?.update?.StringValue)).toEqual(['summary', 'summary', 'summary']);

    // Every occurrence is audited, suppressed ones with the reason.
    const keys = await world.listKeys();
    expect(keys).toHaveLength(200);
    const suppressed = analysed.find((r) => r.incident?.action === 'suppress')!;
    const audit = await world.readAudit(suppressed.deliveries[0]!.detail!.replace(`s3://${world.s3.bucket}/`, ''));
    expect(audit.deliveries).toEqual([
      { sink: 'sns', ok: true, detail: expect.stringMatching(/^suppressed: occurrence \d+ of incident /) },
      { sink: 'slack', ok: true, detail: expect.stringMatching(/^suppressed: occurrence \d+ of incident /) },
    ]);

    const record = await new IncidentStore({ client: dynamo.client, tableName: table }).get(analysed[0]!.incidentKey);
    expect(record).toMatchObject({ status: 'open', count: 200, taskStops: 200, firstSeen: expect.stringMatching(/^2026-01-15T10:(0\d|1[01]):00/), lastSeen: new Date(T0 + 199 * 60_000).toISOString() });
  }, 300_000);

  it('threads follow-ups under the first message with a bot token, then closes the incident when the deployment completes', async () => {
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ botToken: BOT_TOKEN, channel: 'C0INCIDENTS' }) });
    const deps = groupedDeps({ SLACK_API_URL: world.slack.apiUrl });
    results(await invokeAll(Array.from({ length: 12 }, (_, n) => stopEvent(n)), deps, 1));

    const paths = world.slack.requests.map((r) => r.path);
    // The report, then at the 5th and 10th occurrence a thread reply and a refresh of the first message.
    expect(paths).toEqual(['/api/chat.postMessage', '/api/chat.postMessage', '/api/chat.update', '/api/chat.postMessage', '/api/chat.update']);
    expect(world.slack.requests.every((r) => r.headers.authorization === `Bearer ${BOT_TOKEN}` && r.violations.length === 0)).toBe(true);
    const payloads = world.slack.requests.map((r) => r.payload as Record<string, unknown>);
    const parentTs = '1767225600.000001';
    expect(payloads[0]).not.toHaveProperty('thread_ts');
    expect(payloads[1]).toMatchObject({ channel: 'C0INCIDENTS', thread_ts: parentTs, text: expect.stringContaining('5 tasks stopped, same cause, since 10:02 UTC') });
    expect(payloads[2]).toMatchObject({ channel: 'C0INCIDENTS', ts: parentTs });
    expect(payloads[3]).toMatchObject({ thread_ts: parentTs, text: expect.stringContaining('10 tasks stopped') });
    // SNS has no threads: the report and one summary in the hour.
    expect(publishes()).toHaveLength(2);

    world.slack.requests.length = 0;
    snsMock.resetHistory();
    const recovered = results([await world.invoke(deploymentCompleted(30), { deps })])[0];
    expect(recovered).toMatchObject({ status: 'recovered', service: `${CLUSTER}/app`, resolved: [expect.stringMatching(/^registry_auth_failed-/)] });
    expect(world.slack.requests).toHaveLength(1);
    expect(world.slack.requests[0]?.payload).toMatchObject({
      thread_ts: parentTs,
      reply_broadcast: true,
      text: expect.stringContaining('Resolved at 10:32 UTC (deployment ecs-svc/0000000000000000001 completed): 12 tasks stopped'),
    });
    expect(publishes().map((p) => p.MessageAttributes?.update?.StringValue)).toEqual(['resolved']);
    // Closed once: the scheduler's next steady state finds nothing open.
    const steady = { ...deploymentCompleted(31), 'detail-type': 'ECS Service Action', detail: { eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE', clusterArn: `arn:aws:ecs:us-east-1:111122223333:cluster/${CLUSTER}` } };
    expect(results([await world.invoke(steady, { deps })])[0]).toMatchObject({ status: 'recovered', resolved: [] });

    // A stop after the recovery is a new incident: a new first message.
    world.slack.requests.length = 0;
    const next = results([await world.invoke(stopEvent(40), { deps })])[0];
    expect(next).toMatchObject({ status: 'analysed', incident: { action: 'notify', reason: expect.stringMatching(/^first occurrence after incident .* was resolved$/) } });
    expect(world.slack.requests.map((r) => r.path)).toEqual(['/api/chat.postMessage']);
    expect(world.slack.requests[0]?.payload).not.toHaveProperty('thread_ts');
  }, 30_000);
});

describe('retries', () => {
  it('counts an occurrence only once it is audited: a failed audit write leaves the retry its notification', async () => {
    const broken = groupedDeps({ AUDIT_BUCKET_NAME: 'no-such-audit-bucket' });
    const failed = await world.invoke(stopEvent(0), { deps: broken });
    expect(failed.error).toMatchObject({ name: 'AuditWriteError' });
    expect(world.slack.requests).toHaveLength(0);
    // Lambda retries the same event: the idempotency record of the failed attempt is gone, and the
    // incident was never opened (otherwise this would be the opener's replay).
    const retried = results([await world.invoke(stopEvent(0), { deps: groupedDeps() })])[0];
    expect(retried).toMatchObject({ status: 'analysed', incident: { action: 'notify', reason: 'first occurrence', occurrences: 1 } });
    expect(world.slack.requests).toHaveLength(1);
    const key = retried?.status === 'analysed' ? retried.incidentKey : '';
    expect(await new IncidentStore({ client: dynamo.client, tableName: table }).get(key)).toMatchObject({ count: 1, version: 1 });
  });
});

describe('a failed first delivery does not silence a channel', () => {
  it('re-sends the full report to the channel that failed (Slack HTTP 500, SNS throttled) on the next occurrence, once', async () => {
    const deps = groupedDeps();
    // Every try of the first delivery fails (3 tries per channel), then the channels recover.
    world.slack.reply(...Array.from({ length: 3 }, () => ({ status: 500, body: 'internal_error' })));
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400 } });
    snsMock.on(PublishCommand).rejectsOnce(throttled).rejectsOnce(throttled).rejectsOnce(throttled).resolves({ MessageId: '2c9f2c9f-0000-4000-8000-000000000002' });
    const [first] = results(await invokeAll([stopEvent(0)], deps, 1));
    expect(first).toMatchObject({ status: 'analysed', incident: { action: 'notify' } });
    expect(first?.status === 'analysed' && first.deliveries.map((d) => [d.sink, d.ok])).toEqual([
      ['s3-audit', true],
      ['sns', false],
      ['slack', false],
    ]);

    // The second stop is a repeat for grouping, but neither channel ever had the report: both get it now.
    const [second] = results(await invokeAll([stopEvent(1)], deps, 1));
    expect(second).toMatchObject({ status: 'analysed', incident: { action: 'suppress' } });
    const deliveries = second?.status === 'analysed' ? second.deliveries.slice(1) : [];
    expect(deliveries).toEqual([
      expect.objectContaining({ sink: 'sns', ok: true, detail: expect.stringMatching(/full report re-sent: sns has not accepted the report of incident /) }),
      expect.objectContaining({ sink: 'slack', ok: true, detail: expect.stringMatching(/full report re-sent: slack has not accepted/) }),
    ]);
    // The full report, not a count the channel could not place.
    expect(world.slack.requests).toHaveLength(4);
    expect(JSON.stringify(world.slack.requests[3]?.payload)).not.toMatch(/tasks stopped, same cause/);
    expect(publishes()[3]?.Subject).toMatch(/^HIGH app: registry_auth_failed/);

    // Accepted now: the next occurrences are counted, as for any incident.
    const rest = results(await invokeAll([stopEvent(2), stopEvent(3)], deps, 2));
    expect(rest.map((r) => (r.status === 'analysed' ? r.deliveries.slice(1).map((d) => d.detail) : []))).toEqual([
      [expect.stringMatching(/^suppressed: occurrence/), expect.stringMatching(/^suppressed: occurrence/)],
      [expect.stringMatching(/^suppressed: occurrence/), expect.stringMatching(/^suppressed: occurrence/)],
    ]);
    expect(world.slack.requests).toHaveLength(4);
    expect(publishes()).toHaveLength(4);
  });

  it('does not re-send while the opener may still be delivering, and lets only one occurrence re-send after a failure', async () => {
    const deps = groupedDeps();
    world.slack.reply(...Array.from({ length: 3 }, () => ({ status: 500, body: 'internal_error' })));
    results(await invokeAll([stopEvent(0)], deps, 1));
    // Ten occurrences at once after the failed first post: exactly one of them re-sends the report.
    const all = results(await invokeAll(Array.from({ length: 10 }, (_, n) => stopEvent(n + 1)), deps, 10));
    const resent = all.filter((r) => r.status === 'analysed' && r.deliveries.some((d) => d.sink === 'slack' && /full report re-sent/.test(d.detail ?? '')));
    expect(resent).toHaveLength(1);
    // 3 failed tries, then the one re-send.
    expect(world.slack.requests.filter((r) => !/tasks stopped, same cause/.test(JSON.stringify(r.payload)))).toHaveLength(4);
  });
});

describe('deadlines: the retry of a failed invocation notifies only the channels still owed', () => {
  it('on the retry of an opener, skips the channels that already accepted the report', async () => {
    const deps = groupedDeps();
    const [first] = results(await invokeAll([stopEvent(0)], deps, 1));
    expect(first).toMatchObject({ status: 'analysed', incident: { action: 'notify' } });
    // The same occurrence again under a new task-state version (as after a failed invocation): the opener's replay.
    const replay = { ...stopEvent(0), detail: { ...(stopEvent(0).detail as object), version: 99 } };
    const [again] = results(await invokeAll([replay], deps, 1));
    expect(again?.status === 'analysed' && again.deliveries.slice(1).map((d) => d.detail)).toEqual([
      expect.stringMatching(/^already delivered: replay of the occurrence that opened incident/),
      expect.stringMatching(/^already delivered: replay of the occurrence that opened incident/),
    ]);
    expect(world.slack.requests).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
  });
});

describe('DynamoDB unavailable: bounded notifications, said in the message', () => {
  // A table that does not exist: every call fails fast (ResourceNotFoundException).
  const brokenDeps = () => world.deps(world.config({ IDEMPOTENCY_TABLE_NAME: 'no-such-table', INCIDENT_TABLE_NAME: 'no-such-table', POWERTOOLS_LOG_LEVEL: 'ERROR', CALL_TIMEOUT_MS: '10000' }), { dynamodb: dynamo.client });

  it('100 deliveries of one event: one message per channel from one execution environment, saying the duplicate check is unavailable', async () => {
    const deps = brokenDeps();
    const all = results(await invokeAll(Array.from({ length: 100 }, () => stopEvent(7)), deps, 1));
    expect(all.filter((r) => r.status === 'analysed')).toHaveLength(1);
    expect(all.filter((r) => r.status === 'duplicate').map((r) => (r.status === 'duplicate' ? r.reason : ''))).toEqual(
      Array.from({ length: 99 }, () => 'already processed by this execution environment (duplicate check unavailable)'),
    );
    expect(world.slack.requests).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
    expect(JSON.stringify(world.slack.requests[0]?.payload)).toMatch(/Duplicate check unavailable/);
    expect(publishes()[0]?.Message).toMatch(/Duplicate check unavailable/);
  });

  it('a 200-task storm: at most 3 full reports per channel from one execution environment, the rest suppressed and audited', async () => {
    const deps = brokenDeps();
    const all = results(await invokeAll(Array.from({ length: 200 }, (_, n) => stopEvent(n)), deps, 10));
    const analysed = all.filter((r): r is Extract<HandlerResult, { status: 'analysed' }> => r.status === 'analysed');
    expect(analysed).toHaveLength(200);
    expect(analysed.filter((r) => r.incident?.action === 'notify')).toHaveLength(3);
    expect(analysed.filter((r) => r.incident?.action === 'suppress').map((r) => r.incident?.reason)).toEqual(
      Array.from({ length: 197 }, () => expect.stringMatching(/^duplicate check unavailable \(.*\); 3 notifications of incident .* already sent from this execution environment$/)),
    );
    expect(world.slack.requests).toHaveLength(3);
    expect(publishes()).toHaveLength(3);
    expect(world.slack.requests.every((r) => /Duplicate check unavailable/.test(JSON.stringify(r.payload)))).toBe(true);
    expect(await world.listKeys()).toHaveLength(200);
  }, 300_000);

  it('a hung DynamoDB costs one call budget per logical call, retries included, and the report is still delivered', async () => {
    const silent = await startSilentServer();
    try {
      // The production client options: CALL_TIMEOUT_MS is also each HTTP attempt's timeout, 3 attempts.
      const config = world.config({ IDEMPOTENCY_TABLE_NAME: table, INCIDENT_TABLE_NAME: table, POWERTOOLS_LOG_LEVEL: 'WARN', CALL_TIMEOUT_MS: '1000' });
      const hung = getClient(DynamoDBClient, { ...handlerClientOptions(config), endpoint: silent.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'AKID', secretAccessKey: 'secret' } });
      const invocation = await world.invoke(stopEvent(0), { deps: world.deps(config, { dynamodb: hung }) });
      const result = results([invocation])[0];
      expect(result).toMatchObject({ status: 'analysed', incident: { action: 'notify', reason: expect.stringMatching(/^duplicate check unavailable \(.*timed out after 1000 ms.*\); notification 1 of at most 3/) } });
      const warning = logLines(invocation.output).find((l) => l.message === 'Idempotency table unavailable; the event was processed without the duplicate check');
      // One budget for the whole PutItem (not 1 000 ms per attempt, 3 attempts and backoff).
      expect(JSON.stringify(warning)).toMatch(/DynamoDB PutItem timed out after 1000 ms/);
      expect(world.slack.requests).toHaveLength(1);
      expect(publishes()).toHaveLength(1);
    } finally {
      await silent.close();
    }
  }, 60_000);
});

describe('duplicates: one processing per event', () => {
  it('processes 100 deliveries of the same event once, also when they arrive together', async () => {
    const deps = groupedDeps();
    const event = stopEvent(500);
    // Five waves of twenty simultaneous deliveries.
    const invocations = await invokeAll(Array.from({ length: 100 }, () => event), deps, 20);
    const all = results(invocations);
    expect(all.filter((r) => r.status === 'analysed')).toHaveLength(1);
    const duplicates = all.filter((r) => r.status === 'duplicate');
    expect(duplicates).toHaveLength(99);
    expect(new Set(duplicates.map((d) => (d.status === 'duplicate' ? d.reason : '')))).toEqual(new Set(['being processed by another invocation', 'already processed']));
    expect(world.slack.requests).toHaveLength(1);
    expect(publishes()).toHaveLength(1);
    expect((await world.listKeys()).filter((k) => k.endsWith(`-${String(event.id)}.json`))).toHaveLength(1);
  }, 30_000);

  it('treats a repeated ECS event (new EventBridge id, same taskArn and version) as a duplicate, and a later version as new', async () => {
    const deps = groupedDeps();
    const first = stopEvent(0);
    const repeated = { ...structuredClone(first), id: '22222222-0000-4000-8000-000000000000' };
    const newer = { ...structuredClone(first), id: '33333333-0000-4000-8000-000000000000', detail: { ...(first.detail as object), version: 6 } };
    const invocations = await invokeAll([first, repeated, newer], deps, 1);
    const [a, b, c] = results(invocations);
    expect(a?.status).toBe('analysed');
    expect(emittedMetrics(invocations[1]!.output).filter((m) => m.name === 'DuplicateEvents')).toEqual([expect.objectContaining({ value: 1 })]);
    expect(b).toMatchObject({ status: 'duplicate', reason: 'already processed', original: { status: 'analysed', eventId: first.id } });
    // A new version of the same task's stop is processed, but grouping does not count the task twice.
    expect(c).toMatchObject({ status: 'analysed', incident: { action: 'suppress', reason: expect.stringMatching(/^replay of an occurrence already counted/) } });
    expect(world.slack.requests).toHaveLength(1);
  });

  it('without the tables, processes every delivery and ignores recovery events', async () => {
    const deps = world.deps(world.config({ POWERTOOLS_LOG_LEVEL: 'WARN' }));
    const all = results(await invokeAll([stopEvent(0), stopEvent(0), deploymentCompleted(5)], deps, 1));
    expect(all.map((r) => r.status)).toEqual(['analysed', 'analysed', 'ignored']);
    expect(world.slack.requests).toHaveLength(2);
  });
});

describe('escalations: a failed deployment is always delivered', () => {
  /** `SERVICE_DEPLOYMENT_FAILED` of the crash loop's deployment (the circuit breaker gave up), `minutesAfter` T0. */
  function deploymentFailed(minutesAfter: number): Record<string, unknown> {
    const deploymentId = (base.detail as { startedBy: string }).startedBy;
    return {
      ...deploymentCompleted(minutesAfter),
      id: `22222222-0000-4000-8000-${String(minutesAfter).padStart(12, '0')}`,
      detail: { eventType: 'ERROR', eventName: 'SERVICE_DEPLOYMENT_FAILED', deploymentId, reason: `ECS deployment circuit breaker: tasks failed to start.` },
    };
  }

  it('sends a deployment failure that joins an open crash loop to the webhook and SNS, right after a summary went out', async () => {
    const deps = groupedDeps();
    // The report, then the 5th stop's summary: the broadcast budget of this window is used up.
    results(await invokeAll(Array.from({ length: 5 }, (_, n) => stopEvent(n)), deps, 1));
    expect(world.slack.requests).toHaveLength(2);
    expect(publishes()).toHaveLength(2);

    const [failed] = results(await invokeAll([deploymentFailed(6)], deps, 1));
    expect(failed).toMatchObject({ status: 'analysed', category: 'registry_auth_failed', incident: { action: 'summarize' } });
    expect(world.slack.requests).toHaveLength(3);
    expect(JSON.stringify(world.slack.requests[2]?.payload)).toMatch(/deployment ecs-svc\/\d+ failed/);
    expect(publishes()).toHaveLength(3);
    expect(publishes()[2]?.Message).toMatch(/deployment ecs-svc\/\d+ failed/);
  });
});
