import type { Deployment, ServiceDeployment, Task } from '@aws-sdk/client-ecs';

/**
 * What a deployment looks like at one poll, judged from ECS's own answers. Pure: the SDK shapes come
 * from `poll-deployment.ts`; `ecs-rca watch` and the lifecycle hook decide on the result.
 *
 * Sources:
 * - service deployment `status` (PENDING, IN_PROGRESS, SUCCESSFUL, STOPPED, STOP_REQUESTED,
 *   ROLLBACK_REQUESTED, ROLLBACK_IN_PROGRESS, ROLLBACK_SUCCESSFUL, ROLLBACK_FAILED):
 *   https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html
 * - the legacy `deployments[]` of DescribeServices (`rolloutState` COMPLETED, FAILED, IN_PROGRESS;
 *   `failedTasks`): https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html
 * - a task's `stopCode` and `stoppedReason`:
 *   https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html
 */

/** Where a deployment stands: still rolling out, done, or failed (rolled back, stopped, tasks failing). */
export type DeploymentPhase = 'in_progress' | 'succeeded' | 'failed';

/** One poll's view of the deployment. Counts are tasks of the new (target) revision. */
export interface DeploymentSnapshot {
  /** The service deployment ARN (`arn:aws:ecs:…:service-deployment/CLUSTER/SERVICE/ID`), when ECS has one. */
  serviceDeploymentArn?: string;
  /** The deployment id (`ecs-svc/…`) its tasks carry in `startedBy`, when known. */
  deploymentId?: string;
  /** The service ARN, when known. */
  serviceArn?: string;
  /** ECS's status: the service deployment `status`, else the deployment `rolloutState`. */
  status: string;
  /** ECS's reason for the status, when it gives one. */
  statusReason?: string;
  /** The target revision's task definition ARN, when known. */
  taskDefinitionArn?: string;
  desired: number;
  running: number;
  pending: number;
  /** Tasks of the new revision that stopped with a failure, in the order they were seen. */
  failedTasks: Task[];
  /** Running tasks of the new revision whose `healthStatus` is UNHEALTHY (when tasks were read). */
  unhealthy: number;
  phase: DeploymentPhase;
}

const SUCCEEDED_STATUSES = new Set(['SUCCESSFUL']);
const FAILED_STATUSES = new Set(['ROLLBACK_REQUESTED', 'ROLLBACK_IN_PROGRESS', 'ROLLBACK_SUCCESSFUL', 'ROLLBACK_FAILED', 'STOPPED', 'STOP_REQUESTED']);

/**
 * Whether a stopped task failed (rather than being replaced, scaled in or stopped by a user):
 * it never started (`stopCode` `TaskFailedToStart`), an essential container exited
 * (`EssentialContainerExited`), or the scheduler stopped it for failing its ELB or container health
 * checks (`stoppedReason` "Task failed ELB health checks in …" / "Task failed container health checks").
 */
export function isFailedStop(task: Task): boolean {
  if (task.lastStatus !== 'STOPPED' && task.desiredStatus !== 'STOPPED') return false;
  if (task.stopCode === 'TaskFailedToStart' || task.stopCode === 'EssentialContainerExited') return true;
  return /\bfailed (?:ELB|container|VPC Lattice)? ?health checks?\b/i.test(task.stoppedReason ?? '');
}

/** The phase of a deployment from ECS's status and the failed tasks seen so far. */
export function phaseOf(status: string, failedTasks: number): DeploymentPhase {
  if (failedTasks > 0 || FAILED_STATUSES.has(status) || status === 'FAILED') return 'failed';
  if (SUCCEEDED_STATUSES.has(status) || status === 'COMPLETED') return 'succeeded';
  return 'in_progress';
}

/** Inputs of `snapshotOf`: what one poll read. */
export interface SnapshotInput {
  serviceDeployment?: ServiceDeployment;
  /** The matching entry of DescribeServices `deployments[]`. */
  deployment?: Deployment;
  serviceArn?: string;
  taskDefinitionArn?: string;
  failedTasks: readonly Task[];
  unhealthy?: number;
}

/** Builds the snapshot, preferring the service deployment's counts and status over the legacy deployment's. */
export function snapshotOf(input: SnapshotInput): DeploymentSnapshot {
  const sd = input.serviceDeployment;
  const d = input.deployment;
  const revision = sd?.targetServiceRevision;
  const status = sd?.status ?? d?.rolloutState ?? 'UNKNOWN';
  const statusReason = sd?.statusReason ?? d?.rolloutStateReason;
  const taskDefinitionArn = input.taskDefinitionArn ?? d?.taskDefinition;
  const serviceArn = input.serviceArn ?? sd?.serviceArn;
  const failedTasks = [...input.failedTasks];
  return {
    ...(sd?.serviceDeploymentArn ? { serviceDeploymentArn: sd.serviceDeploymentArn } : {}),
    ...(d?.id ? { deploymentId: d.id } : {}),
    ...(serviceArn ? { serviceArn } : {}),
    status,
    ...(statusReason ? { statusReason } : {}),
    ...(taskDefinitionArn ? { taskDefinitionArn } : {}),
    desired: revision?.requestedTaskCount ?? d?.desiredCount ?? 0,
    running: revision?.runningTaskCount ?? d?.runningCount ?? 0,
    pending: revision?.pendingTaskCount ?? d?.pendingCount ?? 0,
    failedTasks,
    unhealthy: input.unhealthy ?? 0,
    phase: phaseOf(status, failedTasks.length),
  };
}

/** The deployment's short name: the deployment id, else the last segment of the service deployment ARN. */
export function deploymentName(snapshot: Pick<DeploymentSnapshot, 'deploymentId' | 'serviceDeploymentArn'>): string {
  return snapshot.deploymentId ?? snapshot.serviceDeploymentArn?.split('/').pop() ?? 'deployment';
}

/**
 * One progress line, e.g. `deployment ecs-svc/123 IN_PROGRESS: 1/3 running, 2 pending, 0 failed`.
 * Callers print it only when it differs from the previous one. ECS's `statusReason` is not quoted
 * here (it may carry text from the task), only the counts and the status enum.
 */
export function progressLine(snapshot: DeploymentSnapshot): string {
  const unhealthy = snapshot.unhealthy > 0 ? `, ${snapshot.unhealthy} unhealthy` : '';
  return (
    `deployment ${deploymentName(snapshot)} ${snapshot.status}: ${snapshot.running}/${snapshot.desired} running, ` +
    `${snapshot.pending} pending, ${snapshot.failedTasks.length} failed${unhealthy}`
  );
}

/** Whether every requested task of the revision runs and none is pending, failed or unhealthy. */
export function revisionHealthy(snapshot: DeploymentSnapshot): boolean {
  return (
    snapshot.desired > 0 &&
    snapshot.running >= snapshot.desired &&
    snapshot.pending === 0 &&
    snapshot.failedTasks.length === 0 &&
    snapshot.unhealthy === 0
  );
}
