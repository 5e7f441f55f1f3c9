import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { matchText } from '../../lambda/classification/evidence-text';
import { FATAL_FORMS } from '../../lambda/classification/fatal-forms';
import { checkExpected, parseExpected } from '../../lambda/cli/check-expected';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText } from '../../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';

// One bundle per runtime's and sidecar's fatal output and per driver's authentication wording
// (test/fixtures/runtimes/README.md gives each one's source), through the same pipeline as `ecs-rca analyze`.
const DIR = join(__dirname, '../fixtures/runtimes');
const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const load = (file: string) => parseBundleText(readFileSync(join(DIR, file), 'utf8'), file);

describe('runtime and sidecar fixtures', () => {
  it.each(files)('%s: the root cause is the fatal line, with the category its class implies', (file) => {
    const bundle = load(file);
    const report = analyzeEvidence(evidenceFromBundle(bundle), { now: new Date('2026-01-01T00:00:00Z') });
    const expected = parseExpected(bundle.expected, file);
    expect(checkExpected(report, expected).failures).toEqual([]);
    // An exit code alone is never the root cause while a log line shows the fatal error: the line is cited.
    expect(report.rootCause.category).not.toBe('app_exit_nonzero');
    expect(report.rootCause.evidence.some((e) => e.source === 'log' && e.text.includes(expected.primaryEvidence ?? '\u0000'))).toBe(true);
  });

  it('cover every fatal-line form with at least one line as its runtime prints it', () => {
    const lines = files.flatMap((file) => (load(file).evidence?.logs ?? []).flatMap((stream) => (stream.events ?? []).flatMap((e) => (e.message ?? '').split('\n'))));
    const uncovered = FATAL_FORMS.filter((form) => !lines.some((line) => matchText(line, form.pattern))).map((form) => `${form.runtime}: ${form.pattern.source}`);
    expect(uncovered).toEqual([]);
  });

  it('hold one fixture per dependency driver wording', () => {
    const auth = files.filter((f) => f.startsWith('auth-'));
    expect(auth.map((f) => f.replace(/^auth-|\.json$/g, ''))).toEqual(['documentdb', 'kafka-sasl', 'mariadb', 'mongodb', 'mysql', 'oracle', 'postgresql', 'rabbitmq', 'redis', 'sql-server']);
  });
});
