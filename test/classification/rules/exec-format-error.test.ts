import { execFormatError } from '../../../lambda/classification/rules/exec-format-error';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('exec-format-error', () => {
  it('matches the container\'s own log line and names runtimePlatform.cpuArchitecture', () => {
    const evidence = taskStopped(
      { stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 1 }] },
      { logs: appLogs('exec /usr/bin/java: exec format error'), taskDefinition: taskDefinition([containerDefinition('app')], { runtimePlatform: { cpuArchitecture: 'X86_64', operatingSystemFamily: 'LINUX' } }) },
    );
    const result = execFormatError.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toBe('exec /usr/bin/java: exec format error');
    expect(finding?.evidence[1]).toEqual({ source: 'taskDefinition', text: 'X86_64' });
    expect(finding?.explanation).toContain('runtimePlatform.cpuArchitecture');
    expect(finding?.confidence).toBe(0.9);
  });

  it('matches the runtime\'s stop reason', () => {
    const result = execFormatError.match(
      taskStopped({ stoppedReason: 'CannotStartContainerError: Error response from daemon: OCI runtime create failed: container_linux.go:349: starting container process caused "exec format error": unknown' }),
    );
    expect(result.status === 'match' && result.findings[0]?.confidence).toBe(0.95);
  });

  it('does not match a missing entrypoint', () => {
    const result = execFormatError.match(taskStopped({}, { logs: appLogs('exec /docker-entrypoint.sh: no such file or directory') }));
    expect(result.status).toBe('no_match');
  });
});
