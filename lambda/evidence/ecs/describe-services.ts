import { DescribeServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { callAws, type CallContext } from '../../shared/aws-call';
import { chunks } from '../../shared/chunks';

/** Input of `describeServices`. */
export interface DescribeServicesInput {
  /** Cluster name or ARN. */
  cluster: string;
  /** Service names or ARNs; any number (sent 10 per call, the API's limit). */
  services: string[];
}

/** What `describeServices` found: raw SDK `Service`s (bundle key `services`) and gaps. */
export interface DescribeServicesResult {
  services: Service[];
  gaps: string[];
}

/** Largest `services` list DescribeServices accepts. https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html */
export const DESCRIBE_SERVICES_BATCH = 10;

/**
 * DescribeServices (events, deployments, load balancers, grace period), batches in parallel.
 * Never throws; call failures and per-service `failures[]` (e.g. `MISSING`) become gaps.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html
 */
export async function describeServices(ecs: ECSClient, ctx: CallContext, input: DescribeServicesInput): Promise<DescribeServicesResult> {
  const outcomes = await Promise.all(
    chunks(input.services, DESCRIBE_SERVICES_BATCH).map((services) =>
      callAws(
        'ecs:DescribeServices',
        ctx.deadline,
        { timeoutMs: ctx.callTimeoutMs, subject: services.length === 1 ? `service ${services[0] ?? ''}` : `${services.length} services` },
        (abortSignal) => ecs.send(new DescribeServicesCommand({ cluster: input.cluster, services }), { abortSignal }),
      ),
    ),
  );
  const result: DescribeServicesResult = { services: [], gaps: [] };
  for (const outcome of outcomes) {
    if (!outcome.ok) {
      result.gaps.push(outcome.gap);
      continue;
    }
    result.services.push(...(outcome.value.services ?? []));
    for (const failure of outcome.value.failures ?? []) {
      const name = failure.arn?.split('/').pop() ?? 'unknown service';
      const detail = failure.detail ? `: ${failure.detail}` : '';
      result.gaps.push(`ecs:DescribeServices could not describe service ${name} (${failure.reason ?? 'no reason given'}${detail}).`);
    }
  }
  return result;
}
