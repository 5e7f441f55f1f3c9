import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { anyTaskEnded } from '../program-ended';
import { isLowSeverity, isTelemetryNoise, peerAddress, serviceForPort, streamLines } from '../log-patterns';

/**
 * What database drivers and ORMs say when a connection could not be obtained in time: the pool's
 * acquisition timeout (every connection busy, or none could be opened) and the ORM's own "cannot
 * reach the server". At start-up, before any query succeeded, it almost always means the database
 * cannot be reached (security group, endpoint, TLS), whatever the pool's words suggest.
 */
// `connect`: the driver could not open a connection (the server is unreachable). `acquire`: the pool gave up
// waiting for a free connection, which at start-up means none could be opened, and in a running program
// that its connections are all in use.
const POOL_FORMS: readonly { library: string; kind: 'connect' | 'acquire'; pattern: RegExp; source: string }[] = [
  { library: 'Knex', kind: 'acquire', pattern: /\bKnexTimeoutError\b|\bKnex: Timeout acquiring a connection\b/, source: 'https://knexjs.org/guide/#acquireconnectiontimeout' },
  { library: 'HikariCP', kind: 'acquire', pattern: /\bConnection is not available, request timed out after \d{1,9} ?ms\b/, source: 'https://github.com/brettwooldridge/HikariCP#gear-configuration-knobs-baby' },
  { library: 'SQLAlchemy', kind: 'acquire', pattern: /\bQueuePool limit of size \d{1,6} overflow -?\d{1,6} reached, connection timed out\b/, source: 'https://docs.sqlalchemy.org/en/20/errors.html#error-3o7r' },
  { library: 'Sequelize', kind: 'acquire', pattern: /\bSequelizeConnectionAcquireTimeoutError\b|\bConnectionAcquireTimeoutError\b/, source: 'https://sequelize.org/api/v6/class/src/errors/connection/connection-acquire-timeout-error.js~connectionacquiretimeouterror' },
  { library: 'Prisma', kind: 'connect', pattern: /\bCan't reach database server at\b|\bwas reached but timed out\b/, source: 'https://www.prisma.io/docs/orm/reference/error-reference' },
  { library: 'Prisma', kind: 'acquire', pattern: /\bP2024\b|\bTimed out fetching a new connection from the connection pool\b/, source: 'https://www.prisma.io/docs/orm/reference/error-reference' },
  { library: 'node-postgres', kind: 'connect', pattern: /\btimeout exceeded when trying to connect\b|\bConnection terminated due to connection timeout\b/, source: 'https://node-postgres.com/apis/pool' },
  { library: 'Npgsql', kind: 'acquire', pattern: /\bThe connection pool has been exhausted\b/, source: 'https://www.npgsql.org/doc/connection-string-parameters.html#pooling' },
  { library: 'SqlClient', kind: 'acquire', pattern: /\bThe timeout period elapsed prior to obtaining a connection from the pool\b/, source: 'https://learn.microsoft.com/en-us/dotnet/framework/data/adonet/sql-server-connection-pooling' },
  { library: 'ActiveRecord', kind: 'acquire', pattern: /\bcould not obtain a connection from the pool within \d/, source: 'https://api.rubyonrails.org/classes/ActiveRecord/ConnectionTimeoutError.html' },
  // Go's database/sql has no acquisition error of its own: it returns the driver's, e.g. pgx's.
  { library: 'pgx (Go)', kind: 'connect', pattern: /\bfailed to connect to `[^`\n]{1,300}`: [^\n]{0,300}?(?:timeout|deadline exceeded)/, source: 'https://pkg.go.dev/github.com/jackc/pgx/v5/pgxpool' },
];
// Pools that say their connections are in use: HikariCP `(total=10, active=10, idle=0, waiting=42)`, ActiveRecord
// `all pooled connections were in use`, SqlClient `all pooled connections were in use and max pool size was reached`.
const CONNECTIONS_IN_USE = /\bactive=[1-9]\d{0,5}\b|\ball pooled connections were in use\b/;

const ANY_POOL_TIMEOUT = new RegExp(POOL_FORMS.map((f) => f.pattern.source).join('|'));

/** A database driver or ORM could not get a connection in time (pool acquisition timeout, server unreachable). */
export const dependencyPoolTimeout: Rule = {
  id: 'dependency-pool-timeout',
  logPatterns: [ANY_POOL_TIMEOUT],
  category: 'dependency_unreachable',
  title: 'A database driver could not get a connection in time (connection-pool acquisition timeout)',
  remediation: [
    "A pool timeout at start-up means no connection could be opened: check that the database's security group allows inbound on its port from the task's security group, and that the endpoint, port and TLS settings the task receives are right.",
    'If the program had been serving queries first, the pool is exhausted instead: look for long transactions or leaked connections, and size the pool below the database\'s connection limit divided by the number of tasks.',
    'Test from inside the task with ECS Exec, e.g. `timeout 5 bash -c "</dev/tcp/HOST/PORT" && echo open`.',
  ],
  sources: [...POOL_FORMS.map((f) => f.source), 'https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Troubleshooting.html#CHAP_Troubleshooting.Connecting'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = ownFirst(findAll(lines, ANY_POOL_TIMEOUT).filter((h) => !isLowSeverity(h.item.text) && !isTelemetryNoise(h.item.text)));
    if (!hit) return NO_MATCH;
    const form = POOL_FORMS.find((f) => f.pattern.test(hit.item.text));
    const library = form?.library ?? 'The database driver';
    const { host, port } = peerAddress(hit.item.text);
    const kind = serviceForPort(port);
    const where = host ? ` to ${kind ? `${kind} at ` : ''}${host}${port !== undefined ? `:${port}` : ''}` : '';
    // A pool whose connections are in use, in a program still running, is exhausted: the database answers,
    // the program holds its connections too long. That is context for the symptom, not an unreachable database.
    const exhausted = form?.kind === 'acquire' && (CONNECTIONS_IN_USE.test(hit.item.text) || !anyTaskEnded(evidence));
    return resultOf(
      hitFinding(hit, {
        title: exhausted ? `${library} found no free database connection (the pool is exhausted)` : `${library} could not get a database connection in time`,
        explanation: exhausted
          ? `${library} gave up waiting for a free connection${where} while the program kept running: its connections were all in use (slow queries, long transactions, leaked connections or a pool too small for the load). Requests that need the database, the health check's included, wait and time out.`
          : `${library} gave up waiting for a connection${where}. When this happens as the program starts, before any query succeeded, no connection could be opened at all: the database is unreachable from the task (security group, endpoint or TLS settings), even when the message speaks of a full pool.`,
        confidence: exhausted ? 0.45 : 0.75,
      }),
    );
  },
};
