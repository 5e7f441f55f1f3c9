import { containerOomKilled } from '../../../lambda/classification/rules/container-oom-killed';
import { taskStopped } from '../../helpers/evidence';

describe('container-oom-killed', () => {
  it('matches ECS\'s OutOfMemoryError container reason and states the limits', () => {
    const reason = 'OutOfMemoryError: Container killed due to memory usage';
    const result = containerOomKilled.match(
      taskStopped({ memory: '512', stoppedReason: 'Essential container in task exited', containers: [{ name: 'node', exitCode: 137, reason }] }),
    );
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]).toMatchObject({ source: 'containerReason', text: reason });
    expect(result.findings[0]?.explanation).toContain('task memory 512 MiB');
  });

  it('matches a container init OOM kill at start', () => {
    const reason =
      'CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:380: starting container process caused: container init was OOM-killed (memory limit too low?): unknown';
    expect(containerOomKilled.match(taskStopped({ stoppedReason: reason })).status).toBe('match');
  });

  it('never treats exit code 137 alone as an OOM kill', () => {
    const result = containerOomKilled.match(
      taskStopped({ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 137 }] }),
    );
    expect(result.status).toBe('no_match');
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-start-container.html
  it('reads `failed to get container status` as a likely memory failure, with lower confidence', () => {
    const reason = 'CannotStartContainerError: failed to get container status: context deadline exceeded';
    const result = containerOomKilled.match(taskStopped({ containers: [{ name: 'app', reason }] }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.confidence).toBeCloseTo(0.65);
    expect(result.findings[0]?.explanation).toContain('AWS documents');
    expect(containerOomKilled.match(taskStopped({ containers: [{ name: 'app', reason: 'CannotStartContainerError: failed to create containerd task: context deadline exceeded' }] })).status).toBe('no_match');
  });
});
