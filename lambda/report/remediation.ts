import type { Evidence, TaskEvidence } from '../evidence/types';
import type { RankedFindings } from '../classification/rank';
import { lastSegment } from '../evidence/ecs-names';
import type { Finding } from './report-schema';

/**
 * Remediation people can run as written: the placeholders rules write (`CLUSTER`, `TASK_ID`,
 * `CONTAINER`, `IMAGE`) become the values the evidence holds; ECS Exec steps are kept only when the
 * task has `enableExecuteCommand` (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs-exec.html);
 * and a step appears once per report, on the first finding (root cause first) that has it.
 */

const ECS_EXEC = /\bECS Exec\b|\bexecute-command\b/;

/** The values placeholders are filled with for one finding. */
function values(evidence: Evidence, task: TaskEvidence | undefined, finding: Finding, failed: string | undefined): Record<string, string | undefined> {
  const names = new Set(task?.containers.map((c) => c.name) ?? []);
  const container = finding.evidence.find((e) => e.containerName && names.has(e.containerName))?.containerName ?? failed;
  const image =
    task?.containers.find((c) => c.name === container)?.image ?? evidence.taskDefinition?.containers.find((c) => c.name === container)?.image;
  return {
    CLUSTER: task?.clusterArn ? lastSegment(task.clusterArn) : undefined,
    TASK_ID: task?.taskId,
    CONTAINER: container,
    IMAGE: image,
  };
}

/** `step` with each known placeholder (a whole upper-case word) replaced by its value. */
export function fillPlaceholders(step: string, known: Record<string, string | undefined>): string {
  return step.replace(/\b(CLUSTER|TASK_ID|CONTAINER|IMAGE)\b/g, (word: string) => known[word] ?? word);
}

/**
 * The ranked findings with actionable remediation (see above). `task` is the analysed task; `failed`
 * the name of the container the root cause concerns. Pure.
 */
export function actionableRemediation(evidence: Evidence, task: TaskEvidence | undefined, failed: string | undefined, ranked: RankedFindings): RankedFindings {
  const execEnabled = task?.enableExecuteCommand === true;
  const shown = new Set<string>();
  const fix = (finding: Finding): Finding => {
    const known = values(evidence, task, finding, failed);
    const remediation: string[] = [];
    for (const step of finding.remediation) {
      if (!execEnabled && ECS_EXEC.test(step)) continue;
      const filled = fillPlaceholders(step, known);
      if (shown.has(filled)) continue;
      shown.add(filled);
      remediation.push(filled);
    }
    return { ...finding, remediation };
  };
  // In report order, so a step stays on the first finding that shows it.
  const rootCause = fix(ranked.rootCause);
  const contributing = ranked.contributing.map(fix);
  const symptoms = ranked.symptoms.map(fix);
  const dismissed = ranked.dismissed.map(fix);
  return { rootCause, contributing, symptoms, dismissed };
}
