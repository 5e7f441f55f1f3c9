import type { Rule } from '../types';
import { findAll, stopTexts } from '../evidence-text';
import { stopTextResult } from '../stop-text-finding';
import { placementSteps } from './service-unable-to-place-task';

// DescribeTasks stop reasons for tasks a capacity provider could not place, as listed in AWS's "API
// failure reasons": `TaskFailedToStart: RESOURCE:CPU|MEMORY|…`, `AGENT`, `ATTRIBUTE`,
// `EMPTY CAPACITY PROVIDER`, `NO ACTIVE INSTANCES`, `MemberOf placement constraint unsatisfied`.
const TASK_PLACEMENT =
  /TaskFailedToStart: ?(?:RESOURCE:[A-Z_]{2,20}|AGENT\b|ATTRIBUTE\b|EMPTY CAPACITY PROVIDER|NO ACTIVE INSTANCES|(?:MemberOf|DistinctInstance) placement constraint unsatisfied)/i;

/** The task itself stopped because no capacity could take it (capacity-provider placement failure). */
export const taskPlacementFailed: Rule = {
  id: 'task-placement-failed',
  category: 'placement_failed',
  title: 'Task stopped before placement: no capacity met its requirements',
  remediation: [
    'Compare the task\'s `cpu`, `memory`, GPU and port needs with the instance types of the capacity provider\'s Auto Scaling group, and make sure that group can scale out.',
  ],
  sources: ['https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html'],
  match(evidence) {
    return stopTextResult(findAll(stopTexts(evidence), TASK_PLACEMENT), {
      title: 'The task could not be placed on any capacity',
      explanation:
        'ECS gave up placing the task: the capacity provider has no container instance with the resources, attributes or agent connection the task needs, so no container ever started.',
      confidence: { task: 0.95, context: 0.7 },
      steps: placementSteps,
    });
  },
};
