import { pythonCannotImportName } from '../../../lambda/classification/rules/python-cannot-import-name';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('python-cannot-import-name', () => {
  it('matches ImportError: cannot import name … from … and names both', () => {
    const line = "ImportError: cannot import name 'soft_unicode' from 'markupsafe' (/usr/local/lib/python3.9/site-packages/markupsafe/__init__.py)";
    const result = pythonCannotImportName.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.title).toBe("Python cannot import 'soft_unicode' from 'markupsafe'");
    expect(result.findings[0]?.remediation?.[0]).toContain('pin the version');
  });

  it('recognises a circular import', () => {
    const line = "ImportError: cannot import name 'User' from partially initialized module 'app.models' (most likely due to a circular import) (/app/app/models.py)";
    const result = pythonCannotImportName.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.[0]).toContain('circular import');
  });

  it('does not match a missing module', () => {
    expect(pythonCannotImportName.match(taskStopped({}, { logs: appLogs("ModuleNotFoundError: No module named 'ee'") })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(pythonCannotImportName.match(taskStopped()).status).toBe('not_applicable');
  });

  it('names non-ASCII names whole', () => {
    const result = pythonCannotImportName.match(taskStopped({}, { logs: appLogs("ImportError: cannot import name 'données' from 'café_模块' (/app/café_模块/__init__.py)") }));
    expect(result.status === 'match' && result.findings[0]?.title).toBe("Python cannot import 'données' from 'café_模块'");
  });
});
