import { NO_MATCH, type Rule } from '../types';
import { findAll, stopTexts } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';

// Error prefixes AWS documents for agent/runtime-side faults ("Stopped tasks error codes"):
// `ContainerRuntimeError`, `ContainerRuntimeTimeoutError` (`DockerTimeoutError` on platform 1.3),
// `CannotInspectContainerError`, `CannotStopContainerError`, `CannotCreateContainerError`, and
// `InternalError`. Case-sensitive on purpose: these are identifiers, and the service event text
// `Reason: Internal error.` (a subnet in an unsupported Availability Zone) is a placement problem.
// `CannotStartContainerError: failed to create containerd task` is containerd failing to create the task
// itself (a shim timeout), before any of the container's configuration is used; `CannotCreateVolumeError:
// … containerd: … context deadline exceeded` is containerd timing out while it prepares the image's
// volumes on Fargate, a transient platform fault (https://github.com/aws/containers-roadmap/issues/1425).
// On Windows hosts the Host Compute Service shim reports its own failures as `hcsshim::ImportLayer failed in
// Win32: …` / `hcsshim::CreateComputeSystem …: …` (moby's windowsfilter graph driver, microsoft/hcsshim):
// the host could not unpack or create the container's layers, whatever error prefix ECS puts before it.
const RUNTIME =
  /\bhcsshim::\w{1,60}(?: \S{1,80})? failed\b|\bhcs::\w{1,60}(?: \S{1,80})?: |\b(?:ContainerRuntimeError|ContainerRuntimeTimeoutError|DockerTimeoutError|CannotInspectContainerError|CannotStopContainerError|CannotCreateContainerError|InternalError)\b|CannotStartContainerError: failed to create containerd task|CannotCreateVolumeError: [^\n]{0,300}?containerd: [^\n]{0,300}?context deadline exceeded/;

/** Whether a volume error is containerd timing out (a platform fault), not the volume's configuration. */
export function isContainerdVolumeTimeout(text: string): boolean {
  return /CannotCreateVolumeError: [^\n]{0,300}?containerd: [^\n]{0,300}?context deadline exceeded/.test(text);
}

/** The container runtime or agent failed for reasons outside the task's configuration. */
export const containerRuntimeError: Rule = {
  id: 'container-runtime-error',
  category: 'platform_error',
  title: 'Container runtime or agent error',
  remediation: [
    'Start the task again: transient runtime faults usually clear on a new host. Services do this by themselves.',
    'On EC2, check the container instance: Docker/containerd and ECS agent health (`/var/log/ecs/ecs-agent.log`, `systemctl status docker`), free disk and memory; update the ECS-optimized AMI or drain and replace the instance.',
    'If it keeps happening on Fargate, open an AWS Support case with the task ARN and the stopped reason.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-inspect-container.html',
    'https://github.com/aws/containers-roadmap/issues/1425',
    'https://github.com/microsoft/hcsshim',
    'https://github.com/moby/moby/issues/32814',
  ],
  match(evidence) {
    const hit = ownFirst(findAll(stopTexts(evidence), RUNTIME));
    if (!hit) return NO_MATCH;
    return resultOf(
      hitFinding(hit, {
        title: `The container runtime failed: ${hit.matched}`,
        explanation:
          'ECS reported a fault of the container runtime or agent (creating, inspecting, starting or stopping the container, or an internal error), not of the program or its configuration. Such faults are usually tied to the host or to a transient platform problem.',
        confidence: { task: 0.8, context: 0.6 },
      }),
    );
  },
};
