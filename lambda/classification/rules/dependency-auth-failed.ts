import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll, logPattern } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { isLowSeverity, streamLines } from '../log-patterns';

// Credential rejections by the usual dependencies: PostgreSQL `password authentication failed for user "x"`
// and `no pg_hba.conf entry for host`, MySQL `Access denied for user 'x'@'h'`, Redis `WRONGPASS`/`NOAUTH`,
// MongoDB `Authentication failed.`, Kafka `SASL authentication failed`, SQL Server `Login failed for user`,
// Oracle `ORA-01017`, RabbitMQ `ACCESS_REFUSED - Login was refused`.
const AUTH_FAILED =
  logPattern(/\bpassword authentication failed for user\b|\bno pg_hba\.conf entry for host\b|\bAccess denied for user '|\bWRONGPASS\b|\bNOAUTH\b|\bAUTH failed\b|\bMongo\w{0,40}Error: [^\n]{0,40}Authentication failed|\bbad auth\b[^\n]{0,40}Authentication failed|\bSCRAM[^\n]{0,40}authentication failed|\bSASL authentication failed\b|\bLogin failed for user '|\bORA-01017\b|\bACCESS_REFUSED - Login was refused\b/i);
const USER = /\bfor user \\?["']([^"'\\]{1,200})|\buser "([^"]{1,200})"/;

/** A dependency (database, cache, broker) rejected the program's credentials. */
export const dependencyAuthFailed: Rule = {
  id: 'dependency-auth-failed',
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
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findAll(lines, AUTH_FAILED).find((h) => !isLowSeverity(h.item.text));
    if (!hit) return NO_MATCH;
    const userMatch = USER.exec(hit.item.text);
    const user = userMatch?.[1] ?? userMatch?.[2];
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
