import type { RuleCases } from '../rule-tester';

// Frameworks' own wording when a setting they need at start-up is absent (sources in the rule).
const RAILS = "/usr/local/bundle/gems/railties-7.1.3/lib/rails/application.rb:655:in `validate_secret_key_base': Missing `secret_key_base` for 'staging' environment, set this string with `bin/rails credentials:edit` (ArgumentError)";
const RAILS_MASTER_KEY = "Missing encryption key to decrypt file with. Ask your team for your master key and write it to /app/config/master.key or put it in the ENV['RAILS_MASTER_KEY']. (ActiveSupport::EncryptedFile::MissingKeyError)";
const LARAVEL = '[2024-05-01 10:00:00] production.ERROR: No application encryption key has been specified. {"exception":"[object] (Illuminate\\\\Encryption\\\\MissingAppKeyException(code: 0): No application encryption key has been specified.';
const DJANGO = 'django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.';
const SYMFONY = 'PHP Fatal error:  Uncaught Symfony\\Component\\DependencyInjection\\Exception\\EnvNotFoundException: Environment variable not found: "APP_SECRET".';
const GENERIC = 'Error: missing required secret JWT_SIGNING_KEY';
// SmallRye Config (Quarkus) and Micronaut, .NET options validation.
const SMALLRYE = 'java.util.NoSuchElementException: SRCFG00014: The config property mp.messaging.incoming.orders.bootstrap.servers is required but it could not be found in any config source';
const MICRONAUT = 'Message: Could not resolve placeholder ${datasources.default.url}';
const DOTNET = "Microsoft.Extensions.Options.OptionsValidationException: DataAnnotation validation failed for 'SmtpOptions' members: 'Host' with the error: 'The Host field is required.'.";

export const cases: RuleCases = {
  match: [
    { name: 'Rails secret_key_base (ArgumentError is only the carrier)', log: [RAILS, "\tfrom /app/config/environment.rb:5:in `<main>'"], exitCode: 1, cites: RAILS, category: 'app_config_missing', rootCause: true },
    { name: 'Rails credentials without RAILS_MASTER_KEY', log: [RAILS_MASTER_KEY], exitCode: 1, cites: RAILS_MASTER_KEY, rootCause: true },
    { name: 'Laravel APP_KEY', log: [LARAVEL], exitCode: 1, cites: LARAVEL, rootCause: true },
    { name: 'Django SECRET_KEY', log: ['Traceback (most recent call last):', DJANGO], exitCode: 1, cites: DJANGO, category: 'app_config_missing' },
    { name: 'Symfony env placeholder', log: [SYMFONY], exitCode: 255, cites: SYMFONY, rootCause: true },
    { name: 'SmallRye Config required property', log: [SMALLRYE, '\tat io.smallrye.config.SmallRyeConfig.getValue(SmallRyeConfig.java:380)'], exitCode: 1, cites: SMALLRYE, rootCause: true },
    { name: 'Micronaut placeholder', log: ['Failed to inject value for parameter [url] of class: io.micronaut.configuration.jdbc.hikari.DatasourceConfiguration', '', MICRONAUT], exitCode: 1, cites: MICRONAUT, rootCause: true },
    { name: '.NET options validation', log: [`Unhandled exception. ${DOTNET}`], exitCode: 134, cites: `Unhandled exception. ${DOTNET}`, rootCause: true },
    { name: 'a Node service naming the missing secret', log: [GENERIC, '    at Object.<anonymous> (/app/src/config.js:9:9)'], exitCode: 1, cites: GENERIC, rootCause: true },
  ],
  noMatch: [
    { name: 'a default taken when a setting is absent', log: 'No secret key configured, generating a temporary one for development' },
    { name: 'a genuine crash', log: "/app/worker.rb:12:in `perform': undefined method `fetch' for nil:NilClass (NoMethodError)" },
    { name: 'a warning', log: 'WARN: missing required setting CACHE_TTL' },
  ],
  notApplicable: [{ name: 'no logs' }],
};
