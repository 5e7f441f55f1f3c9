import type { RuleCases } from '../rule-tester';

// A task stopped because its essential container `app` exited non-zero (the texts are the runtimes' own;
// test/fixtures/runtimes holds one whole bundle per runtime and sidecar, with sources).
const EXITED = { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited', exitCode: 1 };
const ENVOY_ASSERT = '[2025-11-04 09:12:38.263][15][critical][assert] [source/common/upstream/health_checker_impl.cc:176] assert failure: !response_headers_.';
const OTEL = 'Error: failed to get config: cannot unmarshal the configuration: unknown receivers type "otlp" for "otlp" (valid values: [])';
const PHP = 'PHP Fatal error:  Uncaught PDOException: SQLSTATE[HY000] [2002] Connection refused in /var/www/html/db.php:8';
const PY_PERMISSION = "PermissionError: [Errno 13] Permission denied: '/data/out.csv'";
const KAFKA = 'Exception in thread "main" org.apache.kafka.common.errors.SaslAuthenticationException: bad credentials';

// Rake's report of an uncaught exception: `<name> aborted!`, the `Class: message` header, the message on its own line
// when the header's is empty, then unindented frames (https://github.com/ruby/rake/blob/master/lib/rake/application.rb;
// the migration case is https://github.com/govuk-forms/forms-admin/pull/750).
const RAKE = ['bin/rails aborted!', 'ActiveRecord::ConcurrentMigrationError: ', '', 'Cannot run migrations because another migration process is currently running.', '', "/usr/local/bundle/gems/activerecord-7.1.1/lib/active_record/migration.rb:1611:in `with_advisory_lock'", 'Tasks: TOP => db:migrate'];
const RUBY_HEADER = 'Sidekiq::Shutdown: Sidekiq::Shutdown';

export const cases: RuleCases = {
  match: [
    { ...EXITED, name: 'a Rake task aborted by an exception', log: RAKE, cites: 'ActiveRecord::ConcurrentMigrationError:', title: 'Ruby (Rake) fatal error (ActiveRecord::ConcurrentMigrationError) in container app', rootCause: true },
    { ...EXITED, name: "Rake's bare RuntimeError message", log: ['rake aborted!', 'DATABASE_URL must be set', "/app/Rakefile:3:in `block in <top (required)>'"], cites: 'DATABASE_URL must be set', category: 'app_config_missing' },
    { ...EXITED, name: 'a Ruby exception header followed by its frames', log: [RUBY_HEADER, "/app/lib/worker.rb:20:in `block in run'"], cites: RUBY_HEADER, title: 'Ruby fatal error (Sidekiq::Shutdown) in container app' },
    { ...EXITED, name: 'an Envoy assert failure', log: ['starting', ENVOY_ASSERT], cites: ENVOY_ASSERT, title: 'Envoy fatal error (assert failure) in container app', rootCause: true },
    { ...EXITED, name: 'a .NET host that cannot create CoreCLR', log: 'Failed to create CoreCLR, HRESULT: 0x80070008', cites: 'Failed to create CoreCLR, HRESULT: 0x80070008', rootCause: true },
    { ...EXITED, name: 'an OpenTelemetry Collector config error', log: OTEL, cites: OTEL, category: 'app_config_missing', rootCause: true },
    // The collector names the component it does not know on the line after its wrapper
    // (https://opentelemetry.io/docs/collector/configuration/, https://opentelemetry.io/docs/collector/troubleshooting/).
    {
      ...EXITED,
      name: "the collector's unknown component type over its generic wrapper",
      log: [
        'Error: failed to get config: cannot unmarshal the configuration: decoding failed due to the following error(s):',
        '',
        'error decoding \'receivers\': unknown type: "statsdx" for id: "statsdx" (valid values: [otlp prometheus awsecscontainermetrics])',
        '2024/03/01 10:00:00 collector server run finished with error: failed to get config: cannot unmarshal the configuration',
      ],
      cites: 'error decoding \'receivers\': unknown type: "statsdx" for id: "statsdx" (valid values: [otlp prometheus awsecscontainermetrics])',
      category: 'app_config_missing',
      rootCause: true,
    },
    { ...EXITED, name: 'a PHP fatal error whose words name a refused connection', log: PHP, cites: PHP, category: 'dependency_unreachable' },
    { ...EXITED, name: 'a Python PermissionError', log: ['Traceback (most recent call last):', '  File "/app/main.py", line 3, in <module>', PY_PERMISSION], cites: PY_PERMISSION, category: 'permission_denied' },
    { ...EXITED, name: 'a JVM authentication class', log: KAFKA, cites: KAFKA, category: 'dependency_auth_failed' },
    { ...EXITED, name: 'an Elixir exception with a non-ASCII module', log: '** (Café.Erreur) échec', cites: '** (Café.Erreur) échec', title: 'Elixir/Erlang fatal error (Café.Erreur) in container app' },
    { ...EXITED, name: 'nginx [emerg]', log: 'nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:9', cites: 'nginx: [emerg] unknown directive "proxy_passs" in /etc/nginx/conf.d/default.conf:9', category: 'app_config_missing', rootCause: true },
  ],
  noMatch: [
    { ...EXITED, name: "another program's aborted! without a Ruby backtrace", log: ['Build aborted!', 'see the lines above'] },
    { ...EXITED, name: 'a Ruby-looking header without frames', log: ['Net::ReadTimeout: retried', 'done'] },
    { ...EXITED, name: 'a fatal-looking text at info level', log: '[2025-11-04 09:12:38.263][15][info][main] assert failure: shown at info level' },
    { ...EXITED, exitCode: 0, name: 'a container that exited cleanly', log: 'panic: runtime error: index out of range [3] with length 3' },
    { ...EXITED, name: 'ordinary lines', log: ['listening on :8080', 'GET /health 200'] },
  ],
  notApplicable: [{ ...EXITED, name: 'no logs' }],
};
