import type { Evidence, TaskEvidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, findAll, matchText, primaryTask, serviceEvents, stoppedReasons, type TextSource } from '../evidence-text';

// The service scheduler's stop reason when it removes a task to reach a deployment's desired count:
// `Scaling activity initiated by (deployment ecs-svc/…)` (stop code `ServiceSchedulerInitiated`). It is
// the same text for a rolling deployment replacing old tasks and for a scale-in.
const SCALING = /Scaling activity initiated by \(?deployment (ecs-svc\/[\w-]+)\)?/i;
// Application Auto Scaling's service event: `Message: Successfully set desired count to 9. Change
// successfully fulfilled by ecs. Cause: monitor alarm … triggered policy …`.
const DESIRED_COUNT = /Successfully set desired count to \d+/i;
/** How long before the stop an auto scaling change can explain it (deregistration delay and draining). */
const SCALING_WINDOW_MS = 60 * 60 * 1000;

/** The auto scaling event that most recently preceded the stop, if any. */
function scalingEvent(evidence: Evidence, task: TaskEvidence): TextSource | undefined {
  const stop = task.stoppingAt ?? task.stoppedAt;
  // Service events are newest first, so the first one at or before the stop is the latest cause.
  return findAll(serviceEvents(evidence), DESIRED_COUNT)
    .map((hit) => hit.item)
    .find((item) => stop === undefined || item.timestamp === undefined || (item.timestamp <= stop + 60_000 && item.timestamp >= stop - SCALING_WINDOW_MS));
}

/** The service event that says the scheduler stopped this very task. */
const stoppedEvent = (evidence: Evidence, task: TaskEvidence): TextSource | undefined =>
  serviceEvents(evidence).find((e) => /has stopped \d+ running tasks?/i.test(e.text) && e.text.includes(task.taskId));

/**
 * A benign stop: the service scheduler removed the task during a deployment or a scale-in. Not benign
 * when a container of the task reports a failure reason (e.g. an OOM kill), which then explains the stop.
 */
export const serviceScalingStop: Rule = {
  id: 'service-scaling-stop',
  category: 'benign_stop',
  title: 'Task stopped by the service scheduler (deployment or scale-in)',
  remediation: [
    'Nothing to fix: the service scheduler replaced or removed the task on purpose.',
    'To avoid noise, filter ECS task state-change alerts on `stopCode: ServiceSchedulerInitiated` with a `Scaling activity initiated by` stopped reason.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-autoscaling-targettracking.html',
  ],
  match(evidence) {
    const task = primaryTask(evidence);
    if (!task) return NOT_APPLICABLE;
    const reason = stoppedReasons(evidence).find((r) => r.taskArn === task.taskArn);
    const m = reason ? matchText(reason.text, SCALING) : undefined;
    if (!reason || !m || task.containers.some((c) => c.reason)) return NO_MATCH;
    const deployment = m.groups[0];
    const replaced = deployment !== undefined && task.startedBy !== undefined && task.startedBy !== deployment;
    const scaling = replaced ? undefined : scalingEvent(evidence, task);
    const stopped = stoppedEvent(evidence, task);
    const evidenceItems: EvidenceItem[] = [...(scaling ? [cite(scaling)] : []), cite(reason, m.index), ...(stopped ? [cite(stopped)] : [])];
    const killed = task.containers.find((c) => c.exitCode === 137);
    return {
      status: 'match',
      findings: [
        {
          title: replaced
            ? `Replaced by deployment ${deployment}`
            : scaling
              ? 'Scale-in by service auto scaling'
              : 'Removed by the service scheduler to match the desired count',
          explanation: `${
            replaced
              ? `The task belonged to deployment \`${task.startedBy}\`; the service scheduler stopped it while rolling out deployment \`${deployment}\`.`
              : scaling
                ? 'Service auto scaling lowered the desired count, and the service scheduler stopped this task to match it.'
                : `The service scheduler stopped the task while adjusting deployment \`${deployment ?? 'of the service'}\` to its desired count (a scale-in or the end of a deployment).`
          } This is an intended stop, not a failure.${killed ? ` Container \`${killed.name}\` exited with 137: it did not stop within the stop timeout after SIGTERM and was killed; handle SIGTERM or raise \`stopTimeout\` for clean shutdowns.` : ''}`,
          confidence: 0.9,
          evidence: evidenceItems,
          scope: 'task',
          taskArn: task.taskArn,
        },
      ],
    };
  },
};
