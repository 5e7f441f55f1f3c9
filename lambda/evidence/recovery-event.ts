import { EventBridgeEventSchema } from './events';
import { toEpochMs } from './normalise';

/**
 * Events that say an ECS service is healthy again, which close its open incidents (see
 * `delivery/incident-grouping.ts`). They are not analysed: there is nothing to diagnose.
 *
 * - `ECS Deployment State Change` `SERVICE_DEPLOYMENT_COMPLETED`: a deployment (a new revision or a
 *   rollback) reached a steady state
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html);
 * - `ECS Service Action` `SERVICE_STEADY_STATE` (`eventType` `INFO`): the service is healthy at its
 *   desired count; the scheduler repeats it periodically
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html).
 *
 * Both name the service in `resources[0]`, `arn:aws:ecs:<region>:<account>:service/<cluster>/<service>`;
 * the old short ARN without the cluster is completed from `detail.clusterArn`.
 */

/** A recovery of one service. */
export interface RecoveryEvent {
  eventId: string;
  /** ISO-8601 time of the event. */
  at: string;
  account: string;
  region: string;
  /** Cluster name. */
  cluster: string;
  serviceName: string;
  /** e.g. `deployment ecs-svc/123 completed`, `service reached a steady state`. */
  reason: string;
}

/** The detail-types and names of the recovery events, for docs and the CDK rule. */
export const RECOVERY_EVENTS = [
  { detailType: 'ECS Deployment State Change', eventName: 'SERVICE_DEPLOYMENT_COMPLETED' },
  { detailType: 'ECS Service Action', eventName: 'SERVICE_STEADY_STATE' },
] as const;

/**
 * The recovery an event reports, or undefined for any other event (including invalid ones, which
 * `parseTriggerEvent` then explains).
 */
export function parseRecoveryEvent(event: unknown): RecoveryEvent | undefined {
  const parsed = EventBridgeEventSchema.safeParse(event);
  if (!parsed.success) return undefined;
  const e = parsed.data;
  const detail = e.detail as Record<string, unknown>;
  const name = detail.eventName;
  if (!RECOVERY_EVENTS.some((r) => r.detailType === e['detail-type'] && r.eventName === name)) return undefined;
  const service = serviceOf(e.resources?.[0], detail);
  const ms = toEpochMs(e.time);
  if (!service || ms === undefined) return undefined;
  const deploymentId = typeof detail.deploymentId === 'string' && detail.deploymentId ? detail.deploymentId : undefined;
  return {
    eventId: e.id,
    at: new Date(ms).toISOString(),
    account: e.account,
    region: e.region,
    ...service,
    reason:
      name === 'SERVICE_DEPLOYMENT_COMPLETED'
        ? `deployment ${deploymentId ?? '(unknown id)'} completed`
        : 'service reached a steady state',
  };
}

function serviceOf(resource: string | undefined, detail: Record<string, unknown>): { cluster: string; serviceName: string } | undefined {
  const path = resource?.split(':service/')[1];
  if (!path) return undefined;
  const parts = path.split('/');
  if (parts.length >= 2 && parts[0] && parts[1]) return { cluster: parts[0], serviceName: parts[1] };
  const clusterArn = typeof detail.clusterArn === 'string' ? detail.clusterArn : undefined;
  const cluster = clusterArn?.split('cluster/')[1];
  return cluster && parts[0] ? { cluster, serviceName: parts[0] } : undefined;
}
