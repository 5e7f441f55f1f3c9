import type { Event } from '@aws-sdk/client-cloudtrail';
import type { ServiceDeployment, ServiceRevision } from '@aws-sdk/client-ecs';
import { compact, list, num, record, str, time, type Loose } from './normalise';
import type { CloudTrailEventEvidence, ServiceDeploymentEvidence, ServiceRevisionEvidence } from './types';

/**
 * Pure converters for the change evidence: service deployments, service revisions and CloudTrail
 * events, from SDK v3 shapes (live) or bundle JSON, re-checked field by field like `./normalise`.
 */

/**
 * A DescribeServiceDeployments `serviceDeployments[]` entry
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceDeployment.html);
 * `undefined` without `serviceDeploymentArn`.
 */
export function normaliseServiceDeployment(d: Loose<ServiceDeployment>): ServiceDeploymentEvidence | undefined {
  const serviceDeploymentArn = str(d.serviceDeploymentArn);
  if (!serviceDeploymentArn) return undefined;
  const rollback = record(d.rollback);
  const breaker = record(d.deploymentCircuitBreaker);
  return compact({
    serviceDeploymentArn,
    status: str(d.status),
    statusReason: str(d.statusReason),
    createdAt: time(d.createdAt),
    startedAt: time(d.startedAt),
    finishedAt: time(d.finishedAt),
    targetServiceRevisionArn: str(record(d.targetServiceRevision)?.arn),
    sourceServiceRevisionArns: list(d.sourceServiceRevisions).flatMap((s) => {
      const arn = str(record(s)?.arn);
      return arn ? [arn] : [];
    }),
    rollback: rollback
      ? compact({ reason: str(rollback.reason), serviceRevisionArn: str(rollback.serviceRevisionArn), startedAt: time(rollback.startedAt) })
      : undefined,
    circuitBreaker: breaker
      ? compact({ status: str(breaker.status), failureCount: num(breaker.failureCount), threshold: num(breaker.threshold) })
      : undefined,
  });
}

/**
 * A DescribeServiceRevisions `serviceRevisions[]` entry
 * (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ServiceRevision.html);
 * `undefined` without `serviceRevisionArn`.
 */
export function normaliseServiceRevision(r: Loose<ServiceRevision>): ServiceRevisionEvidence | undefined {
  const serviceRevisionArn = str(r.serviceRevisionArn);
  if (!serviceRevisionArn) return undefined;
  return compact({
    serviceRevisionArn,
    taskDefinitionArn: str(r.taskDefinition),
    containerImages: list(r.containerImages).flatMap((c) => {
      const m = record(c);
      const containerName = str(m?.containerName);
      return m && containerName ? [compact({ containerName, image: str(m.image), imageDigest: str(m.imageDigest) })] : [];
    }),
    loadBalancers: list(r.loadBalancers).flatMap((l) => {
      const m = record(l);
      return m ? [compact({ targetGroupArn: str(m.targetGroupArn), containerName: str(m.containerName), containerPort: num(m.containerPort) })] : [];
    }),
    createdAt: time(r.createdAt),
  });
}

function parsedJson(text: unknown): Record<string, unknown> | undefined {
  if (typeof text !== 'string' || text.length > 256 * 1024) return undefined;
  try {
    return record(JSON.parse(text));
  } catch {
    return undefined;
  }
}

/**
 * A CloudTrail LookupEvents `Events[]` entry
 * (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_Event.html), reduced to who
 * (`Username`, `userIdentity.arn`), what (`EventName`, the resources and the `service`/`family` the
 * request named) and when. Nothing else of `CloudTrailEvent` is kept: request parameters of
 * `RegisterTaskDefinition` hold environment values. `undefined` without `EventName`.
 */
export function normaliseCloudTrailEvent(e: Loose<Event>): CloudTrailEventEvidence | undefined {
  const eventName = str(e.EventName);
  if (!eventName) return undefined;
  const detail = parsedJson(e.CloudTrailEvent);
  const request = record(detail?.requestParameters);
  const named = [str(request?.service), str(request?.serviceName), str(request?.family)].flatMap((n) => (n ? [n] : []));
  const resources = list(e.Resources).flatMap((r) => {
    const n = str(record(r)?.ResourceName);
    return n ? [n] : [];
  });
  return compact({
    eventId: str(e.EventId),
    eventName,
    eventTime: time(e.EventTime) ?? time(detail?.eventTime),
    username: str(e.Username),
    principalArn: str(record(detail?.userIdentity)?.arn),
    userAgent: str(detail?.userAgent),
    resourceNames: [...new Set([...resources, ...named])],
  });
}
