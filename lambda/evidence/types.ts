/**
 * The evidence model: our own typed view of everything an analysis may read.
 *
 * Both sources fill it: the recorded source (`evidence/bundle/`, an `incident-bundle.v1` file) and the
 * live collectors (`evidence/ecs/`, `evidence/logs/`, `evidence/elb/`). They normalise the AWS SDK v3
 * response shapes once, through `evidence/normalise.ts`; rules only ever see these types.
 *
 * Units: every timestamp here is **epoch milliseconds** (`EpochMs`). Optional fields are absent when
 * the source did not have them — never guessed.
 */

/** Milliseconds since the Unix epoch (UTC). */
export type EpochMs = number;

/** What kind of EventBridge event started the analysis. */
export type TriggerKind = 'task_stopped' | 'deployment_failed' | 'service_action' | 'target_unhealthy';

/** The triggering EventBridge event, reduced to what the analysis needs. */
export interface Trigger {
  kind: TriggerKind;
  /** EventBridge event `id`. */
  eventId: string;
  /** EventBridge `detail-type`, e.g. `ECS Task State Change`. */
  detailType: string;
  /** Event `time`, ISO-8601. */
  time: string;
  account: string;
  region: string;
  /** `detail.eventName` of ECS deployment and service-action events (`SERVICE_DEPLOYMENT_FAILED`, …). */
  eventName?: string;
  /** `detail.eventType` of ECS deployment and service-action events: `INFO`, `WARN` or `ERROR`. */
  eventType?: string;
  /** `detail.reason` of a deployment event, e.g. `ECS deployment circuit breaker: task failed to start.` */
  reason?: string;
  /** ECS deployment id (`ecs-svc/…`), from a deployment event or a task's `startedBy`. */
  deploymentId?: string;
  clusterArn?: string;
  serviceArn?: string;
  serviceName?: string;
  /** CloudWatch alarm name, for `target_unhealthy`. */
  alarmName?: string;
  /** The alarm's `state.reason`. */
  alarmReason?: string;
  /** `TargetGroup` dimension of the alarm, e.g. `targetgroup/web-tg/0a1b2c3d4e5f6a7b`. */
  targetGroupDimension?: string;
  /** `LoadBalancer` dimension of the alarm, e.g. `app/web-alb/5f3a2b1c0d9e8f7a`; for a Classic Load Balancer its `LoadBalancerName`. */
  loadBalancerDimension?: string;
  /** The target group ARN, when known (built from the alarm dimension or found in evidence). */
  targetGroupArn?: string;
  /**
   * Set when the event reports no failure (a completed deployment, a steady state, a running task, an
   * alarm back to OK; see `ParseTriggerOptions` of `./events`): what it reports, in our words.
   */
  informational?: string;
}

/** One container of a task, from DescribeTasks or the task state-change event. */
export interface ContainerEvidence {
  name: string;
  image?: string;
  imageDigest?: string;
  lastStatus?: string;
  /** Exit code of the container process; absent when it never ran. */
  exitCode?: number;
  /** ECS `containers[].reason`, e.g. `CannotPullContainerError: …`. */
  reason?: string;
  /** `HEALTHY`, `UNHEALTHY` or `UNKNOWN` when the container has a health check. */
  healthStatus?: string;
  /** From the task definition: whether the task stops when this container stops (default true). */
  essential?: boolean;
}

/** One ECS task. Field names are ECS's own. */
export interface TaskEvidence {
  taskArn: string;
  /** Last segment of the task ARN. */
  taskId: string;
  clusterArn?: string;
  taskDefinitionArn?: string;
  /** `service:NAME` for service tasks, `family:NAME` for standalone tasks. */
  group?: string;
  /** `ecs-svc/…` (a service deployment id), `events-rule/…`, `aws-batch`, a user-chosen string. */
  startedBy?: string;
  launchType?: string;
  capacityProviderName?: string;
  platformVersion?: string;
  lastStatus?: string;
  desiredStatus?: string;
  healthStatus?: string;
  /** e.g. `TaskFailedToStart`, `EssentialContainerExited`, `UserInitiated`, `ServiceSchedulerInitiated`, `SpotInterruption`, `TerminationNotice`. */
  stopCode?: string;
  stoppedReason?: string;
  cpu?: string;
  memory?: string;
  createdAt?: EpochMs;
  pullStartedAt?: EpochMs;
  pullStoppedAt?: EpochMs;
  startedAt?: EpochMs;
  stoppingAt?: EpochMs;
  stoppedAt?: EpochMs;
  executionStoppedAt?: EpochMs;
  /** The state-change event's `detail.version` (increases with every change of the task). */
  version?: number;
  /** Whether ECS Exec (`aws ecs execute-command`) was turned on for the task (DescribeTasks `enableExecuteCommand`). */
  enableExecuteCommand?: boolean;
  containers: ContainerEvidence[];
}

/** A health check defined in a container definition (`healthCheck`). Seconds, as ECS takes them. */
export interface ContainerHealthCheckEvidence {
  command: string[];
  intervalSeconds?: number;
  timeoutSeconds?: number;
  retries?: number;
  startPeriodSeconds?: number;
}

/** One container definition. Never holds the values of `secrets` or `environment`, only names. */
export interface ContainerDefinitionEvidence {
  name: string;
  image?: string;
  /** Defaults to true, as in ECS. */
  essential: boolean;
  entryPoint?: string[];
  command?: string[];
  workingDirectory?: string;
  user?: string;
  readonlyRootFilesystem?: boolean;
  /** MiB. */
  memory?: number;
  /** MiB. */
  memoryReservation?: number;
  portMappings: { containerPort?: number; hostPort?: number; protocol?: string }[];
  healthCheck?: ContainerHealthCheckEvidence;
  /** `logConfiguration`: driver and its options (e.g. `awslogs-group`, `awslogs-stream-prefix`). */
  logConfiguration?: { logDriver: string; options: Record<string, string> };
  /** Present on the FireLens log router container (`firelensConfiguration.type`: `fluentbit`/`fluentd`). */
  firelensType?: string;
  mountPoints: { sourceVolume?: string; containerPath?: string; readOnly?: boolean }[];
  /** Names of plain environment variables (values are not kept). */
  environmentNames: string[];
  /** Names of `secrets` entries (the analyzer never reads secret values). */
  secretNames: string[];
  dependsOn: { containerName: string; condition: string }[];
  /** CPU units reserved for the container. */
  cpu?: number;
  /**
   * Environment variable name → keyed hash of its value (`shared/value-fingerprint.ts`), to tell
   * "changed or not" between revisions. Absent for a value that was masked before it reached us.
   */
  environmentFingerprints?: Record<string, string>;
  /** Secret name → keyed hash of its `valueFrom` reference, likewise. */
  secretFingerprints?: Record<string, string>;
}

/** Facts from DescribeTaskDefinition. */
export interface TaskDefinitionEvidence {
  taskDefinitionArn?: string;
  family?: string;
  revision?: number;
  networkMode?: string;
  requiresCompatibilities: string[];
  /** `runtimePlatform`, e.g. `{ cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' }`. */
  runtimePlatform?: { cpuArchitecture?: string; operatingSystemFamily?: string };
  cpu?: string;
  memory?: string;
  executionRoleArn?: string;
  taskRoleArn?: string;
  volumes: { name: string; kind: 'efs' | 'host' | 'docker' | 'fsx' | 'bind' }[];
  containers: ContainerDefinitionEvidence[];
  /** `ephemeralStorage.sizeInGiB` (Fargate). */
  ephemeralStorageGiB?: number;
  registeredAt?: EpochMs;
}

/** One service event (DescribeServices `events[]`). */
export interface ServiceEventEvidence {
  id?: string;
  createdAt?: EpochMs;
  message: string;
}

/** One deployment of a service (DescribeServices `deployments[]`). */
export interface DeploymentEvidence {
  id: string;
  status?: string;
  rolloutState?: string;
  rolloutStateReason?: string;
  taskDefinition?: string;
  failedTasks?: number;
  createdAt?: EpochMs;
  updatedAt?: EpochMs;
}

/** One ECS service (DescribeServices `services[]`). */
export interface ServiceEvidence {
  serviceName: string;
  serviceArn?: string;
  clusterArn?: string;
  status?: string;
  desiredCount?: number;
  runningCount?: number;
  pendingCount?: number;
  launchType?: string;
  /** Seconds. */
  healthCheckGracePeriodSeconds?: number;
  loadBalancers: { targetGroupArn?: string; containerName?: string; containerPort?: number }[];
  deployments: DeploymentEvidence[];
  /** Newest first, as ECS returns them. */
  events: ServiceEventEvidence[];
}

/** One log event. */
export interface LogEventEvidence {
  /** Epoch ms, when known. */
  timestamp?: EpochMs;
  message: string;
}

/** The events read from one log stream, normally one container's own stream. */
export interface LogStreamEvidence {
  logGroupName: string;
  logStreamName: string;
  /** The container that wrote this stream, when known. */
  containerName?: string;
  /** The task whose container wrote this stream, when known. */
  taskId?: string;
  /** Oldest first. */
  events: LogEventEvidence[];
  /** True when the collector's byte or line budget cut the stream. */
  truncated?: boolean;
}

/** One target of a target group and its health (ELBv2 DescribeTargetHealth). */
export interface TargetEvidence {
  id: string;
  port?: number;
  availabilityZone?: string;
  /** `TargetHealth.State`: `initial`, `healthy`, `unhealthy`, `unused`, `draining`, `unavailable`. */
  state?: string;
  /** `TargetHealth.Reason`, e.g. `Target.Timeout`, `Target.ResponseCodeMismatch`, `Target.FailedHealthChecks`. */
  reason?: string;
  /** `TargetHealth.Description`, e.g. `Health checks failed with these codes: [404]`. */
  description?: string;
}

/** A target group's health-check settings (ELBv2 DescribeTargetGroups). Seconds where timed. */
export interface TargetGroupHealthCheckEvidence {
  protocol?: string;
  port?: string;
  path?: string;
  /** `Matcher.HttpCode`, e.g. `200` or `200-399`. */
  matcher?: string;
  timeoutSeconds?: number;
  intervalSeconds?: number;
  healthyThresholdCount?: number;
  unhealthyThresholdCount?: number;
}

/** Target health of one target group. */
export interface TargetHealthEvidence {
  targetGroupArn: string;
  targets: TargetEvidence[];
  healthCheck?: TargetGroupHealthCheckEvidence;
}

/** A CloudWatch alarm (DescribeAlarms `MetricAlarms[]`, or the alarm state-change event). */
export interface AlarmEvidence {
  alarmName: string;
  stateValue?: string;
  stateReason?: string;
  namespace?: string;
  metricName?: string;
  dimensions: Record<string, string>;
}

/** A service revision (DescribeServiceRevisions `serviceRevisions[]`). */
export interface ServiceRevisionEvidence {
  serviceRevisionArn: string;
  /** The task definition ARN the revision runs. */
  taskDefinitionArn?: string;
  /** `containerImages[]`: the image each container was resolved to, with its `imageDigest`. */
  containerImages: { containerName: string; image?: string; imageDigest?: string }[];
  loadBalancers: { targetGroupArn?: string; containerName?: string; containerPort?: number }[];
  createdAt?: EpochMs;
}

/** A service deployment (DescribeServiceDeployments `serviceDeployments[]`). */
export interface ServiceDeploymentEvidence {
  serviceDeploymentArn: string;
  /** `PENDING`, `IN_PROGRESS`, `SUCCESSFUL`, `STOPPED`, `ROLLBACK_SUCCESSFUL`, `ROLLBACK_FAILED`, … */
  status?: string;
  statusReason?: string;
  createdAt?: EpochMs;
  startedAt?: EpochMs;
  finishedAt?: EpochMs;
  targetServiceRevisionArn?: string;
  sourceServiceRevisionArns: string[];
  rollback?: { reason?: string; serviceRevisionArn?: string; startedAt?: EpochMs };
  /** `deploymentCircuitBreaker`: `status` (`TRIGGERED`, `MONITORING`, …), `failureCount`, `threshold`. */
  circuitBreaker?: { status?: string; failureCount?: number; threshold?: number };
}

/** A CloudTrail management event (LookupEvents `Events[]`), reduced to who, what and when. */
export interface CloudTrailEventEvidence {
  eventId?: string;
  /** `UpdateService`, `CreateService` or `RegisterTaskDefinition`. */
  eventName: string;
  eventTime?: EpochMs;
  /** `Username` of the event. */
  username?: string;
  /** `userIdentity.arn` of the caller. */
  principalArn?: string;
  userAgent?: string;
  /** `Resources[].ResourceName` and the service or family the request named. */
  resourceNames: string[];
}

/**
 * Everything known about one incident.
 *
 * `tasks[0]` is the primary task when the trigger is about one task (`task_stopped`); for other
 * triggers `tasks` holds the recently stopped or unhealthy tasks of the service(s) concerned.
 */
export interface Evidence {
  trigger: Trigger;
  tasks: TaskEvidence[];
  taskDefinition?: TaskDefinitionEvidence;
  services: ServiceEvidence[];
  logs: LogStreamEvidence[];
  targetHealth: TargetHealthEvidence[];
  alarms: AlarmEvidence[];
  /** The incident's service deployment and the one compared against (newest `createdAt` = current). */
  serviceDeployments?: ServiceDeploymentEvidence[];
  /** The service revisions of those deployments. */
  serviceRevisions?: ServiceRevisionEvidence[];
  /** The task definition the current one is compared against (see `changes/`). */
  baselineTaskDefinition?: TaskDefinitionEvidence;
  /** CloudTrail events that changed the service or its task-definition family (opt-in). */
  cloudTrailEvents?: CloudTrailEventEvidence[];
  /** What could not be fetched and why, one sentence each. */
  gaps: string[];
}
