import { ListTasksCommand, type ECSClient, type Task } from '@aws-sdk/client-ecs';
import { callAws, type CallContext } from '../../shared/aws-call';
import { describeTasks } from './describe-tasks';

/** Input of `recentStoppedTasks`. */
export interface RecentStoppedTasksInput {
  /** Cluster name or ARN. */
  cluster: string;
  /** Service name (not ARN): ListTasks filters on `serviceName`. */
  serviceName: string;
  /** How many tasks to return at most, most relevant first. */
  limit: number;
  /** Deployment id (`ecs-svc/…`); its tasks (`startedBy` equal to it) come first. */
  deploymentId?: string;
  /** Task ARNs listed at most (ListTasks pages of 100). Default 100. */
  maxListed?: number;
  /** Ask DescribeTasks for tags too. */
  includeTags?: boolean;
}

/** Raw SDK tasks (bundle key `tasks`), most relevant first, and gaps. */
export interface RecentStoppedTasksResult {
  tasks: Task[];
  /** How many stopped task ARNs ListTasks returned (before `limit`). */
  listed: number;
  gaps: string[];
}

function stopTime(task: Task): number {
  const when = task.stoppedAt ?? task.stoppingAt ?? task.executionStoppedAt ?? task.createdAt;
  return when instanceof Date ? when.getTime() : 0;
}

/**
 * Orders tasks for analysis: the deployment's own tasks first (a task's `startedBy` is the deployment
 * id of the service deployment that started it), then the most recently stopped.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html (`startedBy`)
 */
export function orderStoppedTasks(tasks: readonly Task[], deploymentId?: string): Task[] {
  const own = (t: Task) => (deploymentId !== undefined && t.startedBy === deploymentId ? 0 : 1);
  return [...tasks].sort((a, b) => own(a) - own(b) || stopTime(b) - stopTime(a));
}

/**
 * The service's recently stopped tasks: ListTasks `desiredStatus: STOPPED` (bounded), then DescribeTasks,
 * ordered by `orderStoppedTasks` and cut to `limit`. Only recently stopped tasks appear ("Recently
 * stopped tasks might appear in the returned results"; DescribeTasks keeps them for at least an hour),
 * so this sees the service's last hour or so. Never throws; failures become gaps.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListTasks.html
 */
export async function recentStoppedTasks(ecs: ECSClient, ctx: CallContext, input: RecentStoppedTasksInput): Promise<RecentStoppedTasksResult> {
  const maxListed = Math.max(1, input.maxListed ?? 100);
  const gaps: string[] = [];
  const arns: string[] = [];
  let nextToken: string | undefined;
  const seenTokens = new Set<string>();
  do {
    const token = nextToken;
    const outcome = await callAws(
      'ecs:ListTasks',
      ctx.deadline,
      { timeoutMs: ctx.callTimeoutMs, subject: `stopped tasks of service ${input.serviceName}` },
      (abortSignal) =>
        ecs.send(
          new ListTasksCommand({
            cluster: input.cluster,
            serviceName: input.serviceName,
            desiredStatus: 'STOPPED',
            maxResults: Math.min(100, maxListed - arns.length),
            ...(token ? { nextToken: token } : {}),
          }),
          { abortSignal },
        ),
    );
    if (!outcome.ok) {
      gaps.push(outcome.gap);
      break;
    }
    arns.push(...(outcome.value.taskArns ?? []));
    nextToken = outcome.value.nextToken;
    // A token seen before would loop forever; treat it as the end.
    if (nextToken !== undefined) {
      if (seenTokens.has(nextToken)) break;
      seenTokens.add(nextToken);
    }
  } while (nextToken && arns.length < maxListed);

  const listed = arns.slice(0, maxListed);
  if (listed.length === 0) return { tasks: [], listed: 0, gaps };
  const described = await describeTasks(ecs, ctx, { cluster: input.cluster, tasks: listed, includeTags: input.includeTags ?? false });
  return {
    tasks: orderStoppedTasks(described.tasks, input.deploymentId).slice(0, Math.max(0, input.limit)),
    listed: listed.length,
    gaps: [...gaps, ...described.gaps],
  };
}
