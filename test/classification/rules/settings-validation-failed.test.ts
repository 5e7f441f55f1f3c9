import { settingsValidationFailed } from '../../../lambda/classification/rules/settings-validation-failed';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('settings-validation-failed', () => {
  it('matches a pydantic-settings missing field and names it', () => {
    const logs = appLogs(
      'pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings',
      'database_url',
      "  Field required [type=missing, input_value={}, input_type=dict]",
    );
    const result = settingsValidationFailed.match(taskStopped({}, { logs }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toContain('database_url');
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['pydantic_core._pydantic_core.ValidationError: 1 validation error for Settings', 'database_url']);
    expect(result.findings[0]?.remediation?.[0]).toContain('DATABASE_URL');
  });

  it('does not match a validation error of request data', () => {
    const logs = appLogs('1 validation error for Settings', 'port', '  Input should be a valid integer [type=int_parsing]');
    expect(settingsValidationFailed.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(settingsValidationFailed.match(taskStopped()).status).toBe('not_applicable');
  });
});
