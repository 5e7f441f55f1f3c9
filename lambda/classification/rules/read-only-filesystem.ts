import type { ContainerDefinitionEvidence, Evidence } from '../../evidence/types';
import { NO_MATCH, NOT_APPLICABLE, type Rule, type RuleResult } from '../types';
import { findAll, findFirst, type TextSource } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { isLowSeverity, streamLines } from '../log-patterns';

// `[Errno 30] Read-only file system: '/app/x'`, Node `EROFS: read-only file system, open '/x'`, coreutils
// `cannot create directory '/x': Read-only file system`.
const READ_ONLY = /\bEROFS\b|\bRead-only file system\b/i;
const NOTICE = /(?:^|[\s:])(?:info|notice|warn(?:ing)?):\s|\?\)/i;
const PATH = /['"‘](\/[^'"’\n]{0,500})['"’]/;
// Start-up failures of runtimes that need a writable temporary directory and do not say "read-only": the .NET
// host's `Failed to create CoreCLR, HRESULT: 0x80004005` (E_FAIL: the runtime cannot create its diagnostics
// IPC socket and memory-mapped files in $TMPDIR) and Python's `No usable temporary directory found in [...]`.
// They count only when the crashed container's definition sets `readonlyRootFilesystem: true`.
const NEEDS_WRITABLE_TMP = /\bFailed to (?:create|initialize) CoreCLR, HRESULT: 0x80004005\b|\bNo usable temporary directory found in \[/;

function containerOf(evidence: Evidence, name: string | undefined): ContainerDefinitionEvidence | undefined {
  const containers = evidence.taskDefinition?.containers ?? [];
  return containers.find((c) => c.name === name) ?? (containers.length === 1 ? containers[0] : undefined);
}

/** A runtime that needs a writable temporary directory failed to start in a container with a read-only root. */
function tmpNotWritable(evidence: Evidence, lines: readonly TextSource[]): RuleResult {
  const hit = ownFirst(findAll(lines, NEEDS_WRITABLE_TMP).filter((h) => containerOf(evidence, h.item.containerName)?.readonlyRootFilesystem === true));
  if (!hit) return NO_MATCH;
  const dotnet = /CoreCLR/.test(hit.item.text);
  return resultOf(
    hitFinding(hit, {
      title: `The runtime in container ${hit.item.containerName ?? 'of the task'} cannot start on a read-only root file system`,
      explanation: `The container definition sets \`readonlyRootFilesystem: true\`, and the ${dotnet ? '.NET runtime' : 'Python runtime'} failed as it started because it needs a writable temporary directory (${dotnet ? 'the .NET host creates its diagnostics socket and memory-mapped files under $TMPDIR, /tmp by default' : '`tempfile` found no writable directory among TMPDIR, /tmp, /var/tmp and the working directory'}). The exit code is the runtime's start-up failure, not a fault of the program's code.`,
      confidence: 0.8,
      remediation: [
        'Mount a writable volume at `/tmp` (a task volume plus a `mountPoints` entry; on Fargate a volume without a host path is task-scoped ephemeral storage), or set `TMPDIR` to a mounted writable path.',
        ...(dotnet ? ['Or turn off the runtime\'s diagnostics endpoints with the environment variable `DOTNET_EnableDiagnostics=0` (no debugger, profiler or EventPipe then).'] : []),
      ],
    }),
  );
}

/** The program wrote to a read-only file system (`readonlyRootFilesystem`, a read-only mount). */
export const readOnlyFilesystem: Rule = {
  id: 'read-only-filesystem',
  logPatterns: [READ_ONLY, NEEDS_WRITABLE_TMP],
  category: 'permission_denied',
  title: 'The program wrote to a read-only file system (EROFS, readonlyRootFilesystem)',
  remediation: [
    'With `readonlyRootFilesystem: true`, mount a writable volume at every path the program writes (temp, cache, PID and upload directories) — a task volume plus a `mountPoints` entry; on Fargate a volume without a host path is task-scoped ephemeral storage.',
    'For a non-root user, create the directory in the Dockerfile, `chown` it to that user and declare it with `VOLUME` at the same path: otherwise ECS creates the bind mount owned by root with mode 0755.',
    'Or configure the program to write only to the mounted paths (e.g. `TMPDIR`, cache directory settings).',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_security',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/bind-mounts.html',
    'https://learn.microsoft.com/en-us/dotnet/core/runtime-config/debugging-profiling',
    'https://docs.python.org/3/library/tempfile.html#tempfile.gettempdir',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    // The most specific line: the program's own failure (nginx `[emerg] … failed (30: Read-only file system)`,
    // `[Errno 30]`, `EROFS`) over an entrypoint script's `info:` notice that it skipped a file.
    const hits = findAll(lines, READ_ONLY).filter((h) => !isLowSeverity(h.item.text));
    const hit = ownFirst(hits.filter((h) => !NOTICE.test(h.item.text))) ?? ownFirst(hits) ?? findFirst(lines, READ_ONLY);
    if (!hit) return tmpNotWritable(evidence, lines);
    const path = PATH.exec(hit.item.text.slice(Math.max(0, hit.index - 300), hit.index + 300))?.[1];
    const container = containerOf(evidence, hit.item.containerName);
    const readOnlyRoot = container?.readonlyRootFilesystem === true;
    return resultOf(
      hitFinding(hit, {
        title: `Read-only file system${path ? ` at ${path}` : ''}`,
        explanation: `The program tried to write${path ? ` \`${path}\`` : ''} on a read-only file system${readOnlyRoot ? `: the container definition \`${container?.name ?? ''}\` sets \`readonlyRootFilesystem: true\`` : ' (the container\'s `readonlyRootFilesystem` setting or a read-only mount)'}.`,
        confidence: 0.9,
        remediation: path ? [`Mount a writable volume at \`${path.slice(0, path.lastIndexOf('/')) || path}\` (or point the program at a mounted directory).`] : [],
      }),
    );
  },
};
