import ruleSet from './gitleaks-rules.json';
import type { RegexSource, SecretRule, SecretRuleAllowlist, SecretRuleSet } from './types';
import { escapeRegExp } from '../text';

/**
 * gitleaks' secret rules (https://github.com/gitleaks/gitleaks, MIT, see `LICENSE-gitleaks`) applied
 * to a text the way gitleaks applies them to a file (`detect/detect.go`):
 *
 * 1. Keyword prefilter: a rule runs only when one of its keywords occurs in the text (any case). All
 *    keywords are found in one pass of one literal alternation, so a text without any costs one scan.
 * 2. The secret is the rule's `secretGroup`, else the first capture group that matched, else the match.
 * 3. A secret whose Shannon entropy (bits per character) is at or below the rule's `entropy` is not one.
 * 4. A secret is not one when an allowlist of the rule, or the global one, says so: a regex matching
 *    the secret (or the whole match), or a stopword inside the secret.
 *
 * The data comes from `scripts/import-gitleaks.ts` (`npm run import:gitleaks`), which converts the RE2
 * patterns and leaves out those JavaScript cannot run in linear time.
 */

const RULE_SET = ruleSet as SecretRuleSet;

/** Where the rules come from: gitleaks version and commit, and the rules left out with their reason. */
export const SECRET_RULE_SOURCE = {
  source: RULE_SET.source,
  version: RULE_SET.version,
  commit: RULE_SET.commit,
  ruleCount: RULE_SET.rules.length,
  skipped: RULE_SET.skipped,
};

/** One secret a gitleaks rule found: `text.slice(start, end)` (UTF-16 indices). */
export interface RuleMatch {
  start: number;
  end: number;
  /** The gitleaks rule id (`huggingface-access-token`). */
  rule: string;
}

/**
 * Allowlist regexes run on at most this many characters (a longer secret or match is not allowlisted,
 * so it is redacted): some of gitleaks' allowlist regexes backtrack quadratically, which this bounds.
 */
export const ALLOWLIST_TARGET_MAX = 1024;

interface CompiledAllowlist {
  target: SecretRuleAllowlist['regexTarget'];
  and: boolean;
  regexes: RegExp[];
  stopwords: string[];
}

interface CompiledRule {
  id: string;
  pattern: RegExp;
  secretGroup: number;
  entropy: number | undefined;
  allowlists: CompiledAllowlist[];
}

const regex = (r: RegexSource, extra = ''): RegExp => new RegExp(r.source, r.flags + extra);

function compileAllowlist(a: SecretRuleAllowlist): CompiledAllowlist {
  return { target: a.regexTarget, and: a.condition === 'AND', regexes: a.regexes.map((r) => regex(r)), stopwords: a.stopwords };
}

function compile(rule: SecretRule): CompiledRule {
  return {
    id: rule.id,
    pattern: regex(rule.regex, 'dg'),
    secretGroup: rule.secretGroup,
    entropy: rule.entropy,
    allowlists: (rule.allowlists ?? []).map(compileAllowlist),
  };
}

const RULES = RULE_SET.rules.map(compile);
const GLOBAL_ALLOWLIST = RULE_SET.allowlist ? [compileAllowlist(RULE_SET.allowlist)] : [];

/** Every imported rule pattern (global, with match indices), for the linearity test. */
export const SECRET_RULE_PATTERNS: readonly { id: string; keywords: readonly string[]; pattern: RegExp }[] = RULES.map((r, i) => ({
  id: r.id,
  keywords: RULE_SET.rules[i]?.keywords ?? [],
  pattern: r.pattern,
}));

/** Every allowlist regex (rule and global), for the linearity test. */
export const SECRET_RULE_ALLOWLIST_PATTERNS: readonly RegExp[] = [...RULES.flatMap((r) => r.allowlists), ...GLOBAL_ALLOWLIST].flatMap((a) => a.regexes);

// Rules by keyword; rules without a keyword always run.
const BY_KEYWORD = new Map<string, CompiledRule[]>();
const ALWAYS: CompiledRule[] = [];
RULE_SET.rules.forEach((rule, i) => {
  const compiled = RULES[i];
  if (!compiled) return;
  if (rule.keywords.length === 0) ALWAYS.push(compiled);
  for (const keyword of rule.keywords) BY_KEYWORD.set(keyword, [...(BY_KEYWORD.get(keyword) ?? []), compiled]);
});
const KEYWORDS = [...BY_KEYWORD.keys()].sort((a, b) => b.length - a.length);
// At a hit, every keyword with the same first character is checked.
const BY_FIRST = new Map<string, string[]>();
for (const keyword of KEYWORDS) BY_FIRST.set(keyword.charAt(0), [...(BY_FIRST.get(keyword.charAt(0)) ?? []), keyword]);
const KEYWORD_SCAN = new RegExp(KEYWORDS.map(escapeRegExp).join('|'), 'gi');

/** The rules whose keywords occur in the text (plus those without keywords), in rule-set order. */
function rulesFor(text: string): CompiledRule[] {
  const present = new Set<string>();
  // Restarting one character after each hit finds keywords that overlap (`sk` inside `task`, `ey` in
  // `key`). Sticky state on a module RegExp is safe: used synchronously, reset here.
  KEYWORD_SCAN.lastIndex = 0;
  for (let hit = KEYWORD_SCAN.exec(text); hit; hit = KEYWORD_SCAN.exec(text)) {
    const at = hit.index;
    for (const keyword of BY_FIRST.get(text.charAt(at).toLowerCase()) ?? []) {
      if (!present.has(keyword) && text.slice(at, at + keyword.length).toLowerCase() === keyword) present.add(keyword);
    }
    KEYWORD_SCAN.lastIndex = at + 1;
  }
  if (present.size === 0) return ALWAYS;
  const rules = new Set<CompiledRule>(ALWAYS);
  for (const keyword of present) for (const rule of BY_KEYWORD.get(keyword) ?? []) rules.add(rule);
  return RULES.filter((r) => rules.has(r));
}

/**
 * Shannon entropy of a string in bits per character, as gitleaks computes it (`shannonEntropy`:
 * per-code-point counts over the UTF-8 length).
 */
export function shannonEntropy(data: string): number {
  if (data === '') return 0;
  const counts = new Map<string, number>();
  for (const c of data) counts.set(c, (counts.get(c) ?? 0) + 1);
  const length = Buffer.byteLength(data);
  let entropy = 0;
  for (const count of counts.values()) {
    const p = count / length;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function allowed(allowlists: readonly CompiledAllowlist[], secret: string, match: string): boolean {
  const lower = secret.toLowerCase();
  return allowlists.some((a) => {
    const target = a.target === 'match' ? match : secret;
    const regexHit = target.length <= ALLOWLIST_TARGET_MAX && a.regexes.some((r) => r.test(target));
    const stopwordHit = a.stopwords.some((w) => lower.includes(w));
    if (!a.and) return regexHit || stopwordHit;
    return (a.regexes.length === 0 || regexHit) && (a.stopwords.length === 0 || stopwordHit);
  });
}

/**
 * The secrets gitleaks' rules find in a text, in rule order then position (they may overlap). Pure;
 * linear in the length of the text (see `test/classification/regex-linearity.test.ts`).
 */
export function findRuleMatches(text: string): RuleMatch[] {
  const found: RuleMatch[] = [];
  for (const rule of rulesFor(text)) {
    // matchAll clones the pattern, so the shared RegExp's lastIndex is never touched.
    for (const match of text.matchAll(rule.pattern)) {
      let group = rule.secretGroup;
      if (group === 0) group = match.findIndex((g, i) => i > 0 && g !== undefined && g !== '');
      const span = group > 0 ? match.indices?.[group] : match.indices?.[0];
      if (!span || span[1] <= span[0]) continue;
      const secret = text.slice(span[0], span[1]);
      if (rule.entropy !== undefined && shannonEntropy(secret) <= rule.entropy) continue;
      if (allowed(GLOBAL_ALLOWLIST, secret, match[0]) || allowed(rule.allowlists, secret, match[0])) continue;
      found.push({ start: span[0], end: span[1], rule: rule.id });
    }
  }
  return found;
}
