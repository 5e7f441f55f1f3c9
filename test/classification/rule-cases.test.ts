import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { RULES } from '../../lambda/classification/rules/index';
import { testRuleCases, type RuleCases } from './rule-tester';

// Every rule's table of fixtures (`rules/<rule-id>.cases.ts`), run by one test file (see rule-tester.ts).
const casesDir = join(__dirname, 'rules');
const files = readdirSync(casesDir).filter((f) => f.endsWith('.cases.ts')).sort();

describe('rule cases', () => {
  it('finds a rule for every cases file', () => {
    const unknown = files.map((f) => f.replace(/\.cases\.ts$/, '')).filter((id) => !RULES.some((r) => r.id === id));
    expect(unknown).toEqual([]);
  });

  for (const file of files) {
    const rule = RULES.find((r) => r.id === file.replace(/\.cases\.ts$/, ''));
    // Cases files are found at run time, so they are loaded with require.
    const { cases } = require(join(casesDir, file)) as { cases: RuleCases };
    if (rule) testRuleCases(rule, cases);
  }
});
