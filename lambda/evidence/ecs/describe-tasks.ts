import { DescribeTasksCommand, type ECSClient, type Failure, type Task } from '@aws-sdk/client-ecs';
import { callAws, type CallContext } from '../../shared/aws-call';
import { chunks } from '../../shared/chunks';

/** Input of `describeTasks`. */
export interface DescribeTasksInput {
  /** Cluster name or ARN. */
  cluster: string;
  /** Task ARNs or ids; any number (sent 100 per call, the API's limit). */
  tasks: string[];
  /** Ask for the tasks' tags too (`include: ['TAGS']`). Default false. */
  includeTags?: boolean;
  /** Clause ending the gap of a `MISSING` task, saying what the analysis uses instead. */
  onMissing?: string;
}

/**
 * What `describeTasks` found: raw SDK `Task`s (bundle key `tasks`; override environment values are
 * masked by `incidentBundleOf` before the bundle leaves the analyzer), per-task failures and gaps.
 */
export interface DescribeTasksResult {
  tasks: Task[];
  failures: Failure[];
  /** One sentence per call that failed or task that ECS did not return. */
  gaps: string[];
}

/** Largest `tasks` list DescribeTasks accepts. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html */
export const DESCRIBE_TASKS_BATCH = 100;

function taskId(arnOrId: string): string {
  return arnOrId.split('/').pop() ?? arnOrId;
}

/**
 * The gap sentence for a DescribeTasks `failures[]` entry.
 * `MISSING` is what ECS answers for a task it no longer knows: "Currently, stopped tasks appear in the
 * returned results for at least one hour" (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html).
 */
export function describeTaskFailure(failure: Failure, onMissing?: string): string {
  const id = failure.arn ? taskId(failure.arn) : 'unknown task';
  if (failure.reason === 'MISSING') {
    const instead = onMissing ? `, so ${onMissing}` : '';
    return `ecs:DescribeTasks did not find task ${id} (MISSING): ECS returns stopped tasks for about an hour only and this one has probably expired${instead}.`;
  }
  const detail = failure.detail ? `: ${failure.detail}` : '';
  return `ecs:DescribeTasks could not describe task ${id} (${failure.reason ?? 'no reason given'}${detail}).`;
}

/**
 * DescribeTasks for any number of tasks, batches in parallel. Never throws; failures become gaps.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html
 */
export async function describeTasks(ecs: ECSClient, ctx: CallContext, input: DescribeTasksInput): Promise<DescribeTasksResult> {
  const outcomes = await Promise.all(
    chunks(input.tasks, DESCRIBE_TASKS_BATCH).map((tasks) =>
      callAws(
        'ecs:DescribeTasks',
        ctx.deadline,
        { timeoutMs: ctx.callTimeoutMs, subject: tasks.length === 1 ? `task ${taskId(tasks[0] ?? '')}` : `${tasks.length} tasks` },
        (abortSignal) =>
          ecs.send(
            new DescribeTasksCommand({ cluster: input.cluster, tasks, ...(input.includeTags ? { include: ['TAGS'] } : {}) }),
            { abortSignal },
          ),
      ),
    ),
  );
  const result: DescribeTasksResult = { tasks: [], failures: [], gaps: [] };
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      result.gaps.push(outcome.gap);
      continue;
    }
    result.tasks.push(...(outcome.value.tasks ?? []));
    for (const failure of outcome.value.failures ?? []) {
      result.failures.push(failure);
      result.gaps.push(describeTaskFailure(failure, input.onMissing));
    }
  }
  return result;
}
