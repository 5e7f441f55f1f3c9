import type { ContainerDefinitionEvidence, Evidence, TaskEvidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, type Rule } from '../types';
import { analysedTasks, findAll, logLines, normaliseText, serviceEvents, stopTexts } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';

// runc quotes the program it tried to execute: `exec: "node index.js -t x": executable file not found in
// $PATH`. A program name with spaces means a whole command line was given as one array element.
const EXEC_FAILED = /exec: "([^"\n]{1,1000})": (?:stat [^"\n]{1,1000}: )?(?:executable file not found in \$PATH|no such file or directory)/i;

/** The program name runc quoted, when it contains whitespace (a glued command line). */
function gluedProgram(text: string): string | undefined {
  const program = EXEC_FAILED.exec(normaliseText(text))?.[1];
  return program && /\S\s+\S/.test(program.trim()) ? program : undefined;
}

/** The array element a container runs as its program: `entryPoint[0]`, else `command[0]`. */
function programElement(def: ContainerDefinitionEvidence): { field: 'entryPoint' | 'command'; value: string } | undefined {
  const [first] = def.entryPoint ?? [];
  if (first !== undefined) return { field: 'entryPoint', value: first };
  const [command] = def.command ?? [];
  return command !== undefined ? { field: 'command', value: command } : undefined;
}

/** Whether the container of `task` with this name failed (did not run to a clean exit). */
function failed(task: TaskEvidence, name: string): boolean {
  const container = task.containers.find((c) => c.name === name);
  if (task.stopCode === 'TaskFailedToStart') return true;
  return container !== undefined && (Boolean(container.reason) || (container.exitCode !== undefined && container.exitCode !== 0));
}

/** The command line split into JSON array elements, for a copy-paste fix. */
const asArray = (commandLine: string): string => JSON.stringify(commandLine.trim().split(/\s+/));

function gluedDefinitions(evidence: Evidence): { def: ContainerDefinitionEvidence; field: 'entryPoint' | 'command'; value: string }[] {
  return (evidence.taskDefinition?.containers ?? []).flatMap((def) => {
    const program = programElement(def);
    return program && /\S\s+\S/.test(program.value.trim()) ? [{ def, ...program }] : [];
  });
}

/**
 * The program and its arguments were written as one array element (`["node index.js -t x"]`), so the
 * runtime looks for an executable whose name contains the spaces.
 */
export const commandWordsGlued: Rule = {
  id: 'command-words-glued',
  logPatterns: [EXEC_FAILED],
  category: 'container_command_invalid',
  title: 'Command words glued into one argument',
  remediation: [
    'Give `entryPoint`/`command` as one array element per word (`["node", "index.js", "-t", "x"]`); in the console\'s Command field, separate the words with commas.',
    'If you need shell features (pipes, `&&`, variables), use `["sh", "-c", "the whole command line"]` instead.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_environment',
    'https://docs.docker.com/reference/dockerfile/#exec-form',
  ],
  match(evidence) {
    const texts = findAll([...stopTexts(evidence), ...serviceEvents(evidence), ...logLines(evidence)], EXEC_FAILED).filter((h) => gluedProgram(h.item.text));
    const hit = texts.find((h) => h.item.scope === 'task') ?? texts[0];
    const glued = gluedDefinitions(evidence);
    if (hit) {
      const commandLine = gluedProgram(hit.item.text) ?? '';
      const def = glued.find((g) => g.def.name === hit.item.containerName) ?? glued.find((g) => g.value.trim() === commandLine.trim());
      return resultOf(
        hitFinding(hit, {
          title: 'The command line was given as a single argument',
          explanation: `The runtime tried to execute a program named by the whole command line (quoted in the cited line): the program and its arguments were written as one element of \`${def?.field ?? 'command'}\`, so they were not split into words and no such file exists.`,
          confidence: { task: 0.97, context: 0.75 },
          evidence: def ? [{ source: 'taskDefinition' as const, text: def.value, containerName: def.def.name }] : [],
          // The copy-paste fix is built from the task definition, never from the words a message quoted.
          remediation: def ? [`Write \`${def.field}\` as ${asArray(def.value)}.`] : [],
        }),
      );
    }
    // No runtime message, but the task definition shows the glued element and that container failed.
    for (const task of analysedTasks(evidence)) {
      const def = glued.find((g) => failed(task, g.def.name));
      if (!def) continue;
      const item: EvidenceItem = { source: 'taskDefinition', text: def.value, containerName: def.def.name };
      return {
        status: 'match',
        findings: [
          {
            title: `\`${def.field}\` of \`${def.def.name}\` is a whole command line in one element`,
            explanation: `The first element of \`${def.field}\` in container \`${def.def.name}\` is "${def.value}". ECS passes each element as one argument, so the runtime looks for a program with that whole name, and the container failed.`,
            confidence: 0.8,
            evidence: [item],
            remediation: [`Write \`${def.field}\` as ${asArray(def.value)}.`],
            scope: 'task',
            taskArn: task.taskArn,
          },
        ],
      };
    }
    return NO_MATCH;
  },
};
