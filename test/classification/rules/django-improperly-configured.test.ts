import { djangoImproperlyConfigured } from '../../../lambda/classification/rules/django-improperly-configured';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('django-improperly-configured', () => {
  it('matches an empty SECRET_KEY and names the setting', () => {
    const line = 'django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.';
    const result = djangoImproperlyConfigured.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.title).toContain('SECRET_KEY');
    expect(result.findings[0]?.remediation?.[0]).toContain('secrets');
  });

  it("matches django-environ's Set the X environment variable", () => {
    const line = 'django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable';
    const result = djangoImproperlyConfigured.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toContain('DATABASE_URL');
  });

  it('does not match other Django errors', () => {
    expect(djangoImproperlyConfigured.match(taskStopped({}, { logs: appLogs("Invalid HTTP_HOST header: '10.0.1.10:8000'.") })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(djangoImproperlyConfigured.match(taskStopped()).status).toBe('not_applicable');
  });
});
