import { pythonTraceback } from '../../../lambda/classification/rules/python-traceback';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('python-traceback', () => {
  it('cites the exception line that ends a traceback', () => {
    const logs = appLogs(
      'Traceback (most recent call last):',
      '  File "/app/worker.py", line 40, in <module>',
      '    main()',
      '  File "/app/worker.py", line 31, in main',
      "    total = int(os.environ.get('BATCH', 'ten'))",
      "ValueError: invalid literal for int() with base 10: 'ten'",
    );
    const result = pythonTraceback.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence).toHaveLength(1);
    expect(result.findings[0]?.evidence[0]?.text).toBe("ValueError: invalid literal for int() with base 10: 'ten'");
    expect(result.findings[0]?.title).toBe('Python raised ValueError');
  });

  it('finds the exception of a traceback serialised into one JSON log line', () => {
    const line = '{"level": "ERROR", "exc_info": "Traceback (most recent call last):\\n  File \\"/app/main.py\\", line 3, in <module>\\nRuntimeError: boom"}';
    const result = pythonTraceback.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Python raised RuntimeError');
  });

  it('does not match a clean SystemExit or a line that only mentions a crash', () => {
    const logs = appLogs('Traceback (most recent call last):', '  File "/app/main.py", line 9, in <module>', 'SystemExit: 0', 'Last session crashed');
    expect(pythonTraceback.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(pythonTraceback.match(taskStopped()).status).toBe('not_applicable');
  });
});
