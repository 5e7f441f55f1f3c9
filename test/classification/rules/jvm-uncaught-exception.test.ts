import { jvmUncaughtException } from '../../../lambda/classification/rules/jvm-uncaught-exception';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('jvm-uncaught-exception', () => {
  it('matches Exception in thread "main"', () => {
    const line = 'Exception in thread "main" java.lang.IllegalStateException: queue URL missing';
    const result = jvmUncaughtException.match(taskStopped({}, { logs: appLogs(line, '\tat com.example.Worker.main(Worker.java:21)') }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('JVM thread "main" died of java.lang.IllegalStateException');
  });

  it("matches Spring Boot's APPLICATION FAILED TO START", () => {
    const logs = appLogs('***************************', 'APPLICATION FAILED TO START', '***************************');
    expect(jvmUncaughtException.match(taskStopped({}, { logs })).status).toBe('match');
  });

  it('matches a qualified exception followed by frames only when frames follow', () => {
    const withFrames = appLogs('org.postgresql.util.PSQLException: FATAL: database "app" does not exist', '\tat org.postgresql.core.v3.ConnectionFactoryImpl.doAuthentication(ConnectionFactoryImpl.java:646)');
    expect(jvmUncaughtException.match(taskStopped({}, { logs: withFrames })).status).toBe('match');
    const alone = appLogs('org.postgresql.util.PSQLException: FATAL: database "app" does not exist');
    expect(jvmUncaughtException.match(taskStopped({}, { logs: alone })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(jvmUncaughtException.match(taskStopped()).status).toBe('not_applicable');
  });
});
