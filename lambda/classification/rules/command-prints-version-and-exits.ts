import type { Evidence, TaskEvidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { analysedTasks, cite, type TextSource } from '../evidence-text';
import { stoppedByExit } from '../container-exit';
import { logStreams } from '../log-patterns';

// The JVM's answers to `-version` (`openjdk version "17.0.2" 2022-01-18` / `java version "1.8.0_181"`, then
// `… Runtime Environment (build …)`), and its usage text when no main class or JAR is given
// (`Usage: java [options] <mainclass> [args...]`, older `Usage: java [-options] class [args...]`).
// https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html ("-version: Prints the product version
// to the error stream and exits").
const JVM_VERSION = /^(?:openjdk|java) version "[^"\n]{1,60}"/;
const JVM_RUNTIME = /\bRuntime Environment\b[^\n]{0,200}\(build /;
const JVM_USAGE = /^Usage: java \[-?options\] /;
// Flags that make a program print something and exit: in `command`/`entryPoint` they replace the program's work.
const EXITING_FLAG = /^(?:-version|--version|-help|--help|-\?)$/;
// The JVM names the options it read from the environment: `Picked up JAVA_TOOL_OPTIONS: … -version`
// (https://docs.oracle.com/en/java/javase/21/troubleshoot/environment-variables-and-system-properties.html).
const PICKED_UP_FLAG = /^(?:NOTE: )?Picked up (?:JAVA_TOOL_OPTIONS|JDK_JAVA_OPTIONS|_JAVA_OPTIONS): (?:[^\n]{0,2000}\s)?-(?:version|-version)(?:\s|$)/;
/** Lines after the banner that may still come from the container's wrapper (`(runner) child process died`). */
const TAIL = 4;

const inService = (task: TaskEvidence): boolean => task.group?.startsWith('service:') === true;

/** The container definition's `entryPoint`/`command` word that makes it print and exit, as evidence. */
function flagEvidence(evidence: Evidence, name: string): EvidenceItem | undefined {
  const definition = evidence.taskDefinition?.containers.find((c) => c.name === name);
  const flag = [...(definition?.entryPoint ?? []), ...(definition?.command ?? [])].find((word) => EXITING_FLAG.test(word));
  return flag ? { source: 'taskDefinition', text: flag, containerName: name } : undefined;
}

/** The version banner or usage text a stream ends with: what the program printed instead of running. */
function lastWords(lines: readonly TextSource[]): { line: TextSource; usage: boolean } | undefined {
  for (let i = lines.length - 1; i >= Math.max(0, lines.length - TAIL - 3); i -= 1) {
    const line = lines[i] as TextSource;
    if (JVM_USAGE.test(line.text)) return { line, usage: true };
    if (JVM_VERSION.test(line.text) && lines.slice(i + 1, i + 3).some((l) => JVM_RUNTIME.test(l.text)) && lines.length - i <= TAIL + 2) return { line, usage: false };
  }
  return undefined;
}

/** The program printed its version or usage and exited instead of running (a flag or a missing argument in its command). */
export const commandPrintsVersionAndExits: Rule = {
  id: 'command-prints-version-and-exits',
  category: 'container_command_invalid',
  title: 'The program printed its version or usage and exited instead of running',
  remediation: [
    'Remove the flag that makes the program print and exit (`-version`, `--version`, `--help`) from the container\'s `command`, `entryPoint` and options variables (`JAVA_OPTS`, `JAVA_TOOL_OPTIONS`); `-showversion` prints the version and carries on.',
    'When the program printed its usage, its command lacks what it must run (the JVM\'s main class or `-jar app.jar`): compare the task definition\'s `entryPoint`/`command` with the image\'s `ENTRYPOINT`/`CMD` (`docker inspect IMAGE`).',
  ],
  sources: [
    'https://docs.oracle.com/en/java/javase/21/docs/specs/man/java.html',
    'https://docs.oracle.com/en/java/javase/21/troubleshoot/environment-variables-and-system-properties.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_environment'],
  match(evidence) {
    const tasks = analysedTasks(evidence).filter((t) => stoppedByExit(t));
    if (tasks.length === 0) return NOT_APPLICABLE;
    for (const task of tasks) {
      for (const container of task.containers) {
        if (container.exitCode === undefined) continue;
        const stream = logStreams(evidence).find((lines) => lines[0]?.taskArn === task.taskArn && lines[0]?.containerName === container.name);
        const words = stream ? lastWords(stream) : undefined;
        const flag = flagEvidence(evidence, container.name);
        // A version banner is the whole story only when a long-running service's container exited 0 after it.
        const counts = words?.usage === true || (inService(task) && container.exitCode === 0 && (words !== undefined || flag !== undefined));
        if (!counts) continue;
        const pickedUp = words && !words.usage ? stream?.find((l) => PICKED_UP_FLAG.test(l.text)) : undefined;
        const items: EvidenceItem[] = [...(words ? [cite(words.line)] : []), ...(pickedUp ? [cite(pickedUp)] : []), ...(flag ? [flag] : []), { source: 'exitCode', text: String(container.exitCode), containerName: container.name, taskArn: task.taskArn }];
        return {
          status: 'match',
          findings: [
            {
              title: words?.usage ? `The JVM in container ${container.name} printed its usage: its command names no program to run` : `Container ${container.name} printed a version and exited instead of running`,
              explanation: words?.usage
                ? `The container's last lines are the JVM's usage text, printed when the command gives no main class or JAR, and the container then exited with code ${container.exitCode}.`
                : `The container's last output is ${words ? "the JVM's version banner" : `the result of the \`${flag?.text ?? ''}\` flag in its command`}, and it exited with code 0 right after: the program printed its version and stopped, as the version flag asks, instead of running. A service's container that exits ends its task, so ECS keeps replacing it.`,
              confidence: 0.8,
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
