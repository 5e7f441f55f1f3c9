import type { RuleCases } from '../rule-tester';
import { containerDefinition, taskDefinition } from '../../helpers/evidence';

// `java -version` prints the version to the error stream and exits; without a main class the JVM prints
// its usage (https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html); the case of JVM options
// ending in `-XshowSettings:vm -version` is https://github.com/aws/amazon-ecs-agent/issues/1659.
const SERVICE = { group: 'service:catalog' };
const EXITED = { stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' };
const BANNER = ['VM settings:', '    Max. Heap Size (Estimated): 1.78G', '', 'openjdk version "1.8.0_181"', 'OpenJDK Runtime Environment (build 1.8.0_181-8u181-b13-2~deb9u1-b13)', 'OpenJDK 64-Bit Server VM (build 25.181-b13, mixed mode)'];
const USAGE = 'Usage: java [options] <mainclass> [args...]';

export const cases: RuleCases = {
  match: [
    { ...EXITED, exitCode: 0, task: SERVICE, name: "a service's JVM that printed its version and exited 0", log: BANNER, cites: 'openjdk version "1.8.0_181"', title: 'Container app printed a version and exited instead of running', rootCause: true },
    { ...EXITED, exitCode: 1, name: 'the JVM usage text', log: [USAGE, '           (to execute a class)'], cites: USAGE, rootCause: true },
    {
      ...EXITED,
      exitCode: 0,
      task: SERVICE,
      name: 'a version flag in the command, without logs',
      evidence: { taskDefinition: taskDefinition([containerDefinition('app', { command: ['node', '--version'] })]) },
      cites: '--version',
    },
  ],
  noMatch: [
    // The version banner at start-up of a program that then ran (and failed) is no cause.
    { ...EXITED, exitCode: 0, task: SERVICE, name: 'a banner followed by the program', log: [...BANNER, 'Starting CatalogApplication', 'Started CatalogApplication in 4.1 seconds', 'Shutting down', 'Stopped', 'Bye'] },
    // A standalone task that prints a version and exits 0 did what it was asked.
    { ...EXITED, exitCode: 0, name: 'a standalone task', log: BANNER },
  ],
  notApplicable: [{ exitCode: 0, stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user', name: 'a task not stopped by its exit' }],
};
