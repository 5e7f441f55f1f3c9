import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { analyse } from 'scslre';
import ts from 'typescript';
import { RULES } from '../../lambda/classification/rules/index';
import type { Evidence } from '../../lambda/evidence/types';
import { REDACTION_PATTERNS, redactText } from '../../lambda/shared/redaction';
import { ALLOWLIST_TARGET_MAX, SECRET_RULE_ALLOWLIST_PATTERNS, SECRET_RULE_PATTERNS } from '../../lambda/shared/secret-rules/gitleaks';

/**
 * Regular expressions stay linear. Two nets:
 *
 * - Every regex of the product is collected systematically, not by hand: the TypeScript parser lists
 *   every regular-expression literal under `lambda/`, `lib/` and `bin/`; each is checked by scslre
 *   (a static detector of super-linear backtracking, https://github.com/RunDevelopment/scslre) and run
 *   on 20 KB runs of the characters that make backtracking engines go quadratic. A `new RegExp(...)`
 *   is only allowed in the files listed in `DYNAMIC_REGEXP_FILES`, whose patterns are exported and run
 *   below (redaction patterns, imported secret rules, rules).
 * - Every rule and every redaction pattern is fed pathological 100 KB
 * lines — long runs of one character, of a repeated prefix a pattern anchors on, and of near-matches
 * that fail at the very end (what makes a backtracking engine explore every split of the run). The
 * budget is generous (it guards against quadratic and exponential blow-ups, not against slowness; the
 * precise budget belongs to the benchmark).
 */

const SIZE = 100 * 1024;
// Not a speed budget (those live in `npm run bench`): a super-linear pattern takes minutes on these
// inputs, a linear one well under a second on a quiet machine; the bound leaves room for a busy one.
const BUDGET_MS = 15_000;

const fill = (unit: string): string => unit.repeat(Math.ceil(SIZE / unit.length)).slice(0, SIZE);

const UNITS: Record<string, string> = {
  'a': 'a',
  'space': ' ',
  'tab': '\t',
  'double quote': '"',
  "single quote": "'",
  'equals': '=',
  'colon': ':',
  'digits': '0123456789',
  'base64': 'aZ09+/',
  'base64url with dots': 'eyJhbGciOi.',
  'hex': '0123456789abcdef',
  'word and space': 'a ',
  'words': 'error failed exited container task ',
  'Error: prefix': 'Error: ',
  'at frames': '    at ',
  'Caused by': 'Caused by: ',
  'Traceback': 'Traceback (most recent call last):',
  'File frames': 'File "',
  'key=': 'a=',
  'password=': 'password=',
  'password: ': 'password: ',
  'quoted key': '"a":',
  'quoted secret key': '"token":"',
  'escaped quotes': '\\"',
  'backslashes': '\\',
  'scheme': 'a://',
  'userinfo': 'a://a:',
  'at signs': 'a:a@',
  'eyJ': 'eyJ',
  'PEM begin': '-----BEGIN PRIVATE KEY-----',
  'PEM body': '-----BEGIN PRIVATE KEY-----\\nMIIE',
  'AKIA': 'AKIA',
  'Bearer': 'Bearer ',
  'Basic': 'Basic ',
  'Authorization': 'Authorization: ',
  'Cookie': 'Cookie: ',
  'slack': 'xoxb-',
  'webhook': 'hooks.slack.com/services/',
  'aws secret key name': 'aws_secret_access_key=',
  'session token name': 'X-Amz-Security-Token=',
  'name/value': '"name":"DB_PASSWORD","value":',
  'dashes': '-',
  'dots': '.',
  'underscores': '_',
  'slashes': '/',
  'parens': '(',
  'brackets': '[',
  'ECS reason prefix': 'CannotPullContainerError: ',
  'exit code': 'exit code 1 ',
  'status code': 'status code 5',
  'ports': ':::3000 ',
  'ip': '10.0.0.1:',
  'newlines': 'a\n',
  'curly quotes': '\u201Ca\u2019',
  // Fatal-line forms (fatal-forms.ts): runs of what each anchors on.
  'path segments': 'a/',
  'shell prefix': 'sh: 1: ',
  'envoy levels': '][critical][',
  'elixir exits': '** (',
  'rust panics': "thread 'a' panicked at ",
  'php fatal': 'PHP Fatal error:  Uncaught ',
  'assertions': ': Assertion `',
  'go log dates': '2025/11/04 09:12:30 ',
  'unicode identifiers': 'café_模块.',
  'env assignment': 'NODE_ENV=',
};

// Each run as is, and once more with a last character that breaks any match at the very end.
const LINES: [string, string][] = Object.entries(UNITS).flatMap(([name, unit]) => [
  [name, fill(unit)],
  [`${name} + !`, `${fill(unit).slice(0, SIZE - 1)}!`],
]);

const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/demo/0123456789abcdef0123456789abcdef';
const OTHER_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/demo/fedcba9876543210fedcba9876543210';

/** Evidence whose every free text is `line`, with structural fields set so that most rules apply. */
function pathologicalEvidence(line: string): Evidence {
  const task = (taskArn: string) => ({
    taskArn,
    taskId: taskArn.split('/').pop() ?? '',
    group: 'service:web',
    startedBy: 'ecs-svc/1234567890123456789',
    lastStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: line,
    launchType: 'FARGATE',
    createdAt: 1736935100000,
    startedAt: 1736935150000,
    stoppedAt: 1736935200000,
    containers: [
      { name: 'app', image: line, exitCode: 1, reason: line, lastStatus: 'STOPPED', healthStatus: 'UNHEALTHY', essential: true },
      { name: 'log_router', image: 'amazon/aws-for-fluent-bit:stable', exitCode: 137, reason: line, essential: false },
    ],
  });
  const events = (n: number) => Array.from({ length: n }, (_, i) => ({ timestamp: 1736935150000 + i * 1000, message: line }));
  return {
    trigger: {
      kind: 'task_stopped',
      eventId: 'e-1',
      detailType: 'ECS Task State Change',
      time: '2026-01-15T10:00:00.000Z',
      account: '111122223333',
      region: 'us-east-1',
      reason: line,
      alarmReason: line,
      serviceName: 'web',
      clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/demo',
      deploymentId: 'ecs-svc/1234567890123456789',
    },
    tasks: [task(TASK_ARN), task(OTHER_ARN)],
    taskDefinition: {
      family: 'demo',
      revision: 1,
      networkMode: 'awsvpc',
      requiresCompatibilities: ['FARGATE'],
      volumes: [{ name: 'data', kind: 'efs' }],
      containers: [
        {
          name: 'app',
          image: line,
          essential: true,
          entryPoint: [line],
          command: [line, line],
          workingDirectory: line,
          portMappings: [{ containerPort: 8080 }],
          healthCheck: { command: ['CMD-SHELL', line], intervalSeconds: 30, timeoutSeconds: 5, retries: 3 },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': line } },
          mountPoints: [{ sourceVolume: 'data', containerPath: line }],
          environmentNames: [line],
          secretNames: [line],
          dependsOn: [],
        },
      ],
    },
    services: [
      {
        serviceName: 'web',
        loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0a1b2c3d4e5f6a7b', containerName: 'app', containerPort: 8080 }],
        deployments: [{ id: 'ecs-svc/1234567890123456789', status: 'PRIMARY', rolloutState: 'FAILED', rolloutStateReason: line }],
        events: [
          { id: 'ev-1', createdAt: 1736935200000, message: line },
          { id: 'ev-2', createdAt: 1736935100000, message: line },
        ],
      },
    ],
    logs: [
      { logGroupName: '/ecs/demo', logStreamName: `ecs/app/${TASK_ARN.split('/').pop() ?? ''}`, containerName: 'app', events: events(3) },
      { logGroupName: '/ecs/demo', logStreamName: `ecs/log_router/${TASK_ARN.split('/').pop() ?? ''}`, containerName: 'log_router', events: events(1) },
    ],
    targetHealth: [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0a1b2c3d4e5f6a7b',
        targets: [{ id: '10.0.1.10', port: 8080, state: 'unhealthy', reason: line, description: line }],
        healthCheck: { protocol: 'HTTP', path: line, matcher: '200', timeoutSeconds: 5, intervalSeconds: 30 },
      },
    ],
    alarms: [{ alarmName: 'web-unhealthy', stateValue: 'ALARM', stateReason: line, dimensions: {} }],
    gaps: [line],
  };
}

/** Milliseconds `fn` takes. */
function timed(fn: () => void): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every regular-expression literal of the product, with the file it is in. */
function regexLiterals(): { file: string; literal: string; regex: RegExp }[] {
  const found: { file: string; literal: string; regex: RegExp }[] = [];
  for (const file of ['lambda', 'lib', 'bin'].flatMap((dir) => sourceFiles(join(ROOT, dir)))) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
    const visit = (node: ts.Node): void => {
      if (node.kind === ts.SyntaxKind.RegularExpressionLiteral) {
        const literal = node.getText(source);
        const end = literal.lastIndexOf('/');
        found.push({ file: relative(ROOT, file), literal, regex: new RegExp(literal.slice(1, end), literal.slice(end + 1)) });
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

/**
 * Files allowed to build a RegExp at run time, and how their patterns are covered here: redaction
 * exports `REDACTION_PATTERNS`; rules (and the log-pattern helper they use) are run through `RULES`.
 */
const DYNAMIC_REGEXP_FILES: Record<string, string> = {
  'lambda/shared/redaction.ts': 'REDACTION_PATTERNS',
  'lambda/shared/secret-rules/gitleaks.ts': 'SECRET_RULE_PATTERNS, SECRET_RULE_ALLOWLIST_PATTERNS and the keyword scan (escaped literals)',
  'lambda/classification/log-patterns.ts': 'RULES (escaped literal alternations)',
  'lambda/classification/rules/container-command-not-executable.ts': 'RULES',
  'lambda/classification/rules/image-not-found.ts': 'RULES',
  'lambda/classification/rules/volume-hides-start-script.ts': 'RULES',
  'lambda/classification/fatal-forms.ts': 'RULES (the fatal-log-line rule runs every form)',
  'lambda/classification/runtime-patterns.ts': 'RULES (the runtime rules run every pattern)',
  'lambda/changes/attribute-changes.ts': 'escaped literal names between look-arounds (no quantifier on input)',
};

const SWEEP_SIZE = 20 * 1024;
const SWEEP_UNITS = [' ', '\t', 'a', 'A', '0', '.', '/', '-', '_', ':', '=', '"', '\\', '\n', ' \n', 'a ', 'a.', 'A_', '\u001b]', '😀'];

describe('every regex of the product, collected from the source', () => {
  const literals = regexLiterals();

  it('finds the literals (the collector works)', () => {
    expect(literals.length).toBeGreaterThan(300);
    expect(literals.some((l) => l.file === join('lambda', 'shared', 'text.ts'))).toBe(true);
  });

  it('has no super-linear backtracking (scslre)', () => {
    const flagged = literals.flatMap(({ file, literal, regex }) =>
      analyse(regex).reports.map((r) => `${file}: ${literal} (${r.type} on repeated ${JSON.stringify(r.character.pick)}${r.exponential ? ', exponential' : ''})`),
    );
    expect(flagged).toEqual([]);
  });

  it('runs every literal on 20 KB runs of quadratic-prone characters', () => {
    const lines = SWEEP_UNITS.flatMap((unit) => {
      const run = unit.repeat(Math.ceil(SWEEP_SIZE / unit.length)).slice(0, SWEEP_SIZE);
      return [run, `${run}!`, `x${run}\u0000`];
    });
    for (const { file, literal, regex } of literals) {
      const global = new RegExp(regex.source, regex.flags.includes('g') ? regex.flags : `${regex.flags}g`);
      const ms = timed(() => {
        for (const line of lines) for (const match of line.matchAll(global)) void match;
      });
      if (ms >= BUDGET_MS) throw new Error(`${file}: ${literal} took ${ms.toFixed(0)} ms`);
    }
  });

  it('builds RegExps at run time only in files whose patterns are covered here', () => {
    const dynamic = ['lambda', 'lib', 'bin']
      .flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .filter((file) => /\bnew RegExp\(|[^.\w]RegExp\(/.test(readFileSync(file, 'utf8')))
      .map((file) => relative(ROOT, file).split('\\').join('/'));
    // Every rule file is run through `RULES` below, whatever it builds.
    const covered = (file: string) => file in DYNAMIC_REGEXP_FILES || file.startsWith('lambda/classification/rules/');
    expect(dynamic.filter((file) => !covered(file))).toEqual([]);
  });

  it('redaction patterns have no super-linear backtracking (scslre)', () => {
    const flagged = REDACTION_PATTERNS.flatMap((regex) => analyse(regex).reports.map((r) => `${regex.source} (${r.type} on ${JSON.stringify(r.character.pick)})`));
    expect(flagged).toEqual([]);
  });
});

describe('regular expressions stay linear on pathological 100 KB lines', () => {
  it('uses 100 KB lines of many shapes', () => {
    expect(LINES.length).toBeGreaterThanOrEqual(100);
    for (const [, line] of LINES) expect(line).toHaveLength(SIZE);
  });

  it.each(REDACTION_PATTERNS.map((pattern, i) => [i, pattern] as const))('redaction pattern %i', (_i, pattern) => {
    for (const [name, line] of LINES) {
      const ms = timed(() => {
        for (const match of line.matchAll(pattern)) void match;
      });
      if (ms >= BUDGET_MS) throw new Error(`${pattern.source} took ${ms.toFixed(0)} ms on "${name}"`);
    }
  });

  it('redactText', () => {
    for (const [name, line] of LINES) {
      const ms = timed(() => redactText(line));
      if (ms >= BUDGET_MS) throw new Error(`redactText took ${ms.toFixed(0)} ms on "${name}"`);
    }
  });

  it.each(RULES.map((rule) => [rule.id, rule] as const))('rule %s', (_id, rule) => {
    for (const [name, line] of LINES) {
      const evidence = pathologicalEvidence(line);
      const ms = timed(() => {
        try {
          rule.match(evidence);
        } catch {
          // A rule that throws is isolated by the engine; only its time matters here.
        }
      });
      if (ms >= BUDGET_MS) throw new Error(`${rule.id} took ${ms.toFixed(0)} ms on "${name}"`);
    }
  });
});

describe('imported secret rules (gitleaks, lambda/shared/secret-rules) stay linear', () => {
  // A rule runs only on a text holding one of its keywords, so it is fed runs built on its keywords:
  // the keyword repeated, followed by `=`, `: "`, a space, and once, in front of a run of key characters.
  const keywordLines = (keywords: readonly string[], size: number): string[] =>
    (keywords.length > 0 ? keywords : ['']).flatMap((k) => [
      ...[k, `${k}=`, `${k}: "`, `${k} `, `${k}_`, `${k}-`].map((unit) => unit.repeat(Math.ceil(size / Math.max(unit.length, 1))).slice(0, size)),
      ...['a', '0', 'aZ09+/', ' ', '-', '.', '=', ':', '\\'].map((unit) => `${k}=${unit.repeat(size)}!`),
    ]);

  it('imports the rule set', () => {
    expect(SECRET_RULE_PATTERNS.length).toBeGreaterThan(150);
  });

  it('no rule pattern has super-linear backtracking (scslre)', () => {
    const flagged = SECRET_RULE_PATTERNS.flatMap(({ id, pattern }) => analyse(pattern).reports.map((r) => `${id}: ${pattern.source} (${r.type})`));
    expect(flagged).toEqual([]);
  });

  it('runs every rule pattern on 100 KB runs of its keywords', () => {
    for (const { id, keywords, pattern } of SECRET_RULE_PATTERNS) {
      const lines = keywordLines(keywords, SIZE);
      const ms = timed(() => {
        for (const line of lines) for (const match of line.matchAll(pattern)) void match;
      });
      if (ms >= BUDGET_MS) throw new Error(`${id}: ${pattern.source} took ${ms.toFixed(0)} ms`);
    }
  });

  it('runs every allowlist regex on targets of the largest size it is applied to', () => {
    const lines = SWEEP_UNITS.flatMap((unit) => {
      const run = unit.repeat(ALLOWLIST_TARGET_MAX).slice(0, ALLOWLIST_TARGET_MAX);
      return [run, `${run.slice(1)}!`];
    });
    for (const regex of SECRET_RULE_ALLOWLIST_PATTERNS) {
      const ms = timed(() => {
        for (const line of lines) regex.test(line);
      });
      if (ms >= BUDGET_MS) throw new Error(`allowlist ${regex.source} took ${ms.toFixed(0)} ms`);
    }
  });

  it('redactText on 20 KB runs of every keyword', () => {
    const keywords = [...new Set(SECRET_RULE_PATTERNS.flatMap((r) => r.keywords))];
    for (const keyword of keywords) {
      for (const line of keywordLines([keyword], SWEEP_SIZE).slice(0, 4)) {
        const ms = timed(() => redactText(line));
        if (ms >= BUDGET_MS) throw new Error(`redactText took ${ms.toFixed(0)} ms on runs of "${keyword}"`);
      }
    }
  });
});
