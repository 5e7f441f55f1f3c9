import { DescribeTargetHealthCommand, type ElasticLoadBalancingV2Client, type TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { callAws, type CallContext } from '../../shared/aws-call';

/** Raw `TargetHealthDescriptions` of one target group (bundle key `targetHealth[]`), or a gap. */
export interface TargetHealthResult {
  targetGroupArn: string;
  targetHealthDescriptions?: TargetHealthDescription[];
  gaps: string[];
}

/** `targetgroup/NAME/ID` of a target group ARN, for messages. */
export function targetGroupLabel(targetGroupArn: string): string {
  const i = targetGroupArn.indexOf('targetgroup/');
  return i >= 0 ? targetGroupArn.slice(i) : targetGroupArn;
}

/**
 * DescribeTargetHealth of every registered target (`TargetHealth.State`, `Reason`, `Description`).
 * Never throws. https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_DescribeTargetHealth.html
 */
export async function describeTargetHealth(
  elbv2: ElasticLoadBalancingV2Client,
  ctx: CallContext,
  targetGroupArn: string,
): Promise<TargetHealthResult> {
  const outcome = await callAws(
    'elasticloadbalancing:DescribeTargetHealth',
    ctx.deadline,
    { timeoutMs: ctx.callTimeoutMs, subject: `target group ${targetGroupLabel(targetGroupArn)}` },
    (abortSignal) => elbv2.send(new DescribeTargetHealthCommand({ TargetGroupArn: targetGroupArn }), { abortSignal }),
  );
  if (!outcome.ok) return { targetGroupArn, gaps: [outcome.gap] };
  return { targetGroupArn, targetHealthDescriptions: outcome.value.TargetHealthDescriptions ?? [], gaps: [] };
}
