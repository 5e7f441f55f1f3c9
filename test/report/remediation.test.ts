import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText } from '../../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { fillPlaceholders } from '../../lambda/report/remediation';

const SEED = join(__dirname, '../../examples/seed-incident.json');

/** The seed incident, its analysed task with `enableExecuteCommand` set as DescribeTasks returns it. */
function seed(enableExecuteCommand?: boolean) {
  const bundle = JSON.parse(readFileSync(SEED, 'utf8')) as { evidence: { tasks: Record<string, unknown>[] } };
  const [task] = bundle.evidence.tasks;
  if (task && enableExecuteCommand !== undefined) task.enableExecuteCommand = enableExecuteCommand;
  return analyzeEvidence(evidenceFromBundle(parseBundleText(JSON.stringify(bundle), 'seed.json')), { now: new Date('2026-01-01T00:00:00Z') });
}

const allSteps = (report: ReturnType<typeof seed>): string[] =>
  [report.rootCause, ...report.contributing, ...report.symptoms, ...report.dismissed].flatMap((f) => f.remediation);

describe('actionable remediation', () => {
  it('suggests ECS Exec, with the cluster, task and container filled in, only when the task has it enabled', () => {
    const enabled = seed(true).rootCause.remediation.join('\n');
    expect(enabled).toContain(
      'aws ecs execute-command --cluster CourtCaseManagementStack-CourtCaseCluster9415FFD8-krSZ3eecLz69 --task 1c86b12c243049b4b9da8c843a208949 --container web',
    );
    expect(allSteps(seed(false)).join('\n')).not.toMatch(/ECS Exec|execute-command/);
    expect(allSteps(seed()).join('\n')).not.toMatch(/ECS Exec|execute-command/);
  });

  it('fills the image and leaves no CLUSTER, TASK_ID, CONTAINER or IMAGE placeholder it knows', () => {
    const steps = allSteps(seed(true)).join('\n');
    expect(steps).toContain('docker.io/examplecorp/courtcase-backend:deploy-77');
    expect(steps).not.toMatch(/\b(?:CLUSTER|TASK_ID|CONTAINER|IMAGE)\b/);
  });

  it('shows each step once per report', () => {
    const steps = allSteps(seed(true));
    expect(new Set(steps).size).toBe(steps.length);
  });

  it('replaces whole placeholder words only, and keeps unknown ones', () => {
    expect(fillPlaceholders('set ECS_CLUSTER; run IMAGE on CLUSTER', { CLUSTER: 'prod' })).toBe('set ECS_CLUSTER; run IMAGE on prod');
  });
});
