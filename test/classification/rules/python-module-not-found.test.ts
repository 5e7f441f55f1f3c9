import { pythonModuleNotFound } from '../../../lambda/classification/rules/python-module-not-found';
import { appLogs, taskStopped } from '../../helpers/evidence';

// Literal lines of the seed incident's CloudWatch log (../shared/seeds write-up).
const SEED_IMPORT = `{"error": "Integration services initialization failed: No module named 'core.aws_service'"}`;
const SEED_TYPE_ERROR = `{"error": "Core services import failed: CaseService.__init__() missing 2 required positional arguments: 'db' and 'audit_service'"}`;

describe('python-module-not-found', () => {
  it("matches the seed's bare `No module named 'core.aws_service'` inside JSON and says how to fix a dotted local package", () => {
    const result = pythonModuleNotFound.match(taskStopped({}, { logs: appLogs('Uvicorn running on http://0.0.0.0:8000', SEED_TYPE_ERROR, SEED_IMPORT) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const [finding] = result.findings;
    expect(finding?.evidence[0]?.text).toBe(SEED_IMPORT);
    expect(finding?.title).toContain('core.aws_service');
    expect(finding?.scope).toBe('task');
    const steps = (finding?.remediation ?? []).join('\n');
    expect(steps).toContain('`core/`');
    expect(steps).toContain('__init__.py');
    expect(steps).toContain('RUN python -c "import core.aws_service"');
    expect(steps).toContain('ECS Exec');
  });

  it('matches ModuleNotFoundError for a top-level name and says to install it', () => {
    const line = "ModuleNotFoundError: No module named 'ee'";
    const result = pythonModuleNotFound.match(taskStopped({}, { logs: appLogs('    from ee.clickhouse.process_event import process_event_ee # type: ignore', line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.remediation?.[0]).toContain('requirements.txt');
  });

  it('finds the line inside a multi-line log event', () => {
    const event = 'Traceback (most recent call last):\n  File "/app/main.py", line 3, in <module>\n    import boto3\nModuleNotFoundError: No module named \'boto3\'';
    const result = pythonModuleNotFound.match(taskStopped({}, { logs: appLogs(event) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe("ModuleNotFoundError: No module named 'boto3'");
  });

  it('does not match the seed constructor TypeError that mentions "import failed"', () => {
    expect(pythonModuleNotFound.match(taskStopped({}, { logs: appLogs(SEED_TYPE_ERROR) })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(pythonModuleNotFound.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('not_applicable');
  });

  it('names a non-ASCII module whole', () => {
    const result = pythonModuleNotFound.match(taskStopped({}, { logs: appLogs("ModuleNotFoundError: No module named 'café_模块'") }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe("Python cannot import module 'café_模块'");
  });
});
