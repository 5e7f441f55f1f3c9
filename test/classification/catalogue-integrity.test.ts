import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../lambda/classification/rules/index';
import { CATEGORY_IDS, CAUSAL_ORDER } from '../../lambda/classification/taxonomy';

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
    const test = readFileSync(join(testsDir, `${id}.test.ts`), 'utf8');
    expect(test).toMatch(/'match'|"match"/);
    expect(test).toMatch(/no_match|not_applicable/);
  });

  it('produces every taxonomy id from some rule (unknown comes from the engine fallback)', () => {
    const produced = new Set(RULES.map((r) => r.category));
    const missing = CATEGORY_IDS.filter((id) => id !== 'unknown' && !produced.has(id));
    expect(missing).toEqual([]);
  });

  it('agrees with the published taxonomy table', () => {
    const spec = readFileSync(join(__dirname, '../../../shared/spec/taxonomy.md'), 'utf8');
    const specIds = [...spec.matchAll(/^\| [^|]+ \| `([a-z_]+)` \|/gm)].map((m) => m[1]);
    expect([...specIds].sort()).toEqual([...CATEGORY_IDS].sort());
    expect([...CAUSAL_ORDER].sort()).toEqual([...CATEGORY_IDS].sort());
  });
});
