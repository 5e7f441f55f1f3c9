import type { RuleCases } from '../rule-tester';

// PgJDBC names the peer in its own exception and the JDK's cause does not
// (https://jdbc.postgresql.org/documentation/use/, https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/ConnectException.html).
const PGJDBC = 'org.postgresql.util.PSQLException: Connection to orders-db.cluster-abc.eu-west-1.rds.amazonaws.com:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.';
const CAUSE = 'Caused by: java.net.ConnectException: Connection refused';

export const cases: RuleCases = {
  match: [
    {
      name: 'the line naming host:port over the bare cause',
      log: [PGJDBC, '\tat org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:346)', CAUSE, '\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)'],
      exitCode: 1,
      cites: PGJDBC,
      title: 'Connection refused by PostgreSQL at orders-db.cluster-abc.eu-west-1.rds.amazonaws.com:5432',
      rootCause: true,
    },
    { name: 'a bare cause without a peer', log: [CAUSE], exitCode: 1, cites: CAUSE, title: 'Connection refused by a dependency' },
  ],
  noMatch: [{ name: 'a refused connection to the telemetry agent', log: 'Exporter failed: connect ECONNREFUSED 127.0.0.1:4317' }],
  notApplicable: [{ name: 'no logs' }],
};
