import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvalResult } from '../../lambda/cli/commands/eval';
import { BUNDLE_STREAM_BYTES } from '../../lambda/evidence/bundle/read-bundle';
import { RATE_LIMIT_BUNDLE, expectOneLineError, fakeAnalysis, runCli } from './harness';

// The fake analysis always concludes the sample report: app_import_error, alert, evidence
// "No module named 'core.aws_service'".
const { expected: _corpusExpected, ...bundle } = JSON.parse(readFileSync(RATE_LIMIT_BUNDLE, 'utf8')) as Record<string, unknown>;
const withExpected = (expected: unknown): string => JSON.stringify({ ...bundle, expected });
const passing = { categories: ['app_import_error'], primaryEvidence: "No module named 'core.aws_service'", redHerrings: [], alert: true };

let root: string;
let mixed: string;
let allPass: string;
let empty: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'ecs-rca-eval-'));
  mixed = join(root, 'mixed');
  allPass = join(root, 'all-pass');
  empty = join(root, 'empty');
  for (const dir of [mixed, allPass, empty]) mkdirSync(dir);
  writeFileSync(join(mixed, 'a-pass.json'), withExpected(passing));
  writeFileSync(join(mixed, 'b-wrong-category.json'), withExpected({ ...passing, categories: ['image_not_found'] }));
  writeFileSync(join(mixed, 'c-no-event.json'), JSON.stringify({ schema: 'incident-bundle.v1', expected: passing }));
  writeFileSync(join(mixed, 'd-not-json.json'), '{"expected": ');
  writeFileSync(join(mixed, 'e-no-expected.json'), JSON.stringify(bundle));
  writeFileSync(join(mixed, 'notes.txt'), 'not a bundle');
  writeFileSync(join(allPass, 'only.json'), withExpected(passing));
  writeFileSync(join(empty, 'no-expected.json'), JSON.stringify(bundle));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('ecs-rca eval', () => {
  it('prints one line per case in name order, skipped files, and the accuracy last; exits 1 on a failure', async () => {
    const { deps } = fakeAnalysis();
    const result = await runCli(['eval', mixed], {}, deps);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('PASS a-pass app_import_error');
    expect(lines[1]).toBe('FAIL b-wrong-category app_import_error (root cause is app_import_error, expected image_not_found)');
    expect(lines[2]).toMatch(/^FAIL c-no-event - \(.*no "event"/);
    expect(lines[3]).toMatch(/^FAIL d-not-json - \(.*not valid JSON/);
    expect(lines[4]).toBe('skipped: 1 file(s) without an expected block');
    expect(lines[5]).toBe('accuracy: 1/4 (25.0%)');
    expect(lines).toHaveLength(6);
  });

  it('exits 0 when every case passes', async () => {
    const { deps } = fakeAnalysis();
    const result = await runCli(['eval', allPass], {}, deps);
    expect(result).toEqual({ code: 0, stdout: 'PASS only app_import_error\naccuracy: 1/1 (100.0%)\n', stderr: '' });
  });

  it('prints every case with its details for --format json', async () => {
    const { deps } = fakeAnalysis();
    const result = await runCli(['eval', mixed, '--format', 'json'], {}, deps);
    expect(result.code).toBe(1);
    const parsed = JSON.parse(result.stdout) as EvalResult;
    expect(parsed.total).toBe(4);
    expect(parsed.passed).toBe(1);
    expect(parsed.accuracy).toBe(0.25);
    expect(parsed.cases.map((c) => [c.id, c.pass])).toEqual([
      ['a-pass', true],
      ['b-wrong-category', false],
      ['c-no-event', false],
      ['d-not-json', false],
    ]);
    expect(parsed.cases[1]?.expected?.categories).toEqual(['image_not_found']);
  });

  it('colours PASS and FAIL only on a terminal', async () => {
    const { deps } = fakeAnalysis();
    expect((await runCli(['eval', mixed], { stdoutIsTTY: true }, deps)).stdout).toContain('\u001b[32mPASS\u001b[39m');
    expect((await runCli(['eval', mixed], { stdoutIsTTY: true, env: { NO_COLOR: '1' } }, deps)).stdout).not.toContain('\u001b');
  });

  it('refuses a missing directory, a file, a directory without cases and a bad --format with exit 2', async () => {
    const { deps } = fakeAnalysis();
    expectOneLineError(await runCli(['eval', join(root, 'absent')], {}, deps), /absent: no such directory/);
    expectOneLineError(await runCli(['eval', join(allPass, 'only.json')], {}, deps), /only\.json: not a directory/);
    expectOneLineError(await runCli(['eval', empty], {}, deps), /no incident bundle with an expected block/);
    expectOneLineError(await runCli(['eval', allPass, '--format', 'markdown'], {}, deps), /argument 'markdown' is invalid/);
    expectOneLineError(await runCli(['eval'], {}, deps), /missing required argument 'DIR'/);
  });

  it('reads bundles as analyze does, streamed: a log stream over the per-stream limit keeps its head and tail', async () => {
    const dir = join(root, 'big');
    mkdirSync(dir);
    const message = `GET /api/items 200 ${'x'.repeat(180)}`;
    const count = Math.ceil((BUNDLE_STREAM_BYTES * 1.2) / (message.length + 40));
    const events = Array.from({ length: count }, (_, i) => ({ timestamp: 1_700_000_000_000 + i, message: i === count - 1 ? 'last line' : message }));
    const evidence = { ...(bundle.evidence as object), logs: [{ logGroupName: '/ecs/batch', logStreamName: 'ecs/batch/0123456789abcdef0123456789abcdef', events }] };
    writeFileSync(join(dir, 'big.json'), JSON.stringify({ ...bundle, evidence, expected: passing }));
    const { deps, seen } = fakeAnalysis();
    const result = await runCli(['eval', dir], {}, deps);
    expect(result.stdout).toBe('PASS big app_import_error\naccuracy: 1/1 (100.0%)\n');
    const log = seen[0]?.logs[0];
    expect(log?.truncated).toBe(true);
    expect(log?.events.length).toBeLessThan(count);
    expect(log?.events[log.events.length - 1]?.message).toBe('last line');
  });

  it('runs the real pipeline by default', async () => {
    const dir = join(root, 'real');
    mkdirSync(dir);
    copyFileSync(RATE_LIMIT_BUNDLE, join(dir, 'rate-limit.json'));
    const result = await runCli(['eval', dir]);
    expect(result.stdout).toBe('PASS rate-limit image_pull_rate_limited\naccuracy: 1/1 (100.0%)\n');
    expect(result.code).toBe(0);
  });
});

describe('ecs-rca eval with a failing analysis', () => {
  it('reports an analyzer error as an internal error of that case and goes on', async () => {
    const result = await runCli(['eval', allPass], {}, {
      analyze: () => {
        throw new Error('boom');
      },
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('FAIL only - (internal error: boom)\naccuracy: 0/1 (0.0%)\n');
  });
});
