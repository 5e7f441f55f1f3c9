import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { readBundle } from '../../lambda/evidence/bundle/read-bundle';
import type { Evidence, TriggerKind } from '../../lambda/evidence/types';

// Every recorded incident of the shared corpus must read and convert; the raw JSON is read again
// here, independently of the reader, to check what the evidence says against the file.
const CORPUS = join(__dirname, '../../../shared/corpus');
const files = readdirSync(CORPUS).filter((f) => f.endsWith('.json')).sort();

const KIND_OF: Record<string, TriggerKind> = {
  'ECS Task State Change': 'task_stopped',
  'ECS Deployment State Change': 'deployment_failed',
  'ECS Service Action': 'service_action',
  'CloudWatch Alarm State Change': 'target_unhealthy',
};

interface RawBundle {
  event: { id: string; 'detail-type': string; time: string; account: string; region: string; resources?: string[]; detail: Record<string, unknown> };
  evidence?: {
    logs?: { logStreamName: string; events: unknown[] }[];
    services?: { events?: unknown[] }[];
    targetHealth?: { targetHealthDescriptions: unknown[] }[];
  };
}

/** True when no key anywhere holds `undefined` (absent facts must be absent keys). */
function hasNoUndefined(value: unknown): boolean {
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.every(hasNoUndefined);
  if (value !== null && typeof value === 'object') return Object.values(value).every(hasNoUndefined);
  return true;
}

describe('corpus bundles', () => {
  const kindsSeen = new Set<TriggerKind>();

  it('has bundles to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s reads and converts', async (file) => {
    const raw = JSON.parse(readFileSync(join(CORPUS, file), 'utf8')) as RawBundle;
    const evidence: Evidence = evidenceFromBundle(await readBundle(join(CORPUS, file)));
    const { event } = raw;

    expect(evidence.trigger).toMatchObject({
      kind: KIND_OF[event['detail-type']],
      eventId: event.id,
      detailType: event['detail-type'],
      time: new Date(event.time).toISOString(),
      account: event.account,
      region: event.region,
    });
    kindsSeen.add(evidence.trigger.kind);
    expect(hasNoUndefined(evidence)).toBe(true);

    if (evidence.trigger.kind === 'task_stopped') {
      const detail = event.detail as { taskArn: string; stoppedReason?: string; stopCode?: string; containers: { name: string; exitCode?: number; reason?: string }[] };
      const task = evidence.tasks[0];
      expect(task?.taskArn).toBe(detail.taskArn);
      expect(task?.taskId).toMatch(/^[0-9a-f]{32}$/);
      expect(detail.taskArn.endsWith(`/${task?.taskId}`)).toBe(true);
      expect(task?.stoppedReason).toBe(detail.stoppedReason);
      expect(task?.stopCode).toBe(detail.stopCode);
      expect(task?.stoppedAt).toEqual(expect.any(Number));
      expect(task?.containers.map((c) => [c.name, c.exitCode, c.reason])).toEqual(
        detail.containers.map((c) => [c.name, c.exitCode, c.reason]),
      );
    } else if (evidence.trigger.kind === 'target_unhealthy') {
      expect(evidence.trigger.targetGroupArn).toMatch(/^arn:aws:elasticloadbalancing:[^:]+:\d{12}:targetgroup\/[^/]+\/[0-9a-f]+$/);
      expect(evidence.alarms.length).toBeGreaterThan(0);
    } else {
      const service = event.resources?.[0]?.split('/').pop();
      expect(evidence.trigger.serviceName).toBe(service);
      expect(evidence.trigger.clusterArn).toMatch(/^arn:aws:ecs:[^:]+:\d{12}:cluster\/.+$/);
    }

    const logs = raw.evidence?.logs ?? [];
    expect(evidence.logs.map((l) => l.events.length)).toEqual(logs.map((l) => l.events.length));
    for (const stream of evidence.logs) {
      const owner = evidence.tasks.find((t) => stream.logStreamName.endsWith(`/${t.taskId}`));
      if (owner) expect(stream.taskId).toBe(owner.taskId);
      for (const line of stream.events) expect(line.timestamp).toEqual(expect.any(Number));
    }
    expect(evidence.services.map((s) => s.events.length)).toEqual((raw.evidence?.services ?? []).map((s) => s.events?.length ?? 0));
    for (const service of evidence.services) {
      for (const e of service.events) expect(e.createdAt).toEqual(expect.any(Number));
    }
    expect(evidence.targetHealth.map((t) => t.targets.length)).toEqual(
      (raw.evidence?.targetHealth ?? []).map((t) => t.targetHealthDescriptions.length),
    );
  });

  it('covers every trigger kind', () => {
    expect([...kindsSeen].sort()).toEqual(['deployment_failed', 'service_action', 'target_unhealthy', 'task_stopped']);
  });
});
