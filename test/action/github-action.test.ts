import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDeps } from '../../lambda/cli/context';
import { actionInputs, runAction } from '../../lambda/cli/github-action';
import { escapeCommandData, escapeCommandProperty, errorAnnotation } from '../../lambda/deployment/ci-output';
import type { RcaReport } from '../../lambda/report/report-schema';
import { ACTION_BUNDLE, buildActionBundle } from '../../scripts/build-action';
import { resetMocks } from '../evidence/live/corpus-aws';
import { loadDeployment, serveDeployment } from '../deployment/recorded-deployment';
import { sampleReport } from '../report/renderers/sample-report';
import { ROOT } from '../cli/harness';

beforeEach(resetMocks);

/** A fake runner: the files GitHub provides and the action's inputs as `INPUT_*` variables. */
function runner(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'gha-'));
  const summary = join(dir, 'step_summary.md');
  const output = join(dir, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_OUTPUT: output,
    RUNNER_TEMP: dir,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  return { dir, summary, output, env };
}

/** `GITHUB_OUTPUT` blocks as a map. */
function outputsOf(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2\n/gm;
  for (const m of text.matchAll(re)) out[m[1] as string] = m[3] as string;
  return out;
}

async function play(file: string, inputs: Record<string, string>) {
  const rec = loadDeployment(file);
  const player = serveDeployment(rec);
  const r = runner({ cluster: rec.cluster, service: rec.service, region: 'eu-west-1', ...inputs });
  let stdout = '';
  let stderr = '';
  const code = await runAction(
    { stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t), stdoutIsTTY: false, env: r.env, cwd: ROOT },
    { ...defaultDeps, now: player.now, sleep: player.sleep },
  );
  return { code, stdout, stderr, ...r };
}

describe('the GitHub Action in a fake runner', () => {
  it('on a failing deployment: job summary, error annotation and outputs, and the step fails', async () => {
    const run = await play('fails-missing-env-var.json', {});
    expect(run.code).toBe(1);
    const summary = readFileSync(run.summary, 'utf8');
    expect(summary).toMatch(/^# ECS incident: Environment variable DATABASE\\_URL is not set\n/);
    expect(summary).toContain("KeyError: 'DATABASE_URL'");
    expect(run.stdout).toMatch(/^::error title=Environment variable DATABASE_URL is not set::ECS deployment failed: app_config_missing \(\d+%25 confidence\)\. Evidence: KeyError: 'DATABASE_URL'\n/m);
    const outputs = outputsOf(readFileSync(run.output, 'utf8'));
    expect(outputs).toEqual({ verdict: 'failed', 'root-cause-category': 'app_config_missing', 'report-path': join(run.dir, 'ecs-rca-report.json') });
    expect((JSON.parse(readFileSync(outputs['report-path'] as string, 'utf8')) as RcaReport).rootCause.category).toBe('app_config_missing');
  });

  it('with fail-on: never, reports the failure but the step succeeds', async () => {
    const run = await play('fails-health-checks.json', { 'fail-on': 'never' });
    expect(run.code).toBe(0);
    expect(outputsOf(readFileSync(run.output, 'utf8'))).toMatchObject({ verdict: 'failed', 'root-cause-category': 'health_check_bad_status' });
  });

  it('on a healthy deployment: verdict succeeded, no annotation, empty category', async () => {
    const run = await play('succeeds.json', {});
    expect(run.code).toBe(0);
    expect(run.stdout).toBe('');
    expect(outputsOf(readFileSync(run.output, 'utf8'))).toEqual({ verdict: 'succeeded', 'root-cause-category': '', 'report-path': '' });
    expect(readFileSync(run.summary, 'utf8')).toBe('### ECS deployment succeeded\n\n');
  });

  it('on a timeout: verdict timeout and exit 3, unless fail-on is never', async () => {
    expect((await play('times-out.json', { timeout: '1m' })).code).toBe(3);
    const never = await play('times-out.json', { timeout: '1m', 'fail-on': 'never' });
    expect(never.code).toBe(0);
    expect(outputsOf(readFileSync(never.output, 'utf8')).verdict).toBe('timeout');
  });

  it('refuses bad inputs with an annotation and exit 2', async () => {
    expect(() => actionInputs({ INPUT_CLUSTER: 'shop' })).toThrow("input 'service' is required");
    const run = await play('succeeds.json', { 'fail-on': 'sometimes' });
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("::error title=ecs-rca::input 'fail-on' is 'sometimes': expected 'failure' or 'never'\n");
  });
});

describe('annotation escaping and hostile evidence', () => {
  it('escapes %, CR and LF in messages, and : and , in properties', () => {
    expect(escapeCommandData('100%\r\nnext')).toBe('100%25%0D%0Anext');
    expect(escapeCommandProperty('a: b, c%')).toBe('a%3A b%2C c%25');
  });

  it('redacts secrets, removes control characters and forged workflow commands stay one line', () => {
    const hostile: RcaReport = {
      ...sampleReport,
      rootCause: {
        ...sampleReport.rootCause,
        title: 'Crash: bad, very bad',
        evidence: [{ source: 'log', text: 'password=hunter2hunter2 \u001b[31mred\u001b[0m\n::error title=forged::owned' }],
      },
    };
    const line = errorAnnotation(hostile);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toMatch(/^::error title=Crash%3A bad%2C very bad::/);
    expect(line).not.toContain('hunter2hunter2');
    expect(line).not.toContain('\u001b');
    expect(line).not.toMatch(/\n::error title=forged/);
  });
});

describe('the committed action bundle', () => {
  it('is what `npm run build:action` builds, byte for byte', async () => {
    const fresh = join(mkdtempSync(join(tmpdir(), 'action-build-')), 'index.js');
    await buildActionBundle(fresh);
    expect(readFileSync(fresh).equals(readFileSync(ACTION_BUNDLE))).toBe(true);
  });

  it('runs under this Node and answers a missing input with an annotation and exit 2', () => {
    const result = spawnSync(process.execPath, [ACTION_BUNDLE], { env: { PATH: process.env.PATH ?? '' }, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe("::error title=ecs-rca::input 'cluster' is required: the ECS cluster name or ARN\n");
  });

  it('action.yml runs the bundle on node24 and declares the inputs and outputs the code uses', () => {
    const yml = readFileSync(join(ROOT, 'action.yml'), 'utf8');
    expect(yml).toMatch(/\nruns:\n {2}using: node24\n {2}main: action\/dist\/index\.js\n$/);
    for (const input of ['cluster', 'service', 'region', 'timeout', 'fail-on']) expect(yml).toMatch(new RegExp(`\\n {2}${input}:\\n {4}description: `));
    for (const output of ['verdict', 'root-cause-category', 'report-path']) expect(yml).toMatch(new RegExp(`\\n {2}${output}:\\n {4}description: `));
  });
});
