import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../lambda/classification/rules/index';
import { CATEGORIES, CATEGORY_IDS, CAUSAL_ORDER } from '../../lambda/classification/taxonomy';
import type { RuleCases } from './rule-tester';

const rulesDir = join(__dirname, '../../lambda/classification/rules');
const testsDir = join(__dirname, 'rules');
const ruleFiles = readdirSync(rulesDir)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .map((f) => f.replace(/\.ts$/, ''));

describe('rule catalogue integrity', () => {
  it('lists every rule file exactly once, with id equal to the file name', () => {
    const ids = RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...ruleFiles].sort());
  });

  it.each(RULES.map((r) => [r.id, r] as const))('%s has metadata and a test with a matching and a non-matching case', (id, rule) => {
    expect(rule.title.length).toBeGreaterThan(5);
    expect(rule.remediation.length).toBeGreaterThan(0);
    expect(CATEGORY_IDS).toContain(rule.category);
    // Either a table of cases (rules/<id>.cases.ts, run by rule-cases.test.ts) or a hand-written test.
    const casesFile = join(testsDir, `${id}.cases.ts`);
    const testFile = join(testsDir, `${id}.test.ts`);
    expect(existsSync(casesFile) || existsSync(testFile)).toBe(true);
    if (existsSync(casesFile)) {
      const { cases } = require(casesFile) as { cases: RuleCases };
      expect(cases.match.length).toBeGreaterThan(0);
      expect(cases.noMatch.length).toBeGreaterThan(0);
    }
    if (existsSync(testFile)) {
      const test = readFileSync(testFile, 'utf8');
      expect(test).toMatch(/'match'|"match"/);
      expect(test).toMatch(/no_match|not_applicable/);
    }
  });

  it('produces every taxonomy id from some rule (unknown comes from the engine fallback)', () => {
    const produced = new Set(RULES.map((r) => r.category));
    const missing = CATEGORY_IDS.filter((id) => id !== 'unknown' && !produced.has(id));
    expect(missing).toEqual([]);
  });

  it('keeps every id of the published taxonomy, with its alert default, and ranks every id', () => {
    const spec = readFileSync(join(__dirname, '../../../shared/spec/taxonomy.md'), 'utf8');
    const specRows = [...spec.matchAll(/^\| [^|]+ \| `([a-z_]+)` \| (yes|no) \|/gm)].map((m) => [m[1] as string, m[2] === 'yes'] as const);
    expect(specRows.length).toBeGreaterThan(20);
    const ids: readonly string[] = CATEGORY_IDS;
    expect(specRows.filter(([id]) => !ids.includes(id))).toEqual([]);
    for (const [id, alert] of specRows) expect(CATEGORIES[id as keyof typeof CATEGORIES].alert).toBe(alert);
    expect([...CAUSAL_ORDER].sort()).toEqual([...CATEGORY_IDS].sort());
    expect(Object.keys(CATEGORIES).sort()).toEqual([...CATEGORY_IDS].sort());
  });
});
