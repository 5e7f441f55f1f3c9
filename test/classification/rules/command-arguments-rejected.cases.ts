import type { RuleCases } from '../rule-tester';
import { containerDefinition, taskDefinition } from '../../helpers/evidence';

// Each parser family's own refusal (sources in the rule): clap, argparse, Go flag, cobra, commander,
// yargs, picocli, getopt, Node.js.
const EXITED = { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' };
const CLAP4 = "error: unexpected argument '--port' found";
const ARGPARSE = 'worker.py: error: unrecognized arguments: --concurrency 4';
const GO_FLAG = 'flag provided but not defined: -listen';
const COBRA = 'Error: unknown flag: --config-file';
const COMMANDER = "error: unknown option '--watch'";
const YARGS = 'Unknown argument: verbose';
const PICOCLI = "Unknown option: '--spring.profiles.active=prod'";
const GETOPT = "nginx-prometheus-exporter: unrecognized option '--scrape-uri'";
const NODE = 'node: bad option: --experimental-fetch-x';

export const cases: RuleCases = {
  match: [
    {
      ...EXITED,
      exitCode: 2,
      name: 'clap 4 (Rust CLIs, Deno) with its usage text after it',
      log: [CLAP4, '', 'Usage: server [OPTIONS]', '', "For more information, try '--help'."],
      cites: CLAP4,
      title: 'Container app exited: its program refused the command-line arguments',
      rootCause: true,
    },
    { ...EXITED, exitCode: 2, name: 'Python argparse', log: ['usage: worker.py [-h] [--queue QUEUE]', ARGPARSE], cites: ARGPARSE, rootCause: true },
    { ...EXITED, exitCode: 2, name: 'Go flag package', log: [GO_FLAG, 'Usage of /app/server:', '  -addr string', '    \tlisten address (default ":8080")'], cites: GO_FLAG, rootCause: true },
    { ...EXITED, exitCode: 1, name: 'cobra', log: [COBRA, 'Usage:', '  collector [flags]'], cites: COBRA, rootCause: true },
    { ...EXITED, exitCode: 1, name: 'commander.js', log: [COMMANDER], cites: COMMANDER },
    { ...EXITED, exitCode: 1, name: 'yargs strict mode', log: ['Options:', '  --help  Show help', YARGS], cites: YARGS },
    { ...EXITED, exitCode: 2, name: 'picocli', log: [PICOCLI, 'Usage: app [-hV]'], cites: PICOCLI },
    { ...EXITED, exitCode: 1, name: 'getopt', log: [GETOPT, "Try 'nginx-prometheus-exporter --help' for more information."], cites: GETOPT },
    {
      ...EXITED,
      exitCode: 9,
      name: "Node's own option parser, with the task definition's command cited",
      log: [NODE],
      evidence: { taskDefinition: taskDefinition([containerDefinition('app', { command: ['node', '--experimental-fetch-x', 'server.js'] })]) },
      cites: NODE,
    },
  ],
  noMatch: [
    // The same words in a running program's request log are no start-up refusal: the container exited 0.
    { ...EXITED, exitCode: 0, name: 'a container that exited 0', log: [YARGS] },
    { ...EXITED, exitCode: 1, name: 'an ordinary crash', log: ['Error: connect ECONNREFUSED 10.0.0.5:5432', '    at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1555:16)'] },
  ],
  notApplicable: [{ exitCode: 2, stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', name: 'a task not stopped by its exit' }],
};
