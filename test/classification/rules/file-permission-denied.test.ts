import { filePermissionDenied } from '../../../lambda/classification/rules/file-permission-denied';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('file-permission-denied', () => {
  it('matches Node EACCES on mkdir and cites the exception line, not the crash-looking red herring', () => {
    const logs = appLogs('Last session crashed', "Error: EACCES: permission denied, mkdir '/home/node/.cache/n8n'", '    at mkdir (node:internal/fs/promises:858:10)');
    const result = filePermissionDenied.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(["Error: EACCES: permission denied, mkdir '/home/node/.cache/n8n'"]);
    expect(result.findings[0]?.title).toBe('Permission denied (mkdir) on /home/node/.cache/n8n');
  });

  it('uses readonlyRootFilesystem and user from the task definition in the remediation', () => {
    const logs = appLogs("PermissionError: [Errno 13] Permission denied: '/app/uploads/tmp.bin'");
    const td = taskDefinition([containerDefinition('app', { readonlyRootFilesystem: true, user: 'appuser' })]);
    const result = filePermissionDenied.match(taskStopped({}, { logs, taskDefinition: td }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const steps = (result.findings[0]?.remediation ?? []).join('\n');
    expect(steps).toContain('readonlyRootFilesystem: true');
    expect(steps).toContain('`/app/uploads`');
    expect(steps).toContain('appuser');
  });

  it('leaves entrypoint exec and port binding refusals to their own categories', () => {
    const logs = appLogs('exec /docker-entrypoint.sh: permission denied', 'Error: listen EACCES: permission denied 0.0.0.0:80');
    expect(filePermissionDenied.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(filePermissionDenied.match(taskStopped()).status).toBe('not_applicable');
  });
});
