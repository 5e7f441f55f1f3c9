import { eventTime, syntheticEventId } from '../shared/synthetic-event';
import { deploymentName, type DeploymentSnapshot } from './deployment-state';

/**
 * The `ECS Deployment State Change` event (`SERVICE_DEPLOYMENT_FAILED`) ECS would send for a failing
 * deployment, synthesized from a poll so that `ecs-rca watch` and the lifecycle hook analyse it with
 * the same collectors and rules as the Lambda: the service's recently stopped tasks, this deployment's
 * first (`startedBy` = the deployment id), grouped into one report.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html
 */

// arn:<partition>:ecs:<region>:<account>:service/<cluster>/<service>
const SERVICE_ARN = /^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\d{12}):service\/[^/]+\/[^/]+$/;

/**
 * Why the deployment is being analysed, in our own words (no text from the tasks): what ECS said of
 * its status and how many of the new revision's tasks failed.
 */
export function failureReason(snapshot: DeploymentSnapshot, by: string): string {
  const failed = snapshot.failedTasks.length;
  const tasks = failed === 1 ? '1 task of the new revision stopped with a failure' : `${failed} tasks of the new revision stopped with a failure`;
  return failed > 0 ? `${by}: ${tasks} (deployment status ${snapshot.status}).` : `${by}: the deployment ended with status ${snapshot.status}.`;
}

/**
 * The synthesized event, or undefined when the snapshot names no service ARN (nothing to analyse).
 *
 * @param by who noticed the failure, e.g. `ecs-rca watch`; heads the event's `reason`.
 * @param now the event `time` (the moment the failure was noticed).
 */
export function deploymentFailedEvent(snapshot: DeploymentSnapshot, by: string, now: Date): Record<string, unknown> | undefined {
  const arn = snapshot.serviceArn ? SERVICE_ARN.exec(snapshot.serviceArn) : null;
  if (!snapshot.serviceArn || !arn) return undefined;
  const time = eventTime(now);
  return {
    version: '0',
    id: syntheticEventId(`${snapshot.serviceArn}|${deploymentName(snapshot)}`, time),
    'detail-type': 'ECS Deployment State Change',
    source: 'aws.ecs',
    account: arn[2],
    time,
    region: arn[1],
    resources: [snapshot.serviceArn],
    detail: {
      eventType: 'ERROR',
      eventName: 'SERVICE_DEPLOYMENT_FAILED',
      ...(snapshot.deploymentId ? { deploymentId: snapshot.deploymentId } : {}),
      updatedAt: now.toISOString(),
      reason: failureReason(snapshot, by),
    },
  };
}
