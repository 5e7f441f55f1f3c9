/**
 * Which keys name a secret (`DB_PASSWORD`, `x-api-key`, `clientSecret`) and which values are
 * placeholders rather than secrets (`${DB_PASSWORD}`, `****`, ARNs): the words the contextual
 * detectors of `redaction.ts` and the bundle redaction (`redact-bundle.ts`) go by.
 */

/** Words that make a key name a secret (`DB_PASSWORD`, `x-api-key`, `clientSecret`, `sessionToken`). */
const SECRET_WORDS = new Set([
  'password', 'passwd', 'pwd', 'passphrase', 'secret', 'secrets', 'token', 'apikey', 'credential', 'credentials',
  'creds', 'cookie', 'cookies', 'session', 'auth', 'authorization', 'privatekey', 'accesskey', 'secretkey',
]);

// Compounds written as one word (`PGPASSWORD`, `APIKEY`, `authtoken`) or split (`api_key`, `access-key`).
const SECRET_COMPOUND = /password|passwd|passphrase|apikey|accesskey|privatekey|secretkey|clientsecret|authtoken|accesstoken|refreshtoken|sessiontoken|securitytoken/;

/**
 * A last word that makes the key name something ABOUT the secret, not the secret itself
 * (`SECRET_NAME`, `secretArn`, `token_url`, `TokenExpiredError`, `sessionTimeout`, `auth_type`).
 */
const NOT_A_VALUE = new Set([
  'name', 'names', 'id', 'ids', 'arn', 'arns', 'file', 'files', 'path', 'dir', 'type', 'kind', 'length', 'len', 'size',
  'count', 'error', 'errors', 'exception', 'expired', 'expiry', 'expires', 'expiration', 'ttl', 'timeout', 'duration',
  'url', 'uri', 'endpoint', 'host', 'policy', 'version', 'header', 'enabled', 'disabled', 'required', 'missing', 'ref',
  'field', 'env', 'var', 'provider', 'mode', 'format', 'prefix', 'location', 'source', 'process', 'manager', 'store',
  'rotation', 'hint', 'min', 'max', 'method', 'domain', 'secure', 'samesite', 'httponly', 'age', 'lifetime', 'storage',
  'backend', 'algorithm', 'alg', 'scheme', 'scope', 'scopes', 'valid', 'invalid', 'failed', 'reset', 'changed',
]);

/** Words that make a token a non-secret handle (AWS `nextToken`, `clientToken` idempotency tokens). */
const HANDLE_WORDS = new Set(['next', 'page', 'pagination', 'continuation', 'cancellation', 'idempotency', 'client', 'marker']);

/** The words of a key: `DB_PASSWORD` → db, password; `xApiKey` → x, api, key; `APIKey` → api, key. */
export function keyWords(key: string): string[] {
  return key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/(?<![A-Z])([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

/**
 * Whether a key names a secret value: it holds a secret word (password, passwd, pwd, secret, token,
 * api key, access key, private key, client secret, auth, credential(s), session, cookie, …) in any
 * case, with any prefix or suffix, unless its last word says it names something about the secret
 * (`_NAME`, `_ARN`, `_URL`, `_FILE`, `Error`, …) or it is a pagination/idempotency token.
 */
export function isSecretKey(key: string): boolean {
  const words = keyWords(key);
  const last = words[words.length - 1];
  if (last === undefined) return false;
  const joined = words.join('');
  const named = words.some((w) => SECRET_WORDS.has(w)) || SECRET_COMPOUND.test(joined) || last === 'pass';
  if (!named) return false;
  // A session or cookie id is the session itself; any other `…_ID` names a secret (`SecretId`).
  if (last === 'id' && (words.includes('session') || words.includes('cookie'))) return true;
  if (NOT_A_VALUE.has(last)) return false;
  if (words.some((w) => HANDLE_WORDS.has(w)) && (last === 'token' || last === 'tokens')) return false;
  return true;
}

const SECRET_OPTION = /token|passw|secret|credential|api[-_]?key|auth|license/i;

/**
 * Whether a log-driver option (`logConfiguration.options` key) carries a credential: `splunk-token`,
 * a FireLens output's `apikey` or `HTTP_Passwd`, a license key. The one rule both the evidence model
 * (`normaliseTaskDefinition`) and the bundle redaction (`redactBundleEvidence`) apply to option values.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_LogConfiguration.html
 */
export function isSecretOption(name: string): boolean {
  return SECRET_OPTION.test(name);
}

// Values that stand for a secret without being one: templates, masks, booleans, the auth scheme of a
// header, references (ARNs: a task definition's `secrets` point at them), and markers of earlier runs.
const PLACEHOLDER_WORD = /^(?:\*+|x{3,}|\.{3}|…|-+|null|nil|none|undefined|true|false|yes|no|on|off|empty|n\/a|redacted|hidden|masked|bearer|basic|digest|token|negotiate|ntlm|aws4-hmac-sha256)$/i;
const PLACEHOLDER_SHAPE = /^(?:\$\{|\$\(|\$[A-Za-z_]|%\(|%[sd]$|\{|<|\[REDACTED|\(redacted\)|arn:)/i;

/** Whether a value is a placeholder, a mask or a reference rather than a secret. */
export function isPlaceholderValue(value: string): boolean {
  const v = value.trim();
  return v === '' || PLACEHOLDER_WORD.test(v) || PLACEHOLDER_SHAPE.test(v);
}
