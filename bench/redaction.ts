import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { redactText } from '../lambda/shared/redaction';
import { findRuleMatches, SECRET_RULE_PATTERNS, SECRET_RULE_SOURCE } from '../lambda/shared/secret-rules/gitleaks';
import { CORPUS_DIR, REPO_ROOT } from './corpus';
import { mbPerSecond, median, timeMs } from './stats';
import { corpusLogLines, writeSyntheticLog } from './synthetic-logs';
import type { Row } from './table';

/**
 * Measurement 7: redaction throughput. Every line of a 100k-line synthetic container log (with one
 * seeded secret from test/fixtures/secrets every 500 lines) goes through `redactText` one log event
 * at a time, as the audit bundle and `capture` redact them; beside it, `grep -F -i -c` with the rule
 * set's keywords over the same file (the literal prefilter alone, gitleaks' first step). A second,
 * informational row times gitleaks' rules alone (`findRuleMatches`), the share the imported rule set adds
 * to our contextual detectors.
 */

const SEED = 20_250_115;
const LINES = 100_000;
const RUNS = 5;
/** One seeded secret every this many lines. */
const SECRET_EVERY = 500;
/**
 * Redaction must reach this share of grep's keyword scan: it runs about 30 contextual patterns and the
 * rules whose keywords occur on every line, so it is far slower than one literal scan; the budget
 * catches a super-linear or per-line-quadratic regression, not a few per cent.
 */
export const REDACTION_BUDGET = 0.02;

/** The seeded-secret texts of the redaction table, first line only (one log event per line). */
function secretLines(): string[] {
  const dir = join(REPO_ROOT, 'test', 'fixtures', 'secrets');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8').split('<+>').join('')) as { cases: { text: string }[] }).cases)
    .map((c) => c.text.split('\n')[0] ?? '');
}

/** Runs measurement 7 in `dir` (a temporary directory). */
export async function measureRedaction(dir: string): Promise<Row[]> {
  const file = join(dir, 'redaction.log');
  await writeSyntheticLog(file, LINES, SEED, corpusLogLines(CORPUS_DIR));
  const seeded = secretLines();
  const lines = readFileSync(file, 'utf8').split('\n').slice(0, LINES);
  for (let i = 0; i < lines.length; i += SECRET_EVERY) lines[i] = seeded[(i / SECRET_EVERY) % seeded.length] ?? '';
  writeFileSync(file, `${lines.join('\n')}\n`);
  const bytes = Buffer.byteLength(lines.join('\n')) + 1;
  const keywordsFile = join(dir, 'secret-keywords.txt');
  writeFileSync(keywordsFile, `${[...new Set(SECRET_RULE_PATTERNS.flatMap((r) => r.keywords))].join('\n')}\n`);

  let redacted = 0;
  const run = () => {
    redacted = 0;
    for (const line of lines) redacted += redactText(line).count;
  };
  run(); // warm-up: JIT and the regex compilations
  const ours: number[] = [];
  const rulesOnly: number[] = [];
  const grep: number[] = [];
  for (let i = 0; i < RUNS; i += 1) {
    ours.push(timeMs(run));
    rulesOnly.push(timeMs(() => lines.forEach((line) => findRuleMatches(line))));
    grep.push(
      timeMs(() => {
        const result = spawnSync('grep', ['-F', '-i', '-c', '-f', keywordsFile, file], { env: { ...process.env, LC_ALL: 'C' }, encoding: 'utf8' });
        if (result.status !== 0 && result.status !== 1) throw new Error(`grep failed (${result.status}): ${result.stderr}`);
      }),
    );
  }
  const ourRate = mbPerSecond(bytes, median(ours));
  const grepRate = mbPerSecond(bytes, median(grep));
  return [
    {
      name: `7 redact ${LINES / 1000}k lines (${(bytes / 1e6).toFixed(1)} MB, ${redacted} secrets)`,
      figure: `${ourRate.toFixed(1)} MB/s (${median(ours).toFixed(0)} ms; ${SECRET_RULE_SOURCE.ruleCount} gitleaks ${SECRET_RULE_SOURCE.version} rules + our detectors)`,
      reference: `grep -F -i -c, rule keywords: ${grepRate.toFixed(1)} MB/s (${median(grep).toFixed(0)} ms)`,
      ratio: ourRate / grepRate,
      budget: `≥ ${REDACTION_BUDGET}× grep`,
      pass: ourRate / grepRate >= REDACTION_BUDGET,
    },
    {
      name: '7 … of which gitleaks rules (keyword scan, rules, entropy, allowlists)',
      figure: `${median(rulesOnly).toFixed(0)} ms (${mbPerSecond(bytes, median(rulesOnly)).toFixed(1)} MB/s alone)`,
      reference: `redactText: ${median(ours).toFixed(0)} ms`,
      ratio: median(rulesOnly) / median(ours),
      budget: '',
    },
  ];
}
