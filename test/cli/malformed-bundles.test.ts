import { mkdtempSync, openSync, closeSync, fstatSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkStdinNotDirectory } from '../../lambda/cli/context';
import { readBundle } from '../../lambda/evidence/bundle/read-bundle';
import { BadInputError } from '../../lambda/shared/errors';
import { CORPUS, expectOneLineError, runCli } from './harness';

/** Malformed bundle files: a bad-input line (exit 2) naming the position, never the file's text. */

const BUNDLE = join(CORPUS, '12-arm-image-on-x86-fargate-alb-symptom.json');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-rca-malformed-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, content: string | Buffer): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** A seeded 32-bit generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a key with a control character', () => {
  it('is a bad-input line naming the position, not an internal error', async () => {
    const file = write('x.json', Buffer.from('""{"\u0001"'));
    expectOneLineError(await runCli(['analyze', file]), /x\.json: not valid JSON \(Unexpected non-whitespace character after JSON at line 1 column 3\)/);
    const key = write('key.json', Buffer.from('{"a\u0001b": 1}'));
    expectOneLineError(await runCli(['analyze', key]), /key\.json: not valid JSON \(Bad control character in string literal at line 1 column 4\)/);
  });

  it('is skipped by eval as not valid JSON, like any other', async () => {
    const evalDir = mkdtempSync(join(dir, 'eval-'));
    writeFileSync(join(evalDir, 'x.json'), Buffer.from('{"a\u0001b": 1}'));
    const result = await runCli(['eval', evalDir]);
    expect(result.stdout + result.stderr).not.toMatch(/internal error|FAIL/);
    expect(result.stdout + result.stderr).toMatch(/1 file\(s\) are not valid JSON, e\.g\. \S*x\.json/);
  });
});

describe('parse errors never quote the file', () => {
  it.each([
    ['token.json', 'ghp_1234567890abcdef', /token\.json: not valid JSON \(Unexpected character at line 1 column 1\)/],
    ['middle.json', '{"a": ghp_1234567890abcdef }', /middle\.json: not valid JSON \(Unexpected character at line 1 column 7\)/],
    ['late.json', `{"a": 1,\n  "b": root:*:20200:0:99999:7::: }`, /late\.json: not valid JSON \(Unexpected character at line 2 column 8\)/],
    ['control.json', '{"a": "root:*:202\u0001"}', /control\.json: not valid JSON \(Bad control character in string literal at line 1 column 18\)/],
  ])('%s', async (name, text, message) => {
    const result = await runCli(['analyze', write(name, text)]);
    expectOneLineError(result, message);
    expect(result.stderr).not.toMatch(/ghp_|root:|"/);
  });
});

describe('the bundle reader on random and truncated input', () => {
  it('throws only bad-input errors (200 seeded random byte strings, 200 one-byte corruptions and every 97th truncation of a bundle)', async () => {
    const next = random(20261206);
    const valid = readFileSync(BUNDLE);
    const inputs: Buffer[] = [];
    const alphabet = Buffer.from('{}[]":,\\ \n\t0123456789-+.eEtrufalsn\u0001\u001f\u00ff');
    for (let n = 0; n < 200; n += 1) {
      const length = 1 + Math.floor(next() * 64);
      const bytes = Buffer.alloc(length);
      for (let k = 0; k < length; k += 1) bytes[k] = next() < 0.5 ? (alphabet[Math.floor(next() * alphabet.length)] as number) : Math.floor(next() * 256);
      // Half start as an object's first key, where the splitter reads key text itself.
      inputs.push(n % 2 === 0 ? Buffer.concat([Buffer.from('{"'), bytes]) : bytes);
    }
    // One byte of a valid bundle replaced by a control byte, a quote or a backslash.
    const bad = Buffer.from('\u0000\u0001\u001f"\\');
    for (let n = 0; n < 200; n += 1) {
      const bytes = Buffer.from(valid);
      bytes[Math.floor(next() * bytes.length)] = bad[Math.floor(next() * bad.length)] as number;
      inputs.push(bytes);
    }
    for (let end = 0; end < valid.length; end += 97) inputs.push(valid.subarray(0, end));
    const file = join(dir, 'fuzz.json');
    for (const [n, bytes] of inputs.entries()) {
      writeFileSync(file, bytes);
      const error = await readBundle(file).then(
        () => undefined,
        (e: unknown) => e,
      );
      if (error !== undefined && !(error instanceof BadInputError)) throw new Error(`input ${n} (${bytes.toString('hex')}): ${String(error)}`);
    }
  });
});

describe('a directory on standard input', () => {
  it('is named as a directory, not an empty file', () => {
    const fd = openSync(dir, 'r');
    try {
      expect(() => checkStdinNotDirectory(() => fstatSync(fd).isDirectory())).toThrow(new BadInputError('stdin: is a directory; give a bundle .json file on standard input, or its path as FILE'));
    } finally {
      closeSync(fd);
    }
    expect(() => checkStdinNotDirectory(() => false)).not.toThrow();
  });
});

describe('an event over the EventBridge size limit', () => {
  it('names the event and its limit, not the whole file', async () => {
    const bundle = JSON.parse(readFileSync(BUNDLE, 'utf8')) as { event: { detail: Record<string, unknown> } };
    bundle.event.detail.stoppedReason = 'x'.repeat(300 * 1024);
    const result = await runCli(['analyze', write('big-event.json', JSON.stringify(bundle))]);
    expectOneLineError(result, /big-event\.json: event is larger than 288 KiB \(the size limit of an EventBridge event\); not analysed/);
  });
});
