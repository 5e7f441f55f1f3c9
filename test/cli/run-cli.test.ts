import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDeps } from '../../lambda/cli/context';
import { buildProgram } from '../../lambda/cli/main';
import { RcaReportSchema } from '../../lambda/report/report-schema';
import { ROOT } from './harness';

// `npm run analyze|eval|capture|watch|redeliver` go through this launcher (plain JavaScript: no TypeScript loader).
const LAUNCHER = join(ROOT, 'scripts', 'run-cli.cjs');
const { BUNDLE, codeCacheFile, isStale } = require(LAUNCHER) as {
  BUNDLE: string;
  codeCacheFile: (bundle: string) => string;
  isStale: (bundle: string, inputsFile: string, root: string, extra?: string[]) => boolean;
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-rca-launcher-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the CLI bundle staleness check', () => {
  const at = (file: string, seconds: number, text = 'x') => {
    writeFileSync(join(dir, file), text);
    utimesSync(join(dir, file), seconds, seconds);
  };

  it('is stale when missing, current when newer than its inputs, stale when an input or extra file is newer or an input is gone', () => {
    const bundle = join(dir, 'bundle.cjs');
    const inputs = join(dir, 'inputs.json');
    expect(isStale(bundle, inputs, dir)).toBe(true);
    at('a.ts', 1000);
    at('b.ts', 1000);
    at('inputs.json', 2000, JSON.stringify(['a.ts', 'b.ts']));
    at('bundle.cjs', 2000);
    expect(isStale(bundle, inputs, dir)).toBe(false);
    // An extra file that does not exist (no lock file yet) changes nothing; a newer one does.
    expect(isStale(bundle, inputs, dir, [join(dir, 'no-lock.json')])).toBe(false);
    at('lock.json', 3000);
    expect(isStale(bundle, inputs, dir, [join(dir, 'lock.json')])).toBe(true);
    at('b.ts', 3000);
    expect(isStale(bundle, inputs, dir)).toBe(true);
    at('b.ts', 1000);
    at('inputs.json', 2000, JSON.stringify(['a.ts', 'gone.ts']));
    expect(isStale(bundle, inputs, dir)).toBe(true);
    at('inputs.json', 2000, 'not json');
    expect(isStale(bundle, inputs, dir)).toBe(true);
  });
});

describe('node scripts/run-cli.cjs', () => {
  it('runs the bundled CLI (building it when needed) and loads no AWS SDK module offline', () => {
    const tracer = join(dir, 'trace.cjs');
    writeFileSync(
      tracer,
      `const Module = require('node:module'); const load = Module._load; const seen = new Set();
       Module._load = function (request, ...rest) { if (/^@(aws-sdk|smithy)\\//.test(request)) seen.add(request); return load.call(this, request, ...rest); };
       process.on('exit', () => { if (seen.size > 0) process.stderr.write('SDK: ' + [...seen].join(' ') + '\\n'); });`,
    );
    const result = spawnSync(process.execPath, ['--require', tracer, LAUNCHER, 'analyze', '--format', 'json'], {
      cwd: ROOT,
      env: { ...process.env, NO_COLOR: '', DEBUG: '' },
      encoding: 'utf8',
    });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(RcaReportSchema.safeParse(JSON.parse(result.stdout)).success).toBe(true);
  });
});

describe('the code cache of the launcher', () => {
  const analyze = () => spawnSync(process.execPath, [LAUNCHER, 'analyze', '--format', 'json'], { cwd: ROOT, env: { ...process.env, NO_COLOR: '', DEBUG: '' }, encoding: 'utf8' });

  it('is written after a run and replaced when V8 rejects it, without changing what the command does', () => {
    const first = analyze();
    expect(first.status).toBe(0);
    const cache = codeCacheFile(BUNDLE);
    expect(existsSync(cache)).toBe(true);
    writeFileSync(cache, 'not a code cache');
    const second = analyze();
    expect(second.stderr).toBe('');
    expect(second.status).toBe(0);
    expect((JSON.parse(second.stdout) as { rootCause: unknown }).rootCause).toEqual((JSON.parse(first.stdout) as { rootCause: unknown }).rootCause);
    expect(readFileSync(cache, 'utf8')).not.toBe('not a code cache');
    // Damage inside a cache V8 would accept (its header intact) crashed V8 before caches carried a digest.
    const damaged = readFileSync(cache);
    damaged.fill(0xff, 5000, 5008);
    writeFileSync(cache, damaged);
    const third = analyze();
    expect(third.stderr).toBe('');
    expect(third.status).toBe(0);
    expect((JSON.parse(third.stdout) as { rootCause: unknown }).rootCause).toEqual((JSON.parse(first.stdout) as { rootCause: unknown }).rootCause);
    expect(readFileSync(cache).equals(damaged)).toBe(false);
  });

  it('runs a bundle without dynamic import() (a vm.Script cannot run one without an experimental Node flag)', () => {
    expect(analyze().status).toBe(0);
    expect(readFileSync(BUNDLE, 'utf8')).not.toMatch(/\bimport\(/);
  });
});

describe('npm scripts', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
  const commands = buildProgram({ ...defaultDeps, stdout: () => undefined, stderr: () => undefined, stdoutIsTTY: false, env: {}, cwd: ROOT, exitCode: 0 }).commands.map((c) => c.name());

  it('run every command of the CLI from a checkout, through the launcher', () => {
    expect(commands.length).toBeGreaterThanOrEqual(5);
    for (const name of commands) expect(pkg.scripts[name]).toBe(`node --max-semi-space-size=2 scripts/run-cli.cjs ${name}`);
  });

  it('npm run -s redeliver -- --help works in a checkout (no ecs-rca on PATH needed)', () => {
    const npm = process.env.npm_execpath;
    const result = npm?.endsWith('.js')
      ? spawnSync(process.execPath, [npm, 'run', '-s', 'redeliver', '--', '--help'], { cwd: ROOT, encoding: 'utf8' })
      : spawnSync('npm', ['run', '-s', 'redeliver', '--', '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^Usage: ecs-rca redeliver \[options\] <s3-uri>/);
  });
});
