import { envVarMissing } from '../../../lambda/classification/rules/env-var-missing';
import { appLogs, containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

describe('env-var-missing', () => {
  it("matches KeyError raised by os.environ and says the container definition doesn't define it", () => {
    const logs = appLogs(
      'Traceback (most recent call last):',
      '  File "/app/settings.py", line 12, in <module>',
      "    DATABASE_URL = os.environ['DATABASE_URL']",
      '  File "/usr/local/lib/python3.11/os.py", line 679, in __getitem__',
      '    raise KeyError(key) from None',
      "KeyError: 'DATABASE_URL'",
    );
    const evidence = taskStopped({}, { logs, taskDefinition: taskDefinition([containerDefinition('app', { environmentNames: ['PORT'] })]) });
    const result = envVarMissing.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe("KeyError: 'DATABASE_URL'");
    expect(result.findings[0]?.title).toBe('Environment variable DATABASE_URL is not set');
    expect(result.findings[0]?.remediation?.[0]).toContain('defines no environment variable or secret named `DATABASE_URL`');
  });

  it('says "empty or unusable", not "not set", when the task definition defines the variable', () => {
    const logs = appLogs("KeyError: 'DATABASE_URL'");
    const evidence = taskStopped({}, { logs, taskDefinition: taskDefinition([containerDefinition('app', { secretNames: ['DATABASE_URL'] })]) });
    const result = envVarMissing.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Environment variable DATABASE_URL is empty or unusable in the container');
    expect(result.findings[0]?.remediation?.[0]).toContain('does define `DATABASE_URL`');
  });

  it('matches "environment variable X is not set" phrasing, including inside JSON', () => {
    const line = '{"level":"error","msg":"environment variable JWT_SECRET is not set"}';
    const result = envVarMissing.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toContain('JWT_SECRET');
  });

  it('ignores a lowercase dict KeyError and a warning that falls back to a default', () => {
    const logs = appLogs("KeyError: 'user_id'", 'WARN environment variable LOG_LEVEL not set, using default info');
    expect(envVarMissing.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(envVarMissing.match(taskStopped()).status).toBe('not_applicable');
  });
});
