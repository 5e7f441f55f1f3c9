import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RENDER_FORMATS } from '../../lambda/report/renderers/index';
import { renderJson } from '../../lambda/report/renderers/json';
import { RcaReportSchema } from '../../lambda/report/report-schema';
import { BadInputError } from '../../lambda/shared/errors';
import { sampleReport } from '../report/renderers/sample-report';
import { CORPUS, RATE_LIMIT_BUNDLE, ROOT, expectOneLineError, fakeAnalysis, runCli } from './harness';

const ESC = '\u001b';
const eventIdOf = (file: string): string => (JSON.parse(readFileSync(file, 'utf8')) as { event: { id: string } }).event.id;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-rca-analyze-'));
  const bundle = JSON.parse(readFileSync(RATE_LIMIT_BUNDLE, 'utf8')) as { event: Record<string, unknown> };
  writeFileSync(join(dir, 'not-json.json'), '{"schema": "incident-bundle.v1", "event": {');
  writeFileSync(join(dir, 'no-event.json'), JSON.stringify({ schema: 'incident-bundle.v1', evidence: {} }));
  writeFileSync(
    join(dir, 'ec2-event.json'),
    JSON.stringify({
      schema: 'incident-bundle.v1',
      event: { ...bundle.event, 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: { 'instance-id': 'i-0123456789abcdef0', state: 'terminated' } },
    }),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ecs-rca analyze', () => {
  it('analyses FILE and prints the text report by default', async () => {
    const { deps, seen } = fakeAnalysis();
    const result = await runCli(['analyze', RATE_LIMIT_BUNDLE], {}, deps);
    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(result.stdout.startsWith('HIGH  ALERT  app_import_error')).toBe(true);
    expect(result.stdout.endsWith('\n')).toBe(true);
    expect(seen).toHaveLength(1);
    expect(seen[0]?.trigger.eventId).toBe(eventIdOf(RATE_LIMIT_BUNDLE));
  });

  it('prints exactly the report for --format json', async () => {
    const { deps } = fakeAnalysis();
    const result = await runCli(['analyze', RATE_LIMIT_BUNDLE, '--format', 'json'], { stdoutIsTTY: true }, deps);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${renderJson(sampleReport)}\n`);
  });

  it('prints markdown for -f markdown', async () => {
    const { deps } = fakeAnalysis();
    const result = await runCli(['analyze', '-f', 'markdown', RATE_LIMIT_BUNDLE], {}, deps);
    expect(result.stdout.startsWith('# ECS incident: ')).toBe(true);
  });

  it('previews the Slack payload as JSON and the SNS message as read', async () => {
    const { deps } = fakeAnalysis();
    const slack = JSON.parse((await runCli(['analyze', RATE_LIMIT_BUNDLE, '--format', 'slack'], {}, deps)).stdout) as { blocks: unknown[] };
    expect(slack.blocks.length).toBeGreaterThan(0);
    const sns = (await runCli(['analyze', RATE_LIMIT_BUNDLE, '--format', 'sns'], {}, deps)).stdout;
    expect(sns).toMatch(/^Subject: [^\n]{1,99}\n/);
    expect(sns).toContain('\nAttribute category: app_import_error\n');
    expect(sns).toContain('core.aws_service');
  });

  it('colours text only on a terminal without NO_COLOR', async () => {
    const { deps } = fakeAnalysis();
    const run = (stdoutIsTTY: boolean, env: Record<string, string> = {}) => runCli(['analyze', RATE_LIMIT_BUNDLE], { stdoutIsTTY, env }, deps);
    expect((await run(true)).stdout).toContain(ESC);
    expect((await run(true, { NO_COLOR: '1' })).stdout).not.toContain(ESC);
    // no-color.org: an empty NO_COLOR does not count.
    expect((await run(true, { NO_COLOR: '' })).stdout).toContain(ESC);
    expect((await run(false)).stdout).not.toContain(ESC);
  });

  it('resolves a relative FILE against the working directory', async () => {
    const { deps, seen } = fakeAnalysis();
    const result = await runCli(['analyze', '01-dockerhub-rate-limit-batch-task.json'], { cwd: CORPUS }, deps);
    expect(result.code).toBe(0);
    expect(seen[0]?.trigger.eventId).toBe(eventIdOf(RATE_LIMIT_BUNDLE));
  });

  it('analyses the embedded sample without FILE, from any working directory', async () => {
    const { deps, seen } = fakeAnalysis();
    const result = await runCli(['analyze'], { cwd: tmpdir() }, deps);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(seen[0]?.trigger.eventId).toBe(eventIdOf(join(ROOT, 'examples', 'seed-incident.json')));
  });

  it('runs the real pipeline by default', async () => {
    const result = await runCli(['analyze', RATE_LIMIT_BUNDLE, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = RcaReportSchema.parse(JSON.parse(result.stdout));
    expect(report.rootCause.category).toBe('image_pull_rate_limited');
  });
});

describe('bad input exits 2 with one line', () => {
  const refuse = async (argv: string[], message: RegExp) => {
    const { deps, seen } = fakeAnalysis();
    expectOneLineError(await runCli(argv, {}, deps), message);
    expect(seen).toHaveLength(0);
  };

  it('a missing file', () => refuse(['analyze', join(dir, 'absent.json')], /absent\.json: file not found/));
  it('invalid JSON', () => refuse(['analyze', join(dir, 'not-json.json')], /not-json\.json: not valid JSON/));
  it('a JSON object without event', () => refuse(['analyze', join(dir, 'no-event.json')], /no-event\.json: no "event"/));
  it('an event type not analysed yet', () => refuse(['analyze', join(dir, 'ec2-event.json')], /EC2 Instance State-change Notification' is not analysed yet/));
  it('a bad --format value', () =>
    refuse(['analyze', RATE_LIMIT_BUNDLE, '--format', 'xml'], new RegExp(`argument 'xml' is invalid\\. Allowed choices are ${RENDER_FORMATS.join(', ')}\\.`)));
  it('an unknown option, with the suggestion on the same line', () => refuse(['analyze', '--formt', 'json'], /unknown option '--formt' \(Did you mean --format\?\)/));
  it('an unknown command', () => refuse(['analyse'], /unknown command 'analyse'/));
  it('no command', () => refuse([], /missing command/));
  it('a BadInputError raised by the analysis', async () => {
    const result = await runCli(['analyze', RATE_LIMIT_BUNDLE], {}, {
      analyze: () => {
        throw new BadInputError('x.json: the bundle is odd\nin two ways');
      },
    });
    expectOneLineError(result, /^ecs-rca: x\.json: the bundle is odd in two ways\n$/);
  });
});

describe('internal errors exit 1', () => {
  const failing = {
    analyze: () => {
      throw new TypeError("Cannot read properties of undefined (reading 'x')");
    },
  };

  it('print the message and a hint to report a bug, without the stack', async () => {
    const result = await runCli(['analyze', RATE_LIMIT_BUNDLE], {}, failing);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe("ecs-rca: internal error: Cannot read properties of undefined (reading 'x')");
    expect(lines[1]).toMatch(/bug.*report it.*--debug/);
    expect(result.stderr).not.toMatch(/^\s+at /m);
  });

  it('print the stack with --debug or DEBUG', async () => {
    const withFlag = await runCli(['analyze', RATE_LIMIT_BUNDLE, '--debug'], {}, failing);
    expect(withFlag.code).toBe(1);
    expect(withFlag.stderr).toMatch(/^\s+at /m);
    const withEnv = await runCli(['analyze', RATE_LIMIT_BUNDLE], { env: { DEBUG: '1' } }, failing);
    expect(withEnv.stderr).toMatch(/^\s+at /m);
  });
});

describe('help and version', () => {
  it('documents the commands, global options and examples', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const text of ['Usage: ecs-rca', 'analyze', 'eval', '--version', '--debug', '--help', 'Examples:', 'Exit codes', 'NO_COLOR']) {
      expect(result.stdout).toContain(text);
    }
  });

  it('documents every analyze option with its choices and examples', async () => {
    const result = await runCli(['analyze', '--help']);
    expect(result.code).toBe(0);
    // Commander wraps descriptions to the terminal width: compare with whitespace collapsed.
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const text of ['[FILE]', '-f, --format <format>', `choices: ${RENDER_FORMATS.map((f) => `"${f}"`).join(', ')}`, 'default: "text"', 'Examples:', 'seed-incident.json']) {
      expect(help).toContain(text);
    }
  });

  it('documents eval', async () => {
    const result = await runCli(['help', 'eval']);
    expect(result.code).toBe(0);
    const help = result.stdout.replace(/\s+/g, ' ');
    for (const text of ['<DIR>', 'choices: "text", "json"', 'expected', 'Examples:']) expect(help).toContain(text);
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    const result = await runCli(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });
});
