import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RcaReportSchema } from '../../lambda/report/report-schema';
import { RATE_LIMIT_BUNDLE, ROOT } from './harness';

// Real processes, kept to a few: each spawn costs about a second on a small machine. Everything else
// about the CLI is tested in-process through `main`.
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const BIN = join(ROOT, 'bin', 'ecs-rca.ts');
const env = { ...process.env, NO_COLOR: '', DEBUG: '' };

describe('the ecs-rca process', () => {
  it('`npm run -s analyze -- FILE --format json` prints only the report and exits 0', () => {
    const result = spawnSync('npm', ['run', '-s', 'analyze', '--', RATE_LIMIT_BUNDLE, '--format', 'json'], { cwd: ROOT, env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const report = RcaReportSchema.parse(JSON.parse(result.stdout));
    expect(report.trigger.eventId).toBe((JSON.parse(readFileSync(RATE_LIMIT_BUNDLE, 'utf8')) as { event: { id: string } }).event.id);
  });

  it('analyses the embedded sample from another working directory', () => {
    const result = spawnSync(TSX, [BIN, 'analyze', '--format', 'json'], { cwd: tmpdir(), env, encoding: 'utf8' });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(RcaReportSchema.safeParse(JSON.parse(result.stdout)).success).toBe(true);
  });

  it('exits 2 with one line on stderr and no stack for bad input', () => {
    const result = spawnSync(TSX, [BIN, 'analyze', join(tmpdir(), 'ecs-rca-no-such-bundle.json')], { cwd: ROOT, env, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^ecs-rca: \S*ecs-rca-no-such-bundle\.json: file not found\n$/);
  });
});
