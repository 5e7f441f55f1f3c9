import { ListClustersCommand, ListServicesCommand, type ECSClient, type Service } from '@aws-sdk/client-ecs';
import { callAws, type CallContext } from '../../shared/aws-call';
import { describeServices } from './describe-services';

/** Input of `findServicesByTargetGroup`. */
export interface FindServicesByTargetGroupInput {
  targetGroupArn: string;
  /** Clusters to search (names or ARNs). When absent, ListClusters supplies up to `maxClusters`. */
  clusters?: string[];
  /** Clusters searched at most. */
  maxClusters: number;
  /** Services examined per cluster at most (ListServices pages of 100). */
  maxServicesPerCluster: number;
}

/** The services whose `loadBalancers[].targetGroupArn` is the target group (raw SDK shapes), and gaps. */
export interface FindServicesByTargetGroupResult {
  services: Service[];
  /** Clusters actually searched. */
  clustersSearched: string[];
  gaps: string[];
}

/** Whether a service registers its tasks in the target group (DescribeServices `loadBalancers`). */
export function usesTargetGroup(service: Service, targetGroupArn: string): boolean {
  return (service.loadBalancers ?? []).some((lb) => lb.targetGroupArn === targetGroupArn);
}

async function listClusters(ecs: ECSClient, ctx: CallContext, max: number): Promise<{ clusters: string[]; gaps: string[] }> {
  const outcome = await callAws('ecs:ListClusters', ctx.deadline, { timeoutMs: ctx.callTimeoutMs }, (abortSignal) =>
    ecs.send(new ListClustersCommand({ maxResults: Math.min(100, Math.max(1, max)) }), { abortSignal }),
  );
  if (!outcome.ok) return { clusters: [], gaps: [outcome.gap] };
  const clusters = (outcome.value.clusterArns ?? []).slice(0, max);
  const gaps = outcome.value.nextToken
    ? [`ecs:ListClusters returned more than ${max} clusters; only the first ${max} were searched for services using the target group.`]
    : [];
  return { clusters, gaps };
}

async function listServiceArns(ecs: ECSClient, ctx: CallContext, cluster: string, max: number): Promise<{ arns: string[]; gaps: string[] }> {
  const arns: string[] = [];
  const gaps: string[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  do {
    const token = nextToken;
    const subject = `cluster ${cluster.split('/').pop()}`;
    const maxResults = Math.min(100, max - arns.length);
    const outcome = await callAws('ecs:ListServices', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject }, (abortSignal) =>
      ecs.send(new ListServicesCommand({ cluster, maxResults, ...(token ? { nextToken: token } : {}) }), { abortSignal }),
    );
    if (!outcome.ok) {
      gaps.push(outcome.gap);
      break;
    }
    arns.push(...(outcome.value.serviceArns ?? []));
    nextToken = outcome.value.nextToken;
    if (nextToken !== undefined) {
      if (seen.has(nextToken)) break;
      seen.add(nextToken);
    }
  } while (nextToken && arns.length < max);
  if (nextToken && arns.length >= max) {
    const name = cluster.split('/').pop();
    gaps.push(`ecs:ListServices for cluster ${name} has more than ${max} services; only the first ${max} were checked for the target group.`);
  }
  return { arns: arns.slice(0, max), gaps };
}

/**
 * Finds the ECS services that register tasks in a target group: for each cluster, ListServices then
 * DescribeServices, keeping services whose `loadBalancers[].targetGroupArn` matches. ELBv2 does not say
 * which service owns a target, so this is the only link. Bounded by `maxClusters` and
 * `maxServicesPerCluster`; never throws.
 * https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html (`loadBalancers`)
 */
export async function findServicesByTargetGroup(
  ecs: ECSClient,
  ctx: CallContext,
  input: FindServicesByTargetGroupInput,
): Promise<FindServicesByTargetGroupResult> {
  const gaps: string[] = [];
  let clusters = input.clusters?.slice(0, input.maxClusters);
  if (!clusters || clusters.length === 0) {
    const listed = await listClusters(ecs, ctx, input.maxClusters);
    clusters = listed.clusters;
    gaps.push(...listed.gaps);
  }
  const perCluster = await Promise.all(
    clusters.map(async (cluster) => {
      const listed = await listServiceArns(ecs, ctx, cluster, input.maxServicesPerCluster);
      if (listed.arns.length === 0) return { services: [] as Service[], gaps: listed.gaps };
      const described = await describeServices(ecs, ctx, { cluster, services: listed.arns });
      return {
        services: described.services.filter((s) => usesTargetGroup(s, input.targetGroupArn)),
        gaps: [...listed.gaps, ...described.gaps],
      };
    }),
  );
  const services = perCluster.flatMap((c) => c.services);
  gaps.push(...perCluster.flatMap((c) => c.gaps));
  return { services, clustersSearched: clusters, gaps };
}
