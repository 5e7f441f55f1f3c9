import { javaClassNotFound } from '../../../lambda/classification/rules/java-class-not-found';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('java-class-not-found', () => {
  it('matches NoClassDefFoundError and names the class', () => {
    const line = 'Exception in thread "main" java.lang.NoClassDefFoundError: org/slf4j/LoggerFactory';
    const result = javaClassNotFound.match(taskStopped({}, { logs: appLogs(line, '\tat com.example.App.<clinit>(App.java:9)') }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.title).toContain('org.slf4j.LoggerFactory');
  });

  it("matches the launcher's main-class error", () => {
    const result = javaClassNotFound.match(taskStopped({}, { logs: appLogs('Error: Could not find or load main class com.example.Main') }));
    expect(result.status).toBe('match');
  });

  it('does not treat a failed static initialiser as a missing class', () => {
    const line = 'java.lang.NoClassDefFoundError: Could not initialize class com.example.Config';
    expect(javaClassNotFound.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(javaClassNotFound.match(taskStopped()).status).toBe('not_applicable');
  });

  it('names a non-ASCII class whole', () => {
    const result = javaClassNotFound.match(taskStopped({}, { logs: appLogs('Caused by: java.lang.ClassNotFoundException: com.exemple.Café') }));
    expect(result.status === 'match' && result.findings[0]?.title).toContain('com.exemple.Café');
  });
});
