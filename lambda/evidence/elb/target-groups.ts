import { DescribeTargetGroupsCommand, type ElasticLoadBalancingV2Client, type TargetGroup } from '@aws-sdk/client-elastic-load-balancing-v2';
import { callAws, type CallContext } from '../../shared/aws-call';
import { targetGroupLabel } from './target-health';

/** Raw SDK `TargetGroup`s (health-check settings) and gaps. */
export interface DescribeTargetGroupsResult {
  targetGroups: TargetGroup[];
  gaps: string[];
}

/**
 * DescribeTargetGroups by ARN, for the groups' health-check settings (`HealthCheckPath`, `Matcher`,
 * `HealthCheckTimeoutSeconds`, …). Never throws.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetGroups.html
 */
export async function describeTargetGroups(
  elbv2: ElasticLoadBalancingV2Client,
  ctx: CallContext,
  targetGroupArns: string[],
): Promise<DescribeTargetGroupsResult> {
  if (targetGroupArns.length === 0) return { targetGroups: [], gaps: [] };
  const subject =
    targetGroupArns.length === 1 ? `target group ${targetGroupLabel(targetGroupArns[0] ?? '')}` : `${targetGroupArns.length} target groups`;
  const outcome = await callAws('elasticloadbalancing:DescribeTargetGroups', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject }, (abortSignal) =>
    elbv2.send(new DescribeTargetGroupsCommand({ TargetGroupArns: targetGroupArns }), { abortSignal }),
  );
  if (!outcome.ok) return { targetGroups: [], gaps: [outcome.gap] };
  return { targetGroups: outcome.value.TargetGroups ?? [], gaps: [] };
}

/** Where the alarm was raised, to build an ARN when the lookup by name fails. */
export interface ArnContext {
  /** `aws`, `aws-cn`, `aws-us-gov`. */
  partition: string;
  region: string;
  account: string;
}

/** The target group an alarm's `TargetGroup` dimension names. */
export interface ResolvedTargetGroup {
  targetGroupArn?: string;
  /** Present when DescribeTargetGroups found it (health-check settings included). */
  targetGroup?: TargetGroup;
  gaps: string[];
}

/**
 * The ARN a `TargetGroup` dimension stands for. CloudWatch's ELB `TargetGroup` dimension is "the final
 * portion of the target group ARN", `targetgroup/NAME/ID`, and target group ARNs are
 * `arn:PARTITION:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID`.
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html
 * Returns undefined for a value not of that form.
 */
export function targetGroupArnFromDimension(dimension: string, where: ArnContext): string | undefined {
  if (!/^targetgroup\/[^/]+\/[0-9a-f]+$/i.test(dimension)) return undefined;
  return `arn:${where.partition}:elasticloadbalancing:${where.region}:${where.account}:${dimension}`;
}

/**
 * Maps an alarm's `TargetGroup` dimension to the target group: DescribeTargetGroups by name (the
 * middle part of the dimension), keeping the group whose ARN ends with the dimension. When that call
 * fails, the ARN is built from the dimension (`targetGroupArnFromDimension`) and the failure is a gap.
 * Never throws.
 */
export async function resolveTargetGroupDimension(
  elbv2: ElasticLoadBalancingV2Client,
  ctx: CallContext,
  dimension: string,
  where: ArnContext,
): Promise<ResolvedTargetGroup> {
  const name = dimension.split('/')[1];
  const built = targetGroupArnFromDimension(dimension, where);
  if (!name) {
    return { gaps: [`The alarm's TargetGroup dimension '${dimension}' is not of the form targetgroup/NAME/ID, so the target group is unknown.`] };
  }
  const subject = `target group name ${name}`;
  const outcome = await callAws('elasticloadbalancing:DescribeTargetGroups', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject }, (abortSignal) =>
    elbv2.send(new DescribeTargetGroupsCommand({ Names: [name] }), { abortSignal }),
  );
  if (!outcome.ok) return { ...(built ? { targetGroupArn: built } : {}), gaps: [outcome.gap] };
  const match = (outcome.value.TargetGroups ?? []).find((tg) => tg.TargetGroupArn?.endsWith(`:${dimension}`));
  if (match?.TargetGroupArn) return { targetGroupArn: match.TargetGroupArn, targetGroup: match, gaps: [] };
  return {
    ...(built ? { targetGroupArn: built } : {}),
    gaps: [`elasticloadbalancing:DescribeTargetGroups found no target group matching the alarm's dimension ${dimension}.`],
  };
}
