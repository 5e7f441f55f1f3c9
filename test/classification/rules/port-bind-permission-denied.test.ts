import { portBindPermissionDenied } from '../../../lambda/classification/rules/port-bind-permission-denied';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('port-bind-permission-denied', () => {
  it('matches Go bind: permission denied and mentions the task definition user', () => {
    const line = 'listen tcp :80: bind: permission denied';
    const evidence = taskStopped({}, { logs: appLogs(line), taskDefinition: taskDefinition([containerDefinition('app', { user: '1000' })]) });
    const result = portBindPermissionDenied.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Permission denied binding port 80');
    expect(result.findings[0]?.explanation).toContain('`1000`');
  });

  it('matches Node listen EACCES', () => {
    expect(portBindPermissionDenied.match(taskStopped({}, { logs: appLogs('Error: listen EACCES: permission denied 0.0.0.0:80') })).status).toBe('match');
  });

  it('does not match a file permission error', () => {
    expect(portBindPermissionDenied.match(taskStopped({}, { logs: appLogs("PermissionError: [Errno 13] Permission denied: '/app/data'") })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(portBindPermissionDenied.match(taskStopped()).status).toBe('not_applicable');
  });
});
