import type { Evidence, TaskEvidence } from '../../evidence/types';
import { NO_MATCH, type Rule } from '../types';
import { findAll, stopTexts } from '../evidence-text';
import { hitFinding, ownFirst, resultOf } from '../finding';

// ECS's container reason `OutOfMemoryError: Container killed due to memory usage`, and runc's
// `container init was OOM-killed (memory limit too low?)` when the limit is hit while starting. Exit
// code 137 alone (SIGKILL) is deliberately not matched: stop timeouts and `docker kill` give it too.
const OOM = /OutOfMemoryError: Container killed due to memory usage|OOM-?killed|\bOOMKilled\b/i;
// `CannotStartContainerError: failed to get container status: <reason>`: AWS documents it for a
// container that tries to exceed its memory while starting; it names no memory itself, hence lower confidence
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-start-container.html).
const STATUS_LOST = /CannotStartContainerError: failed to get container status/i;

/** The memory limits that applied, in words, from the task and its definition. */
function limits(evidence: Evidence, task: TaskEvidence | undefined, containerName: string | undefined): string {
  const def = evidence.taskDefinition?.containers.find((c) => c.name === containerName);
  const taskMemory = task?.memory ?? evidence.taskDefinition?.memory;
  const parts = [
    taskMemory ? `task memory ${taskMemory} MiB` : undefined,
    def?.memory !== undefined ? `container \`${def.name}\` hard limit ${def.memory} MiB` : undefined,
    def?.memoryReservation !== undefined ? `soft limit ${def.memoryReservation} MiB` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? ` Limits in force: ${parts.join(', ')}.` : '';
}

/** ECS killed a container for exceeding its memory limit. */
export const containerOomKilled: Rule = {
  id: 'container-oom-killed',
  category: 'oom_killed',
  title: 'Container killed for exceeding its memory limit',
  remediation: [
    'Raise the memory limit (task-level `memory` on Fargate; container `memory`/`memoryReservation` on EC2) above the peak the program needs, or lower that peak.',
    'Watch `MemoryUtilization` (Container Insights) over time to tell a too-small limit from a leak, and cap runtime heaps (`-Xmx`, `--max-old-space-size`) below the container limit.',
  ],
  sources: [
    'https://repost.aws/knowledge-center/ecs-resolve-outofmemory-errors',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_memory',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/cannot-start-container.html',
  ],
  match(evidence) {
    const certain = findAll(stopTexts(evidence), OOM);
    const hit = ownFirst(certain.length > 0 ? certain : findAll(stopTexts(evidence), STATUS_LOST));
    if (!hit) return NO_MATCH;
    const inferred = certain.length === 0;
    const task = evidence.tasks.find((t) => t.taskArn === hit.item.taskArn);
    return resultOf(
      hitFinding(hit, {
        title: 'The container ran out of memory and was killed',
        explanation: inferred
          ? `The container could not be started and its status was lost (\`failed to get container status\`); AWS documents this error for a container that tries to use more memory than its limit while starting.${limits(evidence, task, hit.item.containerName)}`
          : `The container used more memory than its limit allows, so the kernel's OOM killer stopped it and ECS recorded the reason.${limits(evidence, task, hit.item.containerName)}`,
        confidence: inferred ? { task: 0.65, context: 0.4 } : { task: 0.95, context: 0.7 },
      }),
    );
  },
};
