import type { RuleCases } from '../rule-tester';

// Each driver's or ORM's own words when it gets no connection in time (the rule's sources: Knex
// `acquireConnectionTimeout`, HikariCP `connectionTimeout`, SQLAlchemy error 3o7r, Prisma P1001/P2024,
// node-postgres `connectionTimeoutMillis`, Npgsql `Timeout`, SqlClient pooling, ActiveRecord::ConnectionTimeoutError).
const EXITED = { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1 };
const KNEX = "Backend failed to start up Error: Failed to connect to the database, KnexTimeoutError: Knex: Timeout acquiring a connection. The pool is probably full. Are you missing a .transacting(trx) call?";
const HIKARI = 'java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.';
const SQLALCHEMY = 'sqlalchemy.exc.TimeoutError: QueuePool limit of size 5 overflow 10 reached, connection timed out, timeout 30.00 (Background on this error at: https://sqlalche.me/e/20/3o7r)';
const PRISMA = "Error: P1001: Can't reach database server at `db.cluster-abc.us-east-1.rds.amazonaws.com`:`5432`";
const PG = 'Error: timeout exceeded when trying to connect';
const SQLCLIENT = 'System.InvalidOperationException: Timeout expired.  The timeout period elapsed prior to obtaining a connection from the pool.';
const HIKARI_BUSY = 'WARN HikariPool-1 - Connection is not available, request timed out after 30000ms (total=10, active=10, idle=0, waiting=42)';

export const cases: RuleCases = {
  match: [
    { ...EXITED, name: 'Knex at start-up, whatever the pool words say', log: ['Performing database migration', KNEX], cites: KNEX, title: 'Knex could not get a database connection in time', rootCause: true },
    { ...EXITED, log: HIKARI, cites: HIKARI },
    { ...EXITED, log: SQLALCHEMY, cites: SQLALCHEMY },
    { ...EXITED, log: PRISMA, cites: PRISMA, rootCause: true },
    { ...EXITED, log: PG, cites: PG },
    { ...EXITED, log: SQLCLIENT, cites: SQLCLIENT },
    // A pool whose connections are all in use is exhausted, not unreachable: a hint below the symptom's confidence.
    { ...EXITED, name: 'a pool that says its connections are in use', log: HIKARI_BUSY, cites: HIKARI_BUSY, title: 'HikariCP found no free database connection (the pool is exhausted)' },
  ],
  noMatch: [
    { ...EXITED, name: 'a pool that started', log: 'HikariPool-1 - Start completed.' },
    { ...EXITED, name: 'the words at info level', log: 'INFO Knex: Timeout acquiring a connection was retried and succeeded' },
  ],
  notApplicable: [{ ...EXITED, name: 'no logs' }],
};
