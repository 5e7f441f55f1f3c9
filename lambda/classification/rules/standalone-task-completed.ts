import type { ContainerEvidence, Evidence, TaskEvidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, matchText, primaryTask, stoppedReasons } from '../evidence-text';

const ESSENTIAL_EXITED = /Essential container in task exited/i;

/** Standalone tasks (RunTask: scheduled rules, Batch, Step Functions, scripts) are not part of a service. */
const isStandalone = (task: TaskEvidence): boolean =>
  !task.group?.startsWith('service:') && !task.startedBy?.startsWith('ecs-svc/') && (task.group !== undefined || task.startedBy !== undefined);

/** Whether a container is essential, from the task or its definition (ECS's default is true). */
function essential(evidence: Evidence, container: ContainerEvidence): boolean {
  const def = evidence.taskDefinition?.containers.find((c) => c.name === container.name);
  return container.essential ?? def?.essential ?? true;
}

/**
 * A benign stop: a standalone task (a job) whose essential containers all exited 0 finished its work.
 * A service task exiting 0 is NOT benign (a long-running service should not exit), and neither is a
 * task with a container that reports a failure reason or a non-zero exit.
 */
export const standaloneTaskCompleted: Rule = {
  id: 'standalone-task-completed',
  category: 'benign_stop',
  title: 'Standalone task completed successfully (exit code 0)',
  remediation: [
    'Nothing to fix: the job ran to completion. To stop such alerts, filter on `group` `family:…` tasks whose containers exited 0.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-maintenance.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html',
  ],
  match(evidence) {
    const task = primaryTask(evidence);
    if (!task) return NOT_APPLICABLE;
    if (!isStandalone(task)) return NO_MATCH;
    const reason = stoppedReasons(evidence).find((r) => r.taskArn === task.taskArn);
    const m = reason ? matchText(reason.text, ESSENTIAL_EXITED) : undefined;
    if (!reason || !m) return NO_MATCH;
    const essentials = task.containers.filter((c) => essential(evidence, c));
    const clean = essentials.length > 0 && essentials.every((c) => c.exitCode === 0) && task.containers.every((c) => !c.reason);
    if (!clean) return NO_MATCH;
    const exits: EvidenceItem[] = essentials.map((c) => ({ source: 'exitCode', text: '0', containerName: c.name, taskArn: task.taskArn }));
    return {
      status: 'match',
      findings: [
        {
          title: 'The standalone task finished: its essential containers exited 0',
          explanation: `This task was started outside a service (${task.group ?? task.startedBy}) and every essential container exited with code 0, so it simply finished its work. ECS reports every such end as "Essential container in task exited".`,
          confidence: 0.85,
          evidence: [cite(reason, m.index), ...exits],
          scope: 'task',
          taskArn: task.taskArn,
        },
      ],
    };
  },
};
