import { NO_MATCH, type Rule } from '../types';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { stopTextHits } from '../stop-text-finding';

// At pull time the registry's image index has no entry for the task's platform: containerd on Fargate
// says `image Manifest does not contain descriptor matching platform 'linux/amd64'`, Docker says
// `no matching manifest for linux/arm64/v8 in the manifest list entries`.
const NO_PLATFORM =
  /does not contain descriptor matching platform|no matching manifest for \S{1,60} in the manifest list|does not match the specified platform/i;

/** The image has no build for the task's OS/CPU platform. */
export const imagePlatformNotInManifest: Rule = {
  id: 'image-platform-not-in-manifest',
  category: 'image_arch_mismatch',
  title: 'Image has no build for the task\'s platform',
  remediation: [
    'Push an image built for the task\'s platform (`docker buildx build --platform linux/amd64,linux/arm64 --push …` builds both).',
    'Or set `runtimePlatform` (`cpuArchitecture`, `operatingSystemFamily`) in the task definition to a platform the image provides.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-arm64.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
  ],
  match(evidence) {
    const hit = ownFirst(stopTextHits(evidence, NO_PLATFORM));
    if (!hit) return NO_MATCH;
    const arch = evidence.taskDefinition?.runtimePlatform?.cpuArchitecture;
    return resultOf(
      hitFinding(hit, {
        title: 'The image offers no build for the platform the task runs on',
        explanation: `The registry has the image, but its manifest lists no variant for the task's OS and CPU architecture${arch ? ` (\`runtimePlatform.cpuArchitecture\` is \`${arch}\`)` : ''}, so nothing could be pulled. This usually means the image was built on a machine of the other architecture.`,
        confidence: { task: 0.95, context: 0.75 },
        evidence: arch ? [{ source: 'taskDefinition' as const, text: arch }] : [],
      }),
    );
  },
};
