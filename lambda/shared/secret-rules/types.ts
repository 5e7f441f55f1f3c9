/**
 * The shape of `gitleaks-rules.json`: gitleaks' secret rules (https://github.com/gitleaks/gitleaks,
 * `config/gitleaks.toml`) converted to JavaScript by `scripts/import-gitleaks.ts`.
 */

/** A JavaScript regular expression, as its source and flags. */
export interface RegexSource {
  source: string;
  flags: string;
}

/**
 * When a finding is not a secret: any regex matching the target (the secret, the whole match or the
 * line) or any stopword (lower case) inside the secret; with `AND`, every check given must hold.
 */
export interface SecretRuleAllowlist {
  regexTarget: 'secret' | 'match' | 'line';
  condition: 'OR' | 'AND';
  regexes: RegexSource[];
  stopwords: string[];
}

/** One gitleaks rule. */
export interface SecretRule {
  /** The gitleaks rule id (`huggingface-access-token`). */
  id: string;
  description: string;
  regex: RegexSource;
  /** The capture group holding the secret; 0: the first group that took part, else the whole match. */
  secretGroup: number;
  /** Lower-case literals of which one must occur in the text for the rule to run (none: always runs). */
  keywords: string[];
  /** Minimum Shannon entropy (bits per character) of the secret; a secret at or below is not one. */
  entropy?: number;
  allowlists?: SecretRuleAllowlist[];
}

/** The whole converted rule set, with where it comes from. */
export interface SecretRuleSet {
  source: string;
  /** `git describe --tags` of the imported commit (`v8.30.1`). */
  version: string;
  commit: string;
  license: string;
  /** gitleaks' global allowlist (applies to every rule). */
  allowlist?: SecretRuleAllowlist;
  rules: SecretRule[];
  /** Rules left out, and why. */
  skipped: { id: string; reason: string }[];
}
