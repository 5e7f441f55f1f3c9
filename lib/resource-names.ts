import { ArnFormat, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Turns the identifiers users configure (names, ARN suffixes or full ARNs) into the forms each AWS
 * API and CloudWatch dimension needs. Inputs are already validated by `lib/config.ts`.
 *
 * ARNs are built with `Stack.formatArn`, so in an environment-agnostic stack they hold the
 * `AWS::Partition`, `AWS::Region` and `AWS::AccountId` pseudo parameters and resolve at deploy time.
 */

/** The cluster name of a cluster name or `arn:...:cluster/<name>`. */
export function clusterName(nameOrArn: string): string {
  const slash = nameOrArn.lastIndexOf('/');
  return nameOrArn.startsWith('arn:') ? nameOrArn.slice(slash + 1) : nameOrArn;
}

/**
 * The cluster ARN: the configured ARN as is, or `arn:<partition>:ecs:<region>:<account>:cluster/<name>`
 * (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html#amazonelasticcontainerservice-resources-for-iam-policies).
 */
export function clusterArn(scope: IConstruct, nameOrArn: string): string {
  if (nameOrArn.startsWith('arn:')) return nameOrArn;
  return Stack.of(scope).formatArn({ service: 'ecs', resource: 'cluster', resourceName: nameOrArn });
}

/**
 * ARN pattern of the ECS resources of one type (`task`, `service`) in one cluster —
 * `arn:...:<type>/<cluster>/*`, the long ARN format that includes the cluster name — or in every
 * cluster when `cluster` is undefined. Partition, Region and account come from the cluster ARN when
 * one was configured, otherwise from the stack.
 */
export function ecsResourcePattern(
  scope: IConstruct,
  type: 'task' | 'service' | 'service-deployment' | 'service-revision',
  cluster?: string,
): string {
  if (cluster !== undefined && cluster.startsWith('arn:')) {
    const [, partition, , region, account] = cluster.split(':');
    return `arn:${partition}:ecs:${region}:${account}:${type}/${clusterName(cluster)}/*`;
  }
  return Stack.of(scope).formatArn({
    service: 'ecs',
    resource: type,
    resourceName: cluster === undefined ? '*' : `${cluster}/*`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * Prefix of the service ARNs of one cluster, `arn:...:service/<cluster>/`, for EventBridge prefix
 * matching on `resources` (service events name the service ARN there).
 */
export function serviceArnPrefix(scope: IConstruct, cluster: string): string {
  if (cluster.startsWith('arn:')) {
    const [, partition, , region, account] = cluster.split(':');
    return `arn:${partition}:ecs:${region}:${account}:service/${clusterName(cluster)}/`;
  }
  return Stack.of(scope).formatArn({
    service: 'ecs',
    resource: 'service',
    resourceName: `${cluster}/`,
    arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
  });
}

/**
 * The CloudWatch `TargetGroup` dimension value, `targetgroup/<name>/<id>`, of a target group ARN
 * or ARN suffix
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html#load-balancer-metric-dimensions-alb).
 */
export function targetGroupDimension(targetGroup: string): string {
  return targetGroup.slice(targetGroup.indexOf('targetgroup/'));
}

/** The CloudWatch `LoadBalancer` dimension value, `app/<name>/<id>`, of an ALB ARN or ARN suffix. */
export function loadBalancerDimension(loadBalancer: string): string {
  return loadBalancer.slice(loadBalancer.indexOf('app/'));
}

/** The `<name>` part of `targetgroup/<name>/<id>`. */
export function targetGroupName(targetGroup: string): string {
  return targetGroupDimension(targetGroup).split('/')[1] ?? targetGroup;
}
