import { dotnetAssemblyLoadFailed } from '../../../lambda/classification/rules/dotnet-assembly-load-failed';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('dotnet-assembly-load-failed', () => {
  it('matches Could not load file or assembly and names it', () => {
    const line =
      "Unhandled exception. System.IO.FileNotFoundException: Could not load file or assembly 'Newtonsoft.Json, Version=13.0.0.0, Culture=neutral, PublicKeyToken=30ad4fe6b2a6aeed'. The system cannot find the file specified.";
    const result = dotnetAssemblyLoadFailed.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toContain('Newtonsoft.Json');
  });

  it('matches a missing shared framework', () => {
    const line = "The framework 'Microsoft.AspNetCore.App', version '8.0.0' (x64) was not found.";
    const result = dotnetAssemblyLoadFailed.match(taskStopped({}, { logs: appLogs('You must install or update .NET to run this application.', line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(line);
    expect(result.findings[0]?.remediation?.[0]).toContain('aspnet');
  });

  it('does not match other .NET exceptions', () => {
    expect(dotnetAssemblyLoadFailed.match(taskStopped({}, { logs: appLogs('Unhandled exception. System.InvalidOperationException: boom') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(dotnetAssemblyLoadFailed.match(taskStopped()).status).toBe('not_applicable');
  });
});
