import { imagePlatformNotInManifest } from '../../../lambda/classification/rules/image-platform-not-in-manifest';
import { containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('image-platform-not-in-manifest', () => {
  it('matches containerd\'s platform message and cites the task architecture', () => {
    const reason = "CannotPullContainerError: pull image manifest has been retried 5 time(s): image Manifest does not contain descriptor matching platform 'linux/amd64'";
    const result = imagePlatformNotInManifest.match(
      taskStopped({ stoppedReason: reason }, { taskDefinition: taskDefinition([containerDefinition('app')], { runtimePlatform: { cpuArchitecture: 'X86_64' } }) }),
    );
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual([reason, 'X86_64']);
  });

  it('matches Docker\'s manifest list message', () => {
    const result = imagePlatformNotInManifest.match(
      taskStopped({ stoppedReason: 'CannotPullContainerError: Error response from daemon: no matching manifest for linux/arm64/v8 in the manifest list entries' }),
    );
    expect(result.status).toBe('match');
  });

  it('does not match a missing tag', () => {
    expect(imagePlatformNotInManifest.match(taskStopped({ stoppedReason: 'CannotPullContainerError: manifest unknown' })).status).toBe('no_match');
  });

  // https://learn.microsoft.com/en-us/virtualization/windowscontainers/deploy-containers/version-compatibility
  it('matches a Windows image built for another OS build than the host', () => {
    for (const reason of [
      'CannotCreateContainerError: Error response from daemon: hcsshim::CreateComputeSystem 0a1b2c3d: The container operating system does not match the host operating system.',
      'CannotPullContainerError: a Windows version 10.0.20348-based image is incompatible with a 10.0.17763 host',
    ]) {
      expect(imagePlatformNotInManifest.match(taskStopped({ containers: [{ name: 'app', reason }] })).status).toBe('match');
    }
  });

  it("matches moby's refusal of an image for another operating system (a Windows image on a Linux host)", () => {
    const reason = 'CannotPullContainerError: image operating system "windows" cannot be used on this platform: operating system is not supported';
    const result = imagePlatformNotInManifest.match(taskStopped({ stoppedReason: reason }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.category ?? imagePlatformNotInManifest.category).toBe('image_arch_mismatch');
  });
});
