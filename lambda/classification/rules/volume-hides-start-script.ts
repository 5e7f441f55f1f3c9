import type { ContainerDefinitionEvidence, Evidence } from '../../evidence/types';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll, logLines, normaliseText, serviceEvents, stopTexts, type TextMatch } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';

// Texts that name a file the container wanted to run but did not find: runc's `exec: "/app/start.sh":
// stat /app/start.sh: no such file or directory` and `exec /app/start.sh: no such file or directory`,
// Python's `can't open file '/app/main.py': [Errno 2] No such file or directory`, sh's `can't open
// 'start.sh'`, Node's `Cannot find module '/app/index.js'`.
const MISSING = [
  /exec: "[^"\n]{1,500}": stat ([^\s:"]{1,500}): no such file or directory/i,
  /\bexec (\/[^\s:"]{1,500}): no such file or directory/i,
  /can't open (?:file )?'([^'\n]{1,500})'[^\n]{0,40}No such file or directory/i,
  /Cannot find module '(\/[^'\n]{1,500})'/,
];
const ANY_MISSING = new RegExp(MISSING.map((p) => p.source).join('|'), 'i');

/** The absolute path of the missing file, resolved against the container's working directory. */
function missingPath(text: string, definition: ContainerDefinitionEvidence | undefined): string | undefined {
  const t = normaliseText(text);
  for (const pattern of MISSING) {
    const path = pattern.exec(t)?.[1];
    if (!path) continue;
    if (path.startsWith('/')) return path;
    const dir = definition?.workingDirectory;
    return dir ? `${dir.replace(/(?<!\/)\/+$/, '')}/${path.replace(/^\.\//, '')}` : undefined;
  }
  return undefined;
}

function definitionFor(evidence: Evidence, hit: TextMatch): ContainerDefinitionEvidence | undefined {
  const containers = evidence.taskDefinition?.containers ?? [];
  return containers.find((c) => c.name === hit.item.containerName) ?? (containers.length === 1 ? containers[0] : undefined);
}

/**
 * The program file the container starts is missing only because a volume is mounted over its folder:
 * a mount point's `containerPath` is the file's folder or one of its parents, so the mount hides what
 * the image has there.
 */
export const volumeHidesStartScript: Rule = {
  id: 'volume-hides-start-script',
  logPatterns: [ANY_MISSING],
  category: 'volume_mount_failed',
  title: 'A volume mounted over the program\'s folder hides the file it starts',
  remediation: [
    'Mount the volume on a folder of its own (e.g. `/data`) instead of over the folder that holds the program.',
    'If the volume must be there, put the program files on the volume, or copy them in at start from another path in the image.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_storage',
    'https://docs.docker.com/engine/storage/volumes/',
  ],
  match(evidence) {
    if (!evidence.taskDefinition?.containers.some((c) => c.mountPoints.length > 0)) return NOT_APPLICABLE;
    const hits = findAll([...stopTexts(evidence), ...serviceEvents(evidence), ...logLines(evidence)], ANY_MISSING);
    for (const hit of hits) {
      const definition = definitionFor(evidence, hit);
      const path = missingPath(hit.item.text, definition);
      if (!definition || !path) continue;
      const mount = definition.mountPoints.find((m) => m.containerPath && (path.startsWith(`${m.containerPath.replace(/(?<!\/)\/+$/, '')}/`)));
      if (!mount?.containerPath) continue;
      return resultOf(
        hitFinding(hit, {
          title: `Volume \`${mount.sourceVolume ?? mount.containerPath}\` is mounted over \`${mount.containerPath}\`, hiding \`${path}\``,
          explanation: `The container could not find \`${path}\`, and the task definition mounts ${mount.sourceVolume ? `volume \`${mount.sourceVolume}\`` : 'a volume'} at \`${mount.containerPath}\` in container \`${definition.name}\`. A mount replaces what the image has at that path, so the file baked into the image is hidden by the (empty or different) volume.`,
          confidence: { task: 0.85, context: 0.6 },
          evidence: [{ source: 'taskDefinition', text: mount.containerPath, containerName: definition.name }],
          remediation: [`Move the mount point of \`${mount.sourceVolume ?? 'the volume'}\` away from \`${mount.containerPath}\`, or make sure \`${path}\` exists on the volume.`],
        }),
      );
    }
    return NO_MATCH;
  },
};
