import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { RcaReportSchema } from '../../lambda/report/report-schema';
import { ANALYZER_VERSION } from '../../lambda/shared/version';
import { RATE_LIMIT_BUNDLE, ROOT } from './harness';

// Real processes, kept to a few: each spawn costs about a second on a small machine. Everything else
// about the CLI is tested in-process through `main`.
const env = { ...process.env, NO_COLOR: '', DEBUG: '' };
const { OUTFILE, buildCli } = require('../../scripts/build-cli.cjs') as { OUTFILE: string; buildCli: (outfile?: string) => string };

// The installed command as `prepack` builds it, written inside the package (below node_modules/.cache,
// so it finds the package root and examples/ as an install does) rather than over dist/.
let dir: string;
let bin: string;
beforeAll(() => {
  const cache = join(ROOT, 'node_modules', '.cache');
  // A fresh clone has no cache folder until something builds into it.
  mkdirSync(cache, { recursive: true });
  dir = mkdtempSync(join(cache, 'ecs-rca-bin-'));
  bin = buildCli(join(dir, 'bin', 'ecs-rca.cjs'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the ecs-rca process', () => {
  it('package.json `bin` is the single-file bundle that build:cli (prepack) writes', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; scripts: Record<string, string>; files: string[] };
    expect(manifest.bin['ecs-rca']).toBe(relative(ROOT, OUTFILE));
    expect(manifest.scripts.build).toContain('node scripts/build-cli.cjs');
    expect(manifest.scripts.prepack).toBe('npm run build');
    expect(manifest.files).toContain('dist/');
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('`npm run -s analyze -- FILE --format json` prints only the report and exits 0', () => {
    const result = spawnSync('npm', ['run', '-s', 'analyze', '--', RATE_LIMIT_BUNDLE, '--format', 'json'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = RcaReportSchema.parse(JSON.parse(result.stdout));
    expect(report.trigger.eventId).toBe((JSON.parse(readFileSync(RATE_LIMIT_BUNDLE, 'utf8')) as { event: { id: string } }).event.id);
  });

  it('the installed command prints its version and analyses the embedded sample from another working directory', () => {
    const version = spawnSync(bin, ['--version'], { cwd: tmpdir(), env, encoding: 'utf8' });
    expect(version).toMatchObject({ status: 0, stdout: `${ANALYZER_VERSION}\n`, stderr: '' });
    const result = spawnSync(bin, ['analyze', '--format', 'json'], { cwd: tmpdir(), env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(RcaReportSchema.safeParse(JSON.parse(result.stdout)).success).toBe(true);
  });

  it('exits 2 with one line on stderr and no stack for bad input', () => {
    const result = spawnSync(bin, ['analyze', join(tmpdir(), 'ecs-rca-no-such-bundle.json')], { cwd: ROOT, env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ecs-rca: \S*ecs-rca-no-such-bundle\.json: file not found\n$/);
  });
});
