import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { toEre } from '../../bench/ere';
import { rulePatterns } from '../../bench/rule-patterns';
import { ereToRust } from '../../bench/whole-command';

const RULES = join(__dirname, '..', '..', 'lambda', 'classification', 'rules');

/** Lines `grep -E -f` (C.UTF-8) matches among `lines`, by index. */
function grepMatches(eres: readonly string[], lines: readonly string[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'ere-test-'));
  try {
    writeFileSync(join(dir, 'p'), `${eres.join('\n')}\n`);
    writeFileSync(join(dir, 'l'), `${lines.join('\n')}\n`);
    const result = spawnSync('grep', ['-E', '-n', '-f', join(dir, 'p'), join(dir, 'l')], { env: { ...process.env, LC_ALL: 'C.UTF-8' }, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    return result.stdout.split('\n').filter(Boolean).map((l) => Number(l.slice(0, l.indexOf(':'))) - 1);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the bench ERE translation', () => {
  it('translates every scanning pattern of the rule catalogue, Unicode property escapes included', () => {
    const patterns = rulePatterns(RULES);
    expect(patterns.length).toBeGreaterThan(20);
    expect(patterns.some((p) => /\\p\{/.test(p.regex.source))).toBe(true);
  });

  it('keeps every line a \\p{…} pattern matches, non-ASCII letters and digits included', () => {
    const regexes = [/KeyError: '([\p{L}_][\p{L}\p{N}_]*)'/u, /named (\p{Lu}\p{Ll}+)$/u, /^id=\p{N}+$/u, /^x[^\p{L}]y$/u, /^a\P{L}b$/u];
    const lines = ["KeyError: 'ÜBER_KEY'", "KeyError: 'clé٣'", 'named Ωmega', 'id=٣٤', 'x-y', 'a b', "KeyError: ''", 'named omega'];
    const eres = regexes.map((r) => toEre(r).ere);
    const expected = lines.flatMap((line, i) => (regexes.some((r) => r.test(line)) ? [i] : []));
    expect(expected).toEqual([0, 1, 2, 3, 4, 5]);
    expect(grepMatches(eres, lines)).toEqual(expect.arrayContaining(expected));
    // The unmatched lines stay unmatched: the widening is to non-ASCII characters, not to anything.
    expect(grepMatches(eres, lines)).not.toContain(6);
  });

  it('says where it widened a property', () => {
    expect(toEre(/[\p{L}_]/u).approximations).toEqual([expect.stringMatching(/Unicode property/)]);
    expect(toEre(/a\P{L}/u)).toEqual({ ere: 'a.', approximations: ['\\P{L} widened to .'] });
    expect(toEre(/[^\p{N}]/u).ere).toBe('.');
  });

  it('gives ripgrep the same non-ASCII class, and ASCII word boundaries', () => {
    expect(ereToRust(toEre(/[\p{Lu}]/u).ere)).toBe('([A-Z]|[^\u0001-\u007f])');
    expect(ereToRust(toEre(/\bError\B|a\\b/).ere)).toBe('(?-u:\\b)Error(?-u:\\B)|a\\\\b');
  });
});
