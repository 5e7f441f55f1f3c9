import type { ContainerDefinitionEvidence, Evidence } from '../../evidence/types';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll, matchText, cite, type TextSource } from '../evidence-text';
import { streamLines } from '../log-patterns';
import { nameToken } from '../own-words';

// File-system refusals that name the path: Node `EACCES: permission denied, mkdir '/x'`, Python
// `PermissionError: [Errno 13] Permission denied: '/x'`, coreutils `mkdir: cannot create directory '/x':
// Permission denied`, nginx `open() "/x" failed (13: Permission denied)`, Java `java.io.FileNotFoundException:
// /x (Permission denied)` and `java.nio.file.AccessDeniedException: /x`. A reverse proxy refused its upstream's
// Unix socket (nginx `connect() to unix:/run/php/php-fpm.sock failed (13: Permission denied) while connecting to
// upstream`, Apache mod_proxy_fcgi `(13)Permission denied: AH02454: FCGI: attempt to connect to Unix domain socket
// /x`): every request through it fails with 502, the health check's included.
const PATTERNS: readonly RegExp[] = [
  /\b(connect)\(\) to unix:(\/[^\s:]{1,500}):? failed \(13: Permission denied\)/,
  /\(13\)Permission denied: AH\d{5}: FCGI: attempt to (connect) to Unix domain socket (\/[^\s(]{1,500})/,
  /\bEACCES: permission denied, (\w{1,30}) '([^']{1,500})'/,
  /\[Errno 13\] Permission denied: \\?['"]([^'"\\]{1,500})/,
  /\b(?:cannot|can't) (?:create|open|write|remove|touch|access|move|stat|make)[^\n:]{0,40}? ['"‘]?(\/[^'"’:\n]{0,500})['"’]?: Permission denied/,
  /\b(?:open|mkdir|chown|chmod|rename|unlink)\(\) "(\/[^"]{0,500})" failed \(13: Permission denied\)/,
  /(\/[^\s()'"]{1,500}) \(Permission denied\)/,
  /\bAccessDeniedException: (\/\S{0,500})/,
];
// Refusals that are another category: exec of the entrypoint (container_command_invalid), binding a port
// (port_bind_failed), SSH keys, database privileges.
const OTHER_CATEGORY = /\bexec\b[^\n]{0,200}permission denied|\blisten EACCES|\bbind\b[^\n]{0,60}permission denied|Permission denied \(publickey|permission denied for (?:table|relation|schema|database|sequence|function)/i;

interface Hit {
  item: TextSource;
  index: number;
  path: string;
  operation?: string;
}

// Cheap literal gate: the path patterns only run on a bounded window around it, so long lines stay linear.
const GATE = /EACCES|Permission denied|AccessDeniedException/i;
const WINDOW = 600;

function firstHit(lines: readonly TextSource[]): Hit | undefined {
  for (const gate of findAll(lines, GATE)) {
    const item = gate.item;
    if (OTHER_CATEGORY.test(item.text)) continue;
    const start = Math.max(0, gate.index - WINDOW);
    const window = item.text.slice(start, gate.index + WINDOW);
    for (const pattern of PATTERNS) {
      const m = matchText(window, pattern);
      if (!m) continue;
      const [a, b] = m.groups;
      const index = start + m.index;
      return b !== undefined ? { item, index, operation: a, path: b } : { item, index, path: a ?? '' };
    }
  }
  return undefined;
}

function containerOf(evidence: Evidence, name: string | undefined): ContainerDefinitionEvidence | undefined {
  const containers = evidence.taskDefinition?.containers ?? [];
  return containers.find((c) => c.name === name) ?? (containers.length === 1 ? containers[0] : undefined);
}

/** Steps for the path, using `readonlyRootFilesystem`, `user` and `mountPoints` when the task definition is known. */
function steps(path: string | undefined, operation: string | undefined, container: ContainerDefinitionEvidence | undefined): string[] {
  // A path that is not one name-shaped token stays in the cited line; the steps say `DIR`.
  const dir = path === undefined ? 'DIR' : operation === 'mkdir' || operation === 'scandir' || operation === 'rmdir' ? path : path.slice(0, path.lastIndexOf('/')) || '/';
  const out: string[] = [];
  if (operation === 'connect') {
    out.push(`The proxy's worker user may not connect to the upstream socket ${path ? `\`${path}\`` : '(named in the cited line)'}: give the socket an owner, group or mode that user can use (php-fpm: \`listen.owner\`, \`listen.group\` and \`listen.mode = 0660\` in the pool configuration, matching nginx's \`user\`), or listen on TCP (\`listen = 127.0.0.1:9000\`) instead. The load balancer's 502 answers are this failure seen from outside.`);
    return out;
  }
  if (container?.readonlyRootFilesystem) {
    out.push(`The container definition \`${container.name}\` sets \`readonlyRootFilesystem: true\`: mount a writable volume at \`${dir}\` (a task volume with a \`mountPoints\` entry; on Fargate a volume without a host path is task-scoped ephemeral storage; on EC2 \`linuxParameters.tmpfs\` also works) or point the program's cache/data directory at such a mount. A bind mount is owned by root with mode 0755 unless the Dockerfile creates that directory, chowns it to the app user and declares it with \`VOLUME\` at the same path.`);
  }
  const user = container?.user;
  out.push(
    `Make \`${dir}\` writable by the user the container runs as${user ? ` (\`user\` is \`${user}\` in the task definition)` : ' (the image\'s USER, or `user` in the task definition)'}: create it and \`chown\` it to that user in the Dockerfile (e.g. \`RUN mkdir -p ${dir} && chown -R ${user ?? 'APPUSER'} ${dir}\`), or set the program's cache/data directory to a writable location.`,
  );
  const mount = container?.mountPoints.find((m) => m.containerPath && (dir === m.containerPath || dir.startsWith(`${m.containerPath}/`)));
  if (mount) {
    out.push(`\`${dir}\` is on the volume \`${mount.sourceVolume ?? '?'}\` mounted at \`${mount.containerPath ?? '?'}\`${mount.readOnly ? ' with `readOnly: true`' : ''}: the volume's owner and mode decide who may write there (for EFS, use an access point with a POSIX user and root-directory permissions).`);
  }
  return out;
}

/** The program was refused a file or directory (EACCES, `[Errno 13] Permission denied`). */
export const filePermissionDenied: Rule = {
  id: 'file-permission-denied',
  logPatterns: [GATE],
  category: 'permission_denied',
  title: 'The program was refused a file or directory (EACCES, Permission denied)',
  remediation: [
    'Check which user the process runs as (`docker run --rm --entrypoint id IMAGE`) and the owner and mode of the path (`ls -ld PATH`) in the image.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html',
    'https://nginx.org/en/docs/http/ngx_http_fastcgi_module.html#fastcgi_pass',
    'https://www.php.net/manual/en/install.fpm.configuration.php',
    'https://httpd.apache.org/docs/2.4/mod/mod_proxy_fcgi.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = firstHit(lines);
    if (!hit) return NO_MATCH;
    const container = containerOf(evidence, hit.item.containerName);
    // Only a path- and an operation-shaped token may be named in the title and the steps.
    const path = nameToken(hit.path);
    const operation = nameToken(hit.operation);
    const where = path ? `\`${path}\`` : 'the path in the cited line';
    return {
      status: 'match',
      findings: [
        {
          title: `Permission denied${operation ? ` (${operation})` : ''} on ${path ?? 'a file or directory'}`,
          explanation:
            hit.operation === 'connect'
              ? `A proxy in the container was refused the upstream's Unix socket ${where} (13: Permission denied): the user its workers run as may not connect to it, so every request it forwards, the load balancer's health check included, gets an error answer (502) although both programs run.`
              : `The program was refused ${operation ? `\`${operation}\` on ` : ''}${where}: the user it runs as may not write there${container?.readonlyRootFilesystem ? ', and the root file system is read-only' : ''}. A program that cannot create its cache or data directory usually stops at start-up.`,
          confidence: 0.9,
          evidence: [cite(hit.item, hit.index)],
          remediation: steps(path, operation, container),
          scope: hit.item.scope,
          taskArn: hit.item.taskArn,
        },
      ],
    };
  },
};
