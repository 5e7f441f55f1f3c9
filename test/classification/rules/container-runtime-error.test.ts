import { containerRuntimeError } from '../../../lambda/classification/rules/container-runtime-error';
import { serviceEvents, taskStopped } from '../../helpers/evidence';

describe('container-runtime-error', () => {
  it('matches AWS\'s runtime error prefixes', () => {
    const reason = 'CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s';
    const result = containerRuntimeError.match(taskStopped({ stoppedReason: reason }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(reason);
    expect(result.findings[0]?.title).toContain('CannotInspectContainerError');
    for (const text of ['ContainerRuntimeTimeoutError: Could not transition to running; timed out after waiting 1m: context deadline exceeded', 'DockerTimeoutError: Could not transition to running; timed out after waiting 1m', 'CannotStopContainerError: failed sending SIGTERM to container: context deadline exceeded']) {
      expect(containerRuntimeError.match(taskStopped({ stoppedReason: text })).status).toBe('match');
    }
  });

  it('does not match the "Internal error." placement reason or an application exit', () => {
    expect(
      containerRuntimeError.match(taskStopped({ stoppedReason: 'Essential container in task exited' }, { services: serviceEvents('(service web) was unable to place a task. Reason: Internal error.') })).status,
    ).toBe('no_match');
  });

  it('matches containerd failing to create the task, not a CannotStartContainerError about the command', () => {
    const shim = 'CannotStartContainerError: failed to create containerd task: failed to create shim task: context deadline exceeded: unknown';
    expect(containerRuntimeError.match(taskStopped({ containers: [{ name: 'app', reason: shim }] })).status).toBe('match');
    const command = 'CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown';
    expect(containerRuntimeError.match(taskStopped({ containers: [{ name: 'app', reason: command }] })).status).toBe('no_match');
  });

  it("matches the Windows Host Compute Service shim's failures whatever ECS's prefix (moby's windowsfilter driver)", () => {
    for (const reason of [
      'CannotPullContainerError: failed to register layer: re-exec error: exit status 1: output: hcsshim::ProcessUtilityVMImage failed in Win32: The process cannot access the file because it is being used by another process. (0x20)',
      'CannotStartContainerError: hcs::CreateComputeSystem 5f0c…: The requested resource is in use.',
    ]) {
      expect(containerRuntimeError.match(taskStopped({ stoppedReason: reason })).status).toBe('match');
    }
  });
});
