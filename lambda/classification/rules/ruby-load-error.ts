import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';

// Bundler: `pg is not part of the bundle. Add it to your Gemfile.`, `Bundler::GemNotFound: Could not
// find pg-1.5.4 in locally installed gems`; Ruby: `cannot load such file -- pg (LoadError)`.
const NOT_IN_BUNDLE = /\b([\w.-]{1,200}) is not part of the bundle\. Add it to your Gemfile\./;
const GEM_NOT_FOUND = /\bCould not find (?:gem )?['"]?([\w.-]{1,200})['"]?[^\n]{0,40}? in (?:any of the sources|locally installed gems|rubygems repository)/;
const CANNOT_LOAD = /\bcannot load such file -- (\S{1,300})/;
const LOAD_ERROR = /\((?:LoadError|Gem::LoadError|Gem::MissingSpecError|Bundler::GemNotFound)\)|\bBundler::GemNotFound\b/;

/** Ruby could not load a gem or file (`LoadError`, Bundler `is not part of the bundle`). */
export const rubyLoadError: Rule = {
  id: 'ruby-load-error',
  logPatterns: [NOT_IN_BUNDLE, GEM_NOT_FOUND, CANNOT_LOAD, LOAD_ERROR],
  category: 'app_import_error',
  title: 'Ruby cannot load a gem or file (LoadError, not part of the bundle)',
  remediation: [
    'Rebuild the image so `bundle install` runs with the updated Gemfile.lock (copy Gemfile and Gemfile.lock before `bundle install`).',
    'If the gem is in a Gemfile group that the image excludes (`BUNDLE_WITHOUT`, e.g. `development:test`), move it to the default group.',
    'Gems with native extensions (pg, mysql2, nokogiri) need their build libraries (e.g. `libpq-dev`) in the build stage and the run-time library (`libpq5`) in the final stage.',
  ],
  sources: ['https://bundler.io/guides/troubleshooting.html', 'https://ruby-doc.org/3.3.0/LoadError.html'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, NOT_IN_BUNDLE) ?? findFirst(lines, GEM_NOT_FOUND) ?? findFirst(lines, CANNOT_LOAD) ?? findFirst(lines, LOAD_ERROR);
    if (!hit) return NO_MATCH;
    const name = hit.groups[0];
    const inBundle = NOT_IN_BUNDLE.test(hit.item.text);
    const steps = name
      ? inBundle
        ? [`Add \`gem '${name}'\` to the Gemfile (in the default group), run \`bundle install\` to update Gemfile.lock, commit both and rebuild the image.`]
        : [`Make sure \`${name}\` is installed in the image: a gem listed in Gemfile.lock and installed by \`bundle install\` in the final stage, or a file of your app copied into the image and on the load path.`]
      : [];
    return resultOf(
      hitFinding(hit, {
        title: name ? `Ruby cannot load '${name}'${inBundle ? ': the gem is not part of the bundle' : ''}` : 'Ruby cannot load a required gem or file',
        explanation: `The Ruby program required ${name ? `\`${name}\`` : 'a gem or file'} and it could not be loaded${inBundle ? ': Bundler only loads gems listed in the Gemfile, and this one is not' : ''}. The image was built without it.`,
        confidence: 0.9,
        remediation: steps,
      }),
    );
  },
};
