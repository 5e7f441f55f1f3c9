import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { analysedTasks, cite, type TextSource } from '../evidence-text';
import { stoppedByExit } from '../container-exit';
import { logStreams } from '../log-patterns';

/**
 * What command-line parsers print when they refuse the arguments a program was started with, then exit
 * non-zero before doing any work. Each family's own wording (see the rule's `sources`):
 * - clap (Rust: Deno, many CLIs): `error: Found argument '--x' which wasn't expected` (clap 2),
 *   `error: unexpected argument '--x' found`, `error: unrecognized subcommand 'x'`,
 *   `error: the following required arguments were not provided:` (clap 3/4, `ErrorKind`).
 * - Python argparse: `prog: error: unrecognized arguments: …`, `… the following arguments are required: …`,
 *   `… argument --x: invalid choice: …`, `… argument --x: expected one argument`.
 * - Go `flag`: `flag provided but not defined: -x`; cobra: `Error: unknown flag: --x`, `Error: unknown
 *   shorthand flag: 'x' in -x`, `Error: unknown command "x" for "y"`, `Error: required flag(s) "x" not set`.
 * - commander.js: `error: unknown option '--x'`, `error: unknown command 'x'`, `error: missing required
 *   argument 'x'`, `error: required option '--x' not specified`; yargs: `Unknown argument: x`,
 *   `Missing required argument: x`, `Not enough non-option arguments: …`.
 * - picocli: `Unknown option: '--x'`, `Unmatched argument at index 0: 'x'`, `Missing required option: '--x'`;
 *   JCommander: `ParameterException: Was passed main parameter 'x' but no main parameter was defined`.
 * - getopt (C programs, coreutils, BusyBox): `prog: invalid option -- 'x'`, `prog: unrecognized option '--x'`,
 *   `prog: option requires an argument -- 'x'`.
 * - Node.js, Bun: `node: bad option: --x`; .NET System.CommandLine: `Unrecognized command or argument 'x'`.
 */
const REJECTED = new RegExp(
  [
    String.raw`\berror: (?:Found argument '[^'\n]{1,200}' which wasn't expected|unexpected argument '[^'\n]{1,200}' found|unrecognized subcommand '[^'\n]{1,200}'|[Tt]he following required arguments were not provided)`,
    String.raw`^[\w.-]{1,100}: error: (?:unrecognized arguments: |the following arguments are required: |argument [^:\n]{1,100}: (?:invalid choice: |expected (?:one|at least one) argument))`,
    String.raw`^flag provided but not defined: -`,
    String.raw`^Error: (?:unknown (?:flag|shorthand flag): |unknown command "[^"\n]{1,100}" for |required flag\(s\) "[^"\n]{1,200}" not set)`,
    String.raw`^error: (?:unknown option '|unknown command '|missing required argument '|required option '[^'\n]{1,100}' not specified|too many arguments)`,
    String.raw`^(?:Unknown arguments?|Missing required arguments?|Not enough non-option arguments): `,
    String.raw`^(?:Unknown options?: |Unmatched arguments? (?:at|from) index \d{1,4}: |Missing required (?:options?|parameters?)[: ])`,
    String.raw`\bParameterException: (?:Was passed main parameter '|Unknown option: |The following options? (?:is|are) required: )`,
    String.raw`^[\w./-]{1,160}: (?:invalid option -- '?.'?|unrecognized option '-{1,2}[^'\n]{1,100}'|option requires an argument -- '?.'?)\s*$`,
    String.raw`^(?:node|bun|deno): bad option: -`,
    String.raw`\bUnrecognized command or argument '[^'\n]{1,200}'`,
  ].join('|'),
);

/** Lines at the end of a stream the refusal may be followed by (usage text, `For more information try --help`). */
const TAIL = 25;

/** The program refused its command-line arguments and exited: the container's command is wrong. */
export const commandArgumentsRejected: Rule = {
  id: 'command-arguments-rejected',
  logPatterns: [REJECTED],
  category: 'container_command_invalid',
  title: "The program refused its command-line arguments and exited",
  remediation: [
    "Compare the task definition's `entryPoint` and `command` with what the program accepts (`docker run --rm IMAGE --help`): a flag the program's version does not know, a missing subcommand (`deno run`, `node script.js`), or arguments in the wrong order.",
    "Remember that `command` replaces the image's `CMD` and is appended to its `ENTRYPOINT`: flags meant for a subcommand must follow it.",
  ],
  sources: [
    'https://docs.rs/clap/latest/clap/error/enum.ErrorKind.html',
    'https://docs.python.org/3/library/argparse.html#exiting-methods',
    'https://pkg.go.dev/flag',
    'https://pkg.go.dev/github.com/spf13/cobra',
    'https://github.com/tj/commander.js#readme',
    'https://yargs.js.org/docs/#api-reference-strictenabledtrue',
    'https://picocli.info/#_handling_errors',
    'https://jcommander.org/',
    'https://man7.org/linux/man-pages/man3/getopt.3.html',
    'https://nodejs.org/api/cli.html',
    'https://learn.microsoft.com/en-us/dotnet/standard/commandline/',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_command',
  ],
  match(evidence) {
    const tasks = analysedTasks(evidence).filter((t) => stoppedByExit(t));
    if (tasks.length === 0) return NOT_APPLICABLE;
    for (const task of tasks) {
      for (const container of task.containers) {
        if (container.exitCode === undefined || container.exitCode === 0) continue;
        const stream = logStreams(evidence).find((lines) => lines[0]?.taskArn === task.taskArn && lines[0]?.containerName === container.name);
        const line = stream?.slice(-TAIL).find((l: TextSource) => REJECTED.test(l.text));
        if (!line) continue;
        const definition = evidence.taskDefinition?.containers.find((c) => c.name === container.name);
        // The option of the container definition's `entryPoint`/`command` that the refusal names, if any.
        const refused = [...(definition?.entryPoint ?? []), ...(definition?.command ?? [])].find((word) => /^-/.test(word) && line.text.includes(word));
        const items: EvidenceItem[] = [
          cite(line),
          ...(refused ? [{ source: 'taskDefinition' as const, text: refused, containerName: container.name }] : []),
          { source: 'exitCode', text: String(container.exitCode), containerName: container.name, taskArn: task.taskArn },
        ];
        return {
          status: 'match',
          findings: [
            {
              title: `Container ${container.name} exited: its program refused the command-line arguments`,
              explanation: `The container's last lines are its program's command-line parser refusing the arguments it was started with (an unknown flag or subcommand, or a missing required argument), and the container then exited with code ${container.exitCode} before doing any work. The task definition's \`entryPoint\`/\`command\` (or the image's) does not match what this version of the program accepts.`,
              confidence: 0.9,
              evidence: items,
              scope: 'task',
              taskArn: task.taskArn,
            },
          ],
        };
      }
    }
    return NO_MATCH;
  },
};
