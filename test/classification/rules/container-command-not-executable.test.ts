import { containerCommandNotExecutable } from '../../../lambda/classification/rules/container-command-not-executable';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('container-command-not-executable', () => {
  it('matches an executable missing from PATH in the stop reason', () => {
    const reason = 'CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown';
    const result = containerCommandNotExecutable.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: reason }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(reason);
    expect(result.findings[0]?.remediation?.[0]).toContain('`gunicorn`');
  });

  it('matches a non-executable entrypoint in the container log and suggests chmod', () => {
    const result = containerCommandNotExecutable.match(taskStopped({ containers: [{ name: 'app', exitCode: 255 }] }, { logs: appLogs('exec /app/run.sh: permission denied') }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.[0]).toContain('chmod +x /app/run.sh');
    expect(result.findings[0]?.confidence).toBe(0.9);
  });

  it('explains a script whose interpreter cannot start (CRLF or missing shell)', () => {
    const result = containerCommandNotExecutable.match(taskStopped({}, { logs: appLogs('standard_init_linux.go:228: exec user process caused: no such file or directory') }));
    expect(result.status === 'match' && result.findings[0]?.remediation?.[0]).toContain('line endings');
  });

  it('does not match an application ENOENT or an architecture mismatch', () => {
    expect(containerCommandNotExecutable.match(taskStopped({}, { logs: appLogs("Error: ENOENT: no such file or directory, open '/app/config.json'") })).status).toBe('no_match');
    expect(containerCommandNotExecutable.match(taskStopped({}, { logs: appLogs('exec /usr/bin/java: exec format error') })).status).toBe('no_match');
  });

  it('matches a container user the image does not define and names it', () => {
    const reason =
      'CannotStartContainerError: Error response from daemon: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: error during container init: unable to find user appuser: no matching entries in passwd file: unknown';
    const result = containerCommandNotExecutable.match(taskStopped({ containers: [{ name: 'app', reason }] }));
    expect(result.status === 'match' && result.findings[0]?.remediation?.[0]).toContain('`appuser`');
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html
  it('matches Fargate\'s `no users found` for a container user the image lacks', () => {
    const reason = 'ResourceInitializationError: unable to create new container: mount callback failed on /tmp/containerd-mount2740918593: no users found';
    const result = containerCommandNotExecutable.match(taskStopped({ stoppedReason: reason }));
    expect(result.status === 'match' && result.findings[0]?.remediation?.[0]).toContain('`user`');
  });
});
