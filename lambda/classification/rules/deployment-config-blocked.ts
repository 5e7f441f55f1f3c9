import type { Rule } from '../types';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// The service scheduler's words when the deployment configuration or task scale-in protection keeps it
// from replacing tasks (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html).
const BLOCKED =
  /unable to stop or start tasks during a deployment because of the service deployment configuration|number of protected tasks are more than the desired count of tasks/i;

/** The deployment configuration or protected tasks stop the scheduler from starting or stopping tasks. */
export const deploymentConfigBlocked: Rule = {
  id: 'deployment-config-blocked',
  category: 'deployment_config_blocked',
  title: 'Deployment blocked by minimumHealthyPercent/maximumPercent or protected tasks',
  remediation: [
    'Let the scheduler make room: with `minimumHealthyPercent` 100 it may stop no task before a new one runs, so `maximumPercent` must allow at least one extra task (e.g. 200); on EC2, check that the cluster has room for that extra task.',
    'If tasks are protected from scale-in (`UpdateTaskProtection`), unprotect the ones that may go, or raise the desired count above the number of protected tasks.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-type-ecs.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-scale-in-protection.html',
  ],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, BLOCKED), {
      title: 'The deployment cannot proceed: the deployment configuration or protected tasks block it',
      explanation:
        'The service scheduler could neither stop old tasks nor start new ones within the bounds of `minimumHealthyPercent` and `maximumPercent`, or more tasks are protected from scale-in than the desired count allows. The deployment waits until the configuration leaves room.',
      steps: (text) =>
        /protected tasks/i.test(text)
          ? ['More tasks are protected from scale-in than the desired count: remove protection from tasks that may stop (`aws ecs update-task-protection --protection-enabled false`), or raise the desired count.']
          : ['Update the service\'s `deploymentConfiguration`: lower `minimumHealthyPercent` or raise `maximumPercent` so the scheduler can replace at least one task at a time.'],
    });
  },
};
