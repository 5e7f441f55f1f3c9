import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, matchText, primaryTask, stoppedReasons } from '../evidence-text';

// `StopTask` sets stop code `UserInitiated`; without a `reason` ECS records `Task stopped by user`.
const STOPPED_BY_USER = /\bstopped by user\b/i;

/** A benign stop: someone (or a tool acting for them) called StopTask. */
export const userInitiatedStop: Rule = {
  id: 'user-initiated-stop',
  category: 'benign_stop',
  title: 'Task stopped by a user or tool (StopTask)',
  remediation: [
    'Nothing to fix if the stop was intended. Otherwise find who called StopTask in AWS CloudTrail (event name `StopTask`, the task ARN in the request parameters).',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_StopTask.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html',
  ],
  match(evidence) {
    const task = primaryTask(evidence);
    if (!task) return NOT_APPLICABLE;
    const reason = stoppedReasons(evidence).find((r) => r.taskArn === task.taskArn);
    const byText = reason ? matchText(reason.text, STOPPED_BY_USER) : undefined;
    if ((task.stopCode !== 'UserInitiated' && !byText) || task.containers.some((c) => c.reason)) return NO_MATCH;
    return {
      status: 'match',
      findings: [
        {
          title: 'Stopped by a user or tool',
          explanation:
            'The task was stopped through the StopTask API (the console, the CLI, or a tool such as a pipeline or scheduler acting for a user). The stop was requested, not caused by a failure.',
          confidence: 0.9,
          evidence: [
            ...(task.stopCode === 'UserInitiated' ? [{ source: 'stopCode' as const, text: 'UserInitiated', taskArn: task.taskArn }] : []),
            ...(reason ? [cite(reason, byText?.index)] : []),
          ],
          scope: 'task',
          taskArn: task.taskArn,
        },
      ],
    };
  },
};
