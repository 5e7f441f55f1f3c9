import { processOutOfMemory } from '../../../lambda/classification/rules/process-out-of-memory';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('process-out-of-memory', () => {
  it('matches V8 running out of heap', () => {
    const line = 'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory';
    const result = processOutOfMemory.match(taskStopped({ containers: [{ name: 'app', exitCode: 134 }] }, { logs: appLogs('<--- Last few GCs --->', line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.explanation).toContain('heap limit');
  });

  it('matches java.lang.OutOfMemoryError and a bare Python MemoryError line', () => {
    expect(processOutOfMemory.match(taskStopped({}, { logs: appLogs('Exception in thread "main" java.lang.OutOfMemoryError: Java heap space') })).status).toBe('match');
    expect(processOutOfMemory.match(taskStopped({}, { logs: appLogs('Traceback (most recent call last):', 'MemoryError') })).status).toBe('match');
  });

  it('does not match exit code 137 alone, or a JVM flag in an info line', () => {
    expect(processOutOfMemory.match(taskStopped({ containers: [{ name: 'app', exitCode: 137 }] }, { logs: appLogs('Server started') })).status).toBe('no_match');
    expect(processOutOfMemory.match(taskStopped({}, { logs: appLogs('INFO JVM flags: -XX:+HeapDumpOnOutOfMemoryError -Xmx512m') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(processOutOfMemory.match(taskStopped({ containers: [{ name: 'app', exitCode: 137 }] })).status).toBe('not_applicable');
  });
});
