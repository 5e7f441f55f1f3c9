import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  ListServiceDeploymentsCommand,
  type ECSClient,
  type ServiceDeployment,
  type ServiceDeploymentBrief,
  type ServiceRevision,
} from '@aws-sdk/client-ecs';
import { callAws, type CallContext } from '../../shared/aws-call';
import { chunks } from '../../shared/chunks';

/**
 * ECS service deployments and service revisions (deployments created on or after 2024-10-25).
 * Never throws: call failures and `failures[]` entries become gaps.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment.html
 */

/** Largest ARN list DescribeServiceDeployments and DescribeServiceRevisions accept. */
export const DESCRIBE_DEPLOYMENTS_BATCH = 20;

/** Deployments listed per incident: the current one and enough history to find the last successful one. */
export const LISTED_DEPLOYMENTS = 10;

/**
 * ListServiceDeployments of one service, newest first (one page of `LISTED_DEPLOYMENTS`).
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListServiceDeployments.html
 */
export async function listServiceDeployments(
  ecs: ECSClient,
  ctx: CallContext,
  input: { cluster: string; service: string },
): Promise<{ deployments: ServiceDeploymentBrief[]; gaps: string[] }> {
  const outcome = await callAws('ecs:ListServiceDeployments', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject: `service ${input.service}` }, (abortSignal) =>
    ecs.send(new ListServiceDeploymentsCommand({ cluster: input.cluster, service: input.service, maxResults: LISTED_DEPLOYMENTS }), { abortSignal }),
  );
  if (!outcome.ok) return { deployments: [], gaps: [outcome.gap] };
  const time = (d: ServiceDeploymentBrief) => (d.createdAt instanceof Date ? d.createdAt.getTime() : 0);
  return { deployments: [...(outcome.value?.serviceDeployments ?? [])].sort((a, b) => time(b) - time(a)), gaps: [] };
}

function failureGaps(action: string, failures: readonly { arn?: string; reason?: string; detail?: string }[] | undefined): string[] {
  return (failures ?? []).map(
    (f) => `${action} could not describe ${f.arn?.split('/').pop() ?? 'an ARN'} (${f.reason ?? 'no reason given'}${f.detail ? `: ${f.detail}` : ''}).`,
  );
}

/**
 * DescribeServiceDeployments: status, `statusReason`, source and target revisions, rollback, circuit breaker.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceDeployments.html
 */
export async function describeServiceDeployments(
  ecs: ECSClient,
  ctx: CallContext,
  arns: readonly string[],
): Promise<{ deployments: ServiceDeployment[]; gaps: string[] }> {
  const outcomes = await Promise.all(
    chunks([...new Set(arns)], DESCRIBE_DEPLOYMENTS_BATCH).map((batch) =>
      callAws('ecs:DescribeServiceDeployments', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject: `${batch.length} service deployments` }, (abortSignal) =>
        ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }), { abortSignal }),
      ),
    ),
  );
  const result = { deployments: [] as ServiceDeployment[], gaps: [] as string[] };
  for (const o of outcomes) {
    if (!o.ok) result.gaps.push(o.gap);
    else {
      result.deployments.push(...(o.value?.serviceDeployments ?? []));
      result.gaps.push(...failureGaps('ecs:DescribeServiceDeployments', o.value?.failures));
    }
  }
  return result;
}

/**
 * DescribeServiceRevisions: task definition, container images with their resolved `imageDigest`,
 * load balancers. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServiceRevisions.html
 */
export async function describeServiceRevisions(
  ecs: ECSClient,
  ctx: CallContext,
  arns: readonly string[],
): Promise<{ revisions: ServiceRevision[]; gaps: string[] }> {
  const outcomes = await Promise.all(
    chunks([...new Set(arns)], DESCRIBE_DEPLOYMENTS_BATCH).map((batch) =>
      callAws('ecs:DescribeServiceRevisions', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject: `${batch.length} service revisions` }, (abortSignal) =>
        ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch }), { abortSignal }),
      ),
    ),
  );
  const result = { revisions: [] as ServiceRevision[], gaps: [] as string[] };
  for (const o of outcomes) {
    if (!o.ok) result.gaps.push(o.gap);
    else {
      result.revisions.push(...(o.value?.serviceRevisions ?? []));
      result.gaps.push(...failureGaps('ecs:DescribeServiceRevisions', o.value?.failures));
    }
  }
  return result;
}
