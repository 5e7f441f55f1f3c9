import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { isLowSeverity, isOwnHostnameFailure, streamLines } from '../log-patterns';

// The texts `isOwnHostnameFailure` recognises, as a scan gate: the JVM's `Local host name unknown` and
// doubled `UnknownHostException: HOST: HOST:`, `hostname: Name or service not known`, sudo's `unable to resolve host`.
const GATE = /\bLocal host name unknown\b|\bUnknownHostException: [^\s:]{1,253}: [^\s:]{1,253}:|^hostname: |^sudo: unable to resolve host \S/;

/** The program could not resolve the task's own host name (a JVM agent, `hostname -i`, sudo). */
export const localHostnameUnresolvable: Rule = {
  id: 'local-hostname-unresolvable',
  logPatterns: [GATE],
  category: 'app_config_missing',
  title: "The program could not resolve the task's own host name",
  remediation: [
    "Do not make start-up depend on resolving the container's host name: for JMX or debug agents set `-Djava.rmi.server.hostname=127.0.0.1` (and `-Dcom.sun.management.jmxremote.host`), or remove the agent options from `JAVA_OPTS`/`JAVA_TOOL_OPTIONS` in the task definition.",
    'In awsvpc mode the host name is the ENI\'s private DNS name: it resolves only when the VPC has DNS resolution and DNS host names enabled (`enableDnsSupport`, `enableDnsHostnames`). In bridge mode on EC2, `hostname` and `extraHosts` in the container definition add it to /etc/hosts.',
  ],
  sources: [
    'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/InetAddress.html#getLocalHost()',
    'https://docs.oracle.com/en/java/javase/21/management/monitoring-and-management-using-jmx-technology.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_network',
    'https://docs.aws.amazon.com/vpc/latest/userguide/vpc-dns.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = ownFirst(findAll(lines, GATE).filter((h) => isOwnHostnameFailure(h.item.text) && !isLowSeverity(h.item.text)));
    if (!hit) return NO_MATCH;
    return resultOf(
      hitFinding(hit, {
        title: `The program in container ${hit.item.containerName ?? 'of the task'} could not resolve its own host name`,
        explanation:
          "The line says the program looked up the task's own host name (not a dependency's) and got no address. JVM agents (JMX, remote debugging) and start scripts do this at start-up; it fails when the host name is not in /etc/hosts and the VPC's DNS does not know it. Nothing outside the task is involved: the fix is in the program's options or the task's host-name settings.",
        confidence: 0.85,
      }),
    );
  },
};
