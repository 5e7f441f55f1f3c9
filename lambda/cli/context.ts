import { constants, fstatSync } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, isAbsolute, resolve } from 'node:path';
import type { Evidence } from '../evidence/types';
import { analyzeEvidence, type AnalysisOptions } from '../pipeline/analyze-evidence';
import type { RcaReport } from '../report/report-schema';
import { BadInputError } from '../shared/errors';

/**
 * What the CLI touches outside itself, passed in so that tests drive `main` in-process: the two
 * output streams, whether stdout is a terminal, the environment, the working directory.
 */
export interface CliIo {
  /** Writes to standard output (the report, the eval results). */
  stdout: (text: string) => void;
  /** Writes to standard error (error lines, progress). */
  stderr: (text: string) => void;
  /** Whether standard output is a terminal (colours are used only then). */
  stdoutIsTTY: boolean;
  /** Environment variables (`NO_COLOR`, `DEBUG`). */
  env: Readonly<Record<string, string | undefined>>;
  /** Directory relative FILE and DIR arguments are resolved against. */
  cwd: string;
  /** The bytes of standard input (`analyze -`); defaults to `processStdin`. */
  readStdin?: () => AsyncIterable<Buffer>;
}

/**
 * The bytes of `process.stdin` (`analyze -`), streamed like a FILE through a pipe (`readBundleStream`).
 *
 * @throws BadInputError `stdin: is a directory; …` when standard input is a directory
 *   (`analyze - < /tmp`: reading it gives no bytes, which would pass for an empty file).
 */
export function processStdin(): AsyncIterable<Buffer> {
  checkStdinNotDirectory(() => fstatSync(0).isDirectory());
  return process.stdin as AsyncIterable<Buffer>;
}

/** Throws the one-line error of `processStdin` when `isDirectory()` (an `fstat` of descriptor 0) says so; a failing `fstat` is left to the read. */
export function checkStdinNotDirectory(isDirectory: () => boolean): void {
  let directory = false;
  try {
    directory = isDirectory();
  } catch {
    return;
  }
  if (directory) throw new BadInputError("stdin: is a directory; give a bundle .json file on standard input, or its path as FILE");
}

/** The analysis steps the CLI calls; tests may replace them. */
export interface CliDeps {
  /** Evidence → report; the same pipeline the Lambda uses. */
  analyze: (evidence: Evidence, options: AnalysisOptions) => RcaReport;
  /** The clock written into `analyzedAt` (and read by `watch` between polls). */
  now: () => Date;
  /** Waits `ms` milliseconds (`watch` between polls; tests replay without waiting). */
  sleep: (ms: number) => Promise<void>;
}

/** Everything a command needs, plus the exit code it sets (0 unless a command says otherwise). */
export interface CliContext extends CliIo, CliDeps {
  exitCode: number;
}

/**
 * The real process: `process.stdout`/`stderr`, `process.env`, and the user's working directory —
 * `process.cwd()`, or under `npm run` (which runs scripts from the package root) the directory npm
 * was started in (`INIT_CWD`), so `npm run -s analyze -- ./bundle.json` finds the file the user means.
 */
export function processIo(): CliIo {
  const underNpm = process.env.npm_lifecycle_event !== undefined && process.env.INIT_CWD;
  return {
    stdout: (text) => void process.stdout.write(text),
    stderr: (text) => void process.stderr.write(text),
    stdoutIsTTY: process.stdout.isTTY === true,
    env: process.env,
    cwd: underNpm ? (process.env.INIT_CWD as string) : process.cwd(),
  };
}

/** The production analysis steps. */
export const defaultDeps: CliDeps = {
  analyze: analyzeEvidence,
  now: () => new Date(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Whether to colour terminal output: only when stdout is a TTY and `NO_COLOR` is unset or empty
 * (https://no-color.org/: "when present and not an empty string … prevents the addition of ANSI color").
 */
export function useColor(io: Pick<CliIo, 'stdoutIsTTY' | 'env'>): boolean {
  return io.stdoutIsTTY && !io.env.NO_COLOR;
}

/**
 * The path to open for a FILE or DIR argument. Kept as typed when it is absolute or relative to the
 * process's own working directory, so error messages name the file the way the user wrote it;
 * resolved against `cwd` otherwise (in-process callers with another working directory).
 */
export function argumentPath(io: Pick<CliIo, 'cwd'>, path: string): string {
  return isAbsolute(path) || resolve(io.cwd) === process.cwd() ? path : resolve(io.cwd, path);
}

/**
 * Fails unless a file can be written at `path`: not a directory, in an existing directory we may write to.
 *
 * @throws BadInputError `<FILE>: is a directory …` or `<FILE>: cannot write ${what} there (…)`.
 */
export async function checkWritable(path: string, shown: string, what = 'the bundle'): Promise<void> {
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) throw new BadInputError(`${shown}: is a directory; give the path of the file to write`);
  try {
    await access(info ? path : dirname(path), constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const why = code === 'ENOENT' ? 'its directory does not exist' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (code ?? 'not writable');
    throw new BadInputError(`${shown}: cannot write ${what} there (${why})`, { cause: error });
  }
}
