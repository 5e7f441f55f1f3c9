import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeFailure } from '../../lambda/shared/aws-call';
import { CORPUS, expectOneLineError, runCli, stdinOf } from './harness';

/** The CLI on hostile files (issue 12, item 14): one line, exit 2, nothing raw from the file echoed. */

const BUNDLE = join(CORPUS, '12-arm-image-on-x86-fargate-alb-symptom.json');
const ESC = '\u001b';
const bundle = (): { event: Record<string, unknown>; evidence?: { tasks?: Record<string, unknown>[] } } => JSON.parse(readFileSync(BUNDLE, 'utf8'));

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-rca-hostile-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, value: unknown): string {
  const file = join(dir, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
}

describe('out-of-range timestamps exit 2 with one line', () => {
  it('event.time 1e20', async () => {
    const b = bundle();
    b.event.time = 1e20;
    expectOneLineError(await runCli(['analyze', write('time.json', b)]), /time\.json: event\.time: 100000000000000000000 is not a time \(outside the range of dates/);
  });

  it("a task's startedAt 1e20 in the bundle's evidence", async () => {
    const b = bundle();
    b.evidence = { ...(b.evidence ?? {}), tasks: [{ ...(b.event.detail as Record<string, unknown>), startedAt: 1e20 }] };
    expectOneLineError(await runCli(['analyze', write('started.json', b)]), /started\.json: evidence\.tasks\[0\]\.startedAt: 100000000000000000000 is not a time/);
  });

  it("the event's detail.startedAt 1e20", async () => {
    const b = bundle();
    (b.event.detail as Record<string, unknown>).startedAt = 1e20;
    expectOneLineError(await runCli(['analyze', write('detail-started.json', b)]), /detail\.startedAt: 100000000000000000000 is not a time/);
  });
});

describe('analyze - reads the bundle from standard input', () => {
  it('analyses what comes on stdin', async () => {
    const result = await runCli(['analyze', '-', '--format', 'json'], { readStdin: stdinOf(readFileSync(BUNDLE, 'utf8')) });
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as { rootCause: { category: string } }).rootCause.category).toBe('image_arch_mismatch');
  });

  it('names stdin in a one-line error', async () => {
    expectOneLineError(await runCli(['analyze', '-'], { readStdin: stdinOf('{"schema": "incident-bundle.v1", "event": {') }), /^ecs-rca: stdin: not valid JSON/);
  });
});

describe('error lines never echo raw control sequences from the file', () => {
  it('an unsupported detail-type carrying escape sequences', async () => {
    const b = bundle();
    b.event['detail-type'] = `${ESC}]0;pwned${ESC}\\${ESC}[2J${ESC}[31mEvil\u0007\u202etype`;
    const result = await runCli(['analyze', write('escape.json', b)]);
    expectOneLineError(result, /is not analysed yet/);
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
  });

  it('a JSON syntax error at a control character', async () => {
    const result = await runCli(['analyze', write('broken.json', `{"schema": "incident-bundle.v1", "event": ${ESC}[2J}`)]);
    expectOneLineError(result, /broken\.json: not valid JSON/);
    expect(result.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  });

  it('a file name with escape sequences', async () => {
    const result = await runCli(['analyze', join(dir, `missing${ESC}[2J.json`)]);
    expectOneLineError(result, /file not found/);
    expect(result.stderr).not.toContain(ESC);
  });
});

describe('eval on a folder without bundles exits 2', () => {
  it('a folder of files that are not JSON', async () => {
    const folder = mkdtempSync(join(dir, 'junk-'));
    writeFileSync(join(folder, 'notes.json'), 'not json at all');
    writeFileSync(join(folder, 'other.json'), '{"a": 1}');
    expectOneLineError(await runCli(['eval', folder]), /no incident bundle with an expected block \(1 file\(s\) are not valid JSON/);
  });
});

describe('access denied names the caller’s credentials', () => {
  it('not "the function\'s role" (the CLI runs with the user\'s own credentials)', () => {
    const gap = describeFailure('ecs:DescribeTasks', Object.assign(new Error('User: arn:aws:iam::111122223333:user/dev is not authorized to perform: ecs:DescribeTasks'), { name: 'AccessDeniedException' }));
    expect(gap).toContain("access denied, the caller's AWS credentials lack this permission");
    expect(gap).not.toContain("function's role");
  });
});
