import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkExpected, parseExpected } from '../lambda/cli/check-expected';
import { evidenceFromBundle } from '../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText } from '../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../lambda/pipeline/run-analysis';
import { RcaReportSchema } from '../lambda/report/report-schema';

// Every recorded incident — the shared real-incident corpus, our own fixtures and the examples — is a
// test case: its `expected` block is the assertion (../shared/spec/incident-bundle.md).
const DIRS = [join(__dirname, '../../shared/corpus'), join(__dirname, 'fixtures'), join(__dirname, 'fixtures/families'), join(__dirname, '../examples')];

const cases = DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => [f, join(dir, f)] as const),
);

/** Every text the analyzer read from a bundle, to check that evidence is never invented. */
function readTexts(raw: string): string {
  return JSON.stringify(JSON.parse(raw)).replace(/\\"/g, '"');
}

describe('recorded incidents', () => {
  it('include the whole shared corpus and at least 10 fixtures of our own', () => {
    expect(cases.filter(([, p]) => p.includes('shared/corpus')).length).toBeGreaterThanOrEqual(20);
    expect(cases.filter(([, p]) => p.includes('fixtures')).length).toBeGreaterThanOrEqual(10);
  });

  it.each(cases)('%s meets its expected block', (name, path) => {
    const raw = readFileSync(path, 'utf8');
    const bundle = parseBundleText(raw, name);
    const report = analyzeEvidence(evidenceFromBundle(bundle), { now: new Date('2026-01-01T00:00:00Z') });
    expect(() => RcaReportSchema.parse(report)).not.toThrow();
    expect(bundle.expected).toBeDefined();
    const check = checkExpected(report, parseExpected(bundle.expected, name));
    expect(check.failures).toEqual([]);
    // Every root-cause evidence text is a literal substring of what was read.
    const read = readTexts(raw);
    for (const item of report.rootCause.evidence) expect(read).toContain(item.text);
  });
});
