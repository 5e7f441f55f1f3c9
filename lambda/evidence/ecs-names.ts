/**
 * What ECS encodes in its names and ARNs, read in one place: task ids, clusters, the service of a
 * task's `group` and the deployment of its `startedBy`. Pure.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html (`group`, `startedBy`)
 */

/** Last `/`-separated segment of an ARN (`…:task/prod/0123abcd` → `0123abcd`); the input when it has no `/`. */
export function lastSegment(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** Cluster of a task ARN `…:task/CLUSTER/ID`; the old `…:task/ID` form belongs to `default`. */
export function clusterOfTaskArn(taskArn: string): string {
  const parts = taskArn.slice(taskArn.indexOf(':task/') + ':task/'.length).split('/');
  return parts.length >= 2 && parts[0] ? parts[0] : 'default';
}

/** The service of a task's `group` (`service:NAME`); undefined for standalone tasks (`family:NAME`). */
export function serviceOfGroup(group: string | null | undefined): string | undefined {
  return group?.startsWith('service:') ? group.slice('service:'.length) || undefined : undefined;
}

/** The deployment id in a task's `startedBy`: ECS sets it to the deployment id (`ecs-svc/…`) for tasks a service started. */
export function deploymentOfStartedBy(startedBy: string | null | undefined): string | undefined {
  return startedBy?.startsWith('ecs-svc/') ? startedBy : undefined;
}
