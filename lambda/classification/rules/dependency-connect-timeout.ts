import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { isAwsApiEndpoint, isLowSeverity, isTelemetryNoise, isTelemetryPort, peerAddress, serviceForPort, streamLines } from '../log-patterns';

// Connection attempts that got no answer: Node `connect ETIMEDOUT 10.0.3.4:5432`, POSIX `[Errno 110]
// Connection timed out`, libpq `…port 5432 failed: timeout expired`, Go `dial tcp 10.0.3.4:5432: i/o timeout`,
// Java `SocketTimeoutException: connect timed out`, MySQL `Can't connect to MySQL server on 'db' (110)`,
// Mongo `Server selection timed out after 30000 ms` and Atlas's `Could not connect to any servers in your
// MongoDB Atlas cluster` (an IP access list drops the packets), `EHOSTUNREACH`, pymongo `ServerSelectionTimeoutError`,
// Oracle `ORA-12170: TNS:Connect timeout occurred`, SQL Server `Login timeout expired`, redis-py `Timeout connecting to server`.
const CONNECT_TIMEOUT =
  /\bconnect ETIMEDOUT\b|\bConnection timed out\b|\bconnect timed out\b|\bfailed: timeout expired\b|\bdial tcp [^\s]{1,300}: i\/o timeout\b|\bCan't connect to MySQL server on [^\n]{0,200}\(110\)|\bServer selection timed out after\b|\bEHOSTUNREACH\b|\bConnection attempt timed out\b|\bCould not connect to any servers in your MongoDB Atlas cluster\b|\bServerSelectionTimeoutError\b|\bORA-12170\b|\bLogin timeout expired\b|\bTimeout connecting to server\b/i;

/** Connecting to a dependency timed out (security group, routing, no egress). */
export const dependencyConnectTimeout: Rule = {
  id: 'dependency-connect-timeout',
  logPatterns: [CONNECT_TIMEOUT],
  category: 'dependency_unreachable',
  title: 'Connecting to a dependency timed out (ETIMEDOUT, Connection timed out)',
  remediation: [
    "A connect timeout means the packets got no answer: check that the dependency's security group allows inbound on its port from the task's security group, and that network ACLs allow the traffic both ways.",
    'Check routing: the dependency must be in the same VPC or reachable through peering/Transit Gateway; a public endpoint needs a NAT gateway or a public IP on the task.',
    'Test from inside the task with ECS Exec, e.g. `timeout 5 bash -c "</dev/tcp/HOST/PORT" && echo open`.',
  ],
  sources: [
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-security-groups.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html',
    'https://pymongo.readthedocs.io/en/stable/api/pymongo/errors.html#pymongo.errors.ServerSelectionTimeoutError',
    'https://docs.oracle.com/en/error-help/db/ora-12170/',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findAll(lines, CONNECT_TIMEOUT).find((h) => !isLowSeverity(h.item.text) && !isTelemetryPort(peerAddress(h.item.text).port) && !isTelemetryNoise(h.item.text));
    if (!hit) return NO_MATCH;
    const { host, port } = peerAddress(hit.item.text);
    const kind = serviceForPort(port);
    const where = host ? `${host}${port !== undefined ? `:${port}` : ''}` : undefined;
    const awsEndpoint = isAwsApiEndpoint(host);
    return resultOf(
      hitFinding(hit, {
        ...(awsEndpoint ? { category: 'network_egress_blocked' as const } : {}),
        title: `Connection to ${kind ? `${kind} at ` : ''}${where ?? 'a dependency'} timed out`,
        explanation: `The program's connection attempt to ${where ?? 'a dependency'} got no answer before timing out. Unlike "connection refused", this usually means the traffic is dropped on the way: a security group, network ACL or missing route.`,
        confidence: 0.8,
        remediation: where
          ? [`Allow inbound TCP${port !== undefined ? ` ${port}` : ''} on ${kind ?? 'the dependency'}'s security group from the task's security group, and check the route from the task's subnets to ${host}.`]
          : [],
      }),
    );
  },
};
