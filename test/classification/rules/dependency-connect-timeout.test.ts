import { dependencyConnectTimeout } from '../../../lambda/classification/rules/dependency-connect-timeout';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('dependency-connect-timeout', () => {
  it('matches Node connect ETIMEDOUT and points at security groups', () => {
    const line = 'SequelizeConnectionError: connect ETIMEDOUT 10.0.3.4:3306';
    const result = dependencyConnectTimeout.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Connection to MySQL at 10.0.3.4:3306 timed out');
    expect(result.findings[0]?.remediation?.[0]).toContain('security group');
  });

  it('matches libpq timeout expired and Go i/o timeout', () => {
    for (const line of [
      'connection to server at "mydb.cluster-abc.us-east-1.rds.amazonaws.com" (10.0.9.9), port 5432 failed: timeout expired',
      'dial tcp 10.0.3.4:5432: i/o timeout',
    ]) {
      const result = dependencyConnectTimeout.match(taskStopped({}, { logs: appLogs(line) }));
      expect(result.status).toBe('match');
      if (result.status === 'match') expect(result.findings[0]?.category).toBeUndefined();
    }
  });

  it('does not match a refused connection', () => {
    expect(dependencyConnectTimeout.match(taskStopped({}, { logs: appLogs('connect ECONNREFUSED 127.0.0.1:5432') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(dependencyConnectTimeout.match(taskStopped()).status).toBe('not_applicable');
  });

  it.each([
    ['pymongo', 'pymongo.errors.ServerSelectionTimeoutError: docdb.cluster-c9x2k.eu-west-1.docdb.amazonaws.com:27017: timed out'],
    ['Oracle', 'cx_Oracle.DatabaseError: ORA-12170: TNS:Connect timeout occurred'],
    ['SQL Server', 'pyodbc.OperationalError: (\'HYT00\', \'[HYT00] [Microsoft][ODBC Driver 18 for SQL Server]Login timeout expired (0) (SQLDriverConnect)\')'],
    ['redis-py', 'redis.exceptions.TimeoutError: Timeout connecting to server'],
  ])('matches the %s connect-timeout wording', (_driver, line) => {
    expect(dependencyConnectTimeout.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('match');
  });
});
