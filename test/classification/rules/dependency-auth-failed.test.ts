import { dependencyAuthFailed } from '../../../lambda/classification/rules/dependency-auth-failed';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('dependency-auth-failed', () => {
  it('matches PostgreSQL password authentication failed and names the user', () => {
    const line = 'psycopg2.OperationalError: connection to server at "db" (10.0.2.15), port 5432 failed: FATAL:  password authentication failed for user "app"';
    const result = dependencyAuthFailed.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('A dependency rejected the credentials for user app');
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
  });

  it('matches MySQL, Redis and MongoDB texts', () => {
    for (const line of [
      "Error: Access denied for user 'app'@'10.0.1.23' (using password: YES)",
      'ReplyError: WRONGPASS invalid username-password pair or user is disabled.',
      'MongoServerError: Authentication failed.',
    ]) {
      expect(dependencyAuthFailed.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('match');
    }
  });

  it('does not match AWS API access denials or generic auth words', () => {
    const logs = appLogs('AccessDeniedException: User is not authorized to perform: sqs:ReceiveMessage', 'user login failed: wrong password from 1.2.3.4');
    expect(dependencyAuthFailed.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(dependencyAuthFailed.match(taskStopped()).status).toBe('not_applicable');
  });
});
