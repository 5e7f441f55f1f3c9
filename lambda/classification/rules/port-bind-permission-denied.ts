import type { Evidence } from '../../evidence/types';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { portNear, streamLines } from '../log-patterns';

// Binding a port below 1024 without root: Node `listen EACCES: permission denied 0.0.0.0:80`, Go
// `listen tcp :80: bind: permission denied`, nginx `bind() to 0.0.0.0:80 failed (13: Permission denied)`,
// uvicorn `[Errno 13] error while attempting to bind on address ('0.0.0.0', 80): permission denied`,
// Ruby `Permission denied - bind(2) for "0.0.0.0" port 80`.
const BIND_DENIED =
  /\blisten EACCES\b|\bbind: permission denied\b|\bbind\(\) to \S{1,100} failed \(13: Permission denied\)|\berror while attempting to bind on address\b[^\n]{0,120}\bpermission denied\b|\bPermission denied - bind\(2\)/i;
function userOf(evidence: Evidence, containerName: string | undefined): string | undefined {
  return evidence.taskDefinition?.containers.find((c) => c.name === containerName)?.user;
}

/** The program may not bind its (privileged) port: it runs as a non-root user. */
export const portBindPermissionDenied: Rule = {
  id: 'port-bind-permission-denied',
  logPatterns: [BIND_DENIED],
  category: 'port_bind_failed',
  title: 'Permission denied binding the port (privileged port as a non-root user)',
  remediation: [
    'Listen on an unprivileged port (1024 or above, e.g. 8080) and set that port as `containerPort` in `portMappings` and as the target group\'s port/health-check port; the load balancer can still listen on 80/443.',
    'Or run the process as a user allowed to bind low ports (root, or a binary with the `cap_net_bind_service` file capability).',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_user',
    'https://man7.org/linux/man-pages/man7/capabilities.7.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, BIND_DENIED);
    if (!hit) return NO_MATCH;
    const port = portNear(hit.item.text, hit.index)?.toString();
    const user = userOf(evidence, hit.item.containerName);
    return resultOf(
      hitFinding(hit, {
        title: port ? `Permission denied binding port ${port}` : 'Permission denied binding the listening port',
        explanation: `The program was not allowed to listen on ${port ? `port ${port}` : 'its port'}. Ports below 1024 are privileged on Linux: a process that does not run as root (${user ? `the task definition sets \`user\` to \`${user}\`` : 'the image\'s USER or the task definition\'s `user`'}) cannot bind them.`,
        confidence: 0.9,
      }),
    );
  },
};
