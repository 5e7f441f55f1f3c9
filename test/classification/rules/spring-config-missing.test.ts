import { springConfigMissing } from '../../../lambda/classification/rules/spring-config-missing';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('spring-config-missing', () => {
  it('matches an unresolved placeholder and maps it to the environment variable name', () => {
    const line =
      "java.lang.IllegalArgumentException: Could not resolve placeholder 'app.jwt-secret' in value \"${app.jwt-secret}\"";
    const result = springConfigMissing.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.[0]).toContain('APP_JWT_SECRET');
  });

  it('matches the DataSource url failure', () => {
    const line = "Failed to configure a DataSource: 'url' attribute is not specified and no embedded datasource could be configured.";
    const result = springConfigMissing.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.[0]).toContain('SPRING_DATASOURCE_URL');
  });

  it('does not match a Spring start-up banner', () => {
    expect(springConfigMissing.match(taskStopped({}, { logs: appLogs('Tomcat started on port(s): 8080 (http) with context path ""') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(springConfigMissing.match(taskStopped()).status).toBe('not_applicable');
  });
});
