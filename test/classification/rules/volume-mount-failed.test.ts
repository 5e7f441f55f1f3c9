import { volumeMountFailed } from '../../../lambda/classification/rules/volume-mount-failed';
import { taskStopped } from '../../helpers/evidence';

const EFS_DENIED =
  "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting fs-0f1e2d3c4b5a69788.efs.us-east-1.amazonaws.com:/' : unsuccessful EFS utils command execution; code: 32";

describe('volume-mount-failed', () => {
  it('matches an EFS mount refused by the server and points at the file system policy', () => {
    const result = volumeMountFailed.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: EFS_DENIED }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toContain('access denied by server while mounting');
    expect(result.findings[0]?.remediation?.join(' ')).toContain('file system policy');
  });

  it('matches an unreachable mount target and CannotCreateVolumeError', () => {
    const reset = volumeMountFailed.match(
      taskStopped({ stoppedReason: "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: Connection reset by peer' : unsuccessful EFS utils command execution; code: 32" }),
    );
    expect(reset.status === 'match' && reset.findings[0]?.remediation?.join(' ')).toContain('2049');
    expect(volumeMountFailed.match(taskStopped({ stoppedReason: 'CannotCreateVolumeError: volume driver error' })).status).toBe('match');
  });

  // On EC2, EFS volumes go through the agent's Docker volume plugin; Docker reports its failure inside
  // CannotCreateContainerError (https://github.com/aws/amazon-ecs-agent/issues/2570, https://docs.docker.com/engine/extend/plugins_volume/).
  it('matches a volume-plugin failure inside CannotCreateContainerError and points at NFS from the task', () => {
    const reason =
      'CannotCreateContainerError: Error response from daemon: create ecs-web-16-configs-faf8bc8696dee78e3e00: Post http://%2Frun%2Fdocker%2Fplugins%2Famazon-ecs-volume-plugin.sock/VolumeDriver.Create: context deadline exceeded';
    const result = volumeMountFailed.match(taskStopped({ stoppedReason: reason, containers: [{ name: 'app', reason }] }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.join(' ')).toContain('2049');
  });

  it('does not match an image pull failure', () => {
    expect(volumeMountFailed.match(taskStopped({ stoppedReason: 'CannotPullContainerError: manifest unknown' })).status).toBe('no_match');
  });

  it('leaves a containerd timeout while creating a volume to container-runtime-error (transient Fargate fault)', () => {
    const reason = 'CannotCreateVolumeError: unable to copy contents to volume on host: containerd: failed to get image reference: context deadline exceeded';
    expect(volumeMountFailed.match(taskStopped({ containers: [{ name: 'app', reason }] })).status).toBe('no_match');
  });
});
