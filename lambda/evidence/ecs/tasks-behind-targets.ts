import { ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { callAws, type CallContext } from '../../shared/aws-call';
import { describeTasks } from './describe-tasks';

/** Input of `runningTasksBehindTargets`. */
export interface TasksBehindTargetsInput {
  /** Cluster name or ARN. */
  cluster: string;
  serviceName: string;
  /** Target ids from DescribeTargetHealth (`Target.Id`): IP addresses for `ip` target groups. */
  targetIds: string[];
  /** Running task ARNs examined at most (one ListTasks page). Default 100. */
  maxListed?: number;
}

/** Running tasks registered as one of the targets (raw SDK shapes), and gaps. */
export interface TasksBehindTargetsResult {
  tasks: Task[];
  gaps: string[];
}

/**
 * The private IPs of a task: the `privateIPv4Address` detail of its `ElasticNetworkInterface`
 * attachment (awsvpc network mode) and its containers' `networkInterfaces[].privateIpv4Address`.
 * Tasks in awsvpc mode register in an `ip` target group under these addresses.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking-awsvpc.html
 */
export function taskPrivateIps(task: Task): string[] {
  const ips = new Set<string>();
  for (const attachment of task.attachments ?? []) {
    if (attachment.type !== 'ElasticNetworkInterface') continue;
    for (const detail of attachment.details ?? []) {
      if (detail.name === 'privateIPv4Address' && detail.value) ips.add(detail.value);
    }
  }
  for (const container of task.containers ?? []) {
    for (const ni of container.networkInterfaces ?? []) if (ni.privateIpv4Address) ips.add(ni.privateIpv4Address);
  }
  return [...ips];
}

/**
 * The service's running tasks that are among the given targets, matched by private IP (awsvpc tasks;
 * `instance` targets of bridge-mode tasks are not matched). Never throws.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html
 */
export async function runningTasksBehindTargets(
  ecs: ECSClient,
  ctx: CallContext,
  input: TasksBehindTargetsInput,
): Promise<TasksBehindTargetsResult> {
  const wanted = new Set(input.targetIds);
  if (wanted.size === 0) return { tasks: [], gaps: [] };
  const subject = `running tasks of service ${input.serviceName}`;
  const maxResults = Math.min(100, Math.max(1, input.maxListed ?? 100));
  const outcome = await callAws('ecs:ListTasks', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject }, (abortSignal) =>
    ecs.send(
      new ListTasksCommand({ cluster: input.cluster, serviceName: input.serviceName, desiredStatus: 'RUNNING', maxResults }),
      { abortSignal },
    ),
  );
  if (!outcome.ok) return { tasks: [], gaps: [outcome.gap] };
  const arns = outcome.value.taskArns ?? [];
  if (arns.length === 0) return { tasks: [], gaps: [] };
  const described = await describeTasks(ecs, ctx, { cluster: input.cluster, tasks: arns });
  return { tasks: described.tasks.filter((t) => taskPrivateIps(t).some((ip) => wanted.has(ip))), gaps: described.gaps };
}
