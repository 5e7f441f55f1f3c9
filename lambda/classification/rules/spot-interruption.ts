import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, matchText, primaryTask, stoppedReasons } from '../evidence-text';

// Fargate Spot: stop code `SpotInterruption` or `TerminationNotice` with the stopped reason
// `Your Spot Task was interrupted.`.
const SPOT = /Your Spot Task was interrupted/i;
const SPOT_CODES = new Set(['SpotInterruption', 'TerminationNotice']);

/** A benign stop: AWS reclaimed the Spot capacity the task ran on. */
export const spotInterruption: Rule = {
  id: 'spot-interruption',
  category: 'benign_stop',
  title: 'Spot capacity reclaimed (Spot interruption)',
  remediation: [
    'Nothing to fix: Spot capacity can be reclaimed at any time with a two-minute warning. Handle SIGTERM to shut down cleanly.',
    'Keep a base of on-demand capacity (FARGATE next to FARGATE_SPOT in the capacity provider strategy) for work that must not be interrupted.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-capacity-providers.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html',
  ],
  match(evidence) {
    const task = primaryTask(evidence);
    if (!task) return NOT_APPLICABLE;
    const reason = stoppedReasons(evidence).find((r) => r.taskArn === task.taskArn);
    const byText = reason ? matchText(reason.text, SPOT) : undefined;
    const byCode = task.stopCode !== undefined && SPOT_CODES.has(task.stopCode);
    if ((!byText && !byCode) || task.containers.some((c) => c.reason)) return NO_MATCH;
    return {
      status: 'match',
      findings: [
        {
          title: 'Spot interruption',
          explanation: 'AWS reclaimed the Spot capacity the task ran on and stopped the task after the interruption notice. This is how Spot works, not a failure of the task.',
          confidence: 0.9,
          evidence: [
            ...(reason && byText ? [cite(reason, byText.index)] : []),
            ...(byCode && task.stopCode ? [{ source: 'stopCode' as const, text: task.stopCode, taskArn: task.taskArn }] : []),
          ],
          scope: 'task',
          taskArn: task.taskArn,
        },
      ],
    };
  },
};
