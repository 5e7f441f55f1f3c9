import type { Evidence } from '../../evidence/types';
import { NO_MATCH, NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { citeMatch, matchText, type TextMatch } from '../evidence-text';
import { findInStreams, isLowSeverity, logStreams, type StreamMatch } from '../log-patterns';

// Python `os.environ['X']` raises `KeyError: 'X'`; only keys that look like environment variables, or
// KeyErrors raised from os.py's `__getitem__` / an `environ[` frame, are taken as missing configuration.
const KEY_ERROR = /\bKeyError: \\?['"]([\p{L}_][\p{L}\p{N}_]{0,200})\\?['"]/u;
const ENV_STYLE_KEY = /^[A-Z][A-Z0-9_]{2,}$/;
const ENVIRON_FRAME = /os\.py", line \d+, in __getitem__|\benviron\[|\bos\.environ\b/;
// "environment variable X is not set / must be set / is required / is missing", in either order, and
// Go envconfig's `required key X missing value`.
const ENV_PHRASE = /\b(?:env(?:ironment)?[ _-]?var(?:iable)?s?|environment variables?|env(?:ironment)? key)\b|\brequired key [A-Z]|\brequired env\b/i;
const MISSING_WORD = /\b(?:not set|must be (?:set|defined|provided|specified)|is required|are required|required|missing|undefined|not defined|is empty|not (?:found|provided|specified|configured)|unset)\b/i;
const NOT_FATAL = /\b(?:using (?:the )?default|defaulting to|falling back|fallback)\b/i;
// A run of capitals, digits and underscores; it names a variable when it holds an inner `_`
// (`DB_HOST`) or starts with three capitals (`PORT`). Tested per run, so matching stays linear.
const VAR_RUN = /\b[A-Z][A-Z0-9_]*\b/g;
const VAR_NAME = /^(?:[A-Z][A-Z0-9]*_[A-Z0-9_]+|[A-Z]{3}[A-Z0-9]*)$/;
const NOT_A_NAME = new Set(['ERROR', 'FATAL', 'WARN', 'WARNING', 'INFO', 'DEBUG', 'ENV', 'CRITICAL', 'PANIC', 'THE', 'AND', 'NOT', 'SET']);

/** The variable name named in a bounded window around a phrase, if any. */
function variableNear(text: string, at: number): string | undefined {
  const window = text.slice(Math.max(0, at - 120), at + 200);
  for (const m of window.matchAll(VAR_RUN)) {
    const name = m[0];
    if (VAR_NAME.test(name) && !NOT_A_NAME.has(name)) return name;
  }
  return undefined;
}

/** The container definition the log line came from, or the only one. */
const containerOf = (evidence: Evidence, containerName: string | undefined) =>
  evidence.taskDefinition?.containers.find((c) => c.name === containerName) ??
  (evidence.taskDefinition?.containers.length === 1 ? evidence.taskDefinition.containers[0] : undefined);

/** Whether the container definition names the variable in `environment` or `secrets`. */
function definesVariable(evidence: Evidence, name: string, containerName: string | undefined): boolean {
  const container = containerOf(evidence, containerName);
  return container !== undefined && (container.environmentNames.includes(name) || container.secretNames.includes(name));
}

/** Steps naming what the task definition does (not) define for that variable. */
function taskDefinitionSteps(evidence: Evidence, name: string | undefined, containerName: string | undefined): string[] {
  const container = containerOf(evidence, containerName);
  if (!name) return [];
  if (!container) {
    return [`Add \`${name}\` to the container definition: under \`environment\` for plain values, or under \`secrets\` (\`valueFrom\` a Secrets Manager secret or SSM parameter) for sensitive ones, then deploy a new task-definition revision.`];
  }
  if (container.environmentNames.includes(name) || container.secretNames.includes(name)) {
    return [`The container definition \`${container.name}\` does define \`${name}\`, so its value is empty or not what the program expects: check the value (or the secret/parameter it comes from) and that the program reads the same name.`];
  }
  return [`The container definition \`${container.name}\` defines no environment variable or secret named \`${name}\`: add it under \`environment\` or \`secrets\` (Secrets Manager / SSM Parameter Store) and deploy a new task-definition revision.`];
}

function keyErrorHit(hit: StreamMatch): boolean {
  const key = hit.groups[0] ?? '';
  if (ENV_STYLE_KEY.test(key)) return true;
  for (let i = Math.max(0, hit.at - 6); i < hit.at; i += 1) {
    if (ENVIRON_FRAME.test(hit.lines[i]?.text ?? '')) return true;
  }
  return false;
}

/** A required environment variable is not set (`KeyError: 'X'` on os.environ, "X is not set"). */
export const envVarMissing: Rule = {
  id: 'env-var-missing',
  logPatterns: [KEY_ERROR, ENV_PHRASE],
  category: 'app_config_missing',
  title: 'A required environment variable is not set',
  remediation: [
    'Compare the variables the program reads at start-up with the `environment` and `secrets` of the container definition (and any `environmentFiles` in S3).',
    'Secrets and environment files are read only when a task starts: after changing them, force a new deployment.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/taskdef-envfiles.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html',
    'https://docs.python.org/3/library/os.html#os.environ',
  ],
  match(evidence) {
    const streams = logStreams(evidence);
    if (streams.length === 0) return NOT_APPLICABLE;
    const hits: { hit: TextMatch; name?: string }[] = [];
    for (const hit of findInStreams(streams, KEY_ERROR)) {
      if (keyErrorHit(hit)) hits.push({ hit, name: hit.groups[0] });
    }
    for (const hit of findInStreams(streams, ENV_PHRASE)) {
      const text = hit.item.text;
      const window = text.slice(Math.max(0, hit.index - 120), hit.index + 200);
      if (!matchText(window, MISSING_WORD) || NOT_FATAL.test(window) || isLowSeverity(text)) continue;
      hits.push({ hit, name: variableNear(text, hit.index) });
    }
    if (hits.length === 0) return NO_MATCH;
    const seen = new Set<string>();
    const findings: RuleFinding[] = [];
    for (const { hit, name } of hits) {
      const key = name ?? hit.item.text;
      if (seen.has(key) || findings.length >= 3) continue;
      seen.add(key);
      // When the task definition does define the name, the program saw it empty or could not use it.
      const defined = name !== undefined && definesVariable(evidence, name, hit.item.containerName);
      findings.push({
        title: !name ? 'A required environment variable is not set' : defined ? `Environment variable ${name} is empty or unusable in the container` : `Environment variable ${name} is not set`,
        explanation: `The program needs ${name ? `the environment variable \`${name}\`` : 'an environment variable'} and ${defined ? 'found no usable value for it' : 'it is not set in the container'}, so it stopped during start-up. Environment variables come from the container definition's \`environment\`, \`secrets\` and \`environmentFiles\`.`,
        confidence: 0.85,
        evidence: [citeMatch(hit)],
        remediation: taskDefinitionSteps(evidence, name, hit.item.containerName),
        scope: hit.item.scope,
        taskArn: hit.item.taskArn,
      });
    }
    return { status: 'match', findings };
  },
};
