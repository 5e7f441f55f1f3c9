import { GetLogEventsCommand, ResourceNotFoundException, AccessDeniedException as LogsAccessDenied } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { PublishCommand } from '@aws-sdk/client-sns';
import { AuditWriteError } from '../../lambda/delivery/deliver';
import type { DeliveryOutcome } from '../../lambda/delivery/types';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { ecsMock, loadCorpus, logsMock, serveBundle } from '../evidence/live/corpus-aws';
import { analysed, emittedMetrics, logLines, snsMock, useHandlerWorld, type Invocation } from './harness';

// A stopped service task with a container log and an ALB target group: every collector has work.
const bundle = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
const TASK_ID = 'c38df9cd0cd46f2022a5718e83f08d41';
const CLI_CATEGORY = analyzeEvidence(evidenceFromBundle(bundle)).rootCause.category;

const world = useHandlerWorld(() => serveBundle(bundle));

const outcome = (invocation: Invocation, sink: string): DeliveryOutcome | undefined => analysed(invocation).deliveries.find((d) => d.sink === sink);

/** Asserts the report was archived and SNS and Slack were both notified. */
async function expectAllDelivered(invocation: Invocation): Promise<void> {
  const result = analysed(invocation);
  expect(result.deliveries.map((d) => [d.sink, d.ok])).toEqual([
    ['s3-audit', true],
    ['sns', true],
    ['slack', true],
  ]);
  expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
  expect(world.slack.requests).toHaveLength(1);
  expect(world.slack.requests[0]?.violations).toEqual([]);
  const record = await world.readAudit(result.deliveries[0]!.detail!.replace(`s3://${world.s3.bucket}/`, ''));
  expect(record.report.evidenceGaps).toEqual(result.evidenceGaps);
}

describe('evidence faults: each leaves a report that names the gap, and every sink still delivers', () => {
  it('throttling that outlasts the SDK retries (ECS DescribeTasks)', async () => {
    ecsMock.on(DescribeTasksCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException', $metadata: { httpStatusCode: 400, attempts: 3 } }));
    const invocation = await world.invoke(bundle.event);
    expect(analysed(invocation).evidenceGaps).toEqual([
      `ecs:DescribeTasks for task ${TASK_ID} failed: throttled by AWS after 3 attempts (ThrottlingException: Rate exceeded).`,
    ]);
    // The stop event itself, the task definition and the log still give the verdict.
    expect(analysed(invocation).category).toBe(CLI_CATEGORY);
    await expectAllDelivered(invocation);
    expect(emittedMetrics(invocation.output).find((m) => m.name === 'EvidenceGaps')?.value).toBe(1);
  });

  it('AccessDeniedException (CloudWatch Logs GetLogEvents)', async () => {
    logsMock.on(GetLogEventsCommand).rejects(
      new LogsAccessDenied({
        message: 'User: arn:aws:sts::111122223333:assumed-role/rca/fn is not authorized to perform: logs:GetLogEvents',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const invocation = await world.invoke(bundle.event);
    const [gap, ...rest] = analysed(invocation).evidenceGaps;
    expect(rest).toEqual([]);
    expect(gap).toMatch(/^logs:GetLogEvents for log stream .*ecs\/streamlit\/c38df9cd0cd46f2022a5718e83f08d41.* failed: access denied, the caller's AWS credentials lack this permission \(AccessDeniedException: /);
    await expectAllDelivered(invocation);
  });

  it('a MISSING task (expired from DescribeTasks): the event’s own task is analysed', async () => {
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: bundle.trigger.kind === 'task_stopped' ? bundle.trigger.event.detail.taskArn : '', reason: 'MISSING' }] });
    const invocation = await world.invoke(bundle.event);
    expect(analysed(invocation).evidenceGaps).toEqual([
      `ecs:DescribeTasks did not find task ${TASK_ID} (MISSING): ECS returns stopped tasks for about an hour only and this one has probably expired, so the analysis uses the task as the stop event describes it.`,
    ]);
    expect(analysed(invocation).category).toBe(CLI_CATEGORY);
    await expectAllDelivered(invocation);
  });

  it('a missing log group', async () => {
    logsMock.on(GetLogEventsCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: { httpStatusCode: 400 } }));
    const invocation = await world.invoke(bundle.event);
    const gaps = analysed(invocation).evidenceGaps;
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatch(/^logs:GetLogEvents for log stream .* failed: not found \(ResourceNotFoundException: The specified log group does not exist\)\.$/);
    await expectAllDelivered(invocation);
  });

  it('a hung call (DescribeTaskDefinition never answers) times out at CALL_TIMEOUT_MS', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake(() => new Promise(() => undefined));
    const deps = world.deps(world.config({ CALL_TIMEOUT_MS: '300' }));
    const invocation = await world.invoke(bundle.event, { deps });
    expect(analysed(invocation).evidenceGaps).toEqual(['ecs:DescribeTaskDefinition for task definition streamlit-ui:3 timed out: no result within 300 ms including retries.']);
    await expectAllDelivered(invocation);
  });

  it('a hung call longer than the collection time stops at the delivery reserve, and everything is delivered in time', async () => {
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake(() => new Promise(() => undefined));
    // CALL_TIMEOUT_MS 2 s: delivery needs 2 + (3 × 2 + 0.75) + 2 = 10.75 s. With 13 s left and the 1 s
    // final margin, collection stops after 1.25 s: before the hung call's own 2 s timeout.
    const deps = world.deps(world.config({ CALL_TIMEOUT_MS: '2000' }));
    const invocation = await world.invoke(bundle.event, { deps, remainingMs: 13_000 });
    const gaps = analysed(invocation).evidenceGaps;
    expect(gaps[0]).toBe(
      'ecs:DescribeTaskDefinition for task definition streamlit-ui:3 was not completed: the invocation deadline was reached, so the analysis went on without it.',
    );
    // Calls that would have started after the deadline (target health) are skipped and named too.
    for (const gap of gaps) expect(gap).toMatch(/was not completed: the invocation deadline was reached/);
    await expectAllDelivered(invocation);
    expect(invocation.remainingAtReturnMs).toBeGreaterThan(0);
  });
});

describe('notification faults: recorded in the outcomes, the audit record and the metrics, without failing the invocation', () => {
  async function expectOnlySlackFailed(invocation: Invocation, error: RegExp): Promise<void> {
    const slack = outcome(invocation, 'slack');
    expect(slack).toMatchObject({ ok: false, error: expect.stringMatching(error) });
    expect(outcome(invocation, 's3-audit')?.ok).toBe(true);
    expect(outcome(invocation, 'sns')?.ok).toBe(true);
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
    const record = await world.readAudit(outcome(invocation, 's3-audit')!.detail!.replace(`s3://${world.s3.bucket}/`, ''));
    expect(record.deliveries).toContainEqual(slack);
    expect(emittedMetrics(invocation.output)).toContainEqual(expect.objectContaining({ name: 'SinkFailures', value: 1, dimensions: expect.objectContaining({ sink: 'slack' }) }));
    expect(logLines(invocation.output)).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'Delivery failed', sink: 'slack', correlation_id: bundle.event.id }));
  }

  it('Slack answers 429 with a Retry-After that does not fit, every try', async () => {
    world.slack.reply(...Array.from({ length: 3 }, () => ({ status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } })));
    const invocation = await world.invoke(bundle.event);
    await expectOnlySlackFailed(invocation, /^Slack webhook failed: HTTP 429: rate_limited; Retry-After 30 s does not fit.* \(failed 3 tries\)$/);
  });

  it('Slack answers 500 once: delivered on the second try', async () => {
    world.slack.reply({ status: 500, body: 'internal_error' });
    const invocation = await world.invoke(bundle.event);
    expect(outcome(invocation, 'slack')).toMatchObject({ ok: true, detail: expect.stringMatching(/delivered on try 2$/) });
    expect(world.slack.requests).toHaveLength(2);
    expect(emittedMetrics(invocation.output).filter((m) => m.name === 'SinkFailures')).toEqual([]);
  });

  it('Slack answers 500 to every try: one failure after 3 tries', async () => {
    world.slack.reply(...Array.from({ length: 3 }, () => ({ status: 500, body: 'internal_error' })));
    const invocation = await world.invoke(bundle.event);
    await expectOnlySlackFailed(invocation, /^Slack webhook failed: HTTP 500: internal_error \(failed 3 tries\)$/);
    expect(world.slack.requests).toHaveLength(3);
  });

  it('Slack never answers (each try times out at CALL_TIMEOUT_MS)', async () => {
    world.slack.reply('hang', 'hang', 'hang');
    const invocation = await world.invoke(bundle.event);
    await expectOnlySlackFailed(invocation, /timed out after 1000 ms \(failed 3 tries\)$/);
  });

  it('stops retrying when the delivery deadline leaves no time for another try', async () => {
    // One hang only: a second try would succeed, so a retry would show.
    world.slack.reply('hang');
    // 2.8 s left, 1 s of it the final margin: one 1 s try, then less than a try's minimum (1 s) is left.
    const invocation = await world.invoke(bundle.event, { remainingMs: 2_800 });
    expect(outcome(invocation, 'slack')).toMatchObject({ ok: false, error: expect.stringMatching(/timed out/) });
    expect(outcome(invocation, 'slack')?.error).not.toMatch(/failed 3 tries/);
  });

  it('SNS Publish fails every try: Slack is still posted', async () => {
    snsMock.on(PublishCommand).rejects(Object.assign(new Error('User is not authorized to perform: SNS:Publish'), { name: 'AuthorizationErrorException' }));
    const invocation = await world.invoke(bundle.event);
    expect(outcome(invocation, 'sns')).toMatchObject({ ok: false, error: 'AuthorizationErrorException: User is not authorized to perform: SNS:Publish (failed 3 tries)' });
    expect(outcome(invocation, 'slack')?.ok).toBe(true);
    expect(world.slack.requests).toHaveLength(1);
    expect(emittedMetrics(invocation.output)).toContainEqual(expect.objectContaining({ name: 'SinkFailures', dimensions: expect.objectContaining({ sink: 'sns' }) }));
  });
});

describe('audit faults', () => {
  it('an S3 error fails the invocation before anything is notified, so Lambda retries it', async () => {
    const deps = world.deps(world.config({ AUDIT_BUCKET_NAME: 'no-such-audit-bucket' }));
    const invocation = await world.invoke(bundle.event, { deps });
    expect(invocation.error).toBeInstanceOf(AuditWriteError);
    expect((invocation.error as AuditWriteError).outcome).toMatchObject({ sink: 's3-audit', ok: false, error: expect.stringMatching(/NoSuchBucket|does not exist/) });
    expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
    expect(world.slack.requests).toHaveLength(0);
    expect(emittedMetrics(invocation.output)).toContainEqual(expect.objectContaining({ name: 'SinkFailures', dimensions: expect.objectContaining({ sink: 's3-audit' }) }));
    expect(logLines(invocation.output)).toContainEqual(expect.objectContaining({ level: 'ERROR', correlation_id: bundle.event.id }));
  });
});

describe('events that are not analysed are acknowledged, logged and counted', () => {
  const taskEvent = bundle.event as Record<string, unknown> & { detail: Record<string, unknown> };
  it.each([
    ['not an EventBridge event', { hello: 'world' }, 'invalid', /^event: not an EventBridge event: /],
    ['a task that is still RUNNING', { ...taskEvent, detail: { ...taskEvent.detail, lastStatus: 'RUNNING' } }, 'unsupported', /lastStatus RUNNING is not analysed/],
    ['an EC2 event', { ...taskEvent, 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: { state: 'terminated' } }, 'unsupported', /is not analysed yet/],
  ])('%s', async (_name, event, kind, reason) => {
    const before = await world.listKeys();
    const invocation = await world.invoke(event);
    expect(invocation.error).toBeUndefined();
    expect(invocation.result).toMatchObject({ status: 'ignored', reason: expect.stringMatching(reason) });
    expect(emittedMetrics(invocation.output)).toContainEqual(expect.objectContaining({ name: 'InvalidEvents', value: 1 }));
    expect(logLines(invocation.output)).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'Event not analysed', kind, reason: expect.stringMatching(reason) }));
    expect(ecsMock.calls()).toHaveLength(0);
    expect(snsMock.calls()).toHaveLength(0);
    expect(world.slack.requests).toHaveLength(0);
    expect(await world.listKeys()).toEqual(before);
  });
});
