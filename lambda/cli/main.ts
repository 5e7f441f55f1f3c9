import { Command, CommanderError } from 'commander';
import { BadInputError } from '../shared/errors';
import { ANALYZER_VERSION } from '../shared/version';
import { COMMANDS } from './commands/index';
import { REDELIVER_FAILED_EXIT } from './commands/redeliver';
import { WATCH_EXIT } from './commands/watch';
import { defaultDeps, type CliDeps, type CliIo, type CliContext } from './context';
import { cutText, oneLine } from '../shared/text';

/** Process exit codes every command of `ecs-rca` shares (`watch` and `redeliver` add their own: `WATCH_EXIT`, `REDELIVER_FAILED_EXIT`). */
export const EXIT = {
  /** Analysed (whatever the verdict); eval: every case passed. */
  ok: 0,
  /** An internal error (a bug); eval: some case failed. */
  internal: 1,
  /** Bad input or usage: missing or malformed file, unsupported event, unknown option, bad value. */
  badInput: 2,
} as const;

const PROGRAM = 'ecs-rca';

const PROGRAM_HELP = `
Examples:
  $ ecs-rca analyze                                  # analyse the embedded sample incident
  $ ecs-rca analyze incident.json --format markdown
  $ ecs-rca analyze incident.json --format json > report.json
  $ ecs-rca eval test/fixtures

Exit codes: 0 done, ${EXIT.badInput} bad input or usage, ${EXIT.internal} internal error; besides:
  eval       ${EXIT.internal} a case failed
  watch      ${WATCH_EXIT.failed} the deployment failed (report printed), ${WATCH_EXIT.timeout} still in progress at --timeout
  redeliver  ${REDELIVER_FAILED_EXIT} a channel refused the report after every try
Environment: NO_COLOR=1 turns colours off (they are used only on a terminal); DEBUG=1 is --debug.`;

/** Builds the commander program; its output goes through `ctx` and it throws instead of exiting. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command(PROGRAM)
    .description('Root-cause analysis for failed Amazon ECS tasks, deployments and unhealthy load-balancer targets.')
    .version(ANALYZER_VERSION, '-V, --version', 'print the version and exit')
    .option('--debug', 'print the stack trace of internal errors (same as setting DEBUG)')
    .helpOption('-h, --help', 'print help')
    // Each command's help then lists --debug and --version too.
    .configureHelp({ showGlobalOptions: true })
    .showSuggestionAfterError(true)
    // Set before any subcommand is added: subcommands inherit exit and output settings.
    .exitOverride()
    .configureOutput({
      writeOut: ctx.stdout,
      writeErr: ctx.stderr,
      // Usage errors are printed once, as one line, by `main` (see `reportError`).
      outputError: () => undefined,
    })
    .addHelpText('after', PROGRAM_HELP);
  for (const register of COMMANDS) register(program, ctx);
  return program;
}


function debugRequested(argv: readonly string[], env: CliIo['env']): boolean {
  const end = argv.indexOf('--');
  return (end === -1 ? argv : argv.slice(0, end)).includes('--debug') || Boolean(env.DEBUG);
}

/** Whether argv names no command and asks for no help or version: `ecs-rca` alone, `ecs-rca --debug`. */
function missingCommand(argv: readonly string[]): boolean {
  return !argv.some((arg) => !arg.startsWith('-') || ['-h', '--help', '-V', '--version'].includes(arg));
}

/** Longest error line printed, in UTF-16 code units. */
const ERROR_LINE_MAX = 1000;

/**
 * An error message as one printable line of at most `ERROR_LINE_MAX` units: a message quoting a
 * huge argument (a 100 KB path) keeps its start and its end, where the problem is, around `…`.
 */
function errorLine(message: string): string {
  const line = oneLine(message);
  if (line.length <= ERROR_LINE_MAX) return line;
  const tail = [...line.slice(-(ERROR_LINE_MAX / 2))].slice(1).join('');
  return `${cutText(line, ERROR_LINE_MAX / 2 - 1, '')}…${tail}`;
}

/** Prints an error the way its kind deserves and returns the exit code. */
function reportError(error: unknown, ctx: CliContext, debug: boolean): number {
  if (error instanceof CommanderError) {
    // Help and version end parsing through an exception too, with exit code 0; they are not errors.
    if (error.exitCode === 0) return EXIT.ok;
    if (error.code !== 'commander.help') ctx.stderr(`${PROGRAM}: ${errorLine(error.message.replace(/^error: /, ''))}\n`);
    return EXIT.badInput;
  }
  if (error instanceof BadInputError) {
    ctx.stderr(`${PROGRAM}: ${errorLine(error.message)}\n`);
    return EXIT.badInput;
  }
  const message = error instanceof Error ? error.message : String(error);
  ctx.stderr(`${PROGRAM}: internal error: ${errorLine(message)}\n`);
  if (debug && error instanceof Error && error.stack) ctx.stderr(`${error.stack}\n`);
  ctx.stderr(
    `${PROGRAM}: this is a bug in ecs-incident-analyzer ${ANALYZER_VERSION}; please report it with the command you ran and, if you can, the bundle` +
      `${debug ? '' : ' (rerun with --debug for the stack trace)'}.\n`,
  );
  return EXIT.internal;
}

/**
 * Runs the `ecs-rca` command line and resolves to the process exit code; never rejects and never
 * calls `process.exit`, so tests drive it in-process and the shim lets stdout drain before exiting.
 *
 * @param argv the arguments after the program name (`process.argv.slice(2)`).
 * @param io where output goes and what the environment is.
 * @param deps analysis steps to use instead of the real pipeline (tests).
 */
export async function main(argv: readonly string[], io: CliIo, deps: Partial<CliDeps> = {}): Promise<number> {
  const ctx: CliContext = { ...io, ...defaultDeps, ...deps, exitCode: EXIT.ok };
  const debug = debugRequested(argv, io.env);
  if (missingCommand(argv)) {
    ctx.stderr(`${PROGRAM}: missing command (try '${PROGRAM} --help'; '${PROGRAM} analyze' analyses the embedded sample)\n`);
    return EXIT.badInput;
  }
  try {
    await buildProgram(ctx).parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (error) {
    return reportError(error, ctx, debug);
  }
}
