import { volumeHidesStartScript } from '../../../lambda/classification/rules/volume-hides-start-script';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

const withMount = (containerPath: string, extra: Parameters<typeof containerDefinition>[1] = {}) =>
  taskDefinition([containerDefinition('app', { mountPoints: [{ sourceVolume: 'data', containerPath }], ...extra })], { volumes: [{ name: 'data', kind: 'efs' }] });

describe('volume-hides-start-script', () => {
  it('matches a missing entrypoint inside the mounted folder', () => {
    const evidence = taskStopped(
      { containers: [{ name: 'app', exitCode: 255 }] },
      { logs: appLogs('exec /app/start.sh: no such file or directory'), taskDefinition: withMount('/app') },
    );
    const result = volumeHidesStartScript.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence.map((e) => e.text)).toEqual(['exec /app/start.sh: no such file or directory', '/app']);
    expect(finding?.title).toContain('/app/start.sh');
  });

  it('resolves a relative script against the working directory', () => {
    const evidence = taskStopped(
      { containers: [{ name: 'app', exitCode: 2 }] },
      { logs: appLogs("python: can't open file 'main.py': [Errno 2] No such file or directory"), taskDefinition: withMount('/srv/app', { workingDirectory: '/srv/app' }) },
    );
    expect(volumeHidesStartScript.match(evidence).status).toBe('match');
  });

  it('does not match when the missing file is outside every mount', () => {
    const evidence = taskStopped({}, { logs: appLogs('exec /usr/local/bin/start.sh: no such file or directory'), taskDefinition: withMount('/data') });
    expect(volumeHidesStartScript.match(evidence).status).toBe('no_match');
  });

  it('is not applicable without mount points', () => {
    expect(volumeHidesStartScript.match(taskStopped({}, { logs: appLogs('exec /app/start.sh: no such file or directory') })).status).toBe('not_applicable');
  });
});
