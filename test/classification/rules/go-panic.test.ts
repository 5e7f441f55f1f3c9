import { goPanic } from '../../../lambda/classification/rules/go-panic';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('go-panic', () => {
  it('matches a panic with its trace and names the module it came from', () => {
    const logs = appLogs(
      'panic: runtime error: invalid memory address or nil pointer dereference',
      '[signal SIGSEGV: segmentation violation code=0x1 addr=0x48 pc=0xece092]',
      'github.com/rdforte/gomaxecs/internal/task.(*Task).GetMaxProcs(0xc000417d58, {0x25aff20, 0x3833b20})',
      '\t/go/pkg/mod/github.com/rdforte/gomaxecs@v1.1.1/internal/task/task.go:64 +0x45',
      'github.com/rdforte/gomaxecs.init.0()',
      '\t/go/pkg/mod/github.com/rdforte/gomaxecs@v1.1.1/gomaxecs.go:32 +0xf',
    );
    const result = goPanic.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe('panic: runtime error: invalid memory address or nil pointer dereference');
    expect(result.findings[0]?.remediation?.[0]).toContain('github.com/rdforte/gomaxecs@v1.1.1');
  });

  it('matches a goroutine trace after fatal error', () => {
    const logs = appLogs('fatal error: concurrent map writes', '', 'goroutine 18 [running]:');
    expect(goPanic.match(taskStopped({}, { logs })).status).toBe('match');
  });

  it('does not match the word panic without a Go trace', () => {
    const logs = appLogs('panic: disk almost full, please check', 'continuing');
    expect(goPanic.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(goPanic.match(taskStopped()).status).toBe('not_applicable');
  });
});
