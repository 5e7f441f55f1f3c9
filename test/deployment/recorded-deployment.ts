import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GetLogEventsCommand, ResourceNotFoundException, type GetLogEventsCommandInput } from '@aws-sdk/client-cloudwatch-logs';
import {
  DescribeServiceDeploymentsCommand,
  DescribeServiceRevisionsCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ListServiceDeploymentsCommand,
  ListTasksCommand,
  ECSServiceException,
  type Service,
  type ServiceDeployment,
  type ServiceRevision,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { DescribeTargetGroupsCommand, DescribeTargetHealthCommand, type TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { cloudwatchMock, ecsMock, elbMock, logsMock } from '../evidence/live/corpus-aws';
import { fakeLogStream } from '../evidence/live/fake-log-stream';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';

/**
 * A recorded deployment (`test/fixtures/deployments/*.json`): ECS's answers poll by poll, in the API's
 * shapes (ServiceDeployment, Service with `deployments[]`, Task), plus the task definition, container
 * logs and target health the analysis reads. `serveDeployment` answers through aws-sdk-client-mock; the
 * recording moves to its next poll each time the watcher sleeps, and the clock advances by the sleep.
 */

export const DEPLOYMENTS_DIR = join(__dirname, '..', 'fixtures', 'deployments');

/** One poll of a recording; `throttle` names a call that ECS throttled at that poll. */
export interface RecordedPoll {
  serviceDeployment?: ServiceDeployment;
  service?: Service;
  stoppedTasks?: Task[];
  runningTasks?: Task[];
  throttle?: string;
}

export interface RecordedDeployment {
  description: string;
  cluster: string;
  service: string;
  serviceRevision: ServiceRevision;
  taskDefinition: TaskDefinition;
  logs?: { logGroupName: string; logStreamName: string; events: { timestamp: number; message: string }[] }[];
  targetHealth?: { targetGroupArn: string; targetHealthDescriptions: TargetHealthDescription[] }[];
  polls: RecordedPoll[];
  expected: { exitCode: number; category?: string; verdict?: string; analysedAtPoll?: number; polls?: number; sleeps?: number[]; evidence?: string };
}

const DATE_KEYS = new Set(['createdAt', 'startedAt', 'finishedAt', 'stoppedAt', 'updatedAt', 'stoppingAt', 'executionStoppedAt', 'pullStartedAt', 'pullStoppedAt', 'connectivityAt']);

/** JSON with the SDK's `Date`s for its timestamp fields. */
function withDates(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withDates);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, DATE_KEYS.has(k) && typeof v === 'string' ? new Date(v) : withDates(v)]));
  }
  return value;
}

export function deploymentFiles(): string[] {
  return readdirSync(DEPLOYMENTS_DIR).filter((f) => f.endsWith('.json')).sort();
}

export function loadDeployment(file: string): RecordedDeployment {
  return withDates(JSON.parse(readFileSync(join(DEPLOYMENTS_DIR, file), 'utf8'))) as RecordedDeployment;
}

/** Plays a recording: `poll` is the index of the poll being answered. */
export interface Player {
  poll: number;
  /** Epoch ms of the fake clock. */
  clock: number;
  /** Every sleep asked for, in ms. */
  sleeps: number[];
  now: () => Date;
  sleep: (ms: number) => Promise<void>;
}

export const START = Date.parse('2026-03-10T14:00:00.000Z');

/** Serves the recording through the SDK mocks and returns the player driving it. */
export function serveDeployment(rec: RecordedDeployment): Player {
  const player: Player = {
    poll: 0,
    clock: START,
    sleeps: [],
    now: () => new Date(player.clock),
    sleep: (ms) => {
      player.sleeps.push(ms);
      player.clock += ms;
      player.poll = Math.min(player.poll + 1, rec.polls.length - 1);
      return Promise.resolve();
    },
  };
  // The latest answered state at or before the current poll (a throttled poll has none of its own).
  const state = (): RecordedPoll => {
    for (let i = player.poll; i >= 0; i -= 1) if (rec.polls[i]?.serviceDeployment) return rec.polls[i] as RecordedPoll;
    return {};
  };
  const throttled = (action: string) => rec.polls[player.poll]?.throttle === action;
  // ECS answers throttling with the error code ThrottlingException (HTTP 400), which the SDK has no class for.
  const rateExceeded = () => new ECSServiceException({ name: 'ThrottlingException', $fault: 'client', message: 'Rate exceeded', $metadata: { httpStatusCode: 400, attempts: 3 } });
  const seenTasks = (): Task[] => rec.polls.slice(0, player.poll + 1).flatMap((p) => [...(p.stoppedTasks ?? []), ...(p.runningTasks ?? [])]);

  ecsMock.on(ListServiceDeploymentsCommand).callsFake(() => {
    const sd = rec.polls.find((p) => p.serviceDeployment)?.serviceDeployment;
    return { serviceDeployments: sd ? [{ serviceDeploymentArn: sd.serviceDeploymentArn, serviceArn: sd.serviceArn, clusterArn: sd.clusterArn, createdAt: sd.createdAt, status: sd.status, targetServiceRevisionArn: sd.targetServiceRevision?.arn }] : [] };
  });
  ecsMock.on(DescribeServiceDeploymentsCommand).callsFake(() => {
    if (throttled('ecs:DescribeServiceDeployments')) throw rateExceeded();
    const sd = state().serviceDeployment;
    return { serviceDeployments: sd ? [sd] : [], failures: [] };
  });
  ecsMock.on(DescribeServiceRevisionsCommand).resolves({ serviceRevisions: [rec.serviceRevision], failures: [] });
  ecsMock.on(DescribeServicesCommand).callsFake(() => {
    if (throttled('ecs:DescribeServices')) throw rateExceeded();
    const service = state().service;
    return { services: service ? [service] : [], failures: service ? [] : [{ reason: 'MISSING' }] };
  });
  ecsMock.on(ListTasksCommand).callsFake((input: { desiredStatus?: string; startedBy?: string }) => {
    const s = state();
    const tasks = input.desiredStatus === 'STOPPED' ? (s.stoppedTasks ?? []) : (s.runningTasks ?? []).filter((t) => !input.startedBy || t.startedBy === input.startedBy);
    return { taskArns: tasks.map((t) => t.taskArn) };
  });
  ecsMock.on(DescribeTasksCommand).callsFake((input: { tasks?: string[] }) => {
    const latest = new Map<string, Task>();
    for (const t of seenTasks()) if (t.taskArn) latest.set(t.taskArn, t);
    return { tasks: (input.tasks ?? []).flatMap((arn) => latest.get(arn) ?? []), failures: [] };
  });
  ecsMock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: rec.taskDefinition });

  logsMock.on(GetLogEventsCommand).callsFake((input: GetLogEventsCommandInput) => {
    const stream = (rec.logs ?? []).find((l) => l.logGroupName === input.logGroupName && l.logStreamName === input.logStreamName);
    if (!stream) throw new ResourceNotFoundException({ message: 'The specified log stream does not exist.', $metadata: { httpStatusCode: 400 } });
    return fakeLogStream(stream.events.length, (i) => ({ ...(stream.events[i] as { timestamp: number; message: string }), ingestionTime: (stream.events[i]?.timestamp ?? 0) + 100 })).get(input);
  });
  elbMock.on(DescribeTargetHealthCommand).callsFake((input: { TargetGroupArn?: string }) => ({
    TargetHealthDescriptions: (rec.targetHealth ?? []).find((h) => h.targetGroupArn === input.TargetGroupArn)?.targetHealthDescriptions ?? [],
  }));
  elbMock.on(DescribeTargetGroupsCommand).callsFake(() => ({
    TargetGroups: (rec.targetHealth ?? []).map((h) => ({ TargetGroupArn: h.targetGroupArn, TargetGroupName: h.targetGroupArn.split('/')[1], HealthCheckPath: '/healthz', Matcher: { HttpCode: '200' } })),
  }));
  cloudwatchMock.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
  return player;
}
