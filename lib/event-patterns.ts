import type { EventPattern } from 'aws-cdk-lib/aws-events';

/**
 * The EventBridge patterns of the four triggers the handler analyses, and of the recovery events
 * that close incidents. Pure functions of the
 * configuration, so tests can read them without synthesising a stack.
 *
 * Pattern syntax: https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-create-pattern-operators.html
 * (a field matches if any listed value matches; an array in the event matches if any element does;
 * every field named in the pattern must be present unless matched with `exists: false`; `$or`
 * matches if any branch does). ECS event shapes:
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html,
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html and
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html.
 */

/**
 * `stopCode` values of stops that are not failures: a person or API called StopTask
 * (`UserInitiated`), or EC2 reclaimed the capacity (`SpotInterruption`, `TerminationNotice`)
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html#ECS-Type-Task-stopCode).
 * The service scheduler replaces such tasks; the analyzer has nothing to diagnose.
 */
export const BENIGN_STOP_CODES = ['UserInitiated', 'SpotInterruption', 'TerminationNotice'] as const;

/**
 * `stoppedReason` prefix of tasks the service scheduler stops on purpose: scale-in and the old
 * tasks of a rolling deployment, e.g. `Scaling activity initiated by (deployment ecs-svc/...)`
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html).
 */
export const SCALING_STOPPED_REASON_PREFIX = 'Scaling activity initiated by';

/**
 * `ECS Task State Change` with `lastStatus: STOPPED`, minus stops that are never failures.
 *
 * Excluded in the pattern (so they cost nothing):
 * - `stoppedReason` starting with {@link SCALING_STOPPED_REASON_PREFIX} (a task without `stoppedReason`
 *   is kept);
 * - `stopCode` in {@link BENIGN_STOP_CODES};
 * - a standalone (non-service) task whose essential container exited and whose every reported
 *   `exitCode` is 0 — a batch or scheduled job that finished successfully.
 *
 * The last exclusion is written as `$or` branches, because a pattern cannot say "all exit codes
 * are 0". The event is kept when any branch holds:
 * 1. `stopCode` is neither benign nor `EssentialContainerExited` (`TaskFailedToStart`,
 *    `ServiceSchedulerInitiated`, `InfrastructureHealth`, codes AWS adds later);
 * 2. `EssentialContainerExited` in a service task (`group` `service:<name>`): a service container
 *    should never exit, whatever its exit code;
 * 3. `EssentialContainerExited` and some container has a non-zero `exitCode`;
 * 4. `EssentialContainerExited` and no container reported an `exitCode` (it never ran, or the
 *    agent lost it): nothing proves success;
 * 5. no `stopCode` at all (older events): nothing proves the stop benign.
 *
 * What still reaches the function although benign: a standalone job that exited 0 while a sidecar
 * exited non-zero on SIGTERM (e.g. 143), or one with a container that never reported an exit code.
 * The handler classifies those as `benign_stop` and does not notify.
 *
 * @param clusterArns restrict to these clusters (`detail.clusterArn`); empty = all clusters.
 */
export function taskStoppedPattern(clusterArns: readonly string[] = []): EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: ['ECS Task State Change'],
    detail: {
      lastStatus: ['STOPPED'],
      ...(clusterArns.length > 0 ? { clusterArn: [...clusterArns] } : {}),
      // `anything-but` needs the field: a stop without `stoppedReason` must not be dropped.
      stoppedReason: [{ 'anything-but': { prefix: SCALING_STOPPED_REASON_PREFIX } }, { exists: false }],
      $or: [
        { stopCode: [{ 'anything-but': [...BENIGN_STOP_CODES, 'EssentialContainerExited'] }] },
        { stopCode: ['EssentialContainerExited'], group: [{ prefix: 'service:' }] },
        { stopCode: ['EssentialContainerExited'], containers: { exitCode: [{ 'anything-but': 0 }] } },
        { stopCode: ['EssentialContainerExited'], containers: { exitCode: [{ exists: false }] } },
        { stopCode: [{ exists: false }] },
      ],
    },
  };
}

/**
 * Service events may carry no `clusterArn`; the service ARN `arn:...:service/<cluster>/<service>`
 * in `resources[0]` always names the cluster (long ARN format).
 */
function serviceResources(servicePrefixes: readonly string[]): Pick<EventPattern, 'resources'> {
  if (servicePrefixes.length === 0) return {};
  return { resources: servicePrefixes.map((prefix) => ({ prefix })) as unknown as string[] };
}

/**
 * `reason` of a `SERVICE_DEPLOYMENT_IN_PROGRESS` that starts a rollback, as a `wildcard` matcher
 * (`ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/123.`); the analyzer's own test
 * is `isRollbackReason` of `lambda/evidence/events.ts`.
 */
export const ROLLBACK_REASON_WILDCARD = '*rolling back*';

/**
 * `ECS Deployment State Change` with `eventName: SERVICE_DEPLOYMENT_FAILED` (the deployment circuit
 * breaker or a CloudWatch alarm rolled the deployment back or stopped it), or
 * `SERVICE_DEPLOYMENT_IN_PROGRESS` of a rollback (its `reason` says `rolling back`): ECS sends the
 * latter, not a failure event, when it rolls a failed deployment back.
 *
 * @param servicePrefixes `arn:...:service/<cluster>/` per watched cluster; empty = all clusters.
 */
export function deploymentFailedPattern(servicePrefixes: readonly string[] = []): EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: ['ECS Deployment State Change'],
    detail: {
      $or: [
        { eventName: ['SERVICE_DEPLOYMENT_FAILED'] },
        { eventName: ['SERVICE_DEPLOYMENT_IN_PROGRESS'], reason: [{ wildcard: ROLLBACK_REASON_WILDCARD }] },
      ],
    },
    ...serviceResources(servicePrefixes),
  };
}

/**
 * `ECS Service Action` events of type `WARN` or `ERROR` (e.g. `SERVICE_TASK_START_IMPAIRED`,
 * `SERVICE_TASK_PLACEMENT_FAILURE`); `INFO` events such as `SERVICE_STEADY_STATE` are left out.
 *
 * @param servicePrefixes `arn:...:service/<cluster>/` per watched cluster; empty = all clusters.
 */
export function serviceActionPattern(servicePrefixes: readonly string[] = []): EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: ['ECS Service Action'],
    detail: { eventType: ['WARN', 'ERROR'] },
    ...serviceResources(servicePrefixes),
  };
}

/**
 * The events that say a service is healthy again, which close its open incidents (the handler's
 * incident grouping): `ECS Deployment State Change` `SERVICE_DEPLOYMENT_COMPLETED` (a deployment or a
 * rollback reached a steady state) and `ECS Service Action` `SERVICE_STEADY_STATE` (the scheduler
 * repeats it periodically while the service is healthy). Each name occurs under one detail-type
 * only, so one pattern lists both.
 *
 * @param servicePrefixes `arn:...:service/<cluster>/` per watched cluster; empty = all clusters.
 */
export function serviceRecoveredPattern(servicePrefixes: readonly string[] = []): EventPattern {
  return {
    source: ['aws.ecs'],
    detailType: ['ECS Deployment State Change', 'ECS Service Action'],
    detail: { eventName: ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_STEADY_STATE'] },
    ...serviceResources(servicePrefixes),
  };
}

/** Namespaces whose `UnHealthyHostCount` the analyzer reads: Application, Network and Classic Load Balancers. */
export const UNHEALTHY_HOST_NAMESPACES = ['AWS/ApplicationELB', 'AWS/NetworkELB', 'AWS/ELB'] as const;

/**
 * `CloudWatch Alarm State Change` into `ALARM` of an alarm on `UnHealthyHostCount` of an Application
 * (`AWS/ApplicationELB`), Network (`AWS/NetworkELB`) or Classic (`AWS/ELB`) Load Balancer. Alarm events
 * describe every alarm, single-metric ones included, as `detail.configuration.metrics[].metricStat.metric`
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 *
 * @param alarmNamePrefix when set, only alarms whose name starts with it (the construct's own).
 */
export function unhealthyHostAlarmPattern(alarmNamePrefix?: string): EventPattern {
  return {
    source: ['aws.cloudwatch'],
    detailType: ['CloudWatch Alarm State Change'],
    detail: {
      ...(alarmNamePrefix !== undefined ? { alarmName: [{ prefix: alarmNamePrefix }] } : {}),
      state: { value: ['ALARM'] },
      configuration: {
        metrics: { metricStat: { metric: { namespace: [...UNHEALTHY_HOST_NAMESPACES], name: ['UnHealthyHostCount'] } } },
      },
    },
  };
}
