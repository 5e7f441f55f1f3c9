import { sharedLibraryMissing } from '../../../lambda/classification/rules/shared-library-missing';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('shared-library-missing', () => {
  it('matches a Python extension that cannot load libGL and names the library', () => {
    const line = 'ImportError: libGL.so.1: cannot open shared object file: No such file or directory';
    const result = sharedLibraryMissing.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.title).toContain('libGL.so.1');
  });

  it("matches the glibc loader's message and musl's", () => {
    const glibc = 'node: error while loading shared libraries: libatomic.so.1: cannot open shared object file: No such file or directory';
    const musl = 'Error loading shared library libstdc++.so.6: No such file or directory (needed by /usr/local/bin/node)';
    for (const line of [glibc, musl]) {
      const result = sharedLibraryMissing.match(taskStopped({}, { logs: appLogs(line) }));
      expect(result.status).toBe('match');
    }
  });

  it('does not match an ordinary missing file', () => {
    expect(sharedLibraryMissing.match(taskStopped({}, { logs: appLogs("FileNotFoundError: [Errno 2] No such file or directory: 'config.yaml'") })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(sharedLibraryMissing.match(taskStopped()).status).toBe('not_applicable');
  });
});
