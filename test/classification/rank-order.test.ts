import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { classify } from '../../lambda/classification/classify';
import { rank } from '../../lambda/classification/rank';
import { RULES } from '../../lambda/classification/rules/index';
import type { Candidate } from '../../lambda/classification/classify';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText } from '../../lambda/evidence/bundle/read-bundle';
import { taskStopped } from '../helpers/evidence';

// The rules index is generated in file-name order: the ranking must not depend on that order.
const DIRS = [join(__dirname, '../../../shared/corpus'), join(__dirname, '../fixtures'), join(__dirname, '../../examples')];
const bundles = DIRS.flatMap((dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).map((f) => [f, join(dir, f)] as const));

const candidate = (ruleId: string, category: Candidate['category'], text: string): Candidate => ({
  category,
  ruleId,
  title: ruleId,
  explanation: 'x',
  confidence: 0.9,
  evidence: [{ source: 'log', text }],
  remediation: [`fix ${ruleId}`],
  scope: 'task',
  taskArns: [],
});

describe('ranking', () => {
  it('breaks exact ties by rule id, not by the order findings arrive in', () => {
    const evidence = taskStopped();
    const found = [
      candidate('b-rule', 'app_crash', 'TypeError: b'),
      candidate('a-rule', 'app_crash', 'TypeError: a'),
      candidate('d-rule', 'app_import_error', "No module named 'd'"),
      candidate('c-rule', 'app_config_missing', "KeyError: 'C'"),
    ];
    const forward = rank(evidence, found);
    expect(rank(evidence, [...found].reverse())).toEqual(forward);
    expect(forward.contributing.find((f) => f.category === 'app_crash')?.ruleId).toBe('a-rule');
  });

  it.each(bundles)('%s ranks the same whatever the order of the rules', (name, path) => {
    const evidence = evidenceFromBundle(parseBundleText(readFileSync(path, 'utf8'), name));
    const forward = rank(evidence, classify(evidence, RULES).candidates);
    const backward = rank(evidence, classify(evidence, [...RULES].reverse()).candidates);
    expect(backward).toEqual(forward);
  });
});
