import { classify } from '../../../lambda/classification/classify';
import { rank } from '../../../lambda/classification/rank';
import { dependencyConnectionRefused } from '../../../lambda/classification/rules/dependency-connection-refused';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('dependency-connection-refused', () => {
  it('matches ECONNREFUSED to 127.0.0.1 and says the dependency was expected as a sidecar or compose service', () => {
    const logs = appLogs('⚠️ Database connection has failed! Make sure your database is running.', '{ Error: connect ECONNREFUSED 127.0.0.1:27017', " errno: 'ECONNREFUSED',");
    const result = dependencyConnectionRefused.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toBe('{ Error: connect ECONNREFUSED 127.0.0.1:27017');
    expect(finding?.title).toBe('Connection refused by MongoDB at 127.0.0.1:27017');
    expect(finding?.explanation).toContain('sidecar or a docker-compose service');
  });

  it('matches libpq and Go texts for a remote host', () => {
    const pg = 'psycopg2.OperationalError: connection to server at "db.internal" (10.0.2.15), port 5432 failed: Connection refused';
    const go = 'dial tcp 10.0.2.16:6379: connect: connection refused';
    const r1 = dependencyConnectionRefused.match(taskStopped({}, { logs: appLogs(pg) }));
    expect(r1.status).toBe('match');
    if (r1.status === 'match') expect(r1.findings[0]?.title).toBe('Connection refused by PostgreSQL at db.internal:5432');
    const r2 = dependencyConnectionRefused.match(taskStopped({}, { logs: appLogs(go) }));
    expect(r2.status).toBe('match');
    if (r2.status === 'match') expect(r2.findings[0]?.title).toBe('Connection refused by Redis at 10.0.2.16:6379');
  });

  it('ignores a refused telemetry agent (X-Ray daemon), which rarely stops a program', () => {
    const logs = appLogs('Error: connect ECONNREFUSED 127.0.0.1:2000');
    expect(dependencyConnectionRefused.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  // A metrics client's send failures are noise beside the connection the program failed on
  // (https://github.com/tryretool/retool-onpremise/issues/143; https://github.com/brightcove/hot-shots#errors).
  it("keeps a metrics client's own errors out of the root cause's evidence", () => {
    const statsd = 'Error sending hot-shots message: Error: getaddrinfo ENOTFOUND host.docker.internal';
    const redis = 'Failed to init Redis for Multiplayer connect ECONNREFUSED 127.0.0.1:6379';
    const evidence = taskStopped({ stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', exitCode: 1 }] }, { logs: appLogs(statsd, redis, statsd) });
    const ranked = rank(evidence, classify(evidence).candidates);
    expect(ranked.rootCause.ruleId).toBe('dependency-connection-refused');
    expect(ranked.rootCause.evidence.map((e) => e.text)).toEqual([redis]);
  });

  it('leaves name-resolution failures to dependency-dns-failed and ignores INFO retries', () => {
    const logs = appLogs('Error -2 connecting to redis:6379. Name or service not known.', 'INFO: connection refused, retrying in 2s');
    expect(dependencyConnectionRefused.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(dependencyConnectionRefused.match(taskStopped()).status).toBe('not_applicable');
  });

  it.each([
    ['Oracle', 'java.sql.SQLRecoverableException: IO Error: The Network Adapter could not establish the connection (CONNECTION_ID=x) ORA-12541: TNS:no listener'],
    ['Kafka', '[Producer clientId=orders] Connection to node -1 (kafka.internal/10.0.5.9:9092) could not be established. Broker may not be available.'],
  ])('matches the %s wording', (_driver, line) => {
    expect(dependencyConnectionRefused.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('match');
  });
});
