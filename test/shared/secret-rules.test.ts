import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSecrets, kindOfRule, redactText } from '../../lambda/shared/redaction';
import { findRuleMatches, SECRET_RULE_SOURCE, SECRET_RULE_PATTERNS, shannonEntropy } from '../../lambda/shared/secret-rules/gitleaks';
import { convertRuleSet } from '../../scripts/import-gitleaks';
import { re2ToJs } from '../../scripts/re2-to-js';

// Fake tokens are assembled at run time so no secret scanner takes this file for a leak.
const token = (...parts: string[]) => parts.join('');
const HEX40 = '0123456789abcdef0123456789abcdef01234567';

describe('re2ToJs (scripts/re2-to-js.ts)', () => {
  it.each([
    ['(?i)abc[a-z]{3}', 'abc[a-z]{3}', 'i'],
    ['abc[a-z]', 'abc[a-z]', ''],
    // A flag in the middle: the part before keeps its case, the part after takes both.
    ['dp\\.pt\\.(?i)[a-z0-9]{43}', 'dp\\.pt\\.[a-zA-Z0-9]{43}', ''],
    // (?-i:…) inside a case-insensitive pattern: letters outside are written in both cases.
    ['(?i)key(?-i:[Aa]pi|API)', '[kK][eE][yY](?:[Aa]pi|API)', ''],
    ['x(?i:ab)y', 'x(?:[aA][bB])y', ''],
    ['(?P<tok>a)\\z', '(?<tok>a)$', ''],
    ['[[:alnum:]]{4}', '[a-zA-Z0-9]{4}', ''],
    ['a\\sb', 'a[\\t\\n\\f\\r ]b', ''],
    ['(?s:.)x.', '(?:[\\s\\S])x[^\\n]', ''],
  ])('%s → /%s/%s', (re2, source, flags) => {
    expect(re2ToJs(re2)).toEqual({ ok: true, source, flags });
  });

  it.each([
    ['\\x{1F600}', '\\x{…} escape'],
    ['\\pL', '\\p escape'],
    ['[[:punct:]]', 'POSIX class [:punct:]'],
    ['(?m)^a', 'inline flag m'],
  ])('reports %s as unsupported', (re2, reason) => {
    expect(re2ToJs(re2)).toEqual({ ok: false, reason });
  });
});

describe('convertRuleSet (scripts/import-gitleaks.ts)', () => {
  const toml = readFileSync(join(__dirname, '../fixtures/secret-rules/gitleaks-sample.toml'), 'utf8');
  const set = convertRuleSet(toml, 'MIT License\n\nCopyright (c) 2019 Zachary Rice\n', 'v8.0.0', 'a'.repeat(40));

  it('converts a keyword rule: flags, dropped key-name context, log punctuation, keywords, entropy, allowlists', () => {
    expect(set.rules).toEqual([
      {
        id: 'demo-token',
        description: 'A demo token.',
        regex: {
          source: String.raw`(?:demo)(?:[ \t\w.-]{0,20})[\t\n\f\r '"]{0,3}(?:=|:)[\x60'"\t\n\f\r =]{0,5}([a-z0-9]{32})(?:[\x60'"\t\n\f\r ;,)\]}>&|]|\\[nr]|$)`,
          flags: 'i',
        },
        secretGroup: 0,
        keywords: ['demo'],
        entropy: 3.5,
        // The AND allowlist needs a file path, which a log line has not: it is dropped.
        allowlists: [{ regexTarget: 'secret', condition: 'OR', regexes: [{ source: '^0+$', flags: '' }], stopwords: [] }],
      },
    ]);
  });

  it('leaves out path rules and super-linear patterns, saying why', () => {
    expect(set.skipped.map((s) => s.id)).toEqual(['php-only', 'key-file', 'slow']);
    expect(set.skipped[0]?.reason).toMatch(/only to files matching/);
    expect(set.skipped[1]?.reason).toMatch(/file names only/);
    expect(set.skipped[2]?.reason).toMatch(/^super-linear backtracking/);
  });

  it('keeps the global allowlist regexes and lower-cased stopwords, and the provenance', () => {
    expect(set.allowlist).toEqual({ regexTarget: 'secret', condition: 'OR', regexes: [{ source: '^true|false$', flags: 'i' }], stopwords: ['example'] });
    expect(set).toMatchObject({ source: 'https://github.com/gitleaks/gitleaks', version: 'v8.0.0', commit: 'a'.repeat(40) });
    expect(set.license).toMatch(/^MIT License, Copyright \(c\) 2019 Zachary Rice;/);
  });
});

describe('the imported gitleaks rule set', () => {
  it('says where it comes from and what it left out', () => {
    expect(SECRET_RULE_SOURCE.source).toBe('https://github.com/gitleaks/gitleaks');
    expect(SECRET_RULE_SOURCE.version).toMatch(/^v8\.\d+\.\d+/);
    expect(SECRET_RULE_SOURCE.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(SECRET_RULE_SOURCE.ruleCount).toBe(SECRET_RULE_PATTERNS.length);
    for (const skipped of SECRET_RULE_SOURCE.skipped) expect(skipped.reason).not.toBe('');
  });

  it('has rule ids usable as marker kinds, each with keywords', () => {
    for (const { id, keywords } of SECRET_RULE_PATTERNS) {
      expect(id).toMatch(/^[a-z0-9-]{1,80}$/);
      expect(keywords.length).toBeGreaterThan(0);
    }
  });

  it('runs a rule only when one of its keywords occurs, in any case', () => {
    const pulumi = token('pul', '-', HEX40);
    expect(findRuleMatches(`login ${pulumi}`)).toEqual([{ start: 6, end: 6 + pulumi.length, rule: 'pulumi-api-token' }]);
    expect(findRuleMatches(`login ${pulumi.toUpperCase()}`)).toEqual([]);
  });

  it('finds keywords that overlap another keyword', () => {
    // `sk` (Twilio) starts inside `task`; both must be seen.
    const twilio = token('S', 'K', '0a1b2c3d4e5f67890a1b2c3d4e5f6789');
    expect(findRuleMatches(`task failed: api key ${twilio}`).map((m) => m.rule)).toContain('twilio-api-key');
  });

  it('skips a secret at or below the rule entropy', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
    expect(findRuleMatches(token('pul', '-', '0'.repeat(40)))).toEqual([]);
  });

  it('honours the rule and global allowlists', () => {
    // aws-access-token allowlists `…EXAMPLE`; our own detector still masks AWS's documentation key.
    expect(findRuleMatches('AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(redactText('AKIAIOSFODNN7EXAMPLE').text).toBe('[REDACTED:aws-access-key-id]');
    // Global stopword: a secret holding the alphabet is a test value.
    expect(findRuleMatches(token('hf', '_', 'abcdefghijklmnopqrstuvwxyzABCDEFGH'))).toEqual([]);
  });
});

describe('gitleaks findings in redactText', () => {
  it('names a rule whose secret one of our kinds names by our kind, keeping the rule id', () => {
    expect(kindOfRule('github-pat')).toBe('github-token');
    expect(kindOfRule('slack-webhook-url')).toBe('slack-webhook');
    expect(kindOfRule('doppler-api-token')).toBe('doppler-api-token');
    const ghp = token('ghp', '_', 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8');
    expect(findSecrets(`push with ${ghp}`)).toEqual([{ start: 10, end: 10 + ghp.length, kind: 'github-token' }]);
  });

  it('names a vendor token in a key=value pair after the rule, not the pair', () => {
    const pulumi = token('pul', '-', HEX40);
    expect(redactText(`PULUMI_ACCESS_TOKEN=${pulumi} stack=prod`)).toEqual({ text: 'PULUMI_ACCESS_TOKEN=[REDACTED:pulumi-api-token] stack=prod', count: 1 });
  });

  it('ends a token at the punctuation that follows it in a log line', () => {
    const pulumi = token('pul', '-', HEX40);
    for (const end of [')', ',', ']', '}', '>', '&', '|']) {
      expect(redactText(`(${pulumi}${end}`).text).toBe(`([REDACTED:pulumi-api-token]${end}`);
    }
    expect(redactText(`${pulumi}x`).count).toBe(0);
  });
});
