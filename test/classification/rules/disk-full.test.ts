import { diskFull } from '../../../lambda/classification/rules/disk-full';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('disk-full', () => {
  it('matches a pull that filled the host disk and points at Docker storage on EC2', () => {
    const reason = 'CannotPullContainerError: write /var/lib/docker/tmp/GetImageBlob887491687: no space left on device';
    const result = diskFull.match(taskStopped({ launchType: 'EC2', stoppedReason: reason, containers: [{ name: 'default', reason }] }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(reason);
    expect(result.findings[0]?.remediation?.join(' ')).toContain('ECS_IMAGE_CLEANUP_INTERVAL');
  });

  it('matches ENOSPC in the container log and suggests ephemeral storage on Fargate', () => {
    const result = diskFull.match(
      taskStopped({ launchType: 'FARGATE' }, { logs: appLogs("Error: ENOSPC: no space left on device, write '/tmp/upload-1.bin'") }),
    );
    expect(result.status === 'match' && result.findings[0]?.remediation?.join(' ')).toContain('ephemeralStorage');
  });

  it('does not match other write errors or the inotify watcher limit', () => {
    expect(diskFull.match(taskStopped({}, { logs: appLogs("Error: EROFS: read-only file system, open '/app/x'") })).status).toBe('no_match');
    expect(diskFull.match(taskStopped({}, { logs: appLogs("Error: ENOSPC: System limit for number of file watchers reached, watch '/app/src'") })).status).toBe('no_match');
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CannotCreateContainerError.html
  it('matches a full devicemapper thin pool', () => {
    const reason =
      'CannotCreateContainerError: API error (500): devmapper: Thin Pool has 4350 free data blocks which is less than minimum required 4454 free data blocks. Create more free space in thin pool or use dm.min_free_space option to change behavior';
    const result = diskFull.match(taskStopped({ containers: [{ name: 'app', reason }] }));
    expect(result.status === 'match' && result.findings[0]?.evidence[0]?.text).toBe(reason);
  });
});
