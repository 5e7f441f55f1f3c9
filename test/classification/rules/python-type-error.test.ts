import { pythonTypeError } from '../../../lambda/classification/rules/python-type-error';
import { appLogs, taskStopped } from '../../helpers/evidence';

// Literal line of the seed incident (../shared/seeds write-up), logged without the `TypeError:` prefix.
const SEED_TYPE_ERROR = `{"error": "Core services import failed: CaseService.__init__() missing 2 required positional arguments: 'db' and 'audit_service'"}`;

describe('python-type-error', () => {
  it("finds the seed's constructor TypeError and names the constructor", () => {
    const result = pythonTypeError.match(taskStopped({}, { logs: appLogs('Uvicorn running on http://0.0.0.0:8000', SEED_TYPE_ERROR) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.category).toBeUndefined(); // the rule's own category: app_crash
    expect(pythonTypeError.category).toBe('app_crash');
    expect(finding?.evidence[0]?.text).toBe(SEED_TYPE_ERROR);
    expect(finding?.title).toContain('CaseService.__init__()');
    expect(finding?.title).toContain('constructor of CaseService');
    expect(finding?.remediation?.[0]).toContain('CaseService(...)');
  });

  it('matches unexpected keyword arguments with the TypeError prefix', () => {
    const line = "TypeError: Client.__init__() got an unexpected keyword argument 'proxies'";
    expect(pythonTypeError.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('match');
  });

  it('ignores the same text in an INFO line and unrelated errors', () => {
    const logs = appLogs("INFO: retrying: handler() missing 1 required positional argument: 'ctx'", "No module named 'core.aws_service'");
    expect(pythonTypeError.match(taskStopped({}, { logs })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(pythonTypeError.match(taskStopped()).status).toBe('not_applicable');
  });
});
