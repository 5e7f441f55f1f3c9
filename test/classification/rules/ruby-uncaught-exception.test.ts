import { rubyUncaughtException } from '../../../lambda/classification/rules/ruby-uncaught-exception';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('ruby-uncaught-exception', () => {
  it("matches Ruby's top-level exception line", () => {
    const line = "/app/worker.rb:12:in `perform': undefined method `fetch' for nil:NilClass (NoMethodError)";
    const result = rubyUncaughtException.match(taskStopped({}, { logs: appLogs(line, "\tfrom /app/worker.rb:30:in `<main>'") }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toBe('Ruby uncaught NoMethodError');
  });

  it('does not match Rails request logs', () => {
    expect(rubyUncaughtException.match(taskStopped({}, { logs: appLogs('Completed 500 Internal Server Error in 12ms (ActiveRecord: 0.0ms)') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(rubyUncaughtException.match(taskStopped()).status).toBe('not_applicable');
  });
});
