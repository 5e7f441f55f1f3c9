import { nativeCrash } from '../../../lambda/classification/rules/native-crash';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('native-crash', () => {
  it('matches a segmentation fault', () => {
    const line = '/entrypoint.sh: line 8:     7 Segmentation fault      (core dumped) python app.py';
    const result = nativeCrash.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
  });

  it('matches Fatal Python error', () => {
    expect(nativeCrash.match(taskStopped({}, { logs: appLogs('Fatal Python error: Segmentation fault') })).status).toBe('match');
  });

  it("leaves Go's [signal SIGSEGV] line to go-panic and ignores ordinary lines", () => {
    const logs = appLogs('[signal SIGSEGV: segmentation violation code=0x1 addr=0x48 pc=0xece092]', 'Last session crashed');
    expect(nativeCrash.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(nativeCrash.match(taskStopped()).status).toBe('not_applicable');
  });
});
