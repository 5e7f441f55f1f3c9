/**
 * Secret redaction for every text that leaves the analyzer (Slack, SNS, the S3 audit record, CLI
 * output, `capture` bundles).
 *
 * Only the secret VALUE is replaced; the key name, URL scheme, user and host, header name and auth
 * scheme stay, so a line keeps its meaning. One marker style: `[REDACTED:<kind>]`, where `<kind>` is a
 * `RedactionKind` (e.g. `password=hunter2` → `password=[REDACTED:secret-value]`,
 * `postgres://app:pw@db:5432/x` → `postgres://app:[REDACTED:url-password]@db:5432/x`).
 *
 * Every pattern is linear-time: character classes with bounded repetition (`{1,4096}`), alternations
 * whose branches start with different characters, and a look-behind that lets a key be tried only at
 * the start of a word — no nested unbounded quantifiers. `test/classification/regex-linearity.test.ts`
 * feeds each pattern pathological 100 KB lines.
 *
 * Beside these contextual detectors (which know key names, AWS's words and placeholders), gitleaks'
 * rule set finds vendor tokens by their shape (`lambda/shared/secret-rules/`, refreshed with
 * `npm run import:gitleaks`).
 */

import { isPlaceholderValue, isSecretKey, keyWords } from './secret-keys';
import { findRuleMatches } from './secret-rules/gitleaks';
import { kindOfRule } from './secret-rules/rule-kinds';

export { isPlaceholderValue, isSecretKey, isSecretOption, keyWords } from './secret-keys';
export { kindOfRule } from './secret-rules/rule-kinds';

/**
 * What a redacted value was; written into the marker. Our own kinds, or, for a secret only one of
 * gitleaks' rules knows, that rule's id (`huggingface-access-token`, `doppler-api-token`; see
 * `lambda/shared/secret-rules/`).
 */
export type RedactionKind = ContextualKind | GitleaksRuleId;

/** A gitleaks rule id used as a marker kind: lower case letters, digits and `-`. */
export type GitleaksRuleId = string & { readonly gitleaksRuleId?: never };

/** The kinds our own detectors name. */
export type ContextualKind =
  | 'aws-access-key-id'
  | 'aws-secret-access-key'
  | 'aws-session-token'
  | 'authorization'
  | 'bearer-token'
  | 'basic-auth'
  | 'cookie'
  | 'jwt'
  | 'private-key'
  | 'url-password'
  | 'slack-token'
  | 'slack-webhook'
  | 'github-token'
  | 'stripe-key'
  | 'google-api-key'
  | 'npm-token'
  | 'gitlab-token'
  | 'openai-key'
  | 'anthropic-key'
  | 'sendgrid-key'
  | 'vault-token'
  | 'pypi-token'
  | 'azure-key'
  | 'command-line-password'
  | 'key-material'
  | 'secret-value'
  | 'environment-value'
  | 'secret-reference';

/** The text written in place of a secret of the given kind: `[REDACTED:<kind>]`. */
export function redactionMarker(kind: RedactionKind): string {
  return `[REDACTED:${kind}]`;
}

/** The result of redacting one text. */
export interface RedactedText {
  /** The text with every secret value replaced by its marker. */
  text: string;
  /** How many secrets were replaced (overlapping detections count once). */
  count: number;
}

/** One secret found in a text: `text.slice(start, end)` is the value to replace (UTF-16 indices). */
export interface SecretSpan {
  start: number;
  end: number;
  kind: RedactionKind;
  /** The gitleaks rule that found it, when one did and named the span. */
  rule?: string;
}


/** A detector: a global pattern with match indices (`dg`), the group holding the secret, and a check. */
interface Detector {
  kind: ContextualKind;
  pattern: RegExp;
  /** The capture groups, in order, of which the first that took part in the match is the secret; [0] = whole match. */
  groups: readonly number[];
  /** Further check on the match (e.g. the key must name a secret); true when absent. */
  accept?: (match: RegExpExecArray, value: string) => boolean;
  /** A prefix of the value that is kept (the `Bearer ` of `"authorization": "Bearer …"`). */
  keepPrefix?: RegExp;
  /** Whether an accepted value directly followed by `=` extends over the rest of the unquoted run. */
  extendOverEquals?: boolean;
}

// A value right before `(` or `[` that reads as an identifier is code (`password = os.environ["X"]`,
// `token=getenv("T")` in a traceback's source line), not a secret.
const CODE_EXPRESSION = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*[([]/;

/** Accepts a key/value match when the key (capture group `keyGroup`) names a secret and the value is one. */
function acceptPair(keyGroup: number) {
  return (match: RegExpExecArray, value: string): boolean => {
    const key = match[keyGroup] ?? '';
    if (!isSecretKey(key) || isPlaceholderValue(value) || CODE_EXPRESSION.test(value)) return false;
    // `PWD` is also the shell's working directory (`PWD=/app` in an environment dump).
    const joined = keyWords(key).join('');
    return !((joined === 'pwd' || joined === 'oldpwd') && /^[/~]/.test(value));
  };
}

// ---------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------

// A key starts at a word start, so on a long run of key characters it is tried once, not at every
// position. Key characters: letters, digits, `_`, `.`, `-` (`DB_PASSWORD`, `spring.datasource.password`,
// `--db-password`, `x-api-key`).
const KEY = String.raw`(?<![\w.\-])([\w.\-]{1,128})`;
// A quoted value (JSON, Python repr, shell) runs to its closing quote (escaped quotes end it too, so
// `{\"password\":\"x\"}` inside a JSON string works); an unquoted one to whitespace or a delimiter.
// `\\?` lets the opening quote be an escaped one.
const DQ = String.raw`\\?"((?:[^"\\\r\n]|\\[^"\r\n]){1,4096})`;
const SQ = String.raw`\\?'((?:[^'\\\r\n]|\\[^'\r\n]){1,4096})`;
const BARE = String.raw`([^\s"'\x60,;&|<>)\]}]{1,4096})`;
const BARE_EQ = String.raw`([^\s"'\x60,;&|<>)\]}=]{1,4096})`;
// The rest of an unquoted value after an `=` (at most 256 characters), from the end of a secret value.
const REST_AFTER_EQUALS = /=[^\s"'\x60,;&|<>)\]}]{0,256}/y;
// After an unquoted `key: value`, the value must end the text or a field (a delimiter, or the next
// `key:`/`key=`), so prose such as `registry auth: execution resource retrieval failed` is left alone.
// Before a next `key:` the value must also hold a digit (checked by the detector): ECS quotes containerd's
// `may require authorization: server message: insufficient_scope`, where `server` is a word.
const ENDS_TEXT = String.raw`[ \t]{0,8}(?:$|[\r\n,;&)}\]"'<>|])`;
const ENDS_FIELD = String.raw`(?=${ENDS_TEXT}|[ \t]{1,8}[\w.\-]{1,128}[:=])`;
const ENDS_TEXT_AT = new RegExp(`^${ENDS_TEXT}`);

const AWS_SECRET_KEY_NAME = String.raw`(?<![A-Za-z0-9])(?:aws[_.\-]?)?secret[_.\-]?access[_.\-]?key`;
const AWS_SESSION_TOKEN_NAME = String.raw`(?<![A-Za-z0-9])(?:aws[_.\-]?|x-amz-)?(?:session|security)[_.\-]?token`;
// PEM body: separators (whitespace, literal `\n`/`\r`) then a segment. A base64 segment is taken whole
// (the look-ahead forbids splitting one run two ways), so the repetition cannot backtrack exponentially.
const PEM_SEP = String.raw`(?:\\[rn]|\s)`;
const PEM_SEGMENT = String.raw`(?:[A-Za-z0-9+/=]{16,8192}(?![A-Za-z0-9+/=])|[A-Za-z0-9+/=]{1,8192}(?=${PEM_SEP}{0,8}-----END)|(?:Proc-Type|DEK-Info|Comment):[^\r\n\\]{0,200})`;

// The scheme of an Authorization value, kept in front of the redacted credentials.
const AUTH_SCHEME = /^(?:bearer|basic|digest|token|bot|negotiate|ntlm)[ \t]{1,8}(?=\S)/i;
// Separator between a key (optionally quoted, optionally escaped-quoted) and its value.
const SEP = String.raw`\\?["']?[ \t]{0,8}(?:=>|[:=])[ \t]{0,8}\\?["']?`;

/** The detectors, most specific first (on overlap, the earlier one names the kind). */
const DETECTORS: readonly Detector[] = [
  {
    // -----BEGIN RSA PRIVATE KEY----- … -----END RSA PRIVATE KEY-----, also on one line with literal
    // `\n`s, or cut short. The body is replaced: base64 lines (16+ characters, or any length right before
    // `-----END`) and `Proc-Type:`/`DEK-Info:` headers, so a short word after a cut key (`from …`) stays.
    kind: 'private-key',
    pattern: new RegExp(String.raw`-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----((?:${PEM_SEP}{0,8}${PEM_SEGMENT}){1,1000})`, 'dg'),
    groups: [1],
  },
  {
    // AWS access key ids: AKIA (long-term) and ASIA (temporary, from STS) + 16 characters.
    // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids
    kind: 'aws-access-key-id',
    pattern: /(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])/dg,
    groups: [0],
  },
  {
    // The 40-character secret access key after its name, in any key=value, key: value or JSON form.
    kind: 'aws-secret-access-key',
    pattern: new RegExp(String.raw`${AWS_SECRET_KEY_NAME}${SEP}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`, 'dgi'),
    groups: [1],
  },
  {
    // The secret key after its name and a space, tab, `|` or comma (tables, `aws configure list`,
    // CSV credential files), or as a bare 40-character value right after an access key id.
    kind: 'aws-secret-access-key',
    // `secret_key` is how `aws configure list` names it.
    pattern: new RegExp(String.raw`(?:${AWS_SECRET_KEY_NAME}|(?<![A-Za-z0-9])(?:aws[_.\-]?)?secret[_.\-]?key|(?<![A-Za-z0-9])(?:AKIA|ASIA)[A-Z0-9]{16})[\s|,;:="']{1,16}([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])`, 'dgi'),
    groups: [1],
    // A 40-character run of one case and no digit is a word, not a key.
    accept: (_m, value) => /\d/.test(value) || (/[a-z]/.test(value) && /[A-Z]/.test(value)),
  },
  {
    // Session tokens: aws_session_token, SessionToken, X-Amz-Security-Token (presigned URLs, headers).
    kind: 'aws-session-token',
    pattern: new RegExp(String.raw`${AWS_SESSION_TOKEN_NAME}${SEP}([A-Za-z0-9/+=%]{16,8192})`, 'dgi'),
    groups: [1],
  },
  {
    // JSON Web Tokens: three base64url segments, the first (header `{"…`) starting `eyJ`.
    // https://datatracker.ietf.org/doc/html/rfc7519#section-3.1
    kind: 'jwt',
    pattern: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,4096}\.[A-Za-z0-9_-]{2,8192}\.[A-Za-z0-9_-]{0,4096}/dg,
    groups: [0],
  },
  {
    // `Authorization: Bearer …`, `Proxy-Authorization: Basic …`, `authorization=…`: the credentials
    // after the scheme.
    kind: 'authorization',
    pattern: new RegExp(
      String.raw`(?<![\w-])(?:proxy-)?authorization${SEP}(?:(bearer|basic|token|bot|digest|negotiate|ntlm|aws4-hmac-sha256)[ \t]{1,8})?([A-Za-z0-9._~+/=:%\-]{4,8192})`,
      'dgi',
    ),
    groups: [2],
    // Without a scheme, only a token-like value (a digit, 8+ characters): `authorization: denied` is prose.
    accept: (m, value) => !isPlaceholderValue(value) && (m[1] !== undefined || (value.length >= 8 && /\d/.test(value))),
  },
  {
    // `Bearer <token>` anywhere (curl commands, exception messages). Tokens hold a digit; words do not.
    kind: 'bearer-token',
    pattern: /(?<![\w-])bearer[ \t]{1,8}([A-Za-z0-9._~+/=\-]{16,8192})/dgi,
    groups: [1],
    accept: (_m, value) => /\d/.test(value),
  },
  {
    // `Basic <base64(user:password)>` anywhere: only when it decodes to `user:password`.
    kind: 'basic-auth',
    pattern: /(?<![\w-])Basic[ \t]{1,8}([A-Za-z0-9+/]{6,8192}={0,2})(?![A-Za-z0-9+/=])/dg,
    groups: [1],
    accept: (_m, value) => {
      const decoded = Buffer.from(value, 'base64').toString('latin1');
      return decoded.indexOf(':') > 0 && /^[\x20-\x7e]*$/.test(decoded);
    },
  },
  {
    // `Cookie:` / `Set-Cookie:` header lines: every cookie is a potential session, so the whole value.
    kind: 'cookie',
    pattern: /(?<![\w-])(?:set-)?cookie[ \t]{0,8}:[ \t]{1,8}([^\r\n"]{1,4096})/dgi,
    groups: [1],
    accept: (_m, value) => !isPlaceholderValue(value) && /[=]/.test(value),
  },
  {
    // Slack tokens: xoxb- (bot), xoxp- (user), xoxa-, xoxr-, xoxs-, xoxo-; xapp- (app-level).
    // https://api.slack.com/concepts/token-types
    kind: 'slack-token',
    // xoxe- / xoxe.xoxp- are the refresh and rotating tokens of token rotation.
    pattern: /(?<![A-Za-z0-9])(?:xox[abposre](?:\.xox[abposr])?-|xapp-\d-)[A-Za-z0-9-]{10,250}/dg,
    groups: [0],
  },
  {
    // Slack incoming-webhook and workflow URLs: the path after hooks.slack.com/services/ is the secret.
    kind: 'slack-webhook',
    pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([A-Za-z0-9/_-]{8,300})/dg,
    groups: [1],
  },
  {
    // GitHub tokens: ghp_ (classic PAT), gho_ (OAuth), ghu_/ghs_ (app user/server), ghr_ (refresh),
    // github_pat_ (fine-grained). https://github.blog/changelog/2021-03-31-authentication-token-format-updates-are-generally-available
    kind: 'github-token',
    pattern: /(?<![A-Za-z0-9_])(?:gh[pousr]_[A-Za-z0-9]{30,251}|github_pat_[A-Za-z0-9_]{22,251})(?![A-Za-z0-9_])/dg,
    groups: [0],
  },
  {
    // Stripe secret and restricted keys, webhook signing secrets. https://docs.stripe.com/keys
    kind: 'stripe-key',
    pattern: /(?<![A-Za-z0-9_])(?:(?:sk|rk)_(?:live|test)|whsec)_[A-Za-z0-9]{16,247}(?![A-Za-z0-9])/dg,
    groups: [0],
  },
  {
    // Google API keys: `AIza` + 35 characters.
    kind: 'google-api-key',
    pattern: /(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}(?![A-Za-z0-9_-])/dg,
    groups: [0],
  },
  {
    // npm access tokens: `npm_` + 36 characters.
    kind: 'npm-token',
    pattern: /(?<![A-Za-z0-9_])npm_[A-Za-z0-9]{36}(?![A-Za-z0-9])/dg,
    groups: [0],
  },
  {
    // GitLab tokens: personal/project/group (glpat-), runner (glrt-), deploy (gldt-), feed, trigger,
    // CI build, incoming mail, agent, OAuth app secrets. https://docs.gitlab.com/security/tokens/
    kind: 'gitlab-token',
    pattern: /(?<![A-Za-z0-9_-])(?:glpat|glrt|gldt|glft|glptt|glcbt|glimt|glagent|glsoat|gloas)-[A-Za-z0-9_.-]{20,250}/dg,
    groups: [0],
  },
  {
    // Anthropic API keys: sk-ant-api03-… / sk-ant-admin01-….
    kind: 'anthropic-key',
    pattern: /(?<![A-Za-z0-9_-])sk-ant-[a-z]{3,8}\d{2}-[A-Za-z0-9_-]{20,250}/dg,
    groups: [0],
  },
  {
    // OpenAI API keys: sk-…, sk-proj-…, sk-svcacct-…, sk-admin-… (a digit required: `sk-learn` is a word).
    kind: 'openai-key',
    pattern: /(?<![A-Za-z0-9_-])sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,250}/dg,
    groups: [0],
    accept: (m) => /\d/.test(m[0]),
  },
  {
    // SendGrid API keys: `SG.` + 22 + `.` + 43 characters. https://www.twilio.com/docs/sendgrid/ui/account-and-settings/api-keys
    kind: 'sendgrid-key',
    pattern: /(?<![A-Za-z0-9_-])SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])/dg,
    groups: [0],
  },
  {
    // HashiCorp Vault service, batch and recovery tokens (hvs., hvb., hvr.). https://developer.hashicorp.com/vault/docs/concepts/tokens#token-prefixes
    kind: 'vault-token',
    pattern: /(?<![A-Za-z0-9_.-])hv[sbr]\.[A-Za-z0-9_-]{24,250}/dg,
    groups: [0],
  },
  {
    // PyPI API tokens: `pypi-` + a macaroon starting `AgE`. https://pypi.org/help/#apitoken
    kind: 'pypi-token',
    pattern: /(?<![A-Za-z0-9_-])pypi-AgE[A-Za-z0-9_-]{50,500}/dg,
    groups: [0],
  },
  {
    // Azure storage and Service Bus connection strings: AccountKey=, SharedAccessKey=, and SAS `sig=`.
    // https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string
    kind: 'azure-key',
    pattern: /(?<![A-Za-z0-9])(?:AccountKey|SharedAccessKey|SharedAccessSignature|sig)=([^;\s"'&<>]{8,1024})/dg,
    groups: [1],
    accept: (_m, value) => !isPlaceholderValue(value),
  },
  {
    // Passwords on command lines: `curl -u user:pass`, `--user user:pass`, `mysql -pPASS`,
    // `mysql --password=…` (the latter is a key=value pair, found below).
    kind: 'command-line-password',
    pattern: /(?<![\w-])(?:(?:-u|--user)[ \t=]{1,8}['"]?[^\s:'"]{1,256}:([^\s'"]{1,512})|(?:mysql|mysqldump|mysqladmin|mariadb)[ \t][^\r\n]{0,256}?[ \t]-p([^\s'"-][^\s'"]{0,255}))/dg,
    groups: [1, 2],
    accept: (_m, value) => !isPlaceholderValue(value),
  },
  {
    // A PEM body printed one line per log event: a run of base64 key material as long as a PEM line
    // (64 characters, RFC 7468), mixed case with digits and `+` or `/`, so it cannot be a word or a hash.
    kind: 'key-material',
    pattern: /(?<![A-Za-z0-9+/=_.:-])([A-Za-z0-9+/]{60,76}={0,2})(?![A-Za-z0-9+/=_.:-])/dg,
    groups: [1],
    accept: (_m, value) => /\d/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value) && /[+/]/.test(value),
  },
  {
    // Passwords in URLs and connection strings: scheme://user:PASSWORD@host. The password runs to the
    // last `@` of the authority, so an unencoded `@` in it is still covered.
    kind: 'url-password',
    // The password may hold `#`, `/` and `?` unencoded (what people paste); a port followed by a path
    // (`host:8080/x?mail=a@b`) is not a password.
    pattern: /(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}:\/\/[^\s:/?#@"'<>[\]]{0,256}:([^\s"'<>]{1,512})@/dg,
    groups: [1],
    accept: (_m, value) => !isPlaceholderValue(value) && !/^\d{1,5}(?:[/?#]|$)/.test(value),
  },
  {
    // ECS `environment` entries dumped as JSON: {"name": "DB_PASSWORD", "value": "…"}.
    kind: 'secret-value',
    pattern: new RegExp(
      String.raw`\\?"name\\?"[ \t]{0,8}:[ \t]{0,8}\\?"([\w.\-]{1,128})\\?"[ \t]{0,8},[ \t]{0,8}\\?"value\\?"[ \t]{0,8}:[ \t]{0,8}${DQ}`,
      'dg',
    ),
    groups: [2],
    accept: acceptPair(1),
    keepPrefix: AUTH_SCHEME,
  },
  {
    // "password": "…", 'api_key': '…', \"token\":\"…\" (JSON, Python repr, escaped JSON in a string).
    kind: 'secret-value',
    pattern: new RegExp(String.raw`(\\?["'])([\w.\- ]{1,128})\1[ \t]{0,8}(?:=>|[:=])[ \t]{0,8}(?:${DQ}|${SQ}|${BARE})`, 'dg'),
    groups: [3, 4, 5],
    accept: acceptPair(2),
    keepPrefix: AUTH_SCHEME,
  },
  {
    // KEY=value, KEY = "value", key => 'value', --password=…, Password=…; (ADO/JDBC), ?token=…&.
    kind: 'secret-value',
    // The value is read in a look-ahead, so the match ends after `KEY=` and a pair inside a value whose
    // key is no secret is still found (`--env=DB_PASSWORD=…`, `CONN="Server=db;Password=…"`). An unquoted
    // value stops at `=` so look-aheads from neighbouring keys never rescan the same characters; a
    // secret's value continues over `=` (`extendOverEquals`: base64 padding, `a=b` passwords).
    pattern: new RegExp(String.raw`${KEY}[ \t]{0,8}(?:=>|=(?![=~]))[ \t]{0,8}(?=${DQ}|${SQ}|${BARE_EQ})`, 'dg'),
    groups: [2, 3, 4],
    accept: acceptPair(1),
    keepPrefix: AUTH_SCHEME,
    extendOverEquals: true,
  },
  {
    // KEY: value (YAML, headers such as X-Api-Key, logfmt-like lines). ARN segments (`secret:name`) and
    // URLs are excluded by the look-behind and by requiring whitespace after the colon.
    kind: 'secret-value',
    pattern: new RegExp(String.raw`(?<![\w.\-:/])([\w.\-]{1,128}):[ \t]{1,8}(?:${DQ}|${SQ}|${BARE}${ENDS_FIELD})`, 'dg'),
    groups: [2, 3, 4],
    accept: (match, value) => {
      if (!acceptPair(1)(match, value)) return false;
      if (match[4] === undefined) return true;
      const after = match.input.slice(match.index + match[0].length, match.index + match[0].length + 16);
      return ENDS_TEXT_AT.test(after) || /\d/.test(value);
    },
    keepPrefix: AUTH_SCHEME,
  },
];

/** Every redaction pattern of our own detectors (global, with match indices), for the linearity test. */
export const REDACTION_PATTERNS: readonly RegExp[] = DETECTORS.map((d) => d.pattern);

// On overlap, our specific detectors name the span, then gitleaks' rules, then our generic ones
// (key material, URL passwords, key/value pairs): `HF_TOKEN=hf_…` is a Hugging Face token.
const GENERIC_FROM = DETECTORS.findIndex((d) => d.kind === 'key-material');
const RULE_RANK = GENERIC_FROM - 0.5;

/**
 * Whether a span of a kind overlaps one of `spans` of the same kind, in O(log n) per question: per
 * kind, spans sorted by start with the largest end so far.
 */
function coverage(spans: readonly SecretSpan[]): (kind: RedactionKind, start: number, end: number) => boolean {
  const byKind = new Map<RedactionKind, { starts: number[]; maxEnds: number[] }>();
  for (const span of [...spans].sort((a, b) => a.start - b.start)) {
    const entry = byKind.get(span.kind) ?? { starts: [], maxEnds: [] };
    byKind.set(span.kind, entry);
    entry.maxEnds.push(Math.max(span.end, entry.maxEnds[entry.maxEnds.length - 1] ?? 0));
    entry.starts.push(span.start);
  }
  return (kind, start, end) => {
    const entry = byKind.get(kind);
    if (!entry) return false;
    // The last span starting before `end`; any of those up to it ending after `start` overlaps.
    let lo = 0;
    let hi = entry.starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((entry.starts[mid] ?? 0) < end) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && (entry.maxEnds[lo - 1] ?? 0) > start;
  };
}

/**
 * The secrets in a text, as non-overlapping spans sorted by position: our detectors and gitleaks'
 * rules (`lambda/shared/secret-rules/gitleaks.ts`). Overlapping detections (a JWT that is also a
 * `token=` value) are merged into one span named after the earliest, most specific one. Pure.
 */
export function findSecrets(text: string): SecretSpan[] {
  const found: (SecretSpan & { rank: number })[] = [];
  DETECTORS.forEach((detector, rank) => {
    // matchAll clones the pattern, so the shared RegExp's lastIndex is never touched.
    for (const match of text.matchAll(detector.pattern)) {
      const group = detector.groups.find((g) => match[g] !== undefined);
      const span = group === undefined ? undefined : match.indices?.[group];
      if (!span || group === undefined) continue;
      const value = match[group] ?? '';
      const kept = detector.keepPrefix?.exec(value)?.[0].length ?? 0;
      const start = span[0] + kept;
      let end = span[1];
      if (end <= start) continue;
      if (detector.accept && !detector.accept(match, value.slice(kept))) continue;
      if (detector.extendOverEquals && text[end] === '=') {
        // Sticky and used synchronously, so sharing the RegExp's lastIndex is safe.
        REST_AFTER_EQUALS.lastIndex = end;
        end += REST_AFTER_EQUALS.exec(text)?.[0].length ?? 0;
      }
      found.push({ start, end, kind: detector.kind, rank });
    }
  });
  // Where our detector of the same kind found the secret, its span stands: it keeps what is no secret
  // (the `-----BEGIN … KEY-----` lines, the `hooks.slack.com/services/` of a webhook).
  const covered = coverage(found);
  for (const m of findRuleMatches(text)) {
    const kind = kindOfRule(m.rule);
    if (covered(kind, m.start, m.end)) continue;
    found.push({ start: m.start, end: m.end, kind, rule: m.rule, rank: RULE_RANK });
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end || a.rank - b.rank);
  const merged: SecretSpan[] = [];
  for (const span of found) {
    const last = merged[merged.length - 1];
    if (last && span.start < last.end) last.end = Math.max(last.end, span.end);
    else merged.push({ start: span.start, end: span.end, kind: span.kind, ...(span.rule ? { rule: span.rule } : {}) });
  }
  return merged;
}

/**
 * Masks every secret in a text: each secret value becomes `[REDACTED:<kind>]`, everything else
 * (key names, schemes, users, hosts, the rest of the line) is kept as is. A text without secrets comes
 * back identical. Pure; linear in the length of the text.
 *
 * @returns the masked text and the number of secrets replaced.
 */
export function redactText(text: string): RedactedText {
  const spans = findSecrets(text);
  if (spans.length === 0) return { text, count: 0 };
  let out = '';
  let at = 0;
  for (const span of spans) {
    out += text.slice(at, span.start) + redactionMarker(span.kind);
    at = span.end;
  }
  return { text: out + text.slice(at), count: spans.length };
}

/**
 * A counter that redacts texts and adds up the redactions, for walking a structure (a report, a
 * bundle) field by field.
 */
export class RedactionCounter {
  /** Secrets replaced so far. */
  count = 0;

  /** `redactText(text).text`, adding to `count`. */
  text(text: string): string {
    const result = redactText(text);
    this.count += result.count;
    return result.text;
  }

  /** Like `text`, for optional or loosely typed fields: non-strings are returned unchanged. */
  maybe<T>(value: T): T {
    return (typeof value === 'string' ? this.text(value) : value) as T;
  }
}
