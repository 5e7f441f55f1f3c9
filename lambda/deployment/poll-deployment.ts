import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type Deployment,
  type ECSClient,
  type Service,
  type ServiceDeployment,
  type Task,
} from '@aws-sdk/client-ecs';
import { callAws, describeFailure, isAccessDenied, isNotFound, isThrottling } from '../shared/aws-call';
import { chunks } from '../shared/chunks';
import { Deadline } from '../shared/deadline';
import { DESCRIBE_TASKS_BATCH } from '../evidence/ecs/describe-tasks';
import { isFailedStop, snapshotOf, type DeploymentSnapshot } from './deployment-state';

/**
 * One poll of a deployment through the ECS API, shared by `ecs-rca watch` and the lifecycle hook:
 *
 * 1. the service deployment to follow: the one named, else the newest of ListServiceDeployments
 *    (services on the ECS deployment controller); none → the PRIMARY entry of DescribeServices;
 * 2. DescribeServiceDeployments (status, the target revision's requested/running/pending counts) and,
 *    once, DescribeServiceRevisions (the revision's task definition);
 * 3. DescribeServices: the `deployments[]` entry running that task definition gives the deployment
 *    id (`ecs-svc/…`) its tasks carry in `startedBy`;
 * 4. ListTasks `desiredStatus: STOPPED` of the service and DescribeTasks of the stopped tasks not seen
 *    before: those of this deployment that failed (`isFailedStop`) are kept in `memory`;
 * 5. with `checkHealth`, ListTasks `startedBy` (it must be the only filter) and DescribeTasks of the
 *    revision's running tasks, counting `healthStatus` UNHEALTHY.
 *
 * Every call has its own timeout (`callTimeoutMs`) through `callAws`; a failed call throws a
 * `PollError` saying which call failed and how, so callers back off on throttling and stop on
 * access denied or an unknown service.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html (`startedBy` "must be the only filter")
 */

/** The service (and optionally the service deployment) to follow. */
export interface DeploymentTarget {
  /** Cluster name or ARN. */
  cluster: string;
  /** Service name or ARN. */
  service: string;
  /** A service deployment ARN to follow instead of the newest. */
  serviceDeploymentArn?: string;
  /** A service revision ARN whose deployment to follow (the lifecycle hook knows it). */
  targetServiceRevisionArn?: string;
}

/** What a poll remembers between polls (mutated by `pollDeployment`). */
export interface PollMemory {
  serviceDeploymentArn?: string;
  /** True once ListServiceDeployments returned none: follow DescribeServices' PRIMARY deployment. */
  legacy?: boolean;
  taskDefinitionArn?: string;
  /** Stopped task ARNs already described. */
  seenStopped: Set<string>;
  /** Failed tasks of the deployment, in the order seen. */
  failed: Task[];
}

/** A new, empty memory. */
export function newPollMemory(target: DeploymentTarget): PollMemory {
  return { ...(target.serviceDeploymentArn ? { serviceDeploymentArn: target.serviceDeploymentArn } : {}), seenStopped: new Set(), failed: [] };
}

/** Why a poll failed: `throttled` (back off), `denied` (credentials or IAM), `not_found` (cluster, service or deployment), `failed` (anything else). */
export type PollErrorKind = 'throttled' | 'denied' | 'not_found' | 'failed';

/** A failed call of a poll; `message` is one sentence naming the call (`describeFailure`). */
export class PollError extends Error {
  override readonly name = 'PollError';
  constructor(
    readonly kind: PollErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function kindOf(error: unknown): PollErrorKind {
  if (isThrottling(error)) return 'throttled';
  const text = error instanceof Error ? `${error.name} ${error.message}` : String(error);
  if (isAccessDenied(error) || /CredentialsProviderError|Could not load credentials|Region is missing|UnrecognizedClient|InvalidClientTokenId|ExpiredToken/i.test(text)) {
    return 'denied';
  }
  return isNotFound(error) ? 'not_found' : 'failed';
}

/** What a poll needs: the ECS client, the per-call timeout and the clock. */
export interface PollDeps {
  ecs: ECSClient;
  /** Milliseconds one call may take including SDK retries. */
  callTimeoutMs: number;
  /** Epoch ms clock. */
  now?: () => number;
  /** Also read the revision's running tasks and count the unhealthy ones. */
  checkHealth?: boolean;
}

async function call<T>(deps: PollDeps, action: string, subject: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = Deadline.after(deps.callTimeoutMs + 1000, deps.now);
  const outcome = await callAws(action, deadline, { timeoutMs: deps.callTimeoutMs, subject }, fn);
  if (!outcome.ok) throw new PollError(kindOf(outcome.error), outcome.gap, { cause: outcome.error });
  return outcome.value;
}

function time(d: Date | undefined): number {
  return d instanceof Date ? d.getTime() : 0;
}

async function newestServiceDeployment(target: DeploymentTarget, deps: PollDeps): Promise<string | undefined> {
  const out = await call(deps, 'ecs:ListServiceDeployments', `service ${target.service}`, (abortSignal) =>
    deps.ecs.send(new ListServiceDeploymentsCommand({ cluster: target.cluster, service: target.service, maxResults: 20 }), { abortSignal }),
  );
  const briefs = (out.serviceDeployments ?? []).filter((b) => !target.targetServiceRevisionArn || b.targetServiceRevisionArn === target.targetServiceRevisionArn);
  briefs.sort((a, b) => time(b.createdAt ?? b.startedAt) - time(a.createdAt ?? a.startedAt));
  return briefs[0]?.serviceDeploymentArn;
}

async function describeServiceDeployment(arn: string, deps: PollDeps): Promise<ServiceDeployment> {
  const out = await call(deps, 'ecs:DescribeServiceDeployments', `service deployment ${arn}`, (abortSignal) =>
    deps.ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: [arn] }), { abortSignal }),
  );
  const found = out.serviceDeployments?.find((d) => d.serviceDeploymentArn === arn) ?? out.serviceDeployments?.[0];
  if (!found) {
    const reason = out.failures?.[0]?.reason ?? 'MISSING';
    throw new PollError('not_found', `ecs:DescribeServiceDeployments did not find service deployment ${arn} (${reason}).`);
  }
  return found;
}

async function revisionTaskDefinition(arn: string, deps: PollDeps): Promise<string | undefined> {
  const out = await call(deps, 'ecs:DescribeServiceRevisions', `service revision ${arn}`, (abortSignal) =>
    deps.ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: [arn] }), { abortSignal }),
  );
  return out.serviceRevisions?.[0]?.taskDefinition;
}

async function describeService(target: DeploymentTarget, deps: PollDeps): Promise<Service> {
  const out = await call(deps, 'ecs:DescribeServices', `service ${target.service}`, (abortSignal) =>
    deps.ecs.send(new DescribeServicesCommand({ cluster: target.cluster, services: [target.service] }), { abortSignal }),
  );
  const service = out.services?.[0];
  if (!service) {
    const reason = out.failures?.[0]?.reason ?? 'MISSING';
    throw new PollError('not_found', `ecs:DescribeServices did not find service ${target.service} in cluster ${target.cluster} (${reason}).`);
  }
  return service;
}

async function describe(target: DeploymentTarget, arns: readonly string[], deps: PollDeps): Promise<Task[]> {
  const tasks: Task[] = [];
  for (const batch of chunks(arns, DESCRIBE_TASKS_BATCH)) {
    const out = await call(deps, 'ecs:DescribeTasks', `${batch.length} tasks of service ${target.service}`, (abortSignal) =>
      deps.ecs.send(new DescribeTasksCommand({ cluster: target.cluster, tasks: batch }), { abortSignal }),
    );
    tasks.push(...(out.tasks ?? []));
  }
  return tasks;
}

/** The `deployments[]` entry of the revision: the one running its task definition, newest first; PRIMARY in legacy mode. */
function deploymentOf(service: Service, taskDefinitionArn: string | undefined, legacy: boolean): Deployment | undefined {
  const all = [...(service.deployments ?? [])].sort((a, b) => time(b.createdAt) - time(a.createdAt));
  if (legacy || !taskDefinitionArn) return all.find((d) => d.status === 'PRIMARY');
  return all.find((d) => d.taskDefinition === taskDefinitionArn);
}

async function newFailedTasks(target: DeploymentTarget, serviceName: string, deploymentId: string, memory: PollMemory, deps: PollDeps): Promise<void> {
  const listed = await call(deps, 'ecs:ListTasks', `stopped tasks of service ${serviceName}`, (abortSignal) =>
    deps.ecs.send(new ListTasksCommand({ cluster: target.cluster, serviceName, desiredStatus: 'STOPPED', maxResults: 100 }), { abortSignal }),
  );
  const unseen = (listed.taskArns ?? []).filter((arn) => !memory.seenStopped.has(arn));
  if (unseen.length === 0) return;
  const tasks = await describe(target, unseen, deps);
  for (const arn of unseen) memory.seenStopped.add(arn);
  memory.failed.push(...tasks.filter((t) => t.startedBy === deploymentId && isFailedStop(t)));
}

async function unhealthyRunning(target: DeploymentTarget, deploymentId: string, deps: PollDeps): Promise<number> {
  const listed = await call(deps, 'ecs:ListTasks', `running tasks of deployment ${deploymentId}`, (abortSignal) =>
    deps.ecs.send(new ListTasksCommand({ cluster: target.cluster, startedBy: deploymentId, maxResults: 100 }), { abortSignal }),
  );
  const arns = listed.taskArns ?? [];
  if (arns.length === 0) return 0;
  const tasks = await describe(target, arns, deps);
  return tasks.filter((t) => t.lastStatus === 'RUNNING' && t.healthStatus === 'UNHEALTHY').length;
}

/**
 * Polls the deployment once and returns what it looks like now.
 *
 * @throws PollError when a call fails (its `kind` says whether to back off, stop or retry).
 */
export async function pollDeployment(target: DeploymentTarget, memory: PollMemory, deps: PollDeps): Promise<DeploymentSnapshot> {
  if (!memory.serviceDeploymentArn && !memory.legacy) {
    const newest = await newestServiceDeployment(target, deps);
    if (newest) memory.serviceDeploymentArn = newest;
    else memory.legacy = true;
  }
  const serviceDeployment = memory.serviceDeploymentArn ? await describeServiceDeployment(memory.serviceDeploymentArn, deps) : undefined;
  const revisionArn = serviceDeployment?.targetServiceRevision?.arn ?? target.targetServiceRevisionArn;
  if (!memory.taskDefinitionArn && revisionArn) {
    const td = await revisionTaskDefinition(revisionArn, deps);
    if (td) memory.taskDefinitionArn = td;
  }
  const service = await describeService(target, deps);
  const deployment = deploymentOf(service, memory.taskDefinitionArn, memory.legacy === true);
  let unhealthy = 0;
  if (deployment?.id && service.serviceName) {
    await newFailedTasks(target, service.serviceName, deployment.id, memory, deps);
    if (deps.checkHealth) unhealthy = await unhealthyRunning(target, deployment.id, deps);
  }
  return snapshotOf({
    ...(serviceDeployment ? { serviceDeployment } : {}),
    ...(deployment ? { deployment } : {}),
    ...(service.serviceArn ? { serviceArn: service.serviceArn } : {}),
    ...(memory.taskDefinitionArn ? { taskDefinitionArn: memory.taskDefinitionArn } : {}),
    failedTasks: memory.failed,
    unhealthy,
  });
}

/** One line for a poll failure that is not a `PollError` (a defect): never a stack. */
export function pollFailure(error: unknown): PollError {
  return error instanceof PollError ? error : new PollError('failed', describeFailure('ecs poll', error), { cause: error });
}
