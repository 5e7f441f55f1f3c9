import type { Rule } from '../types';
import { normaliseText } from '../evidence-text';
import { stopTextHits, stopTextResult } from '../stop-text-finding';
import { isContainerdVolumeTimeout } from './container-runtime-error';

// `CannotCreateVolumeError` (the agent could not create a task volume), Fargate's
// `ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr:
// b'mount.nfs4: …' : unsuccessful EFS utils command execution; code: 32`, and runc's
// `error mounting "…" to rootfs at "…"` for bind mounts. On EC2, EFS and Docker volumes go through a Docker
// volume plugin (the agent's `amazon-ecs-volume-plugin`), whose failures Docker reports inside
// `CannotCreateContainerError` as `…/VolumeDriver.Create: …` (or `.Mount`, `.Get`, `.Path`); the EFS mount
// helper's own messages (`Failed to resolve "fs-….efs…"`, `Failed to initialize TLS tunnel`) say why.
const VOLUME =
  /CannotCreateVolumeError|failed to invoke EFS utils commands|unsuccessful EFS utils command|mount\.nfs4?: |mount error\(\d+\)|error mounting "[^"\n]{1,500}" to rootfs|\/VolumeDriver\.(?:Create|Mount|Get|Path|Remove|Unmount)\b|\bamazon-ecs-volume-plugin\b|\bFailed to resolve "fs-[0-9a-f]{8,40}\.efs\.|\bFailed to initialize TLS tunnel for fs-/i;

function specificSteps(raw: string): string[] {
  const text = normaliseText(raw);
  if (/access denied by server/i.test(text)) {
    return [
      'The EFS server refused the mount: check the file system policy (it must allow `elasticfilesystem:ClientMount`, and `ClientWrite` unless `readOnly`, to the task role), and with `transitEncryption`/`iam: ENABLED` make sure the task role is the one the policy names.',
      'If the volume uses an access point, check that it exists in the same file system and that its root directory and POSIX user are valid.',
    ];
  }
  if (/timed out|Connection reset by peer|Connection refused|context deadline exceeded/i.test(text)) {
    return ['The task could not reach the EFS mount target: allow inbound NFS (TCP 2049) from the task\'s security group on the mount target\'s security group, and create a mount target in every Availability Zone the task runs in.'];
  }
  if (/Failed to resolve|resolve/i.test(text)) {
    return ['The EFS mount target name did not resolve: enable DNS resolution and DNS hostnames on the VPC, check the file system id, and create a mount target in the task\'s Availability Zone.'];
  }
  return [];
}

/** A task volume (EFS, bind or Docker volume) could not be created or mounted. */
export const volumeMountFailed: Rule = {
  id: 'volume-mount-failed',
  category: 'volume_mount_failed',
  title: 'Task volume could not be mounted',
  remediation: [
    'Check the `volumes` of the task definition: the EFS file system id, access point and options, or the host path / Docker volume driver.',
    'For EFS: mount targets in the task\'s subnets/AZs, NFS (TCP 2049) allowed from the task\'s security group, and a file system policy that lets the task role mount.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/efs-volumes.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html',
    'https://github.com/aws/amazon-ecs-agent/tree/master/ecs-init/volumes',
    'https://docs.aws.amazon.com/efs/latest/ug/troubleshooting-efs-mounting.html',
    'https://docs.docker.com/engine/extend/plugins_volume/',
  ],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, VOLUME, isContainerdVolumeTimeout), {
      title: 'A volume of the task could not be mounted',
      explanation:
        'The agent prepares the task\'s volumes before it starts the containers. Mounting one of them failed, so no container started.',
      steps: specificSteps,
    });
  },
};
