import { NO_MATCH, type Rule } from '../types';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { stopTextHits } from '../stop-text-finding';

// At pull time the registry's image index has no entry for the task's platform: containerd on Fargate
// says `image Manifest does not contain descriptor matching platform 'linux/amd64'`, Docker says
// `no matching manifest for linux/arm64/v8 in the manifest list entries`. A Windows image built for a newer
// OS build than the host: `The container operating system does not match the host operating system.`
// (HCS) or `a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host` (Docker).
// A Linux image on a Windows host (or the reverse): moby's pull refuses it with `image operating system
// "linux" cannot be used on this platform` (older engines: `… is not supported on this platform`).
const NO_PLATFORM =
  /does not contain descriptor matching platform|no matching manifest for \S{1,60} in the manifest list|does not match the specified platform|container operating system does not match the host operating system|Windows version [\d.]{1,30}-based image is incompatible with a [\d.]{1,30} host|image operating system "?[\w.-]{1,30}"? cannot be used on this platform|operating system "?[\w.-]{1,30}"? is not supported on this platform/i;

/** The image has no build for the task's OS/CPU platform. */
export const imagePlatformNotInManifest: Rule = {
  id: 'image-platform-not-in-manifest',
  category: 'image_arch_mismatch',
  title: 'Image has no build for the task\'s platform',
  remediation: [
    'Push an image built for the task\'s platform (`docker buildx build --platform linux/amd64,linux/arm64 --push …` builds both).',
    'Or set `runtimePlatform` (`cpuArchitecture`, `operatingSystemFamily`) in the task definition to a platform the image provides.',
    'Windows: process-isolated containers need an image built on the host\'s Windows Server version; rebuild on the matching base image tag (e.g. `ltsc2019` for Windows Server 2019 hosts) or run the task on an AMI of the image\'s version.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-arm64.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-optimized_windows_AMI.html',
    'https://github.com/moby/moby/blob/master/distribution/pull_v2_windows.go',
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
