import { checkExpected, parseExpected } from '../../lambda/cli/check-expected';
import { BadInputError } from '../../lambda/shared/errors';
import { sampleReport, withReport } from '../report/renderers/sample-report';

const expected = {
  categories: ['app_import_error'],
  primaryEvidence: "No module named 'core.aws_service'",
  redHerrings: ['toomanyrequests'],
  alert: true,
};

describe('checkExpected', () => {
  it('passes a report that meets every expectation', () => {
    expect(checkExpected(sampleReport, expected)).toEqual({ pass: true, failures: [] });
  });

  it('accepts any of the listed categories', () => {
    expect(checkExpected(sampleReport, { ...expected, categories: ['app_crash', 'app_import_error'] }).pass).toBe(true);
  });

  it('fails on another root-cause category', () => {
    const check = checkExpected(sampleReport, { ...expected, categories: ['app_crash', 'oom_killed'] });
    expect(check).toEqual({ pass: false, failures: ['root cause is app_import_error, expected app_crash or oom_killed'] });
  });

  it('requires the primary evidence in the root cause, not in other findings', () => {
    // The text is in a contributing finding's evidence, which does not count.
    const check = checkExpected(sampleReport, { ...expected, primaryEvidence: 'missing 2 required positional arguments' });
    expect(check.failures).toEqual(['no root-cause evidence contains "missing 2 required positional arguments"']);
  });

  it('matches the primary evidence literally and case-sensitively', () => {
    expect(checkExpected(sampleReport, { ...expected, primaryEvidence: "no module named 'core.aws_service'" }).pass).toBe(false);
  });

  it('fails when root-cause evidence contains a red herring, but not when another finding does', () => {
    expect(checkExpected(sampleReport, { ...expected, redHerrings: ['Integration services'] }).failures).toEqual([
      'root-cause evidence contains red herring "Integration services"',
    ]);
    // `toomanyrequests` is only in a dismissed finding.
    expect(checkExpected(sampleReport, expected).pass).toBe(true);
  });

  it('compares alert exactly', () => {
    const check = checkExpected(withReport({ alert: false }), expected);
    expect(check.failures).toEqual(['alert is false, expected true']);
  });

  it('lists every unmet expectation', () => {
    const check = checkExpected(withReport({ alert: false }), { categories: ['benign_stop'], primaryEvidence: 'nope', redHerrings: ['core.aws_service'], alert: true });
    expect(check.failures).toHaveLength(4);
  });

  it('does not check keys the block leaves out', () => {
    expect(checkExpected(withReport({ alert: false }), { categories: ['app_import_error'] }).pass).toBe(true);
  });
});

describe('parseExpected', () => {
  it('returns a valid block', () => {
    expect(parseExpected(expected, 'case.json')).toEqual(expected);
  });

  it('refuses a category outside the taxonomy, naming the file and the field', () => {
    expect(() => parseExpected({ ...expected, categories: ['app_imprt_error'] }, 'case.json')).toThrow(BadInputError);
    expect(() => parseExpected({ ...expected, categories: ['app_imprt_error'] }, 'case.json')).toThrow(/^case\.json: invalid expected block at expected\.categories\.0: /);
  });

  it('refuses an empty category list and a non-object', () => {
    expect(() => parseExpected({ ...expected, categories: [] }, 'x')).toThrow(BadInputError);
    expect(() => parseExpected('yes', 'x')).toThrow(BadInputError);
  });
});
