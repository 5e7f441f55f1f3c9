import type { EvidenceItem } from '../../report/report-schema';
import { NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { resultOf } from '../finding';
import { analysedTasks, cite, isAnalysedTask, stoppedReasons } from '../evidence-text';
import { isEssential, stoppedByExit } from '../container-exit';

// What an exit code says when the program printed nothing useful. 128+N is "killed by signal N".
const EXIT_MEANING: Readonly<Record<number, string>> = {
  1: 'a generic error exit: the program (or its start script) failed; its log usually says why',
  2: 'a usage error of the program or shell (bad arguments or options)',
  126: 'the command was found but could not be executed (not executable, or a directory)',
  127: 'the command was not found (missing binary or a typo in entryPoint/command)',
  134: 'SIGABRT: the process aborted (an assertion or a fatal runtime error)',
  137: 'SIGKILL: the process was killed — by the kernel OOM killer when memory ran out, or by ECS/Docker after the stop timeout when it did not exit on SIGTERM; the exit code alone does not prove an out-of-memory kill',
  139: 'SIGSEGV: the process crashed with a segmentation fault (usually a native library or an image built for another platform)',
  143: 'SIGTERM: the process was asked to stop (by ECS stopping the task) and exited on that signal',
  255: 'an exit status out of range, often a failed entrypoint script or `exit -1`',
};

// Only a stop caused by the container's exit is explained by its exit code (see `stoppedByExit`).

/** Fallback: an essential container of the analysed task exited non-zero and nothing more is known. */
export const essentialContainerExitedNonzero: Rule = {
  id: 'essential-container-exited-nonzero',
  category: 'app_exit_nonzero',
  title: 'An essential container exited with a non-zero exit code',
  remediation: [
    "Read the container's log stream around the stop time; if it is empty, check the task definition's `logConfiguration` and run the image locally with the same command and environment.",
    'Make the program log its start-up errors to stdout/stderr before exiting, so the next failure says why.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-errors.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Container.html',
    'https://man7.org/linux/man-pages/man7/signal.7.html',
  ],
  match(evidence) {
    const tasks = analysedTasks(evidence);
    if (tasks.every((t) => t.containers.every((c) => c.exitCode === undefined))) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    for (const task of tasks.filter(stoppedByExit)) {
      for (const container of task.containers) {
        const code = container.exitCode;
        if (code === undefined || code === 0 || container.reason || !isEssential(evidence, container.name, container.essential)) continue;
        const meaning = EXIT_MEANING[code] ?? (code > 128 && code < 160 ? `killed by signal ${code - 128}` : 'a program-specific error code');
        const items: EvidenceItem[] = [{ source: 'exitCode', text: String(code), containerName: container.name, taskArn: task.taskArn }];
        const stop = stoppedReasons(evidence).find((s) => s.taskArn === task.taskArn);
        if (stop) items.push(cite(stop));
        findings.push({
          title: `Essential container ${container.name} exited with code ${code}`,
          explanation: `The essential container \`${container.name}\` exited with code ${code} (${meaning}), which stops the task. Nothing more specific was found in the evidence read.`,
          confidence: code === 143 ? 0.2 : 0.35,
          evidence: items,
          ...(code === 137 ? { remediation: ['If memory is suspected, compare the container\'s memory limit with its peak usage (CloudWatch Container Insights `MemoryUtilized`); if the stop timeout is suspected, handle SIGTERM or raise `stopTimeout`.'] } : {}),
          scope: isAnalysedTask(evidence, task) ? 'task' : 'context',
          taskArn: task.taskArn,
        });
      }
    }
    return resultOf(findings);
  },
};
