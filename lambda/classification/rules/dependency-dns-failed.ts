import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { isAwsApiEndpoint, isLowSeverity, isOwnHostnameFailure, isTelemetryNoise, peerAddress, serviceForPort, streamLines } from '../log-patterns';

// Name-resolution failures: Node `getaddrinfo ENOTFOUND db` / `EAI_AGAIN`, libpq `could not translate host
// name "db" to address`, glibc `Name or service not known` / `Temporary failure in name resolution`, nginx
// `host not found in upstream "php-fpm:9000"`, Go `lookup db on 10.0.0.2:53: no such host`, Java
// `UnknownHostException`, MySQL `Unknown MySQL server host 'db'`.
const DNS_FAILED =
  /\bgetaddrinfo (?:ENOTFOUND|EAI_AGAIN)\b|\bcould not translate host name\b|\bName or service not known\b|\bTemporary failure in name resolution\b|\bhost not found in upstream\b|\bno such host\b|\bUnknownHostException\b|\bUnknown MySQL server host\b|\bnodename nor servname provided\b/i;

/** A dependency's host name does not resolve (compose service names, wrong endpoint, DNS off). */
export const dependencyDnsFailed: Rule = {
  id: 'dependency-dns-failed',
  logPatterns: [DNS_FAILED],
  category: 'dependency_unreachable',
  title: "A dependency's host name does not resolve (ENOTFOUND, could not translate host name)",
  remediation: [
    'Check the host name the program is configured with (environment variable, secret, config file) against the real endpoint.',
    'For private names (Route 53 private hosted zones, Cloud Map), check the zone is associated with the task\'s VPC and that the VPC has DNS resolution (`enableDnsSupport`) and DNS host names enabled.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/interconnecting-services.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect.html',
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hits = findAll(lines, DNS_FAILED).filter((h) => !isLowSeverity(h.item.text) && !isTelemetryNoise(h.item.text) && !isOwnHostnameFailure(h.item.text));
    // The most specific line of a chain: the one naming the host (redis-py's `Error -2 connecting to HOST:6379.
    // Name or service not known.`) over the bare `socket.gaierror: [Errno -2] Name or service not known` before it.
    const hit = ownFirst(hits.filter((h) => peerAddress(h.item.text).host !== undefined)) ?? ownFirst(hits);
    if (!hit) return NO_MATCH;
    const { host, port } = peerAddress(hit.item.text);
    const kind = serviceForPort(port);
    const shortName = host !== undefined && !host.includes('.') && !/^\d/.test(host);
    const awsEndpoint = isAwsApiEndpoint(host);
    const temporary = /EAI_AGAIN|Temporary failure/i.test(hit.item.text);
    const steps: string[] = [];
    if (shortName && host) {
      steps.push(
        `\`${host}\` is a bare name such as a docker-compose service name; ECS has no compose network DNS. If ${host} runs as another container of the same task (awsvpc mode), connect to \`127.0.0.1${port !== undefined ? `:${port}` : ''}\` (or \`localhost\`) instead; if it is a separate ECS service, give it a name with ECS Service Connect or Cloud Map service discovery and use that name.`,
      );
      if (/host not found in upstream/i.test(hit.item.text)) {
        steps.push('nginx resolves `upstream`/`proxy_pass` host names once at start-up and exits when one does not resolve: fix the name, or use a `resolver` directive with a variable in `proxy_pass` to resolve at request time.');
      }
    } else if (awsEndpoint) {
      steps.push(`\`${host ?? ''}\` is an AWS API endpoint: a task in a private subnet resolves and reaches it only with DNS enabled in the VPC and a route out (NAT gateway) or an interface VPC endpoint with private DNS.`);
    } else if (temporary) {
      steps.push('The resolver did not answer (EAI_AGAIN / temporary failure): check the VPC resolver is reachable (VPC DNS enabled, DHCP options set), and on EC2 the instance\'s resolver configuration; retry name resolution at start-up.');
    }
    return resultOf(
      hitFinding(hit, {
        ...(awsEndpoint ? { category: 'network_egress_blocked' as const } : {}),
        title: host ? `Host name ${host}${port !== undefined ? ` (port ${port}${kind ? `, ${kind}` : ''})` : ''} does not resolve` : "A dependency's host name does not resolve",
        explanation: `The program looked up ${host ? `\`${host}\`` : 'the host name of a dependency'} and DNS returned no address, so it could not connect${shortName ? '. A bare name like this works under docker-compose, which runs a DNS server for service names, but not on ECS' : ''}.`,
        confidence: 0.85,
        remediation: steps,
      }),
    );
  },
};
