import { IncidentGate } from '../../lambda/delivery/incident-gate';
import { decideOccurrence, GROUPING_DEFAULTS, occurrenceOf, type GroupingSettings } from '../../lambda/delivery/incident-grouping';
import { IncidentStore } from '../../lambda/delivery/incident-store';
import { IncidentConflictError, IncidentStoreError } from '../../lambda/delivery/state-table';
import type { RcaReport } from '../../lambda/report/report-schema';
import { startDynalite, type LocalDynamo } from '../helpers/dynalite';
import { sampleReport } from '../helpers/report';

// The store and the gate against dynalite through the real SDK: conditional writes, sets and
// concurrent invocations behave as DynamoDB's.

const SETTINGS: GroupingSettings = { ...GROUPING_DEFAULTS, windowMs: 60 * 60_000 };
const T0 = Date.parse('2026-01-15T10:02:00.000Z');

function stop(n: number, incidentKey = sampleReport().incidentKey): RcaReport {
  const base = sampleReport({ incidentKey });
  return {
    ...base,
    trigger: { ...base.trigger, eventId: `event-${n}`, time: new Date(T0 + n * 30_000).toISOString() },
    resource: { ...base.resource, taskArn: `arn:aws:ecs:us-east-1:111122223333:task/app-prod/task${n}` },
  };
}

/** The store with a count of reads and of writes refused by their condition. */
class CountingStore extends IncidentStore {
  gets = 0;
  conflicts = 0;
  override async get(...args: Parameters<IncidentStore['get']>): ReturnType<IncidentStore['get']> {
    this.gets += 1;
    return super.get(...args);
  }
  override async open(...args: Parameters<IncidentStore['open']>): Promise<void> {
    try {
      return await super.open(...args);
    } catch (error) {
      if (error instanceof IncidentConflictError) this.conflicts += 1;
      throw error;
    }
  }
  override async count(...args: Parameters<IncidentStore['count']>): ReturnType<IncidentStore['count']> {
    try {
      return await super.count(...args);
    } catch (error) {
      if (error instanceof IncidentConflictError) this.conflicts += 1;
      throw error;
    }
  }
}

let dynamo: LocalDynamo;
let store: IncidentStore;
let table: string;
beforeAll(async () => {
  dynamo = await startDynalite();
});
afterAll(async () => {
  await dynamo.close();
});
beforeEach(async () => {
  table = await dynamo.createTable();
  // A generous call timeout: these tests count decisions, and a busy machine must not turn a slow local call into a table fault.
  store = new IncidentStore({ client: dynamo.client, tableName: table, timeoutMs: 30_000 });
});

/** The n-th stop as the store counts it into an open incident. */
const counted = (n: number) => ({ eventId: `event-${n}`, taskId: `task${n}` });

describe('IncidentStore', () => {
  it('opens a record once and reads it back', async () => {
    const decision = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS);
    await store.open(decision.record!, undefined);
    expect(await store.get(stop(0).incidentKey)).toEqual(decision.record);
    await expect(store.open(decision.record!, undefined)).rejects.toBeInstanceOf(IncidentConflictError);
    expect(await store.get('no-such-key')).toBeUndefined();
  });

  it('opens a new incident over an old one only from the version read (compare and set)', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.open(first, undefined);
    await store.count(first.incidentKey, first.incidentId, counted(1));
    const quiet = { ...occurrenceOf(stop(1)), eventId: 'later', at: new Date(T0 + 3 * 3600_000).toISOString(), taskId: 'later' };
    const stale = decideOccurrence(first, quiet, SETTINGS).record!;
    await expect(store.open(stale, first.version)).rejects.toThrow(/changed since it was read/);
    const current = (await store.get(first.incidentKey))!;
    expect(current).toMatchObject({ count: 2, version: 2 });
    const reopened = decideOccurrence(current, quiet, SETTINGS).record!;
    await store.open(reopened, current.version);
    expect(await store.get(first.incidentKey)).toMatchObject({ incidentId: reopened.incidentId, count: 1, taskIds: ['later'] });
  });

  it('counts repeats atomically, each call seeing its own count, and refuses ones already counted or a replaced incident', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.open(first, undefined);
    const counts = await Promise.all(Array.from({ length: 30 }, (_, i) => store.count(first.incidentKey, first.incidentId, counted(i + 1))));
    expect(counts.map((r) => r.count).sort((a, b) => a - b)).toEqual(Array.from({ length: 30 }, (_, i) => i + 2));
    const stored = (await store.get(first.incidentKey))!;
    expect(stored).toMatchObject({ count: 31, taskStops: 31, version: 31 });
    expect(new Set(stored.taskIds)).toEqual(new Set(Array.from({ length: 31 }, (_, i) => `task${i}`)));
    // The same event, the same task under a new event id, another incident: nothing counted.
    await expect(store.count(first.incidentKey, first.incidentId, counted(3))).rejects.toBeInstanceOf(IncidentConflictError);
    await expect(store.count(first.incidentKey, first.incidentId, { eventId: 'new-version', taskId: 'task3' })).rejects.toBeInstanceOf(IncidentConflictError);
    await expect(store.count(first.incidentKey, 'another-incident', counted(99))).rejects.toBeInstanceOf(IncidentConflictError);
    expect((await store.get(first.incidentKey))?.count).toBe(31);
    // A new trigger kind appended by two invocations at once is read once; the first deployment id stays.
    await Promise.all([40, 41].map((n) => store.count(first.incidentKey, first.incidentId, { eventId: `event-${n}`, newTriggerKind: 'deployment_failed', deploymentId: `ecs-svc/${n}` })));
    expect(await store.get(first.incidentKey)).toMatchObject({ count: 33, taskStops: 31, triggerKinds: ['task_stopped', 'deployment_failed'], deploymentId: first.deploymentId });
  });

  it('moves last seen only forward, and trims the oldest ids', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.open(first, undefined);
    const at = (n: number) => new Date(T0 + n * 30_000).toISOString();
    expect(await Promise.all([3, 9, 5].map((n) => store.advanceLastSeen(first.incidentKey, first.incidentId, at(n), n)))).toContain(true);
    expect(await store.advanceLastSeen(first.incidentKey, first.incidentId, at(7), 7)).toBe(false);
    expect(await store.advanceLastSeen(first.incidentKey, 'another-incident', at(20), 20)).toBe(false);
    expect(await store.get(first.incidentKey)).toMatchObject({ lastSeen: at(9), expiresAt: 9 });
    for (let n = 1; n <= 5; n += 1) await store.count(first.incidentKey, first.incidentId, counted(n));
    await store.trimIds(first.incidentKey, first.incidentId, { taskIds: 4, recentEventIds: 2 });
    expect(await store.get(first.incidentKey)).toMatchObject({ taskIds: ['task4', 'task5'], recentEventIds: ['event-2', 'event-3', 'event-4', 'event-5'] });
  });

  it('grants a summary claim up to the cap, a broadcast once per window, and an escalation once per deployment', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.open(first, undefined);
    const { incidentKey, incidentId } = first;
    const broadcast = (minutes: number) => ({ at: new Date(T0 + minutes * 60_000).toISOString(), notAfter: new Date(T0 + (minutes - 60) * 60_000).toISOString() });
    expect(await store.claimSummary(incidentKey, incidentId, 3, broadcast(5))).toBe(true);
    expect(await store.claimSummary(incidentKey, incidentId, 3, broadcast(30))).toBe(false);
    expect(await store.claimSummary(incidentKey, incidentId, 3, undefined)).toBe(true);
    expect(await store.claimSummary(incidentKey, incidentId, 3, broadcast(65))).toBe(true);
    expect(await store.claimSummary(incidentKey, incidentId, 3, undefined)).toBe(false);
    expect(await store.claimSummary(incidentKey, 'another-incident', 9, undefined)).toBe(false);
    expect(await store.get(incidentKey)).toMatchObject({ summaries: 3, lastBroadcastAt: broadcast(65).at });
    const escalations = await Promise.all(Array.from({ length: 5 }, () => store.claimEscalation(incidentKey, 'ecs-svc/1', broadcast(70).at)));
    expect(escalations.filter(Boolean)).toHaveLength(1);
    expect(await store.claimEscalation(incidentKey, 'ecs-svc/2', broadcast(71).at)).toBe(true);
    expect(await store.claimEscalation('no-such-key', 'ecs-svc/2', broadcast(71).at)).toBe(false);
    expect(await store.get('no-such-key')).toBeUndefined();
    expect(await store.get(incidentKey)).toMatchObject({ summaries: 5, failedDeployments: ['ecs-svc/1', 'ecs-svc/2'], lastBroadcastAt: broadcast(71).at });
  });

  it('resolves an open incident once, and not when it had a later occurrence', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.open(first, undefined);
    await store.attachThread(first.incidentKey, first.incidentId, { channel: 'C0123', ts: '1.000001' });
    const before = { at: new Date(T0 - 1000).toISOString(), reason: 'steady' };
    await expect(store.resolve(first.incidentKey, first.incidentId, before, 1)).rejects.toBeInstanceOf(IncidentConflictError);
    const after = { at: new Date(T0 + 600_000).toISOString(), reason: 'deployment ecs-svc/1 completed' };
    const results = await Promise.allSettled(Array.from({ length: 3 }, () => store.resolve(first.incidentKey, first.incidentId, after, 2)));
    const resolved = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
    expect(resolved).toEqual([expect.objectContaining({ status: 'resolved', resolvedAt: after.at, resolvedBy: after.reason, expiresAt: 2, thread: { channel: 'C0123', ts: '1.000001' } })]);
  });

  it('keeps the thread while counting, and forgets it with a new incident', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.open(first, undefined);
    await store.attachThread(first.incidentKey, first.incidentId, { channel: 'C0123', ts: '1.000001' });
    await expect(store.attachThread(first.incidentKey, 'another-incident', { channel: 'C0123', ts: '2' })).rejects.toBeInstanceOf(IncidentConflictError);
    const second = await store.count(first.incidentKey, first.incidentId, counted(1));
    expect(second.thread).toEqual({ channel: 'C0123', ts: '1.000001' });
    const quiet = { ...occurrenceOf(stop(1)), eventId: 'later', at: new Date(T0 + 3 * 3600_000).toISOString(), taskId: 'later' };
    const reopened = decideOccurrence(second, quiet, SETTINGS).record!;
    await store.open(reopened, second.version);
    expect((await store.get(first.incidentKey))?.thread).toBeUndefined();
  });

  it('reads records of earlier versions (with nextSummaryAt)', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.open({ ...first, nextSummaryAt: 5 } as typeof first, undefined);
    expect(await store.get(first.incidentKey)).toEqual(first);
  });

  it('keeps a set of open incidents per service', async () => {
    await Promise.all(['b', 'a', 'c'].map((k) => store.addOpenIncident('acct/region/cluster/web', k, 2_000_000_000)));
    expect(await store.openIncidents('acct/region/cluster/web')).toEqual(['a', 'b', 'c']);
    await store.removeOpenIncidents('acct/region/cluster/web', ['a', 'c']);
    expect(await store.openIncidents('acct/region/cluster/web')).toEqual(['b']);
    expect(await store.openIncidents('acct/region/cluster/other')).toEqual([]);
  });

  it('reports a missing table as a store error', async () => {
    const missing = new IncidentStore({ client: dynamo.client, tableName: 'no-such-table' });
    await expect(missing.get('k')).rejects.toBeInstanceOf(IncidentStoreError);
  });
});

describe('IncidentGate', () => {
  const gate = () => new IncidentGate({ store, settings: SETTINGS });

  it('decides once per report, however many channels ask', async () => {
    const g = gate();
    const report = stop(0);
    const [a, b] = await Promise.all([g.decide(report), g.decide(report)]);
    expect(a).toBe(b);
    expect(a.action).toBe('notify');
    expect((await store.get(report.incidentKey))?.count).toBe(1);
  });

  it('counts 40 concurrent occurrences exactly: one notification, each milestone summary once, no retries', async () => {
    const counting = new CountingStore({ client: dynamo.client, tableName: table, timeoutMs: 30_000 });
    const g = new IncidentGate({ store: counting, settings: SETTINGS });
    // Shuffled so that later occurrences are often counted first.
    const order = Array.from({ length: 40 }, (_, n) => (n * 17) % 40);
    const decisions = await Promise.all(order.map((n) => g.decide(stop(n))));
    const byAction = (action: string) => decisions.filter((d) => d.action === action).length;
    expect(byAction('notify')).toBe(1);
    // Milestones 5, 10, 20 and 40: exactly one invocation reaches each count.
    expect(byAction('summarize')).toBe(4);
    expect(byAction('suppress')).toBe(35);
    expect(decisions.filter((d) => d.degraded)).toEqual([]);
    const record = await store.get(stop(0).incidentKey);
    expect(record).toMatchObject({ count: 40, taskStops: 40, version: 40, summaries: 4, lastSeen: stop(39).trigger.time });
    // The 40th count trimmed the id lists back to the latest 20.
    expect([record?.taskIds.length, record?.recentEventIds.length]).toEqual([20, 20]);
    expect(new Set(decisions.flatMap((d) => (d.action === 'summarize' ? [d.record.count] : [])))).toEqual(new Set([5, 10, 20, 40]));
    // Without contention: only the invocations that lost the opening race read the record again.
    expect(counting.gets).toBeLessThanOrEqual(40 + 39);
    expect(counting.conflicts).toBeLessThanOrEqual(39);
  });

  it('escalates a deployment failure once when ECS repeats it concurrently', async () => {
    const g = gate();
    await g.decide(stop(0));
    const failed = (n: number) => {
      const report = stop(n);
      return { ...report, trigger: { ...report.trigger, kind: 'deployment_failed' as const }, resource: { ...report.resource, taskArn: undefined } };
    };
    // Counts 2 to 4: no milestone among them, so only the escalation is a summary.
    const decisions = await Promise.all([1, 2, 3].map((n) => g.decide(failed(n))));
    expect(decisions.filter((d) => d.action === 'summarize')).toEqual([expect.objectContaining({ targets: { thread: true, broadcast: true }, note: expect.stringMatching(/^deployment .* failed$/) })]);
    expect(await store.get(stop(0).incidentKey)).toMatchObject({ count: 4, taskStops: 1, summaries: 1 });
  });

  it('gives the occurrence that lost an escalation race the milestone summary its count is owed', async () => {
    // The store as another invocation's escalation of the same deployment landing first would leave it.
    class EscalatedElsewhere extends IncidentStore {
      override async claimEscalation(): Promise<boolean> {
        return false;
      }
    }
    const g = new IncidentGate({ store: new EscalatedElsewhere({ client: dynamo.client, tableName: table, timeoutMs: 30_000 }), settings: SETTINGS });
    for (const n of [0, 1, 2, 3]) await g.decide(stop(n));
    const report = stop(4);
    const decision = await g.decide({ ...report, trigger: { ...report.trigger, kind: 'deployment_failed' } });
    expect(decision).toMatchObject({ action: 'summarize', targets: { thread: true, broadcast: true }, record: { count: 5, summaries: 1 } });
    expect(decision).not.toHaveProperty('note');
  });

  it('fails open when the table is unusable: the occurrence notifies', async () => {
    const warnings: string[] = [];
    const broken = new IncidentGate({ store: new IncidentStore({ client: dynamo.client, tableName: 'no-such-table' }), settings: SETTINGS, onWarning: (m) => warnings.push(m) });
    const decision = await broken.decide(stop(0));
    expect(decision).toMatchObject({ action: 'notify', degraded: true, reason: expect.stringMatching(/^duplicate check unavailable \(.*\); notification 1 of at most 3 from this execution environment$/) });
    expect(warnings).toEqual(['Incident table unavailable; notifying without grouping']);
  });

  it('closes the open incidents of a recovered service once, even when recoveries race', async () => {
    const g = gate();
    await g.decide(stop(0));
    await g.decide(stop(1, 'other-incident-key'));
    const service = { account: '111122223333', region: 'us-east-1', cluster: 'app-prod', serviceName: 'web' };
    expect(await store.openIncidents('111122223333/us-east-1/app-prod/web')).toEqual(['other-incident-key', sampleReport().incidentKey].sort());
    const recovery = { at: new Date(T0 + 600_000).toISOString(), reason: 'service reached a steady state' };
    const results = await Promise.all(Array.from({ length: 5 }, () => gate().resolveService(service, recovery)));
    const resolved = results.flat();
    expect(resolved.map((r) => r.record.incidentKey).sort()).toEqual(['other-incident-key', sampleReport().incidentKey].sort());
    expect(resolved.every((r) => r.record.status === 'resolved' && r.record.resolvedBy === 'service reached a steady state')).toBe(true);
    expect(await store.openIncidents('111122223333/us-east-1/app-prod/web')).toEqual([]);
    expect(await gate().resolveService(service, recovery)).toEqual([]);
  });
});
