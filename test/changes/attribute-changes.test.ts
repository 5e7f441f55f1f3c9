import { attributeChanges, changesBehind } from '../../lambda/changes/attribute-changes';
import type { ChangeItem, Changes, Finding, RcaReport } from '../../lambda/report/report-schema';

const item = (kind: ChangeItem['kind'], summary: string, containerName?: string, name?: string): ChangeItem => ({
  id: [kind, containerName ?? '', name ?? ''].join(':'),
  kind,
  ...(containerName ? { containerName } : {}),
  ...(name ? { name } : {}),
  summary,
});

const changes = (items: ChangeItem[], unchanged = false): Changes => ({
  baseline: { source: 'service_revision', taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:41' },
  current: { source: 'service_revision', taskDefinitionArn: 'arn:aws:ecs:eu-west-1:1:task-definition/web:42' },
  items,
  unchanged,
});

const finding = (category: Finding['category'], text: string, containerName = 'app'): Finding => ({
  category,
  ruleId: 'r',
  title: 't',
  explanation: 'e.',
  confidence: 0.9,
  evidence: [{ source: 'log', text, containerName }],
  remediation: [],
});

describe('changesBehind', () => {
  it('links a missing variable only to the removal of that variable', () => {
    const c = changes([item('environment_removed', 'app: environment variable DATABASE_URL removed', 'app', 'DATABASE_URL'), item('environment_removed', 'x', 'app', 'OTHER')]);
    expect(changesBehind(finding('app_config_missing', "KeyError: 'DATABASE_URL'"), c).map((i) => i.name)).toEqual(['DATABASE_URL']);
    expect(changesBehind(finding('app_config_missing', "KeyError: 'DATABASE_URL_RO'"), c)).toEqual([]);
  });

  it('links an OOM kill to a memory cut, not to a memory increase', () => {
    expect(changesBehind(finding('oom_killed', 'OutOfMemoryError'), changes([item('memory', 'task memory 1024 → 512 MiB', undefined, 'memory')]))).toHaveLength(1);
    expect(changesBehind(finding('oom_killed', 'OutOfMemoryError'), changes([item('memory', 'task memory 512 → 1024 MiB', undefined, 'memory')]))).toEqual([]);
  });

  it("keeps to the finding's container", () => {
    const c = changes([item('image', 'sidecar: image a → b', 'sidecar')]);
    expect(changesBehind(finding('app_import_error', "No module named 'x'", 'app'), c)).toEqual([]);
    expect(changesBehind(finding('app_import_error', "No module named 'x'", 'sidecar'), c)).toHaveLength(1);
  });

  it('links nothing to a category no change can explain', () => {
    expect(changesBehind(finding('platform_error', 'x'), changes([item('image', 'app: image a → b', 'app')]))).toEqual([]);
  });
});

describe('attributeChanges', () => {
  const report = (rootCause: Finding): RcaReport =>
    ({
      schema: 'rca-report.v1',
      incidentKey: 'k',
      trigger: { kind: 'task_stopped', eventId: 'e', detailType: 'ECS Task State Change', time: 't', account: '1', region: 'eu-west-1' },
      resource: { clusterArn: 'arn:aws:ecs:eu-west-1:1:cluster/prod', serviceName: 'web', containers: [] },
      alert: true,
      severity: 'high',
      rootCause,
      contributing: [],
      symptoms: [],
      dismissed: [],
      evidenceGaps: [],
      links: {},
      analyzedAt: 't',
      analyzerVersion: '0',
    }) as RcaReport;

  it('sets changes, the refs, the verdict sentence and the console link', () => {
    const c = changes([item('image', 'app: image web:1 → web:2', 'app')]);
    const out = attributeChanges(report(finding('app_import_error', "No module named 'x'")), c);
    expect(out.changes).toBe(c);
    expect(out.rootCause.changeRefs).toEqual(['image:app:']);
    expect(out.rootCause.explanation).toBe('e. This started with the change from web:41 to web:42: app: image web:1 → web:2.');
    expect(out.links.serviceRevisions).toBe('https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/web/deployments?region=eu-west-1');
  });

  it('says that nothing changed, which points away from the code', () => {
    const out = attributeChanges(report(finding('dependency_unreachable', 'ECONNREFUSED')), changes([], true));
    expect(out.rootCause.changeRefs).toBeUndefined();
    expect(out.rootCause.explanation).toContain('points away from a code or configuration change');
  });

  it('leaves a report without a baseline as it is', () => {
    const r = report(finding('app_crash', 'x'));
    expect(attributeChanges(r, undefined)).toBe(r);
  });
});
