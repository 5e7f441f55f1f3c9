import { portAlreadyInUse } from '../../../lambda/classification/rules/port-already-in-use';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('port-already-in-use', () => {
  it('matches Node EADDRINUSE and names the port', () => {
    const line = 'Error: listen EADDRINUSE: address already in use :::3000';
    const result = portAlreadyInUse.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Port 3000 is already in use');
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
  });

  it("matches nginx's and Spring Boot's texts", () => {
    for (const line of ['nginx: [emerg] bind() to 0.0.0.0:80 failed (98: Address already in use)', 'Web server failed to start. Port 8080 was already in use.']) {
      expect(portAlreadyInUse.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('match');
    }
  });

  it('does not match a server that started', () => {
    expect(portAlreadyInUse.match(taskStopped({}, { logs: appLogs('Listening on port 3000') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(portAlreadyInUse.match(taskStopped()).status).toBe('not_applicable');
  });
});
