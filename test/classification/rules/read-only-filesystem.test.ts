import { readOnlyFilesystem } from '../../../lambda/classification/rules/read-only-filesystem';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('read-only-filesystem', () => {
  it('matches EROFS and points at readonlyRootFilesystem', () => {
    const line = "[Errno 30] Read-only file system: '/app/.cache/matplotlib'";
    const td = taskDefinition([containerDefinition('app', { readonlyRootFilesystem: true })]);
    const result = readOnlyFilesystem.match(taskStopped({}, { logs: appLogs(line), taskDefinition: td }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.explanation).toContain('readonlyRootFilesystem: true');
    expect(result.findings[0]?.remediation?.[0]).toContain('/app/.cache');
  });

  it('does not match other file errors', () => {
    expect(readOnlyFilesystem.match(taskStopped({}, { logs: appLogs("FileNotFoundError: [Errno 2] No such file or directory: '/app/x'") })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(readOnlyFilesystem.match(taskStopped()).status).toBe('not_applicable');
  });
});
