import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { findSecrets, isPlaceholderValue, isSecretKey, redactionMarker, redactText, type RedactionKind } from '../../lambda/shared/redaction';
import { SECRET_RULE_PATTERNS } from '../../lambda/shared/secret-rules/gitleaks';
import { bundlePaths, lookalikeLines, secretCases, stringLeaves } from './secret-fixtures';

const MARKER = /\[REDACTED:[a-z0-9-]+\]/g;

describe('redactText on the seeded-secret corpus (test/fixtures/secrets)', () => {
  const files = secretCases();
  const rows = files.flatMap(({ file, cases }) => cases.map((c, i) => [`${file}#${i} ${c.kind}`, c] as const));

  // Our own detectors' kinds; every other kind is the id of the gitleaks rule that found the secret.
  const textKinds: RedactionKind[] = [
    'aws-access-key-id', 'aws-secret-access-key', 'aws-session-token', 'authorization', 'bearer-token', 'basic-auth', 'cookie',
    'jwt', 'private-key', 'url-password', 'slack-token', 'slack-webhook', 'github-token', 'stripe-key', 'google-api-key',
    'npm-token', 'secret-value', 'gitlab-token', 'openai-key', 'anthropic-key', 'sendgrid-key', 'vault-token', 'pypi-token',
    'azure-key', 'command-line-password', 'key-material',
  ];

  it('covers every kind of secret found in texts, in several log formats', () => {
    expect(files.map((f) => f.file)).toEqual(['json-logs.json', 'key-value.json', 'plain.json', 'stack-traces.json', 'tokens-and-commands.json', 'urls.json', 'vendor-tokens.json']);
    for (const { cases } of files) expect(cases.length).toBeGreaterThanOrEqual(5);
    // Issue 12: at least 130 realistic inputs of at least 35 kinds, the vendor tokens from gitleaks' rules.
    expect(rows.length).toBeGreaterThanOrEqual(130);
    const seeded = new Set(rows.map(([, c]) => c.kind));
    expect(seeded.size).toBeGreaterThanOrEqual(35);
    const ruleKinds = [...seeded].filter((k) => !textKinds.includes(k));
    expect([...seeded].sort()).toEqual([...textKinds, ...ruleKinds].sort());
    // Every other kind is a gitleaks rule id.
    const ruleIds = new Set(SECRET_RULE_PATTERNS.map((r) => r.id));
    expect(ruleKinds.filter((k) => !ruleIds.has(k))).toEqual([]);
    expect(ruleKinds.length).toBeGreaterThanOrEqual(30);
  });

  it.each(rows.filter(([, c]) => !textKinds.includes(c.kind)))('%s: names the gitleaks rule that found it', (_name, c) => {
    expect(findSecrets(c.text).map((s) => s.rule)).toContain(c.kind);
  });

  it.each(rows)('%s: masks the secret, keeps the rest', (_name, c) => {
    const { text, count } = redactText(c.text);
    for (const secret of c.secrets) expect(text).not.toContain(secret);
    for (const kept of c.keep) expect(text).toContain(kept);
    expect(text).toContain(redactionMarker(c.kind as RedactionKind));
    expect(count).toBeGreaterThanOrEqual(1);
    expect(text.match(MARKER)).toHaveLength(count);
  });

  it.each(rows)('%s: what is left is the original text in order, only values replaced', (_name, c) => {
    const pieces = redactText(c.text).text.split(MARKER);
    let at = 0;
    for (const piece of pieces) {
      const found = c.text.indexOf(piece, at);
      expect(found).toBeGreaterThanOrEqual(at);
      at = found + piece.length;
    }
  });

  it.each(rows)('%s: is idempotent (markers are not redacted again)', (_name, c) => {
    const once = redactText(c.text).text;
    expect(redactText(once)).toEqual({ text: once, count: 0 });
  });
});

describe('redactText leaves texts without secrets alone', () => {
  // The texts rules depend on (issue 5) and look-alikes: names of secrets, not values.
  it.each([
    'FATAL:  password authentication failed for user "app"',
    "Access denied for user 'root'@'10.0.0.5' (using password: YES)",
    "No module named 'core.aws_service'",
    'django.core.exceptions.ImproperlyConfigured: The SECRET_KEY setting must not be empty.',
    'environment variable DATABASE_PASSWORD is not set',
    "KeyError: 'DATABASE_URL'",
    'arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-password-AbCdEf',
    'arn:aws:secretsmanager:eu-central-1:111122223333:secret:billing/db-app-password-h7Kd2P:password::',
    'AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/app/1a2b is not authorized to perform: secretsmanager:GetSecretValue',
    'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm',
    'TokenExpiredError: jwt expired',
    'UnrecognizedClientException: The security token included in the request is invalid.',
    'ExpiredTokenException: The security token included in the request is expired',
    'InvalidClientTokenId: The security token included in the request is invalid.',
    'Basic auth failed for user admin',
    'Authorization header is missing',
    'Bearer token is missing or malformed',
    '  File "/app/settings.py", line 12, in <module>\n    password = os.environ["DB_PASSWORD"]',
    '    token = getenv("API_TOKEN")',
    'secretName=prod/db SECRET_ARN=arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db-AbCdEf',
    'password=${DB_PASSWORD} token=<your-token> secret=****',
    'PWD=/usr/src/app',
    'ListTasks nextToken=AAAABBBBCCCC1234 maxResults=100',
    'session_timeout=30 auth_type=iam token_url=https://auth.example.com/oauth2/token',
    'Last session crashed',
    'Connecting to postgres://app@db.internal:5432/app',
    'GET http://10.0.1.10:8000/health 200',
    'Health checks failed with these codes: [502]',
    'CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/app:latest: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed',
    '-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEXAMPLEEXAMPLEEXAMPLEEXAMPLE\n-----END PUBLIC KEY-----',
    '0123456789abcdef0123456789abcdef01234567 is a git commit, not a key',
  ])('%s', (text) => {
    expect(redactText(text)).toEqual({ text, count: 0 });
  });

  // Ordinary lines that look like secrets (test/fixtures/secret-lookalikes): UUIDs, SHAs, digests, ARNs.
  it.each(lookalikeLines())('%s', (text) => {
    expect(redactText(text)).toEqual({ text, count: 0 });
  });

  it('has a precision of 1 on the seeded table, the look-alikes and every recorded incident', () => {
    const cases = secretCases().flatMap((f) => f.cases);
    const truePositives = cases.filter((c) => c.secrets.every((secret) => !redactText(c.text).text.includes(secret))).length;
    const clean = [...lookalikeLines(), ...bundlePaths().flatMap((p) => stringLeaves(JSON.parse(readFileSync(p, 'utf8'))))];
    const falsePositives = clean.filter((t) => redactText(t).count > 0).length;
    expect(clean.length).toBeGreaterThan(1000);
    expect({ truePositives, falsePositives, precision: truePositives / (truePositives + falsePositives) }).toEqual({
      truePositives: cases.length,
      falsePositives: 0,
      precision: 1,
    });
  });

  // Every text of every recorded incident: none holds a secret, so redaction must not change any.
  // A bundle that genuinely held one would be listed here with the texts it changes.
  const GENUINE_SECRETS: Record<string, string[]> = {};
  it.each(bundlePaths().map((p) => [basename(p), p] as const))('%s comes out unchanged', (name, path) => {
    const texts = stringLeaves(JSON.parse(readFileSync(path, 'utf8')));
    expect(texts.length).toBeGreaterThan(10);
    const changed = texts.filter((t) => redactText(t).text !== t);
    expect(changed).toEqual(GENUINE_SECRETS[name] ?? []);
  });
});

describe('detectors', () => {
  it('finds live Stripe keys and every GitHub token prefix', () => {
    // Built at run time so no push-protection scanner mistakes the test for a leak.
    const live = ['sk', 'live', 'EXAMPLE0000000000000000000'].join('_');
    const restricted = ['rk', 'live', 'EXAMPLE0000000000000000000'].join('_');
    expect(redactText(`charge failed with ${live}`).text).toBe('charge failed with [REDACTED:stripe-key]');
    expect(redactText(`key=${restricted}`).text).toBe('key=[REDACTED:stripe-key]');
    for (const prefix of ['ghp', 'gho', 'ghu', 'ghs', 'ghr']) {
      expect(redactText(`t ${prefix}_${'A'.repeat(36)} x`).text).toBe('t [REDACTED:github-token] x');
    }
  });

  it('counts a secret found by two detectors once (a JWT as a token= value)', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlLWV4YW1wbGU';
    expect(redactText(`token=${jwt} user=1`)).toEqual({ text: 'token=[REDACTED:jwt] user=1', count: 1 });
    expect(findSecrets(`token=${jwt}`)).toEqual([{ start: 6, end: 6 + jwt.length, kind: 'jwt' }]);
  });

  it('keeps the scheme of an Authorization value and the user and host of a URL', () => {
    expect(redactText('"authorization": "Basic YWRtaW46cGFzcw=="').text).toBe('"authorization": "Basic [REDACTED:authorization]"');
    expect(redactText('postgres://app:pw-EXAMPLE@db:5432/x').text).toBe('postgres://app:[REDACTED:url-password]@db:5432/x');
  });

  it('only takes `Basic <x>` outside a header when x decodes to user:password', () => {
    expect(redactText('Basic dXNlcjpwYXNz').count).toBe(1);
    expect(redactText('Basic Configuration').count).toBe(0);
  });

  it('masks the body of a private key cut short without eating the next line', () => {
    const text = '-----BEGIN EC PRIVATE KEY-----\nMHcCAQEEIEXAMPLEEXAMPLEEXAMPLEEXAMPLEEXAMPLEoAoGCCqGSM49\n\tfrom /app/boot.rb:3';
    expect(redactText(text).text).toBe('-----BEGIN EC PRIVATE KEY-----[REDACTED:private-key]\n\tfrom /app/boot.rb:3');
  });

  it('leaves texts of any size without a candidate untouched and returns the same string', () => {
    const text = 'x'.repeat(10_000);
    expect(redactText(text).text).toBe(text);
  });
});

describe('isSecretKey', () => {
  it.each([
    'password', 'DB_PASSWORD', 'PGPASSWORD', 'passwd', 'Pwd', 'DB_PASS', 'x-api-key', 'apikey', 'API_KEY', 'APIKey', 'access_key',
    'aws_secret_access_key', 'SecretAccessKey', 'private_key', 'privateKey', 'client_secret', 'clientSecret', 'JWT_SECRET',
    'SECRET_KEY', 'secret_key_base', 'auth', 'AUTH_TOKEN', '_authToken', 'refresh_token', 'credentials', 'session', 'sessionId',
    'cookie', 'X-Amz-Security-Token', 'spring.datasource.password', '--db-password',
  ])('%s names a secret', (key) => expect(isSecretKey(key)).toBe(true));

  it.each([
    'DATABASE_URL', 'SECRET_NAME', 'secretArn', 'SecretId', 'token_url', 'TokenExpiredError', 'InvalidTokenException', 'sessionTimeout',
    'auth_type', 'nextToken', 'NextToken', 'clientToken', 'passwordFile', 'PASSWORD_FILE', 'user', 'host', 'KeyError', 'author', 'bypass',
    'secretsmanager',
  ])('%s does not', (key) => expect(isSecretKey(key)).toBe(false));
});

describe('isPlaceholderValue', () => {
  it.each(['', '***', '********', 'xxxxxx', 'null', 'YES', 'no', 'true', '${DB_PASSWORD}', '$DB_PASSWORD', '<your-token>', '{password}', '%s', '[REDACTED:jwt]', '(redacted)', 'arn:aws:ssm:us-east-1:111122223333:parameter/db'])(
    '%j is a placeholder',
    (value) => expect(isPlaceholderValue(value)).toBe(true),
  );
  it.each(['hunter2', 'changeme', 'p@ss', 'YESS', 'x1'])('%j is not', (value) => expect(isPlaceholderValue(value)).toBe(false));
});

describe('key=value pairs', () => {
  it.each([
    ['--env=DB_PASSWORD=s3cret-EXAMPLE', '--env=DB_PASSWORD=[REDACTED:secret-value]'],
    ['CONN="Server=db;User Id=app;Password=s3cret-EXAMPLE;"', 'CONN="Server=db;User Id=app;Password=[REDACTED:secret-value];"'],
    ['token=abc=def-EXAMPLE next=1', 'token=[REDACTED:secret-value] next=1'],
    ['api_key=dGVzdC1leGFtcGxl==', 'api_key=[REDACTED:secret-value]'],
    ['token: abc123 user: bob', 'token: [REDACTED:secret-value] user: bob'],
    ['password: hunter2, user: bob', 'password: [REDACTED:secret-value], user: bob'],
    ['db_password => "s3cret"', 'db_password => "[REDACTED:secret-value]"'],
  ])('%s', (input, output) => {
    expect(redactText(input).text).toBe(output);
  });
});
