import type { ContainerEvidence, Evidence, TaskEvidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, matchText, primaryTask, stoppedReasons } from '../evidence-text';
import { containerRole, essentialFlag, ROLE_WORDS } from '../container-roles';

const ESSENTIAL_EXITED = /Essential container in task exited/i;

/** Standalone tasks (RunTask: scheduled rules, Batch, Step Functions, scripts) are not part of a service. */
const isStandalone = (task: TaskEvidence): boolean =>
  !task.group?.startsWith('service:') && !task.startedBy?.startsWith('ecs-svc/') && (task.group !== undefined || task.startedBy !== undefined);

// SIGKILL and SIGTERM: how ECS ends the containers still running once an essential container exited.
const STOPPED_BY_ECS: ReadonlySet<number | undefined> = new Set([0, 137, 143]);

/**
 * Whether a container was merely stopped with the task: marked non-essential, or — when its flag is
 * unknown — a sidecar (log router, proxy, agent) that ended on ECS's stop signal.
 */
function stoppedWithTask(evidence: Evidence, container: ContainerEvidence): boolean {
  const flag = essentialFlag(evidence, container);
  if (flag !== undefined) return !flag;
  return containerRole(evidence, container) !== 'application' && STOPPED_BY_ECS.has(container.exitCode);
}

/**
 * A benign stop: a standalone task (a job) whose essential containers all exited 0 finished its work;
 * its non-essential containers and sidecars stopped with it, whatever their exit code (e.g. an agent
 * killed with 137 after the job ended).
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
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_environment',
  ],
  match(evidence) {
    const task = primaryTask(evidence);
    if (!task) return NOT_APPLICABLE;
    if (!isStandalone(task)) return NO_MATCH;
    const reason = stoppedReasons(evidence).find((r) => r.taskArn === task.taskArn);
    const m = reason ? matchText(reason.text, ESSENTIAL_EXITED) : undefined;
    if (!reason || !m) return NO_MATCH;
    const sidecars = task.containers.filter((c) => stoppedWithTask(evidence, c));
    const essentials = task.containers.filter((c) => !sidecars.includes(c));
    const clean = essentials.length > 0 && essentials.every((c) => c.exitCode === 0 && !c.reason);
    if (!clean) return NO_MATCH;
    const exits: EvidenceItem[] = essentials.map((c) => ({ source: 'exitCode', text: '0', containerName: c.name, taskArn: task.taskArn }));
    const stopped = sidecars.filter((c) => c.exitCode !== undefined && c.exitCode !== 0);
    const sidecarNote =
      stopped.length > 0
        ? ` ${stopped.map((c) => `\`${c.name}\` (${ROLE_WORDS[containerRole(evidence, c)]}, not essential)`).join(', ')} then ended with ${stopped.map((c) => `exit ${c.exitCode}`).join(', ')}: ECS stops the remaining containers once an essential one has exited, and that is not a failure.`
        : '';
    return {
      status: 'match',
      findings: [
        {
          title: 'The standalone task finished: its essential containers exited 0',
          explanation: `This task was started outside a service (${task.group ?? task.startedBy}) and every essential container exited with code 0, so it simply finished its work. ECS reports every such end as "Essential container in task exited".${sidecarNote}`,
          confidence: 0.85,
          evidence: [cite(reason, m.index), ...exits, ...stopped.map((c): EvidenceItem => ({ source: 'exitCode', text: String(c.exitCode), containerName: c.name, taskArn: task.taskArn }))],
          scope: 'task',
          taskArn: task.taskArn,
        },
      ],
    };
  },
};
