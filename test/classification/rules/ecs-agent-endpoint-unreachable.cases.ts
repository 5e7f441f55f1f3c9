import type { RuleCases } from '../rule-tester';

// The ECS container agent's log when the container instance has no route to the ECS endpoints
// (https://repost.aws/knowledge-center/ecs-agent-disconnected-linux2-ami).
const TCS = '2024-03-02T10:00:01Z [ERROR] Error connecting to TCS: dial tcp 52.94.5.10:443: i/o timeout module="tcs handler"';
const REGISTER =
  'level=error time=2024-03-02T10:00:05Z msg="Unable to register as a container instance with ECS" error="RequestError: send request failed caused by: Post \\"https://ecs.eu-west-1.amazonaws.com/\\": dial tcp 52.94.5.11:443: connect: connection timed out"';
const NO_INSTANCES =
  '(service reports) was unable to place a task because no container instance met all of its requirements. Reason: No Container Instances were found in your cluster.';

export const cases: RuleCases = {
  match: [
    { name: 'telemetry connection timing out, with the placement failure as its symptom', log: [TCS], serviceEvents: [NO_INSTANCES], cites: TCS, rootCause: true },
    { name: 'registration timing out', log: [REGISTER], cites: REGISTER },
  ],
  noMatch: [
    // A refused call is a permission or configuration problem, not a missing network path.
    { name: 'registration refused by IAM', log: ['level=error msg="Unable to register as a container instance with ECS" error="AccessDeniedException: User is not authorized to perform: ecs:RegisterContainerInstance"'] },
    { name: 'the agent reconnecting as part of normal operation', log: ['level=info msg="Connected to ACS endpoint"'] },
  ],
  notApplicable: [{ name: 'no logs' }],
};
