import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, matchText, primaryTask, stoppedReasons } from '../evidence-text';

// Fargate task retirement: `ECS is performing maintenance on the underlying infrastructure hosting the
// task`; and the scheduler moving tasks off a container instance set to DRAINING (`… container
// instance is in DRAINING state`).
const MAINTENANCE = /ECS is performing maintenance on the underlying infrastructure hosting the task|container instance is in DRAINING state/i;

/** A benign stop: AWS task retirement/maintenance or the draining of the instance the task ran on. */
export const taskMaintenanceStop: Rule = {
  id: 'task-maintenance-stop',
  category: 'benign_stop',
  title: 'Task retired for infrastructure maintenance or instance draining',
  remediation: [
    'Nothing to fix for service tasks: the scheduler starts replacements. Standalone tasks must be restarted by whoever runs them.',
    'To control when Fargate retires tasks, set the `fargateTaskRetirementWaitPeriod` account setting and watch AWS Health for task retirement notices.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-maintenance.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/container-instance-draining.html',
  ],
  match(evidence) {
    const task = primaryTask(evidence);
    if (!task) return NOT_APPLICABLE;
    const reason = stoppedReasons(evidence).find((r) => r.taskArn === task.taskArn);
    const m = reason ? matchText(reason.text, MAINTENANCE) : undefined;
    if (!reason || !m || task.containers.some((c) => c.reason)) return NO_MATCH;
    const draining = /DRAINING/i.test(m.matched);
    return {
      status: 'match',
      findings: [
        {
          title: draining ? 'Moved off a draining container instance' : 'Retired for AWS infrastructure maintenance',
          explanation: draining
            ? 'The container instance the task ran on was set to DRAINING (by a person, an Auto Scaling lifecycle hook or Spot draining), so the scheduler stopped the task to place it elsewhere.'
            : 'AWS stopped the task to patch or replace the infrastructure it ran on (Fargate task retirement). Service tasks are replaced automatically.',
          confidence: 0.9,
          evidence: [cite(reason, m.index)],
          scope: 'task',
          taskArn: task.taskArn,
        },
      ],
    };
  },
};
