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

/** One Describe* call's answer: the items and `failures[]`. */
interface Described<T> {
  items?: T[];
  failures?: { arn?: string; reason?: string; detail?: string }[];
}

/** Describes ARNs in batches of `DESCRIBE_DEPLOYMENTS_BATCH`, in parallel; failures become gaps. */
async function describeInBatches<T>(
  ctx: CallContext,
  action: string,
  what: string,
  arns: readonly string[],
  send: (batch: string[], abortSignal: AbortSignal) => Promise<Described<T>>,
): Promise<{ items: T[]; gaps: string[] }> {
  const outcomes = await Promise.all(
    chunks([...new Set(arns)], DESCRIBE_DEPLOYMENTS_BATCH).map((batch) =>
      callAws(action, ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject: `${batch.length} ${what}` }, (abortSignal) => send(batch, abortSignal)),
    ),
  );
  const result = { items: [] as T[], gaps: [] as string[] };
  for (const o of outcomes) {
    if (!o.ok) result.gaps.push(o.gap);
    else {
      result.items.push(...(o.value?.items ?? []));
      result.gaps.push(...failureGaps(action, o.value?.failures));
    }
  }
  return result;
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
  const { items, gaps } = await describeInBatches<ServiceDeployment>(ctx, 'ecs:DescribeServiceDeployments', 'service deployments', arns, async (batch, abortSignal) => {
    const out = await ecs.send(new DescribeServiceDeploymentsCommand({ serviceDeploymentArns: batch }), { abortSignal });
    return { ...(out?.serviceDeployments ? { items: out.serviceDeployments } : {}), ...(out?.failures ? { failures: out.failures } : {}) };
  });
  return { deployments: items, gaps };
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
  const { items, gaps } = await describeInBatches<ServiceRevision>(ctx, 'ecs:DescribeServiceRevisions', 'service revisions', arns, async (batch, abortSignal) => {
    const out = await ecs.send(new DescribeServiceRevisionsCommand({ serviceRevisionArns: batch }), { abortSignal });
    return { ...(out?.serviceRevisions ? { items: out.serviceRevisions } : {}), ...(out?.failures ? { failures: out.failures } : {}) };
  });
  return { revisions: items, gaps };
}
