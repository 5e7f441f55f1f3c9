import {
  decideOccurrence,
  decideResolution,
  GROUPING_DEFAULTS,
  incidentUpdateOf,
  isMilestone,
  occurrenceOf,
  serviceKey,
  type GroupingSettings,
  type IncidentRecord,
  type Occurrence,
  type OccurrenceDecision,
} from '../../lambda/delivery/incident-grouping';
import { renderSlackUpdate, renderSnsUpdate, snsUpdateSubject, updateHeadline } from '../../lambda/report/renderers/incident-update';
import type { RcaReport } from '../../lambda/report/report-schema';
import { blockKitViolations } from '../helpers/slack-server';
import { sampleReport } from '../helpers/report';

const SETTINGS: GroupingSettings = { ...GROUPING_DEFAULTS, windowMs: 60 * 60_000 };
const T0 = Date.parse('2026-01-15T10:02:00.000Z');
const minutes = (m: number) => new Date(T0 + m * 60_000).toISOString();

/** The report of the n-th stopped task of a crash loop (a distinct task every minute). */
function stop(n: number, overrides: Partial<RcaReport['trigger']> = {}): RcaReport {
  const base = sampleReport();
  return {
    ...base,
    trigger: { ...base.trigger, eventId: `event-${n}`, time: minutes(n), ...overrides },
    resource: { ...base.resource, taskArn: `arn:aws:ecs:us-east-1:111122223333:task/app-prod/task${String(n).padStart(4, '0')}` },
  };
}

/** Runs occurrences through the decision as the store would: each decision's record becomes the stored one. */
function replay(occurrences: Occurrence[], settings = SETTINGS, initial?: IncidentRecord): { decisions: OccurrenceDecision[]; record?: IncidentRecord } {
  let record = initial;
  const decisions = occurrences.map((occ) => {
    const decision = decideOccurrence(record, occ, settings);
    if (decision.record) record = decision.record;
    return decision;
  });
  return { decisions, ...(record ? { record } : {}) };
}

const actions = (decisions: OccurrenceDecision[]) => decisions.map((d) => d.action);

describe('occurrenceOf', () => {
  it('takes the key, event, time, task id, service and deployment from the report', () => {
    expect(occurrenceOf(stop(3))).toEqual({
      incidentKey: sampleReport().incidentKey,
      eventId: 'event-3',
      at: minutes(3),
      triggerKind: 'task_stopped',
      taskId: 'task0003',
      service: { account: '111122223333', region: 'us-east-1', cluster: 'app-prod', serviceName: 'web' },
      deploymentId: 'ecs-svc/456791769860841487',
      title: sampleReport().rootCause.title,
      category: 'app_import_error',
      severity: 'high',
      serviceLabel: 'web',
      cluster: 'app-prod',
    });
  });

  it('has no task id for deployment and service triggers', () => {
    const report = stop(1, { kind: 'deployment_failed' });
    expect(occurrenceOf(report).taskId).toBeUndefined();
  });
});

describe('decideOccurrence', () => {
  it('notifies the first occurrence and opens an incident', () => {
    const decision = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS);
    expect(decision).toMatchObject({ action: 'notify', newIncident: true, reason: 'first occurrence' });
    expect(decision.record).toMatchObject({
      status: 'open',
      count: 1,
      taskStops: 1,
      firstSeen: minutes(0),
      lastSeen: minutes(0),
      taskIds: ['task0000'],
      openedBy: 'event-0',
      incidentId: `event-0@${minutes(0)}`,
      version: 1,
      summaries: 0,
    });
    // TTL: the window plus a day after the last occurrence, in epoch seconds.
    expect(decision.record?.expiresAt).toBe((T0 + 60 * 60_000 + 24 * 3600_000) / 1000);
  });

  it('groups a crash loop of 200 stops into one notification and log2-bounded summaries', () => {
    const { decisions, record } = replay(Array.from({ length: 200 }, (_, i) => occurrenceOf(stop(i))));
    expect(actions(decisions).filter((a) => a === 'notify')).toHaveLength(1);
    expect(decisions[0]?.action).toBe('notify');
    const summaries = decisions.flatMap((d, i) => (d.action === 'summarize' ? [{ at: i + 1, broadcast: d.targets.broadcast }] : []));
    // Threaded channels: the 5th, 10th, 20th, 40th, 80th and 160th occurrence. Broadcast: at most one per
    // hour of event time: the 5th (10:06), the 80th (11:21), the 160th (12:41).
    expect(summaries).toEqual([
      { at: 5, broadcast: true },
      { at: 10, broadcast: false },
      { at: 20, broadcast: false },
      { at: 40, broadcast: false },
      { at: 80, broadcast: true },
      { at: 160, broadcast: true },
    ]);
    expect(record).toMatchObject({ count: 200, taskStops: 200, firstSeen: minutes(0), lastSeen: minutes(199), version: 200, summaries: 6 });
    expect(record?.taskIds).toHaveLength(20);
    expect(record?.taskIds.at(-1)).toBe('task0199');
  });

  it('puts milestones at firstSummaryAt and each doubling, a function of the count alone', () => {
    const milestones = (firstSummaryAt: number) => Array.from({ length: 200 }, (_, i) => i + 1).filter((n) => isMilestone(n, { firstSummaryAt }));
    expect(milestones(5)).toEqual([5, 10, 20, 40, 80, 160]);
    expect(milestones(3)).toEqual([3, 6, 12, 24, 48, 96, 192]);
    // The first occurrence is the full report: the earliest summary is the second.
    expect(milestones(1)).toEqual([2, 4, 8, 16, 32, 64, 128]);
  });

  it('caps summaries per incident', () => {
    const { decisions } = replay(Array.from({ length: 400 }, (_, i) => occurrenceOf(stop(i))), { ...SETTINGS, maxSummaries: 3 });
    expect(actions(decisions).filter((a) => a === 'summarize')).toHaveLength(3);
  });

  it('does not count a replay again, and notifies again when the opener is replayed', () => {
    const { record } = replay([0, 1, 2].map((n) => occurrenceOf(stop(n))));
    expect(decideOccurrence(record, occurrenceOf(stop(2)), SETTINGS)).toEqual({ action: 'suppress', reason: expect.stringMatching(/^replay of an occurrence already counted/) });
    // The same task stopped again under a new event id (a later version of its STOPPED state): not a new task.
    expect(decideOccurrence(record, { ...occurrenceOf(stop(1)), eventId: 'other' }, SETTINGS).action).toBe('suppress');
    expect(decideOccurrence(record, occurrenceOf(stop(0)), SETTINGS)).toMatchObject({ action: 'notify', newIncident: false });
    expect(decideOccurrence(record, occurrenceOf(stop(0)), SETTINGS).record).toBeUndefined();
  });

  it('summarizes when the circuit breaker fails the deployment, once', () => {
    const { record } = replay([0, 1].map((n) => occurrenceOf(stop(n))));
    const failed = occurrenceOf(stop(2, { kind: 'deployment_failed', eventId: 'deployment-failed' }));
    const decision = decideOccurrence(record, failed, SETTINGS);
    expect(decision).toMatchObject({ action: 'summarize', targets: { thread: true, broadcast: true }, note: 'deployment ecs-svc/456791769860841487 failed' });
    expect(decision.record).toMatchObject({ count: 3, taskStops: 2, triggerKinds: ['task_stopped', 'deployment_failed'] });
    const again = decideOccurrence(decision.record, { ...failed, eventId: 'deployment-failed-2' }, SETTINGS);
    expect(again.action).toBe('suppress');
  });

  it('always delivers a deployment failure to every channel: after the last summary and within a window of a broadcast', () => {
    // 40 stops: summaries at 5, 10, 20 and 40 (the 5th broadcast), then the summary budget is spent.
    const { record } = replay(Array.from({ length: 40 }, (_, n) => occurrenceOf(stop(n))), { ...SETTINGS, maxSummaries: 4 });
    expect(record).toMatchObject({ summaries: 4, lastBroadcastAt: minutes(4) });
    const settings = { ...SETTINGS, maxSummaries: 4 };
    // Within the hour of the broadcast, the summary budget spent: still delivered, to broadcast channels too.
    const failed = occurrenceOf(stop(41, { kind: 'deployment_failed', eventId: 'deployment-failed' }));
    const decision = decideOccurrence({ ...record!, lastBroadcastAt: minutes(40) }, failed, settings);
    expect(decision).toMatchObject({ action: 'summarize', targets: { thread: true, broadcast: true }, note: 'deployment ecs-svc/456791769860841487 failed' });
    expect(decision.record).toMatchObject({ failedDeployments: ['ecs-svc/456791769860841487'], lastBroadcastAt: failed.at });
    // ECS repeating the same deployment's failure under a new event id: counted, not sent again.
    expect(decideOccurrence(decision.record, { ...failed, eventId: 'deployment-failed-again' }, settings).action).toBe('suppress');
    // The next deployment failing joins the same incident: delivered again.
    const next = decideOccurrence(decision.record, { ...failed, eventId: 'deployment-2-failed', deploymentId: 'ecs-svc/2' }, settings);
    expect(next).toMatchObject({ action: 'summarize', targets: { broadcast: true }, note: 'deployment ecs-svc/2 failed' });
  });

  it('opens a new incident after a quiet window', () => {
    const { record } = replay([0, 1].map((n) => occurrenceOf(stop(n))));
    expect(decideOccurrence(record, occurrenceOf(stop(60)), SETTINGS).action).toBe('suppress');
    const decision = decideOccurrence(record, occurrenceOf(stop(61)), SETTINGS);
    expect(decision).toMatchObject({ action: 'notify', newIncident: true, reason: 'first occurrence after 60 quiet minutes' });
    // The compare-and-set continues from the stored version.
    expect(decision.record).toMatchObject({ count: 1, firstSeen: minutes(61), version: 3 });
  });

  it('judges by event time, so a late delivery of an older stop still groups', () => {
    const { record } = replay([0, 30].map((n) => occurrenceOf(stop(n))));
    const late = decideOccurrence(record, occurrenceOf(stop(10)), SETTINGS);
    expect(late.action).toBe('suppress');
    expect(late.record).toMatchObject({ count: 3, lastSeen: minutes(30) });
  });
});

describe('decideResolution', () => {
  const open = replay([0, 1, 2].map((n) => occurrenceOf(stop(n)))).record!;

  it('resolves an open incident when the service recovered after its last occurrence', () => {
    const decision = decideResolution(open, { at: minutes(10), reason: 'deployment ecs-svc/1 completed' }, SETTINGS);
    expect(decision).toMatchObject({ action: 'resolve', record: { status: 'resolved', resolvedAt: minutes(10), resolvedBy: 'deployment ecs-svc/1 completed', version: open.version + 1 } });
  });

  it('ignores a recovery older than the last occurrence, and incidents already resolved', () => {
    expect(decideResolution(open, { at: minutes(1), reason: 'x' }, SETTINGS).action).toBe('ignore');
    const resolved = decideResolution(open, { at: minutes(10), reason: 'x' }, SETTINGS);
    if (resolved.action !== 'resolve') throw new Error('expected resolve');
    expect(decideResolution(resolved.record, { at: minutes(11), reason: 'x' }, SETTINGS).action).toBe('ignore');
    expect(decideResolution(undefined, { at: minutes(11), reason: 'x' }, SETTINGS).action).toBe('ignore');
  });

  it('after resolution, suppresses late stops and notifies new ones', () => {
    const resolved = decideResolution(open, { at: minutes(10), reason: 'steady' }, SETTINGS);
    if (resolved.action !== 'resolve') throw new Error('expected resolve');
    expect(decideOccurrence(resolved.record, occurrenceOf(stop(9)), SETTINGS)).toMatchObject({ action: 'suppress', reason: expect.stringMatching(/^late occurrence/) });
    expect(decideOccurrence(resolved.record, occurrenceOf(stop(11)), SETTINGS)).toMatchObject({ action: 'notify', newIncident: true });
  });
});

describe('follow-up rendering', () => {
  const record = replay(Array.from({ length: 17 }, (_, i) => occurrenceOf(stop(i)))).record!;

  it('says how many tasks, same cause, since when', () => {
    expect(updateHeadline(incidentUpdateOf(record, 'summary'))).toBe('17 tasks stopped, same cause, since 10:02 UTC (last 10:18 UTC)');
    const resolved = decideResolution(record, { at: minutes(40), reason: 'deployment ecs-svc/2 completed' }, SETTINGS);
    if (resolved.action !== 'resolve') throw new Error('expected resolve');
    expect(updateHeadline(incidentUpdateOf(resolved.record, 'resolved'))).toBe(
      'Resolved at 10:42 UTC (deployment ecs-svc/2 completed): 17 tasks stopped between 10:02 UTC and 10:18 UTC',
    );
  });

  it('renders valid Block Kit and an SNS subject under 100 ASCII characters', () => {
    const update = incidentUpdateOf({ ...record, title: 'Cannot find module <./x> & `y`', serviceLabel: 'wéb'.repeat(40) }, 'summary', 'deployment ecs-svc/1 failed');
    expect(blockKitViolations(renderSlackUpdate(update))).toEqual([]);
    const subject = snsUpdateSubject(update);
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(/^UPDATE [\x20-\x7e]+$/);
    const sns = renderSnsUpdate(update);
    expect(sns.message).toContain('17 tasks stopped, same cause');
    expect(sns.messageAttributes.update).toEqual({ DataType: 'String', StringValue: 'summary' });
    const chatbot = JSON.parse(renderSnsUpdate(update, 'chatbot').message) as { metadata: { threadId: string } };
    expect(chatbot.metadata.threadId).toBe(record.incidentKey);
  });

  it('keys a service by account, Region, cluster and name', () => {
    expect(serviceKey(record.service!)).toBe('111122223333/us-east-1/app-prod/web');
  });
});
