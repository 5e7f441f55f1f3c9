import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';

// PHP 8: `Uncaught Error: Class "App\Foo" not found` (PHP 7 quotes with '); `Interface`/`Trait` alike;
// `require(): Failed opening required 'vendor/autoload.php'`.
const CLASS_NOT_FOUND = /\b(?:Class|Interface|Trait|Enum) ["']([\p{L}\p{N}_\\]{1,300})["'] not found/u;
const REQUIRE_FAILED = /\bFailed opening required '([^']{1,500})'/;

/** PHP could not find a class or a required file (Composer autoload, vendor/). */
export const phpClassNotFound: Rule = {
  id: 'php-class-not-found',
  logPatterns: [CLASS_NOT_FOUND, REQUIRE_FAILED],
  category: 'app_import_error',
  title: 'PHP cannot find a class or required file (Class "X" not found, Failed opening required)',
  remediation: [
    'Run `composer install --no-dev --optimize-autoloader` in the image build and make sure `vendor/` is in the final image (not excluded by .dockerignore, not hidden by a volume mounted over the app folder).',
    'Check that the namespace and file path agree with the PSR-4 mapping in composer.json, including letter case (Linux file systems are case-sensitive).',
  ],
  sources: ['https://getcomposer.org/doc/01-basic-usage.md#autoloading', 'https://www.php.net/manual/en/function.require.php'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, REQUIRE_FAILED) ?? findFirst(lines, CLASS_NOT_FOUND);
    if (!hit) return NO_MATCH;
    const name = hit.groups[0] ?? '?';
    const file = REQUIRE_FAILED.test(hit.item.text);
    return resultOf(
      hitFinding(hit, {
        title: file ? `PHP cannot open required file ${name}` : `PHP cannot find class ${name}`,
        explanation: file
          ? `The PHP program requires \`${name}\`, which is not in the image, so it stopped.`
          : `The PHP program used \`${name}\` and the autoloader could not find it: the class file or the package that provides it is missing from the image, or the autoloader was not regenerated.`,
        confidence: 0.9,
        remediation: file && /vendor\/autoload\.php$/.test(name) ? ['`vendor/autoload.php` is missing: Composer dependencies were not installed in the image (run `composer install` in the Dockerfile).'] : [],
      }),
    );
  },
};
