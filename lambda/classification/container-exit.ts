import type { Evidence, TaskEvidence } from '../evidence/types';

/**
 * Whether a task stopped because a container exited (ECS stopCode `EssentialContainerExited`, or the stop
 * reason `Essential container in task exited`), rather than being stopped by ECS (health checks,
 * deployments, scale-in, a user, Spot), in which case its exit codes are what the stop produced.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html
 */
export function stoppedByExit(task: TaskEvidence): boolean {
  return task.stopCode === 'EssentialContainerExited' || (task.stopCode === undefined && (task.stoppedReason === undefined || /\bEssential container in task exited\b/i.test(task.stoppedReason)));
}

/** Whether the container `name` is essential: its own flag, else the task definition's, else ECS's default (true). */
export function isEssential(evidence: Evidence, name: string, flag: boolean | undefined): boolean {
  return flag ?? evidence.taskDefinition?.containers.find((c) => c.name === name)?.essential ?? true;
}
