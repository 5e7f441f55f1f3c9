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

  // One line per driver wording (servers' and drivers' documented messages; sources in the rule).
  it.each([
    ['PostgreSQL (asyncpg)', 'asyncpg.exceptions.InvalidPasswordError: password authentication failed for user "app"'],
    ['MariaDB', "ERROR 1045 (28000): Access denied for user 'app'@'10.0.3.7' (using password: YES)"],
    ['MySQL (node-mysql2)', "Error: Access denied for user 'app'@'10.0.3.7' (using password: YES) code: 'ER_ACCESS_DENIED_ERROR'"],
    ['SQL Server', "Microsoft.Data.SqlClient.SqlException (0x80131904): Login failed for user 'app'."],
    ['Oracle', 'java.sql.SQLException: ORA-01017: invalid username/password; logon denied'],
    ['Oracle locked account', 'cx_Oracle.DatabaseError: ORA-28000: The account is locked.'],
    ['MongoDB (pymongo)', "pymongo.errors.OperationFailure: Authentication failed., full error: {'ok': 0.0, 'errmsg': 'Authentication failed.', 'code': 18, 'codeName': 'AuthenticationFailed'}"],
    ['MongoDB Atlas', 'MongoServerError: bad auth : Authentication failed.'],
    ['MongoDB (Java)', "com.mongodb.MongoSecurityException: Exception authenticating MongoCredential{mechanism=SCRAM-SHA-1, userName='app', source='admin', password=<hidden>, mechanismProperties=<hidden>}"],
    ['DocumentDB (Go)', 'connection() error occurred during connection handshake: auth error: sasl conversation error: unable to authenticate using mechanism "SCRAM-SHA-1": (AuthenticationFailed) Authentication failed.'],
    ['Redis', 'redis.exceptions.AuthenticationError: invalid username-password pair or user is disabled. WRONGPASS'],
    ['Redis NOAUTH', 'ReplyError: NOAUTH Authentication required.'],
    ['RabbitMQ', 'pika.exceptions.ProbableAuthenticationError: ConnectionClosedByBroker: (403) \'ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN. For details see the broker logfile.\''],
    ['RabbitMQ (amqplib)', 'Error: Handshake terminated by server: 403 (ACCESS-REFUSED) with message "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN."'],
    ['Kafka (Java)', 'org.apache.kafka.common.errors.SaslAuthenticationException: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512'],
    ['Kafka (KafkaJS)', 'KafkaJSSASLAuthenticationError: SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512'],
  ])('matches %s', (_driver, line) => {
    const result = dependencyAuthFailed.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
  });
});
