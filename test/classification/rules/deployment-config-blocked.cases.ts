import type { RuleCases } from '../rule-tester';

// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html
const CONFIG =
  '(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.';
const PROTECTED =
  '(service web) was unable to reach steady state because task set (ecs-svc/1234567890123456789) was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks.';

export const cases: RuleCases = {
  match: [
    { name: 'minimumHealthyPercent/maximumPercent leave no room', serviceEvents: [CONFIG], cites: CONFIG, scope: 'context', rootCause: true },
    { name: 'more protected tasks than the desired count', serviceEvents: [PROTECTED], cites: PROTECTED },
  ],
  noMatch: [{ name: 'a placement failure', serviceEvents: ['(service web) was unable to place a task because no container instance met all of its requirements.'] }],
};
