import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDELIVER_FAILED_EXIT } from '../../lambda/cli/commands/redeliver';
import { WATCH_EXIT } from '../../lambda/cli/commands/watch';
import { bundleLimits, readBundleStream } from '../../lambda/evidence/bundle/read-bundle';
import { EXIT } from '../../lambda/cli/main';
import { expectOneLineError, runCli, stdinOf } from './harness';

/** Hostile inputs of the CLI (issue 12, item 14 leftovers): oversized lines, devices, null events; the help's exit codes. */

const TRACEBACK = join(__dirname, '../fixtures/runtimes/python-traceback-valueerror.json');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-rca-oversized-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Report = { rootCause: { category: string; ruleId: string; title: string; evidence: { text: string }[] }; evidenceGaps: string[] };

describe('one log line larger than a stream may keep (17 MB, over the 16 MiB a stream may keep)', () => {
  it('gets the same verdict from the file and from standard input, the line cut at 1 MiB and noted', async () => {
    const b = JSON.parse(readFileSync(TRACEBACK, 'utf8')) as { evidence: { logs: { events: { timestamp: number; message: string }[] }[] } };
    const stream = b.evidence.logs[0]!;
    const first = stream.events[0]!;
    // A runaway line before the crash, with a multi-byte character straddling the 1 MiB cut.
    stream.events.unshift({ timestamp: first.timestamp - 1, message: `${'x'.repeat(1_048_575)}é${'y'.repeat(16_000_000)}` });
    const text = JSON.stringify(b);
    const file = join(dir, 'oversized.json');
    writeFileSync(file, text);
    const fromFile = await runCli(['analyze', file, '--format', 'json']);
    const fromStdin = await runCli(['analyze', '-', '--format', 'json'], { readStdin: stdinOf(text) });
    expect(fromFile.code).toBe(0);
    expect(fromStdin.code).toBe(0);
    const [a, s] = [JSON.parse(fromFile.stdout) as Report, JSON.parse(fromStdin.stdout) as Report];
    expect(a.rootCause.category).toBe('app_crash');
    expect({ ...a.rootCause, evidence: a.rootCause.evidence.map((e) => e.text) }).toEqual({ ...s.rootCause, evidence: s.rootCause.evidence.map((e) => e.text) });
    expect(a.evidenceGaps).toEqual(s.evidenceGaps);
    for (const run of [fromFile, fromStdin]) expect(run.stderr).toMatch(/1 log event\(s\) longer than CloudWatch Logs' 1 MB event limit, analysed up to their first 1048576 bytes/);
  });
});

/** An endless stream of `byte`, in 64 KiB chunks: what `cat /dev/zero |` gives. */
async function* endless(byte: number): AsyncGenerator<Buffer> {
  for (;;) yield Buffer.alloc(64 * 1024, byte);
}

describe('devices and endless input fail fast with exit 2 and one line', () => {
  it.each(['/dev/zero', '/dev/urandom', '/dev/null'])('%s as FILE', async (device) => {
    expectOneLineError(await runCli(['analyze', device]), new RegExp(`^ecs-rca: ${device}: a character device, not a file; give the path of a bundle \\.json file`));
  });

  it('a pipe of zeros on standard input', async () => {
    await expect(readBundleStream(endless(0), 'stdin')).rejects.toThrow(/^stdin: not valid JSON \(it starts with byte 0x00; an incident-bundle\.v1 is a JSON object\)$/);
  });

  it('a pipe that starts like JSON and then holds binary', async () => {
    async function* binary(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"event": "');
      yield* endless(0x01);
    }
    await expect(readBundleStream(binary(), 'stdin')).rejects.toThrow(/^stdin: not valid JSON \(control byte 0x01 at byte 11; not text\)$/);
  });

  it('empty or blank standard input is named as empty', async () => {
    for (const text of ['', ' \n\t ']) expectOneLineError(await runCli(['analyze', '-'], { readStdin: stdinOf(text) }), /^ecs-rca: stdin: not valid JSON \(the input is empty\)\n$/);
  });

  it('endless nesting stops at the nesting bound', async () => {
    async function* nesting(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"event": ');
      yield* endless(0x5b);
    }
    await expect(readBundleStream(nesting(), 'stdin')).rejects.toThrow(/^stdin: nested more than 64 levels deep$/);
  });

  it('an endless string stops at the bound on one part of a bundle, with no advice to raise the heap', async () => {
    async function* endlessString(): AsyncGenerator<Buffer> {
      yield Buffer.from('{"event": "');
      yield* endless(0x61);
    }
    await expect(readBundleStream(endlessString(), 'stdin', { ...bundleLimits(), maxPartBytes: 1024 * 1024 })).rejects.toThrow(
      /^stdin: too large to analyse: the bundle outside its log events exceeds 1 MiB$/,
    );
  });

  it('a named pipe of random bytes (`analyze <(cat /dev/urandom)`)', async () => {
    const fifo = join(dir, 'random.fifo');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `head -c 10000000 /dev/urandom | tr '{' x > ${fifo}`], { stdio: 'ignore' });
    const result = await runCli(['analyze', fifo]);
    writer.kill();
    expectOneLineError(result, /random\.fifo: not valid JSON \((it starts with|control byte)/);
  });
});

describe('bundle fields worded exactly', () => {
  it('{"event": null} says the event is null', async () => {
    const file = join(dir, 'null-event.json');
    writeFileSync(file, '{"event": null}');
    expectOneLineError(await runCli(['analyze', file]), /null-event\.json: "event" is null; an incident-bundle\.v1 needs the EventBridge event/);
  });

  it('a megabyte "schema" is not echoed whole', async () => {
    const file = join(dir, 'schema.json');
    writeFileSync(file, JSON.stringify({ schema: 'v'.repeat(1_000_000), event: {} }));
    const result = await runCli(['analyze', file]);
    expectOneLineError(result, /schema\.json: "schema" is "v+…, but this analyzer reads incident-bundle\.v1/);
    expect(result.stderr.length).toBeLessThan(400);
  });
});

describe('the top-level help', () => {
  it('lists the exit codes of every command, from the constants the commands use', async () => {
    const help = (await runCli(['--help'])).stdout;
    expect(help).toContain(`Exit codes: 0 done, ${EXIT.badInput} bad input or usage, ${EXIT.internal} internal error; besides:`);
    expect(help).toContain(`  eval       ${EXIT.internal} a case failed`);
    expect(help).toContain(`  watch      ${WATCH_EXIT.failed} the deployment failed (report printed), ${WATCH_EXIT.timeout} still in progress at --timeout`);
    expect(help).toContain(`  redeliver  ${REDELIVER_FAILED_EXIT} a channel refused the report after every try`);
  });
});

describe('more bad input on every command', () => {
  it('a 100 KB FILE path: one line of at most 1000 characters, with the problem at its end', async () => {
    const result = await runCli(['analyze', `/${'a'.repeat(100_000)}.json`]);
    expectOneLineError(result, /^ecs-rca: \/a+…a+\.json: the path is too long \(ENAMETOOLONG\)$/m);
    expect(result.stderr.length).toBeLessThanOrEqual('ecs-rca: '.length + 1000 + 1);
  });

  it('capture -o into a missing directory or onto a directory fails before any AWS call', async () => {
    // No Region and no credentials: reaching AWS would fail differently.
    expectOneLineError(await runCli(['capture', '--cluster', 'prod', '--task', 'abc', '-o', join(dir, 'missing', 'x.json')]), /missing\/x\.json: cannot write the bundle there \(its directory does not exist\)$/m);
    expectOneLineError(await runCli(['capture', '--cluster', 'prod', '--task', 'abc', '-o', dir]), /: is a directory; give the path of the file to write$/m);
  });
});

describe('watch --report-file', () => {
  it('into a missing directory fails before the watch starts', async () => {
    expectOneLineError(
      await runCli(['watch', '--cluster', 'prod', '--service', 'web', '--report-file', join(dir, 'missing', 'r.json')]),
      /missing\/r\.json: cannot write the report there \(its directory does not exist\)$/m,
    );
  });
});
