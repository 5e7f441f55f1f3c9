import { join } from 'node:path';
import type { CliDeps, CliIo } from '../../lambda/cli/context';
import { main } from '../../lambda/cli/main';
import type { Evidence } from '../../lambda/evidence/types';
import type { RcaReport } from '../../lambda/report/report-schema';
import { sampleReport } from '../report/renderers/sample-report';

/** The package root and the shared corpus beside it. */
export const ROOT = join(__dirname, '..', '..');
export const CORPUS = join(ROOT, '..', 'shared', 'corpus');
/** A shared-corpus bundle the example rule alone classifies (image pull rate limit). */
export const RATE_LIMIT_BUNDLE = join(CORPUS, '01-dockerhub-rate-limit-batch-task.json');

/** What one in-process run of the CLI produced. */
export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `main` in-process with captured output; `io` and `deps` override the defaults. */
export async function runCli(argv: string[], io: Partial<CliIo> = {}, deps: Partial<CliDeps> = {}): Promise<RunResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(
    argv,
    {
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      stdoutIsTTY: false,
      env: {},
      cwd: ROOT,
      ...io,
    },
    deps,
  );
  return { code, stdout, stderr };
}

/** A stand-in for the analysis: records the evidence it got and returns the sample report. */
export function fakeAnalysis(): { deps: CliDeps; seen: Evidence[] } {
  const seen: Evidence[] = [];
  const now = new Date('2026-01-15T10:06:00.000Z');
  return {
    seen,
    deps: {
      now: () => now,
      sleep: () => Promise.resolve(),
      analyze: (evidence, options): RcaReport => {
        seen.push(evidence);
        return { ...sampleReport, analyzedAt: (options.now ?? now).toISOString() };
      },
    },
  };
}

/** Asserts the run is a bad-input refusal: exit 2, nothing on stdout, one `ecs-rca:` line on stderr. */
export function expectOneLineError(result: RunResult, message: RegExp): void {
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  expect(result.stderr).toMatch(/^ecs-rca: [^\n]+\n$/);
  expect(result.stderr).toMatch(message);
}

/** `readStdin` giving `text` as standard input would, in chunks of `size` bytes. */
export function stdinOf(text: string, size = 64 * 1024): () => AsyncIterable<Buffer> {
  return async function* () {
    const bytes = Buffer.from(text);
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  };
}
