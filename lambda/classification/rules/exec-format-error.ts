import type { Evidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, type Rule } from '../types';
import { findAll, logLines, serviceEvents, stopTexts } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';

// The kernel refuses to execute a binary built for another CPU architecture with ENOEXEC, which runc
// prints as `exec /usr/bin/java: exec format error` (in the container's own log) or, older,
// `standard_init_linux.go:228: exec user process caused: exec format error`.
const EXEC_FORMAT = /exec format error/i;

/** `runtimePlatform.cpuArchitecture` of the task definition, as evidence, when it was read. */
function architectureEvidence(evidence: Evidence): { item?: EvidenceItem; sentence: string } {
  const platform = evidence.taskDefinition?.runtimePlatform;
  const arch = platform?.cpuArchitecture;
  if (arch) {
    return {
      item: { source: 'taskDefinition', text: arch },
      sentence: ` The task definition's \`runtimePlatform.cpuArchitecture\` is \`${arch}\`, so the image must contain a ${/arm/i.test(arch) ? 'linux/arm64' : 'linux/amd64'} build.`,
    };
  }
  if (evidence.taskDefinition) {
    return { sentence: ' The task definition sets no `runtimePlatform.cpuArchitecture`, so the task runs on X86_64 (linux/amd64), and an image built on an ARM machine (e.g. Apple silicon) cannot run there.' };
  }
  return { sentence: '' };
}

/** A binary in the image was built for another CPU architecture (or a script lacks its `#!` line). */
export const execFormatError: Rule = {
  id: 'exec-format-error',
  logPatterns: [EXEC_FORMAT],
  category: 'image_arch_mismatch',
  title: 'Image built for another CPU architecture (exec format error)',
  remediation: [
    'Build the image for the task\'s platform: `docker buildx build --platform linux/amd64` (X86_64) or `linux/arm64` (ARM64), or a multi-architecture image for both.',
    'Or set `runtimePlatform.cpuArchitecture` in the task definition to the architecture the image was built for (Fargate and Graviton instances run ARM64).',
    'If the entrypoint is a shell script, make sure its first line is a `#!` interpreter line: a script without one also fails with this error.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-arm64.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#runtime-platform',
  ],
  match(evidence) {
    const aws = findAll([...stopTexts(evidence), ...serviceEvents(evidence)], EXEC_FORMAT);
    const own = findAll(logLines(evidence), EXEC_FORMAT);
    const hit = aws.find((h) => h.item.scope === 'task') ?? own.find((h) => h.item.scope === 'task') ?? aws[0] ?? own[0];
    if (!hit) return NO_MATCH;
    const arch = architectureEvidence(evidence);
    const fromLog = hit.item.source === 'log';
    return resultOf(
      hitFinding(hit, {
        title: 'The image\'s executable was built for another CPU architecture',
        explanation: `The kernel refused to execute the container's program ("exec format error"): the binary in the image targets a different CPU architecture than the one the task runs on.${arch.sentence}`,
        confidence: hit.item.scope !== 'task' ? 0.7 : fromLog ? 0.9 : 0.95,
        evidence: arch.item ? [arch.item] : [],
      }),
    );
  },
};
