import { DescribeTaskDefinitionCommand, type ECSClient, type TaskDefinition } from '@aws-sdk/client-ecs';
import { callAws, type CallContext } from '../../shared/aws-call';

/**
 * What `describeTaskDefinition` found: the raw SDK `TaskDefinition` (bundle key `taskDefinition`), or a
 * gap. It holds environment values as ECS returns them: everything that leaves the analyzer goes
 * through `incidentBundleOf`, which masks them (`evidence/bundle/redact-bundle.ts`).
 */
export interface DescribeTaskDefinitionResult {
  taskDefinition?: TaskDefinition;
  gaps: string[];
}

/**
 * DescribeTaskDefinition for a task definition ARN or `family:revision`. Never throws.
 * Deregistered (INACTIVE) revisions are still described, so a task's own revision is always readable
 * while the account has it. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTaskDefinition.html
 */
export async function describeTaskDefinition(
  ecs: ECSClient,
  ctx: CallContext,
  taskDefinition: string,
): Promise<DescribeTaskDefinitionResult> {
  const subject = `task definition ${taskDefinition.split('/').pop() ?? taskDefinition}`;
  const outcome = await callAws('ecs:DescribeTaskDefinition', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject }, (abortSignal) =>
    ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition }), { abortSignal }),
  );
  if (!outcome.ok) return { gaps: [outcome.gap] };
  const found = outcome.value.taskDefinition;
  if (!found) return { gaps: [`ecs:DescribeTaskDefinition returned no task definition for ${subject}.`] };
  return { taskDefinition: found, gaps: [] };
}
