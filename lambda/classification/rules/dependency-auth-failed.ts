import { nameToken } from '../own-words';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { isLowSeverity, streamLines } from '../log-patterns';

// Credential rejections by the usual dependencies' servers and drivers:
// - PostgreSQL `password authentication failed for user "x"`, `no pg_hba.conf entry for host`;
// - MySQL/MariaDB `Access denied for user 'x'@'h'` (error 1045; node-mysql `ER_ACCESS_DENIED_ERROR`);
// - SQL Server `Login failed for user 'x'` (error 18456); Oracle `ORA-01017`, `ORA-28000` (account locked),
//   `ORA-28001` (password expired);
// - MongoDB/Amazon DocumentDB `Authentication failed.` (error 18, codeName `AuthenticationFailed`), Atlas
//   `bad auth : Authentication failed.`, pymongo `OperationFailure: Authentication failed`, the Java driver's
//   `Exception authenticating MongoCredential`, the Go driver's `sasl conversation error`;
// - Redis `WRONGPASS`, `NOAUTH`, `ERR invalid password`; RabbitMQ `ACCESS_REFUSED - Login was refused`,
//   amqplib `403 (ACCESS-REFUSED)`, pika `ProbableAuthenticationError`;
// - Kafka SASL `SaslAuthenticationException`, `Authentication failed during authentication due to invalid
//   credentials with SASL mechanism …`, librdkafka `SASL authentication error`, KafkaJS
//   `KafkaJSSASLAuthenticationError`.
const AUTH_FAILED =
  /\bpassword authentication failed for user\b|\bno pg_hba\.conf entry for host\b|\bAccess denied for user '|\bER_ACCESS_DENIED_ERROR\b|\bWRONGPASS\b|\bNOAUTH\b|\bERR invalid password\b|\bAUTH failed\b|\bMongo\w{0,40}Error: [^\n]{0,40}Authentication failed|\bbad auth\b[^\n]{0,40}Authentication failed|\bOperationFailure: Authentication failed\b|\(AuthenticationFailed\)|'codeName': 'AuthenticationFailed'|"codeName"\s?:\s?"AuthenticationFailed"|\bException authenticating MongoCredential\b|\bsasl conversation error\b|\bSCRAM[^\n]{0,40}authentication failed|\bSASL authentication (?:failed|error)\b|\bSaslAuthenticationException\b|\binvalid credentials with SASL mechanism\b|\bKafkaJSSASLAuthenticationError\b|\bLogin failed for user '|\bORA-(?:01017|28000|28001)\b|\bACCESS_REFUSED - Login was refused\b|\b403 \(ACCESS-REFUSED\)|\bProbableAuthenticationError\b/i;
const USER = /\bfor user \\?["']([^"'\\]{1,200})|\buser "([^"]{1,200})"/;

/** A dependency (database, cache, broker) rejected the program's credentials. */
export const dependencyAuthFailed: Rule = {
  id: 'dependency-auth-failed',
  logPatterns: [AUTH_FAILED],
  category: 'dependency_auth_failed',
  title: 'A dependency rejected the credentials (password authentication failed, Access denied for user)',
  remediation: [
    "Compare the user name and password the task receives (its `secrets` / `environment` entries) with the dependency's: a rotated Secrets Manager secret is only read when a task starts, so running or old tasks keep the old password — force a new deployment after rotation.",
    'Check special characters in passwords inside connection URLs (they must be URL-encoded), and that the user may connect to that database from the task\'s address (MySQL `user@host`, PostgreSQL `pg_hba.conf`).',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html',
    'https://www.postgresql.org/docs/current/auth-pg-hba-conf.html',
    'https://dev.mysql.com/doc/refman/8.0/en/problems-connecting.html',
    'https://mariadb.com/kb/en/e1045/',
    'https://learn.microsoft.com/en-us/sql/relational-databases/errors-events/mssqlserver-18456-database-engine-error',
    'https://docs.oracle.com/en/error-help/db/ora-01017/',
    'https://www.mongodb.com/docs/manual/reference/error-codes/',
    'https://docs.aws.amazon.com/documentdb/latest/developerguide/troubleshooting.connecting.html',
    'https://redis.io/docs/latest/commands/auth/',
    'https://www.rabbitmq.com/docs/access-control',
    'https://kafka.apache.org/documentation/#security_sasl',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findAll(lines, AUTH_FAILED).find((h) => !isLowSeverity(h.item.text));
    if (!hit) return NO_MATCH;
    const userMatch = USER.exec(hit.item.text);
    const user = nameToken(userMatch?.[1] ?? userMatch?.[2]);
    const pgHba = /no pg_hba\.conf entry/i.test(hit.item.text);
    return resultOf(
      hitFinding(hit, {
        title: `${pgHba ? 'The database refused the connection (no pg_hba.conf entry)' : 'A dependency rejected the credentials'}${user ? ` for user ${user}` : ''}`,
        explanation: pgHba
          ? 'PostgreSQL has no rule that lets this user connect from the task\'s address with this encryption setting; on Amazon RDS this is typically a connection without SSL while `rds.force_ssl` is on.'
          : `The dependency answered and refused the login${user ? ` of \`${user}\`` : ''}: the user name or password the program uses is wrong, or the user may not connect.`,
        confidence: 0.85,
        remediation: pgHba ? ['Connect with SSL (`sslmode=require` in the connection string) or add a matching `pg_hba.conf` rule on self-managed PostgreSQL.'] : [],
      }),
    );
  },
};
