import { normaliseText } from '../../lambda/classification/evidence-text';
import { MIN_LITERAL_LENGTH, requiredLiterals } from '../../lambda/classification/required-literals';
import { RULES } from '../../lambda/classification/rules/index';
import { declaredLogPatterns } from '../../lambda/classification/scan-context';
import { scanTexts } from './scan-texts';

const sorted = (literals: readonly string[] | undefined) => (literals ? [...literals].sort() : literals);

describe('requiredLiterals', () => {
  it('takes the alternatives of an alternation, lowercased', () => {
    expect(sorted(requiredLiterals(/\bECONNREFUSED\b|\bConnection refused\b/i))).toEqual(['connection refused', 'econnrefused']);
    expect(requiredLiterals(/exec format error/i)).toEqual(['exec format error']);
  });

  it('never joins literals across a piece that may match anything', () => {
    // `{0,200}` may match nothing or many characters: "exec" and "permission denied" are separate.
    expect(requiredLiterals(/\bexec\b[^\n]{0,200}permission denied/)).toEqual(['permission denied']);
    expect(requiredLiterals(/a.*bcdef/)).toEqual(['bcdef']);
  });

  it('expands small classes and optional pieces, and skips zero-width assertions', () => {
    expect(requiredLiterals(/Unhandled [Ee]xception/)).toEqual(['unhandled exception']);
    expect(sorted(requiredLiterals(/Port (?:was|is) in use/))).toEqual(['port is in use', 'port was in use']);
    expect(requiredLiterals(/^foo(?!bar)baz$/)).toEqual(['foobaz']);
    expect(sorted(requiredLiterals(/abc:? def/))).toEqual(['abc def', 'abc: def']);
  });

  it('gives up rather than guess: short literals, unknown classes, back-references', () => {
    expect(requiredLiterals(/^\s/)).toBeUndefined();
    expect(requiredLiterals(/\d+ m/)).toBeUndefined(); // " m" is shorter than the minimum
    expect(requiredLiterals(/(ab)\1/)).toBeUndefined();
    expect(requiredLiterals(/x|[a-z]{5}/)).toBeUndefined(); // one branch has no literal
    expect(requiredLiterals(/(?<x>abc)\k<x>/u)).toEqual(['abc']);
    expect(requiredLiterals(/abcd[^]ef/)).toEqual(['abcd']); // `[^]` is any character in JavaScript
    expect(MIN_LITERAL_LENGTH).toBeGreaterThanOrEqual(3);
  });

  it('is sound for every declared rule pattern: a text it matches holds one of its literals', () => {
    const patterns = declaredLogPatterns(RULES);
    expect(patterns.length).toBeGreaterThan(40);
    const texts = scanTexts();
    let matched = 0;
    for (const pattern of patterns) {
      const literals = requiredLiterals(pattern);
      if (!literals) continue;
      for (const text of texts) {
        const normalised = normaliseText(text);
        if (!pattern.test(normalised)) continue;
        matched += 1;
        const lower = normalised.toLowerCase();
        if (!literals.some((l) => lower.includes(l))) throw new Error(`${String(pattern)} matches ${JSON.stringify(text)} but none of ${JSON.stringify(literals)}`);
      }
    }
    expect(matched).toBeGreaterThan(100); // the texts do exercise the patterns
  });
});
