import { phpClassNotFound } from '../../../lambda/classification/rules/php-class-not-found';
import { appLogs, taskStopped } from '../../helpers/evidence';

describe('php-class-not-found', () => {
  it('matches Class "X" not found', () => {
    const line = 'PHP Fatal error:  Uncaught Error: Class "App\\Http\\Kernel" not found in /var/www/html/bootstrap/app.php:31';
    const result = phpClassNotFound.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toContain('App\\Http\\Kernel');
  });

  it('matches a missing vendor/autoload.php and says to run composer install', () => {
    const line =
      "PHP Fatal error:  Uncaught Error: Failed opening required '/var/www/html/vendor/autoload.php' (include_path='.:/usr/local/lib/php') in /var/www/html/public/index.php:5";
    const result = phpClassNotFound.match(taskStopped({}, { logs: appLogs(line) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.[0]).toContain('composer install');
  });

  it('does not match other PHP errors', () => {
    expect(phpClassNotFound.match(taskStopped({}, { logs: appLogs('PHP Warning:  Undefined variable $x in /app/index.php on line 3') })).status).toBe('no_match');
  });

  it('is not applicable without logs', () => {
    expect(phpClassNotFound.match(taskStopped()).status).toBe('not_applicable');
  });
});
