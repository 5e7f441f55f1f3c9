import { dotnetUnhandledException } from '../../../lambda/classification/rules/dotnet-unhandled-exception';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('dotnet-unhandled-exception', () => {
  it('matches Unhandled exception. System.X', () => {
    const line = "Unhandled exception. System.InvalidOperationException: Unable to resolve service for type 'IRepo'";
    const result = dotnetUnhandledException.match(taskStopped({}, { logs: appLogs(line, '   at Microsoft.Extensions.DependencyInjection.ServiceProvider.GetService(Type serviceType)') }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('.NET unhandled System.InvalidOperationException');
  });

  it('does not match handled exceptions logged at warning level', () => {
    expect(dotnetUnhandledException.match(taskStopped({}, { logs: appLogs('warn: Retrying after System.TimeoutException') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(dotnetUnhandledException.match(taskStopped()).status).toBe('not_applicable');
  });
});
