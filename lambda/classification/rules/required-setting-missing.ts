import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findAll } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';
import { isLowSeverity, streamLines } from '../log-patterns';

// What frameworks print when a setting they require at start-up is absent. Each form is the framework's
// own wording (see `sources`):
// - Rails: ``Missing `secret_key_base` for 'production' environment, set this string with `bin/rails credentials:edit` (ArgumentError)``,
//   and `ActiveSupport::EncryptedFile::MissingKeyError` "Missing encryption key to decrypt file with …" (no RAILS_MASTER_KEY).
// - Laravel: `No application encryption key has been specified.` (Illuminate\Encryption\MissingAppKeyException).
// - Django: `The SECRET_KEY setting must not be empty.` (ImproperlyConfigured).
// - Symfony: `Environment variable not found: "APP_SECRET".`
// - Express-session: `secret option required for sessions`; Go viper: `Config File "config" Not Found in "[/app]"`.
// - SmallRye Config (Quarkus, WildFly, Helidon's MicroProfile Config): `SRCFG00014: The config property x is
//   required but it could not be found in any config source`, `SRCFG00011: Could not expand value x in property y`;
//   MicroProfile Config's `No config value of type [x] exists for: y`.
// - Micronaut: `Failed to inject value for parameter [x] …: Could not resolve placeholder ${y}` (Spring's quoted
//   form has its own rule), `Error resolving property value [${x}]. Property doesn't exist`.
// - .NET options: `OptionsValidationException: DataAnnotation validation failed for 'X' members: 'Y' with the
//   error: 'The Y field is required.'`, configuration binding's `Section 'X' not found in configuration`.
// - Generic wordings: "missing required setting/secret/key/config …", "… must be set/is required" after a
//   setting, secret or key name.
const FRAMEWORK_FORMS = /\bMissing `?secret_key_base`? for '[\w-]{1,40}' environment|\bMissing encryption key to decrypt file with\b|\bMissingKeyError\b|\bNo application encryption key has been specified\b|\bMissingAppKeyException\b|\bThe SECRET_KEY setting must not be empty\b|\bEnvironment variable not found: "[\w.-]{1,100}"|\bsecret option required for sessions\b|\bConfig File "[^"]{1,100}" Not Found in\b|\bSRCFG000(?:14|11): |\bNo config value of type \[[^\]\n]{1,200}\] exists for: |\bCould not resolve placeholder \$\{[^}\n]{1,200}\}|\bError resolving property value \[\$\{[^}\n]{1,200}\}\]|\bOptionsValidationException: |\bSection '[^'\n]{1,200}' not found in configuration\b/;
const GENERIC_FORMS = /\b(?:missing|no) (?:required |mandatory )?(?:secret(?: key)?|api[ _-]?key|encryption key|master key|signing key|credentials? (?:file|key)|config(?:uration)? (?:file|value|key|option|setting)|setting|configuration)\b(?! (?:found|detected)[,;]? (?:using|falling|defaulting))|\b(?:setting|secret|config(?:uration)? (?:key|value|option)|option|parameter) [`'"]?[\w.:-]{1,80}[`'"]? (?:is (?:required|missing|not set|not configured)|must be (?:set|provided|specified|configured))\b/i;
// A warning about a missing optional setting is not why a program stopped.
const WARNING = /(?:^|[^A-Za-z])(?:WARN|WARNING|warn|warning)(?![A-Za-z])|"(?:level|severity)"\s*:\s*"warn(?:ing)?"/;
const NOT_FATAL = /\b(?:using (?:the )?default|defaulting to|falling back|fallback|generat(?:ed|ing) (?:a )?(?:new|random|temporary))\b/i;

/**
 * A setting the framework requires at start-up is missing (Rails `secret_key_base`, Laravel `APP_KEY`,
 * Django `SECRET_KEY`, Symfony environment placeholders, session secrets, config files), whatever the
 * exception that carried the message (`ArgumentError`, `RuntimeException`, `ImproperlyConfigured`): the
 * words outrank the class, so an uncaught-exception finding for the same line is not the cause.
 */
export const requiredSettingMissing: Rule = {
  id: 'required-setting-missing',
  category: 'app_config_missing',
  title: 'A setting the framework requires at start-up is missing (secret key, encryption key, config property, config file)',
  remediation: [
    'Provide the setting the line names to the container: under `secrets` (Secrets Manager or SSM Parameter Store) for keys and credentials, under `environment` for plain values, then deploy a new task-definition revision.',
    'Secrets and environment files are read only when a task starts: after changing them, force a new deployment.',
  ],
  logPatterns: [FRAMEWORK_FORMS, GENERIC_FORMS],
  sources: [
    'https://guides.rubyonrails.org/security.html#custom-credentials',
    'https://api.rubyonrails.org/classes/Rails/Application.html#method-i-secret_key_base',
    'https://laravel.com/docs/11.x/encryption#configuration',
    'https://docs.djangoproject.com/en/5.1/ref/settings/#secret-key',
    'https://symfony.com/doc/current/configuration/env_var_processors.html',
    'https://expressjs.com/en/resources/middleware/session.html#secret',
    'https://github.com/spf13/viper#reading-config-files',
    'https://smallrye.io/smallrye-config/Main/config/getting-started/',
    'https://quarkus.io/guides/config-reference#required-properties',
    'https://download.eclipse.org/microprofile/microprofile-config-3.1/microprofile-config-spec-3.1.html',
    'https://docs.micronaut.io/latest/guide/#valueAnnotation',
    'https://learn.microsoft.com/en-us/dotnet/core/extensions/options#options-validation',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html',
  ],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const usable = (text: string) => !isLowSeverity(text) && !NOT_FATAL.test(text) && !WARNING.test(text.slice(0, 80));
    const hit =
      ownFirst(findAll(lines, FRAMEWORK_FORMS).filter((h) => usable(h.item.text))) ??
      ownFirst(findAll(lines, GENERIC_FORMS).filter((h) => usable(h.item.text)));
    if (!hit) return NO_MATCH;
    return resultOf(
      hitFinding(hit, {
        title: 'A required setting is missing at start-up',
        explanation:
          'The program stopped because a setting it requires (a secret key, encryption key, configuration value or file) was not provided to the container. The exception that carried the message is only how it was reported.',
        confidence: { task: 0.9, context: 0.6 },
      }),
    );
  },
};
