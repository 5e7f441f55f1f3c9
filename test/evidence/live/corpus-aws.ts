import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogStreamsCommand, GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { CloudTrailClient, LookupEventsCommand, type Event } from '@aws-sdk/client-cloudtrail';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListServicesCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  type ContainerDefinition,
  type ServiceDeployment,
  type ServiceRevision,
  type Service,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import {
  DescribeTargetGroupsCommand,
  DescribeTargetHealthCommand,
  ElasticLoadBalancingV2Client,
  type TargetHealthDescription,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { parseBundle, type IncidentBundle } from '../../../lambda/evidence/bundle/read-bundle';
import { DEFAULT_COLLECT_CONFIG, type CollectConfig } from '../../../lambda/evidence/collect-config';
import type { CollectDeps } from '../../../lambda/evidence/collect-evidence';
import { Deadline } from '../../../lambda/shared/deadline';
import { toEpochMs } from '../../../lambda/evidence/normalise';
import { fakeLogStream } from './fake-log-stream';

/**
 * AWS as recorded in a corpus bundle, served through aws-sdk-client-mock: DescribeTasks answers with
 * the bundle's tasks (or the stop event's own task, which has the DescribeTasks shape), DescribeServices
 * with its services, GetLogEvents with its log streams (real token semantics), DescribeTargetHealth with
 * its target health. Corpus bundles hold no task definition, so one is derived that points each
 * container's awslogs configuration at its recorded stream.
 */

export const CORPUS_DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'corpus');

export function corpusFiles(): string[] {
  return readdirSync(CORPUS_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort();
}

export function loadCorpus(file: string): IncidentBundle {
  return parseBundle(JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8')), file);
}

export const ecsMock = mockClient(ECSClient);
export const logsMock = mockClient(CloudWatchLogsClient);
export const elbMock = mockClient(ElasticLoadBalancingV2Client);
export const cloudwatchMock = mockClient(CloudWatchClient);
export const cloudtrailMock = mockClient(CloudTrailClient);

export function resetMocks(): void {
  ecsMock.reset();
  logsMock.reset();
  elbMock.reset();
  cloudwatchMock.reset();
  cloudtrailMock.reset();
}

/** JSON dates (ISO strings or epoch ms) of the given keys as `Date`s, as the SDK returns them. */
function withDates<T>(value: unknown, keys: readonly string[]): T {
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const key of keys) {
    const v = out[key];
    if (typeof v === 'string' || typeof v === 'number') out[key] = new Date(toEpochMs(v) ?? 0);
  }
  return out as T;
}

/**
 * Serves the bundle's change evidence: ListServiceDeployments (briefs of its `serviceDeployments`),
 * DescribeServiceDeployments, DescribeServiceRevisions, and CloudTrail LookupEvents (its
 * `cloudTrailEvents`). A bundle without them lists no service deployments.
 */
function serveChanges(bundle: IncidentBundle): void {
  const deployments = (bundle.evidence.serviceDeployments ?? []).map((d) =>
    withDates<ServiceDeployment>(d, ['createdAt', 'startedAt', 'finishedAt', 'stoppedAt', 'updatedAt']),
  );
  const revisions = (bundle.evidence.serviceRevisions ?? []).map((r) => withDates<ServiceRevision>(r, ['createdAt']));
  ecsMock.on(ListServiceDeploymentsCommand).callsFake(() => ({
    serviceDeployments: deployments.map((d) => ({
      serviceDeploymentArn: d.serviceDeploymentArn,
      serviceArn: d.serviceArn,
      clusterArn: d.clusterArn,
      createdAt: d.createdAt,
      startedAt: d.startedAt,
      finishedAt: d.finishedAt,
      status: d.status,
      statusReason: d.statusReason,
      targetServiceRevisionArn: d.targetServiceRevision?.arn,
    })),
    $metadata: {},
  }));
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake((input) => ({
    serviceDeployments: deployments.filter((d) => input.serviceDeploymentArns?.includes(d.serviceDeploymentArn ?? '')),
    failures: [],
    $metadata: {},
  }));
  ecsMock.on(DescribeServiceRevisionsCommand).callsFake((input) => ({
    serviceRevisions: revisions.filter((r) => input.serviceRevisionArns?.includes(r.serviceRevisionArn ?? '')),
    failures: [],
    $metadata: {},
  }));
  const events = (bundle.evidence.cloudTrailEvents ?? []).map((e) => withDates<Event>(e, ['EventTime']));
  cloudtrailMock.on(LookupEventsCommand).resolves({ Events: events, $metadata: {} });
}

/** The bundle's own task definitions (current, baseline) by ARN, before derived ones. */
function recordedTaskDefinition(bundle: IncidentBundle, arn: string): TaskDefinition | undefined {
  const given = [bundle.evidence.taskDefinition, bundle.evidence.baselineTaskDefinition];
  const found = given.find((td) => td?.taskDefinitionArn === arn || (td?.family && td.revision && arn.endsWith(`/${td.family}:${td.revision}`)) || (td?.family && `${td.family}:${td.revision}` === arn));
  return found ? withDates<TaskDefinition>(found, ['registeredAt', 'deregisteredAt']) : undefined;
}

const TIME_FIELDS = ['createdAt', 'pullStartedAt', 'pullStoppedAt', 'startedAt', 'stoppingAt', 'stoppedAt', 'executionStoppedAt', 'connectivityAt'];

/** A recorded task as the SDK returns it (timestamps as `Date`). */
export function sdkTask(recorded: Record<string, unknown>): Task {
  const task: Record<string, unknown> = { ...recorded };
  for (const key of TIME_FIELDS) {
    const v = task[key];
    if (typeof v === 'string' || typeof v === 'number') task[key] = new Date(v);
  }
  delete task.updatedAt;
  delete task.version;
  return task as Task;
}

/** The tasks DescribeTasks knows for a bundle. */
export function recordedTasks(bundle: IncidentBundle): Task[] {
  const tasks = (bundle.evidence.tasks ?? []) as Record<string, unknown>[];
  if (tasks.length > 0) return tasks.map(sdkTask);
  return bundle.trigger.kind === 'task_stopped' ? [sdkTask(bundle.trigger.event.detail as Record<string, unknown>)] : [];
}

function targetGroupArns(bundle: IncidentBundle): string[] {
  return (bundle.evidence.targetHealth ?? []).map((t) => t.targetGroupArn);
}

/** The recorded services, each routed to the recorded target groups when the record does not say. */
export function recordedServices(bundle: IncidentBundle): Service[] {
  return ((bundle.evidence.services ?? []) as Record<string, unknown>[]).map((s) => {
    const service = { ...s } as Service & Record<string, unknown>;
    for (const [k, v] of Object.entries(service)) if (v === null) delete service[k];
    if (!service.loadBalancers) service.loadBalancers = targetGroupArns(bundle).map((targetGroupArn) => ({ targetGroupArn }));
    service.events = (service.events ?? []).map((e) => ({ ...e, ...(e.createdAt ? { createdAt: new Date(e.createdAt as unknown as string) } : {}) }));
    return service;
  });
}

/** A task definition whose containers log with awslogs to the recorded streams (`prefix/container/taskId`). */
export function derivedTaskDefinition(bundle: IncidentBundle, arn: string): TaskDefinition {
  const [family, revision] = (arn.split('/').pop() ?? 'app:1').split(':');
  const logs = bundle.evidence.logs ?? [];
  const names = new Set<string>();
  for (const t of recordedTasks(bundle)) for (const c of t.containers ?? []) if (c.name) names.add(c.name);
  for (const l of logs) if (l.containerName) names.add(l.containerName);
  const containerDefinitions: ContainerDefinition[] = [...names].map((name) => {
    const stream = logs.find((l) => l.containerName === name || l.logStreamName.split('/')[1] === name);
    const group = stream?.logGroupName ?? `/ecs/${family}`;
    const prefix = stream ? (stream.logStreamName.split('/')[0] ?? 'ecs') : 'ecs';
    return {
      name,
      image: 'public.ecr.aws/docker/library/busybox:latest',
      essential: true,
      environment: [{ name: 'SECRET_KEY', value: 'hunter2-do-not-capture' }],
      logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': bundle.event.region, 'awslogs-stream-prefix': prefix } },
    };
  });
  return { taskDefinitionArn: arn, family, revision: Number(revision ?? 1), containerDefinitions, requiresCompatibilities: ['FARGATE'] };
}

function clusterName(arnOrName: string | undefined): string {
  return (arnOrName ?? 'default').split('/').pop() ?? 'default';
}

/** Serves the bundle's recorded evidence through the SDK mocks (replacing earlier behaviours). */
export function serveBundle(bundle: IncidentBundle): void {
  const region = bundle.event.region;
  const account = bundle.event.account;
  const tasks = recordedTasks(bundle);
  const services = recordedServices(bundle);
  const clusters = [...new Set([...services.map((s) => s.clusterArn), ...tasks.map((t) => t.clusterArn)].filter((c): c is string => Boolean(c)))];
  const serviceArn = (s: Service) => s.serviceArn ?? `arn:aws:ecs:${region}:${account}:service/${clusterName(s.clusterArn)}/${s.serviceName}`;

  ecsMock.on(DescribeTasksCommand).callsFake((input) => {
    const found = tasks.filter((t) => input.tasks?.some((id: string) => t.taskArn === id || t.taskArn?.endsWith(`/${id}`)));
    const missing = (input.tasks ?? []).filter((id: string) => !found.some((t) => t.taskArn === id || t.taskArn?.endsWith(`/${id}`)));
    return { tasks: found, failures: missing.map((arn: string) => ({ arn, reason: 'MISSING' })), $metadata: {} };
  });
  ecsMock.on(DescribeTaskDefinitionCommand).callsFake((input) => ({
    taskDefinition: recordedTaskDefinition(bundle, input.taskDefinition) ?? derivedTaskDefinition(bundle, input.taskDefinition),
    $metadata: {},
  }));
  serveChanges(bundle);
  ecsMock.on(DescribeServicesCommand).callsFake((input) => ({
    services: services.filter((s) => input.services?.some((n: string) => n === s.serviceName || n === serviceArn(s))),
    failures: [],
    $metadata: {},
  }));
  ecsMock.on(ListTasksCommand).callsFake((input) => ({
    taskArns:
      input.desiredStatus === 'STOPPED'
        ? tasks.filter((t) => t.group === `service:${input.serviceName}` && t.lastStatus === 'STOPPED').map((t) => t.taskArn)
        : [],
    $metadata: {},
  }));
  ecsMock.on(ListClustersCommand).resolves({ clusterArns: clusters.length > 0 ? clusters : [`arn:aws:ecs:${region}:${account}:cluster/default`] });
  ecsMock.on(ListServicesCommand).callsFake((input) => ({
    serviceArns: services.filter((s) => !s.clusterArn || clusterName(s.clusterArn) === clusterName(input.cluster)).map(serviceArn),
    $metadata: {},
  }));

  logsMock.on(GetLogEventsCommand).callsFake((input) => {
    const stream = (bundle.evidence.logs ?? []).find((l) => l.logGroupName === input.logGroupName && l.logStreamName === input.logStreamName);
    if (!stream) throw new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: { httpStatusCode: 400 } });
    const events = stream.events ?? [];
    return fakeLogStream(events.length, (i) => {
      const timestamp = toEpochMs(events[i]?.timestamp ?? undefined) ?? 0;
      return { timestamp, ingestionTime: timestamp + 100, message: events[i]?.message ?? '' };
    }).get(input);
  });
  logsMock.on(DescribeLogStreamsCommand).resolves({ logStreams: [] });

  const health = bundle.evidence.targetHealth ?? [];
  elbMock.on(DescribeTargetHealthCommand).callsFake((input) => {
    const entry = health.find((h) => h.targetGroupArn === input.TargetGroupArn);
    return { TargetHealthDescriptions: (entry?.targetHealthDescriptions ?? []) as TargetHealthDescription[], $metadata: {} };
  });
  elbMock.on(DescribeTargetGroupsCommand).callsFake((input) => {
    const groups = health.map((h) => ({
      TargetGroupArn: h.targetGroupArn,
      TargetGroupName: h.targetGroupArn.split('/')[1],
      HealthCheckPath: '/health',
      HealthCheckTimeoutSeconds: 5,
      Matcher: { HttpCode: '200' },
    }));
    return {
      TargetGroups: groups.filter((g) => input.Names?.includes(g.TargetGroupName ?? '') || input.TargetGroupArns?.includes(g.TargetGroupArn)),
      $metadata: {},
    };
  });
  cloudwatchMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
}

/** Dependencies for `collectEvidence` with mocked clients and a generous deadline. */
export function mockDeps(overrides: Partial<CollectConfig> = {}, deadline = Deadline.after(10_000)): CollectDeps {
  return {
    clients: {
      ecs: new ECSClient({ region: 'us-east-1' }),
      logs: new CloudWatchLogsClient({ region: 'us-east-1' }),
      elbv2: new ElasticLoadBalancingV2Client({ region: 'us-east-1' }),
      cloudwatch: new CloudWatchClient({ region: 'us-east-1' }),
      cloudtrail: new CloudTrailClient({ region: 'us-east-1' }),
    },
    deadline,
    config: { ...DEFAULT_COLLECT_CONFIG, callTimeoutMs: 2_000, ...overrides },
  };
}
