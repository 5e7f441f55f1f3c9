import { rubyLoadError } from '../../../lambda/classification/rules/ruby-load-error';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('ruby-load-error', () => {
  it('matches Bundler "is not part of the bundle" and says to add the gem to the Gemfile', () => {
    const line =
      "/usr/local/lib/ruby/gems/2.5.0/gems/bundler-1.16.6/lib/bundler/rubygems_integration.rb:408:in `block (2 levels) in replace_gem': Error loading the 'postgresql' Active Record adapter. Missing a gem it depends on? pg is not part of the bundle. Add it to your Gemfile. (LoadError)";
    const result = rubyLoadError.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toContain('pg is not part of the bundle. Add it to your Gemfile. (LoadError)');
    expect(result.findings[0]?.remediation?.[0]).toContain("gem 'pg'");
  });

  it('matches `cannot load such file`', () => {
    const line = "/app/config/boot.rb:4:in `require': cannot load such file -- bootsnap/setup (LoadError)";
    const result = rubyLoadError.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toContain('bootsnap/setup');
  });

  it('does not match an unrelated Ruby exception', () => {
    const line = "/app/app.rb:3:in `<main>': undefined method `foo' for nil:NilClass (NoMethodError)";
    expect(rubyLoadError.match(taskStopped({}, { logs: appLogs(line) })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(rubyLoadError.match(taskStopped()).status).toBe('not_applicable');
  });
});
