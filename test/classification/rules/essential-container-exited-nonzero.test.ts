import { essentialContainerExitedNonzero } from '../../../lambda/classification/rules/essential-container-exited-nonzero';
import { taskStopped } from '../../helpers/evidence';

describe('essential-container-exited-nonzero', () => {
  it('reports exit 137 as SIGKILL without calling it an OOM kill, citing the exit code and the stop reason', () => {
    const evidence = taskStopped({ stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137 }] });
    const result = essentialContainerExitedNonzero.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence.map((e) => [e.source, e.text])).toEqual([
      ['exitCode', '137'],
      ['stoppedReason', 'Essential container in task exited'],
    ]);
    expect(finding?.explanation).toContain('SIGKILL');
    expect(finding?.explanation).toContain('does not prove');
    expect(finding?.confidence).toBeLessThanOrEqual(0.4);
  });

  it('ignores exit 0, non-essential containers and containers with a reason', () => {
    const evidence = taskStopped({
      containers: [
        { name: 'app', exitCode: 0 },
        { name: 'sidecar', exitCode: 1, essential: false },
        { name: 'web', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      ],
    });
    expect(essentialContainerExitedNonzero.match(evidence).status).toBe('no_match');
  });

  it('is not applicable when no container has an exit code', () => {
    expect(essentialContainerExitedNonzero.match(taskStopped({ containers: [{ name: 'app' }] })).status).toBe('not_applicable');
  });
});

describe('essential-container-exited-nonzero when ECS stopped the task', () => {
  it('does not blame the exit code of a task ECS stopped for failing health checks', () => {
    const evidence = taskStopped({
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b)',
      containers: [{ name: 'app', exitCode: 137 }],
    });
    expect(essentialContainerExitedNonzero.match(evidence).status).toBe('no_match');
  });
});
