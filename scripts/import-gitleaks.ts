import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyse } from 'scslre';
import { parse } from 'smol-toml';
import { re2ToJs } from './re2-to-js';
import type { SecretRule, SecretRuleAllowlist, SecretRuleSet } from '../lambda/shared/secret-rules/types';

/**
 * `npm run import:gitleaks -- <gitleaks git directory> [ref]`: converts gitleaks' rule set
 * (`config/gitleaks.toml` at `ref`, default the newest `v*` tag) into
 * `lambda/shared/secret-rules/gitleaks-rules.json`, the data `lambda/shared/redaction.ts` applies.
 *
 * Get the repository with `git clone https://github.com/gitleaks/gitleaks` (a bare clone works).
 * Each RE2 pattern is converted to JavaScript (scripts/re2-to-js.ts) and checked with scslre; a rule
 * is left out, with the reason written into the file, when its pattern cannot be expressed in
 * JavaScript, needs a file path (we read log lines, not files), or can backtrack super-linearly. The
 * optional key-name context in front of keyword rules is dropped (see LEADING_CONTEXT), and tokens may
 * also end at the punctuation that follows them in log lines (see LOG_TOKEN_END).
 * Allowlists keep what applies to a text: regexes (on the secret, the match or the line) and
 * stopwords; commit and path conditions are dropped (an AND allowlist with one can never hold).
 */

const OUT = join(__dirname, '..', 'lambda', 'shared', 'secret-rules', 'gitleaks-rules.json');
const SOURCE_URL = 'https://github.com/gitleaks/gitleaks';

/**
 * Rules left out on purpose: the key/value detectors of redaction.ts already cover what they find,
 * knowing AWS's names (`nextToken`, `secretArn`) and placeholders, which these rules do not.
 */
const LEFT_OUT: Record<string, string> = {
  'generic-api-key': 'covered by the contextual key/value detectors (isSecretKey, isPlaceholderValue), which know AWS names such as nextToken and secretArn',
};

interface TomlAllowlist {
  condition?: string;
  regexTarget?: string;
  regexes?: string[];
  stopwords?: string[];
  paths?: string[];
  commits?: string[];
}

interface TomlRule {
  id: string;
  description?: string;
  regex?: string;
  path?: string;
  secretGroup?: number;
  entropy?: number;
  keywords?: string[];
  allowlists?: TomlAllowlist[];
}

const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();

/** A converted pattern, or why it cannot be used (conversion or super-linear backtracking). */
function convert(pattern: string, checkLinear = true): { source: string; flags: string } | string {
  const js = re2ToJs(pattern);
  if (!js.ok) return `not expressible in JavaScript: ${js.reason}`;
  if (!checkLinear) return { source: js.source, flags: js.flags };
  const reports = analyse(new RegExp(js.source, js.flags)).reports;
  if (reports.length > 0) return `super-linear backtracking in JavaScript (scslre: ${reports.map((r) => r.type).join(', ')})`;
  return { source: js.source, flags: js.flags };
}

// gitleaks' keyword rules start with `[\w.-]{0,50}?` (the rest of the key name before the keyword),
// sometimes twice. It can match nothing, so it never decides whether or where the secret matches; it only
// stretches the match leftwards, at up to 50 (or 50 × 50) steps per position. We redact the secret group
// only, so it is dropped.
const LEADING_CONTEXT = /^(\(\?:)?\[\\w\.-\]\{0,50\}\?/;

// gitleaks ends most tokens with `(?:[\x60'"\s;]|\\[nr]|$)`: a quote, a space, `;`, a literal `\n` or the
// end. In log lines a token is as often followed by `)`, `,`, `]`, `}`, `>`, `&` or `|` (`(token X)`,
// `?token=X&y=1`, tables), so those end a token too.
const TOKEN_END = String.raw`(?:[\x60'"\s;]|\\[nr]|$)`;
const LOG_TOKEN_END = String.raw`(?:[\x60'"\s;,)\]}>&|]|\\[nr]|$)`;

/** The pattern without its leading optional key-name context (see LEADING_CONTEXT). */
function dropLeadingContext(source: string): string {
  let out = source;
  for (let m = LEADING_CONTEXT.exec(out); m; m = LEADING_CONTEXT.exec(out)) out = (m[1] ?? '') + out.slice(m[0].length);
  return out;
}

/** The parts of an allowlist that apply to a log text, or undefined when none does. */
function allowlist(a: TomlAllowlist, where: string): SecretRuleAllowlist | undefined {
  const unusable = (a.paths?.length ?? 0) > 0 || (a.commits?.length ?? 0) > 0;
  if (a.condition === 'AND' && unusable) return undefined;
  const regexes = (a.regexes ?? []).map((r) => {
    // Allowlist regexes run only on a secret or match of at most ALLOWLIST_TARGET_MAX characters
    // (redaction.ts), so a quadratic one stays bounded; they are checked on such inputs in the tests.
    const js = convert(r, false);
    if (typeof js === 'string') throw new Error(`${where}: allowlist regex ${r}: ${js}`);
    return js;
  });
  const stopwords = (a.stopwords ?? []).map((w) => w.toLowerCase());
  if (regexes.length === 0 && stopwords.length === 0) return undefined;
  const target = a.regexTarget === 'match' || a.regexTarget === 'line' ? a.regexTarget : 'secret';
  return { regexTarget: target, condition: a.condition === 'AND' ? 'AND' : 'OR', regexes, stopwords };
}

/**
 * Converts gitleaks' `config/gitleaks.toml` (text) of `commit` (`version` its `git describe`) into our
 * rule set; `license` is gitleaks' LICENSE text. Pure. Throws on an allowlist regex JavaScript cannot run.
 */
export function convertRuleSet(toml: string, license: string, version: string, commit: string): SecretRuleSet {
  const config = parse(toml) as unknown as { allowlist?: TomlAllowlist; rules: TomlRule[] };
  const rules: SecretRule[] = [];
  const skipped: { id: string; reason: string }[] = [];
  for (const rule of config.rules) {
    const reason =
      LEFT_OUT[rule.id] ??
      (rule.regex === undefined ? 'matches file names only (path rule)' : undefined) ??
      (rule.path !== undefined ? `applies only to files matching ${rule.path}; log lines have no file name` : undefined);
    const regex = reason === undefined && rule.regex !== undefined ? convert(rule.regex.split(TOKEN_END).join(LOG_TOKEN_END)) : (reason ?? '');
    if (typeof regex === 'string') {
      skipped.push({ id: rule.id, reason: regex });
      continue;
    }
    const allowlists = (rule.allowlists ?? []).flatMap((a) => allowlist(a, rule.id) ?? []);
    rules.push({
      id: rule.id,
      description: rule.description ?? '',
      regex: { source: dropLeadingContext(regex.source), flags: regex.flags },
      secretGroup: rule.secretGroup ?? 0,
      keywords: [...new Set((rule.keywords ?? []).map((k) => k.toLowerCase()))],
      ...(rule.entropy !== undefined ? { entropy: rule.entropy } : {}),
      ...(allowlists.length > 0 ? { allowlists } : {}),
    });
  }
  const global = config.allowlist ? allowlist(config.allowlist, 'global') : undefined;
  return {
    source: SOURCE_URL,
    version,
    commit,
    license: `${license.split('\n')[0] ?? ''}, ${license.split('\n').find((l) => l.startsWith('Copyright')) ?? ''}; see lambda/shared/secret-rules/LICENSE-gitleaks. Converted from ${SOURCE_URL}/blob/${commit}/config/gitleaks.toml by scripts/import-gitleaks.ts.`,
    ...(global ? { allowlist: global } : {}),
    rules,
    skipped,
  };
}

function main(): void {
  const [dir, refArg] = process.argv.slice(2);
  if (!dir) {
    process.stderr.write('usage: npm run import:gitleaks -- <gitleaks git directory> [ref]\n');
    process.exit(2);
  }
  const ref = refArg ?? git(dir, 'tag', '--list', 'v*', '--sort=-v:refname').split('\n')[0] ?? 'HEAD';
  const commit = git(dir, 'rev-parse', `${ref}^{commit}`);
  const license = git(dir, 'show', `${commit}:LICENSE`);
  const set = convertRuleSet(git(dir, 'show', `${commit}:config/gitleaks.toml`), license, git(dir, 'describe', '--tags', commit), commit);
  writeFileSync(join(OUT, '..', 'LICENSE-gitleaks'), `${license}\n`);
  writeFileSync(OUT, `${JSON.stringify(set, null, 1)}\n`);
  process.stdout.write(`${OUT}: ${set.rules.length} rules from gitleaks ${set.version} (${commit}); ${set.skipped.length} left out:\n`);
  for (const s of set.skipped) process.stdout.write(`  ${s.id}: ${s.reason}\n`);
}

if (require.main === module) main();
