import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { isLocalPeer, isLowSeverity, isTelemetryNoise, isTelemetryPort, peerAddress, serviceForPort, streamLines } from '../log-patterns';

// The peer answered with a TCP reset: Node `connect ECONNREFUSED 127.0.0.1:27017`, POSIX `[Errno 111]
// Connection refused`, Go `connect: connection refused`, Java `ConnectException: Connection refused`, MySQL
// `Can't connect to MySQL server on 'db' (111)`. Generic wrappers (`Communications link failure`,
// `MongoServerSelectionError`) are left to the line that names the underlying failure.
// Oracle's `ORA-12541: TNS:no listener` and Kafka's `Connection to node -1 (…) could not be established. Broker
// may not be available.` say the same.
const REFUSED = /\bECONNREFUSED\b|\bConnection refused\b|\bConnection to [^\s]{1,300} refused\b|\bCan't connect to (?:local )?MySQL server\b|\bORA-12541\b|\bBroker may not be available\b/i;
// Lines that are really a name-resolution or timeout failure (left to the DNS and timeout rules).
const OTHER_FAILURE = /\bENOTFOUND\b|\bEAI_AGAIN\b|\bName or service not known\b|\bno such host\b|\btimed out\b|\bETIMEDOUT\b|\(110\)/i;

/** A dependency refused the connection (nothing listens at that host and port). */
export const dependencyConnectionRefused: Rule = {
  id: 'dependency-connection-refused',
  logPatterns: [REFUSED],
  category: 'dependency_unreachable',
  title: 'A dependency refused the connection (ECONNREFUSED, Connection refused)',
  remediation: [
    '"Connection refused" means the host answered but nothing listens on that port: check the dependency is running, its port, and the host the program is configured with (environment variables, connection string).',
    'If the dependency starts in the same task, make the app wait for it: `dependsOn` with condition `HEALTHY` (the dependency needs a container health check) and connection retries in the app.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ContainerDependency.html',
    'https://man7.org/linux/man-pages/man2/connect.2.html',
    'https://docs.oracle.com/en/error-help/db/ora-12541/',
    'https://kafka.apache.org/documentation/#producerconfigs_bootstrap.servers',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hits = findAll(lines, REFUSED).filter((h) => !OTHER_FAILURE.test(h.item.text) && !isLowSeverity(h.item.text) && !isTelemetryPort(peerAddress(h.item.text).port) && !isTelemetryNoise(h.item.text));
    // The most specific line of a chain: one naming the peer (PgJDBC's `Connection to HOST:5432 refused`)
    // over a bare `Caused by: java.net.ConnectException: Connection refused`, the analysed task's first.
    const hit = ownFirst(hits.filter((h) => peerAddress(h.item.text).host !== undefined)) ?? ownFirst(hits);
    if (!hit) return NO_MATCH;
    const { host, port } = peerAddress(hit.item.text);
    const kind = serviceForPort(port);
    const where = host ? `${host}${port !== undefined ? `:${port}` : ''}` : undefined;
    const local = isLocalPeer(host);
    return resultOf(
      hitFinding(hit, {
        title: where ? `Connection refused by ${kind ? `${kind} at ` : ''}${where}` : 'Connection refused by a dependency',
        explanation: local
          ? `The program connects to ${where} — inside its own task — and nothing listens there. The ${kind ?? 'dependency'} was expected as a sidecar or a docker-compose service next to the app; in this task it is not running on that port.`
          : `The program could not connect to ${kind ?? 'a dependency'}${where ? ` at ${where}` : ''}: the connection was refused, so the host was reachable but nothing accepted connections on that port.`,
        confidence: 0.85,
        remediation: local
          ? [
              `Point the program at the real ${kind ?? 'dependency'} endpoint (e.g. an Amazon RDS, DocumentDB or ElastiCache endpoint) through its environment variable or secret instead of ${where}.`,
              `Or run the ${kind ?? 'dependency'} as another container of the same task (in awsvpc mode containers of a task share localhost) with a container health check, and make the app container depend on it with \`dependsOn\` condition \`HEALTHY\`.`,
            ]
          : [
              where
                ? `Check that ${kind ?? 'the dependency'} at ${where} is up and listens${port !== undefined ? ` on port ${port}` : ''}, and that the program's host/port settings point at it.`
                : "Find the dependency's host and port in the lines before the cited one or in the program's settings, check that it is up and listens there, and that the settings point at it.",
            ],
      }),
    );
  },
};
