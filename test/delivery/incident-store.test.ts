import { IncidentGate } from '../../lambda/delivery/incident-gate';
import { decideOccurrence, GROUPING_DEFAULTS, occurrenceOf, type GroupingSettings } from '../../lambda/delivery/incident-grouping';
import { IncidentConflictError, IncidentStore, IncidentStoreError } from '../../lambda/delivery/incident-store';
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

describe('IncidentStore', () => {
  it('writes a new record once and reads it back', async () => {
    const decision = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS);
    await store.put(decision.record!, undefined, { newIncident: true });
    expect(await store.get(stop(0).incidentKey)).toEqual(decision.record);
    await expect(store.put(decision.record!, undefined, { newIncident: true })).rejects.toBeInstanceOf(IncidentConflictError);
    expect(await store.get('no-such-key')).toBeUndefined();
  });

  it('refuses a write based on a stale version (compare and set)', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.put(first, undefined, { newIncident: true });
    const second = decideOccurrence(first, occurrenceOf(stop(1)), SETTINGS).record!;
    await store.put(second, first.version, { newIncident: false });
    const stale = decideOccurrence(first, occurrenceOf(stop(2)), SETTINGS).record!;
    await expect(store.put(stale, first.version, { newIncident: false })).rejects.toThrow(/changed since it was read/);
    expect((await store.get(first.incidentKey))?.count).toBe(2);
  });

  it('keeps the thread through later writes, and forgets it with a new incident', async () => {
    const first = decideOccurrence(undefined, occurrenceOf(stop(0)), SETTINGS).record!;
    await store.put(first, undefined, { newIncident: true });
    await store.attachThread(first.incidentKey, first.incidentId, { channel: 'C0123', ts: '1.000001' });
    await expect(store.attachThread(first.incidentKey, 'another-incident', { channel: 'C0123', ts: '2' })).rejects.toBeInstanceOf(IncidentConflictError);
    const second = decideOccurrence(first, occurrenceOf(stop(1)), SETTINGS).record!;
    await store.put(second, first.version, { newIncident: false });
    expect((await store.get(first.incidentKey))?.thread).toEqual({ channel: 'C0123', ts: '1.000001' });
    const quiet = { ...occurrenceOf(stop(1)), eventId: 'later', at: new Date(T0 + 3 * 3600_000).toISOString(), taskId: 'later' };
    const reopened = decideOccurrence(second, quiet, SETTINGS).record!;
    await store.put(reopened, second.version, { newIncident: true });
    expect((await store.get(first.incidentKey))?.thread).toBeUndefined();
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

  it('counts 40 concurrent occurrences exactly: one notification, each milestone summary once', async () => {
    const g = gate();
    const decisions = await Promise.all(Array.from({ length: 40 }, (_, n) => g.decide(stop(n))));
    const byAction = (action: string) => decisions.filter((d) => d.action === action).length;
    expect(byAction('notify')).toBe(1);
    // Milestones 5, 10, 20 and 40: exactly one invocation reaches each count.
    expect(byAction('summarize')).toBe(4);
    expect(byAction('suppress')).toBe(35);
    expect(decisions.filter((d) => d.degraded)).toEqual([]);
    const record = await store.get(stop(0).incidentKey);
    expect(record).toMatchObject({ count: 40, taskStops: 40, version: 40, summaries: 4 });
    expect(new Set(decisions.flatMap((d) => (d.action === 'summarize' ? [d.record.count] : [])))).toEqual(new Set([5, 10, 20, 40]));
  }, 120_000); // 40 racing writers on one record retry on a loaded machine; the assertions are about counts, not time

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
  }, 20_000);
});
