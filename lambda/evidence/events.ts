import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { BadInputError, UnsupportedEventError } from '../shared/errors';
import { toEpochMs } from './normalise';
import { checkInputBounds, EVENT_LIMITS } from './input-bounds';

/**
 * zod schemas of the EventBridge events that start an analysis, and `parseTriggerEvent`, which
 * validates an event and says which kind of trigger it is.
 *
 * Every object schema is loose: AWS adds fields over time and asks consumers to ignore unknown ones
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwe_events.html). Timestamps are
 * accepted as ISO-8601 strings (what EventBridge delivers) or epoch milliseconds (hand-written
 * bundles); optional fields may be `null` (some captures write `null` for absent values).
 *
 * The schemas use `zod/mini`, zod's tree-shakable functional API, because this module is in the
 * Lambda bundle: the chainable `zod` API brings all its methods along (zod's share of the minified
 * bundle was ~98 KB with it, ~34 KB with `zod/mini`).
 */

// `zod/mini` loads no locale, so every issue message would read "Invalid input"; the messages below
// (and those of `summariseZodError`) need zod's English ones. Only when no locale is set yet, as the
// chainable `zod` does on its first schema, so an explicit `z.config(...)` elsewhere wins. `en` comes
// from `zod/locales` by name: `z.locales.en` would bundle all ~50 locales.
if (!z.config().localeError) z.config(en());

// ---------------------------------------------------------------------------------------------
// Zod issue summary (shared with the bundle reader)
// ---------------------------------------------------------------------------------------------

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const received = /received (\w+)$/.exec(issue.message)?.[1];
    if (received === 'undefined') return `missing (expected ${issue.expected})`;
    return `expected ${issue.expected}${received ? `, got ${received}` : ''}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

/**
 * One line summarising the first few issues of a zod error, each as `path: problem`, e.g.
 * `detail-type: missing (expected string); time: expected an ISO-8601 time or epoch milliseconds`.
 *
 * @param prefix path segments to put before every issue path (e.g. `['detail']` when only the
 *   detail object was parsed).
 * @param max how many issues to list before `(+N more)`.
 */
export function summariseZodError(error: z.core.$ZodError, prefix: readonly PropertyKey[] = [], max = 3): string {
  const parts = error.issues.slice(0, max).map((issue) => {
    const path = formatPath([...prefix, ...issue.path]);
    return `${path === '' ? '(top level)' : path}: ${issueText(issue)}`;
  });
  const more = error.issues.length - max;
  return parts.join('; ') + (more > 0 ? ` (+${more} more)` : '');
}

// ---------------------------------------------------------------------------------------------
// Field schemas
// ---------------------------------------------------------------------------------------------

const TIME_PROBLEM = 'expected an ISO-8601 time or epoch milliseconds';

/** A required timestamp: an ISO-8601 string or epoch milliseconds that parses to a real time. */
export const TimestampSchema = z.custom<string | number>(
  (value) => (typeof value === 'string' || typeof value === 'number') && toEpochMs(value) !== undefined,
  { error: (issue) => (issue.input === undefined ? `missing (${TIME_PROBLEM})` : TIME_PROBLEM) },
);

/** An optional timestamp field; an unparsable value is not an error here (normalisation drops it). */
const OptionalTime = z.nullish(z.union([z.string(), z.number()]));
const OptionalString = z.nullish(z.string());

// ---------------------------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------------------------

/**
 * The EventBridge envelope common to all events
 * (https://docs.aws.amazon.com/eventbridge/latest/ref/events-structure.html). `time` is ISO-8601 as
 * delivered, or epoch ms; `resources` may be absent or `null` in hand-written events.
 */
export const EventBridgeEventSchema = z.looseObject({
  version: OptionalString,
  id: z.string().check(z.minLength(1)),
  'detail-type': z.string().check(z.minLength(1)),
  source: z.string().check(z.minLength(1)),
  account: z.string(),
  time: TimestampSchema,
  region: z.string(),
  resources: z.nullish(z.array(z.string())),
  detail: z.looseObject({}),
});
/** A validated EventBridge event; unknown fields are kept. */
export type EventBridgeEvent = z.infer<typeof EventBridgeEventSchema>;

// ---------------------------------------------------------------------------------------------
// ECS Task State Change
// ---------------------------------------------------------------------------------------------

/** One container in a task state-change event (same fields as DescribeTasks `containers[]`). */
export const TaskStateChangeContainerSchema = z.looseObject({
  name: OptionalString,
  image: OptionalString,
  imageDigest: OptionalString,
  lastStatus: OptionalString,
  exitCode: z.nullish(z.number()),
  reason: OptionalString,
  healthStatus: OptionalString,
});

/**
 * `detail` of an `ECS Task State Change` event: the task, in the DescribeTasks shape plus `updatedAt`
 * and `version` (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html).
 * `createdAt`, `pullStartedAt`, `startedAt`, … are ISO strings.
 */
export const TaskStateChangeDetailSchema = z.looseObject({
  taskArn: z.string().check(z.minLength(1)),
  lastStatus: z.string(),
  desiredStatus: OptionalString,
  clusterArn: OptionalString,
  taskDefinitionArn: OptionalString,
  group: OptionalString,
  startedBy: OptionalString,
  launchType: OptionalString,
  capacityProviderName: OptionalString,
  platformVersion: OptionalString,
  healthStatus: OptionalString,
  stopCode: OptionalString,
  stoppedReason: OptionalString,
  cpu: OptionalString,
  memory: OptionalString,
  createdAt: OptionalTime,
  pullStartedAt: OptionalTime,
  pullStoppedAt: OptionalTime,
  startedAt: OptionalTime,
  stoppingAt: OptionalTime,
  stoppedAt: OptionalTime,
  executionStoppedAt: OptionalTime,
  updatedAt: OptionalTime,
  version: z.nullish(z.number()),
  containers: z.nullish(z.array(TaskStateChangeContainerSchema)),
});
/** A validated `ECS Task State Change` detail (unknown fields kept). */
export type TaskStateChangeDetail = z.infer<typeof TaskStateChangeDetailSchema>;

// ---------------------------------------------------------------------------------------------
// ECS Deployment State Change / ECS Service Action
// ---------------------------------------------------------------------------------------------

/**
 * `detail` of an `ECS Deployment State Change` event
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html).
 * It usually has no `clusterArn`: the service ARN `arn:aws:ecs:REGION:ACCOUNT:service/CLUSTER/SERVICE`
 * is in the envelope's `resources[0]`.
 */
export const DeploymentStateChangeDetailSchema = z.looseObject({
  eventType: OptionalString,
  eventName: z.string(),
  deploymentId: OptionalString,
  reason: OptionalString,
  updatedAt: OptionalTime,
  clusterArn: OptionalString,
});
/** A validated `ECS Deployment State Change` detail (unknown fields kept). */
export type DeploymentStateChangeDetail = z.infer<typeof DeploymentStateChangeDetailSchema>;

/**
 * `detail` of an `ECS Service Action` event
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html), e.g.
 * `SERVICE_TASK_START_IMPAIRED` or `SERVICE_TASK_PLACEMENT_FAILURE` (with `reason` such as
 * `RESOURCE:MEMORY`). The service is in `resources[0]`; some events name it in `serviceName` or
 * `service` instead (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwe_events.html).
 */
export const ServiceActionDetailSchema = z.looseObject({
  eventType: z.string(),
  eventName: z.string(),
  clusterArn: OptionalString,
  reason: OptionalString,
  createdAt: OptionalTime,
  serviceName: OptionalString,
  service: OptionalString,
  capacityProviderArns: z.nullish(z.array(z.string())),
});
/** A validated `ECS Service Action` detail (unknown fields kept). */
export type ServiceActionDetail = z.infer<typeof ServiceActionDetailSchema>;

// ---------------------------------------------------------------------------------------------
// CloudWatch Alarm State Change
// ---------------------------------------------------------------------------------------------

/** Dimensions as the event writes them (`{ Name: value }`) or as DescribeAlarms does (`[{ Name, Value }]`). */
const DimensionsSchema = z.union([
  z.record(z.string(), z.string()),
  z.array(
    z.looseObject({ name: OptionalString, value: OptionalString, Name: OptionalString, Value: OptionalString }),
  ),
]);

const AlarmMetricSchema = z.looseObject({
  namespace: OptionalString,
  name: OptionalString,
  dimensions: z.nullish(DimensionsSchema),
});

/**
 * `detail` of a `CloudWatch Alarm State Change` event
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
 * The metric is in `configuration.metrics[].metricStat.metric` `{ namespace, name, dimensions }`; the
 * simple shape `configuration: { namespace, metricName, dimensions }` is accepted too.
 */
export const AlarmStateChangeDetailSchema = z.looseObject({
  alarmName: z.string().check(z.minLength(1)),
  state: z.looseObject({ value: z.string(), reason: OptionalString, timestamp: OptionalTime }),
  previousState: z.nullish(z.looseObject({ value: OptionalString, reason: OptionalString })),
  configuration: z.nullish(
    z.looseObject({
      description: OptionalString,
      metrics: z.nullish(
        z.array(z.looseObject({ id: OptionalString, metricStat: z.nullish(z.looseObject({ metric: AlarmMetricSchema })) })),
      ),
      namespace: OptionalString,
      metricName: OptionalString,
      dimensions: z.nullish(DimensionsSchema),
    }),
  ),
});
/** A validated `CloudWatch Alarm State Change` detail (unknown fields kept). */
export type AlarmStateChangeDetail = z.infer<typeof AlarmStateChangeDetailSchema>;

/** The metric an alarm watches. */
export interface AlarmMetric {
  namespace?: string;
  metricName?: string;
  /** Dimension name → value, e.g. `{ TargetGroup: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b' }`. */
  dimensions: Record<string, string>;
}

function dimensionRecord(dimensions: z.infer<typeof DimensionsSchema> | null | undefined): Record<string, string> {
  if (!dimensions) return {};
  if (!Array.isArray(dimensions)) return { ...dimensions };
  const out: Record<string, string> = {};
  for (const d of dimensions) {
    const name = d.Name ?? d.name;
    const value = d.Value ?? d.value;
    if (name && typeof value === 'string') out[name] = value;
  }
  return out;
}

// Target health is what an alarm on these metrics is about. Application and Network Load Balancers
// publish them per target group (`TargetGroup` dimension, with `LoadBalancer`), Classic Load Balancers
// per load balancer (`LoadBalancerName`)
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-cloudwatch-metrics.html,
// https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-cloudwatch-metrics.html).
const TARGET_HEALTH_METRICS = new Set(['UnHealthyHostCount', 'HealthyHostCount']);
/** ELB namespaces whose host-count metrics name a target group. */
const TARGET_GROUP_NAMESPACES = new Set(['AWS/ApplicationELB', 'AWS/NetworkELB']);
/** The Classic Load Balancer namespace: host counts per load balancer (`LoadBalancerName`). */
export const CLASSIC_ELB_NAMESPACE = 'AWS/ELB';

function isTargetHealthMetric(metric: AlarmMetric): boolean {
  if (metric.metricName === undefined || !TARGET_HEALTH_METRICS.has(metric.metricName)) return false;
  if (metric.namespace === CLASSIC_ELB_NAMESPACE) return typeof metric.dimensions.LoadBalancerName === 'string';
  return (metric.namespace === undefined || TARGET_GROUP_NAMESPACES.has(metric.namespace)) && typeof metric.dimensions.TargetGroup === 'string';
}

/**
 * The metric an alarm state-change event is about: the target-health metric among
 * `configuration.metrics` when there is one (metric-math alarms list several), else the first metric,
 * else the simple `configuration` shape. Undefined when the event names no metric (composite alarms).
 */
export function alarmMetric(detail: AlarmStateChangeDetail): AlarmMetric | undefined {
  const config = detail.configuration;
  if (!config) return undefined;
  const metrics: AlarmMetric[] = (config.metrics ?? []).flatMap((m) => {
    const metric = m.metricStat?.metric;
    if (!metric) return [];
    return [
      {
        ...(metric.namespace ? { namespace: metric.namespace } : {}),
        ...(metric.name ? { metricName: metric.name } : {}),
        dimensions: dimensionRecord(metric.dimensions),
      },
    ];
  });
  if (config.metricName || config.namespace) {
    metrics.push({
      ...(config.namespace ? { namespace: config.namespace } : {}),
      ...(config.metricName ? { metricName: config.metricName } : {}),
      dimensions: dimensionRecord(config.dimensions),
    });
  }
  return metrics.find(isTargetHealthMetric) ?? metrics[0];
}

// ---------------------------------------------------------------------------------------------
// parseTriggerEvent
// ---------------------------------------------------------------------------------------------

/** An `ECS Task State Change` event. */
export type TaskStateChangeEvent = EventBridgeEvent & { detail: TaskStateChangeDetail };
/** An `ECS Deployment State Change` event. */
export type DeploymentStateChangeEvent = EventBridgeEvent & { detail: DeploymentStateChangeDetail };
/** An `ECS Service Action` event. */
export type ServiceActionEvent = EventBridgeEvent & { detail: ServiceActionDetail };
/** A `CloudWatch Alarm State Change` event. */
export type AlarmStateChangeEvent = EventBridgeEvent & { detail: AlarmStateChangeDetail };

/**
 * A validated trigger event and its kind (`TriggerKind` of `./types`). `informational` is set only when
 * `parseTriggerEvent` was asked to accept informational events (see `ParseTriggerOptions`): the event
 * reports no failure, and the kind then names the event's family (an `ECS Deployment State Change` is a
 * `deployment_failed` trigger, an `ECS Task State Change` a `task_stopped` one, an alarm a
 * `target_unhealthy` one), not a failure.
 */
export type ParsedTriggerEvent = (
  | { kind: 'task_stopped'; event: TaskStateChangeEvent }
  | { kind: 'deployment_failed'; event: DeploymentStateChangeEvent }
  | { kind: 'service_action'; event: ServiceActionEvent }
  | { kind: 'target_unhealthy'; event: AlarmStateChangeEvent; metric: AlarmMetric }
) & { informational?: string };

/** How `parseTriggerEvent` treats valid ECS events that report no failure. */
export interface ParseTriggerOptions {
  /**
   * Accept informational events instead of declining them: a deployment that completed or is in
   * progress (not a rollback), a service action of `eventType` `INFO` (e.g. `SERVICE_STEADY_STATE`), a
   * task state other than `STOPPED`, and a target-health alarm back to `OK`. The result carries
   * `informational`, a sentence in our words saying what the event reports. Offline readers of recorded
   * bundles set it, so such a bundle gets a report saying nothing failed; the Lambda handler does not
   * (its EventBridge rules never send these events to analysis, and the recovery events close incidents
   * through `parseRecoveryEvent` before any analysis). Default false: they throw `UnsupportedEventError`.
   */
  informational?: boolean;
  /** JSON path of the event inside `where`, named by bound errors (`event` in a bundle); default: the event is `where` itself. */
  path?: string;
}

/** The detail-types the analyzer reads, with the states it analyses, for messages and docs. */
export const SUPPORTED_EVENTS =
  'ECS Task State Change (lastStatus STOPPED), ECS Deployment State Change (SERVICE_DEPLOYMENT_FAILED, or ' +
  'SERVICE_DEPLOYMENT_IN_PROGRESS of a rollback), ECS Service Action (eventType WARN or ERROR), CloudWatch ' +
  'Alarm State Change (state ALARM on an UnHealthyHostCount or HealthyHostCount metric of AWS/ApplicationELB or ' +
  'AWS/NetworkELB with a TargetGroup dimension, or of AWS/ELB with a LoadBalancerName dimension)';

/**
 * Whether a deployment event's `reason` says the deployment is a rollback, e.g.
 * `ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/123.`: ECS sends
 * `SERVICE_DEPLOYMENT_IN_PROGRESS` for both a new deployment and a rollback, and only the reason tells
 * them apart (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html).
 * A rollback means the deployment before it failed.
 */
export function isRollbackReason(reason: string | null | undefined): boolean {
  return typeof reason === 'string' && /\brolling back\b/i.test(reason);
}

function parseDetail<S extends z.ZodMiniType>(schema: S, event: EventBridgeEvent, where: string): z.infer<S> {
  const result = schema.safeParse(event.detail);
  if (!result.success) {
    throw new BadInputError(
      `${where}: not a valid ${event['detail-type']} event: ${summariseZodError(result.error, ['detail'])}`,
      { cause: result.error },
    );
  }
  return result.data;
}

/**
 * Validates an EventBridge event and classifies it as one of the triggers the analyzer reads.
 *
 * The kind follows `detail-type` (a replayed or test event may carry another `source`, since
 * EventBridge reserves `aws.*` sources for AWS).
 *
 * @param event the event as received (Lambda input, or a bundle's `event`).
 * @param where what to name in messages: a file name, `event`, … .
 * @throws BadInputError when the event breaks `EVENT_LIMITS` (see `checkInputBounds`: depth, size,
 *   lone surrogates, out-of-range timestamps),
 *   `<where>: not an EventBridge event: <issues>` when the envelope is invalid,
 *   or `<where>: not a valid <detail-type> event: <issues>` when a supported event's `detail` is.
 * @throws UnsupportedEventError for a valid event the analyzer does not analyse, e.g.
 *   `<where>: ECS Task State Change with lastStatus RUNNING is not analysed (only STOPPED tasks)` or
 *   `<where>: event type 'EC2 Instance State-change Notification' is not analysed yet; supported: …`.
 */
export function parseTriggerEvent(event: unknown, where: string, options: ParseTriggerOptions = {}): ParsedTriggerEvent {
  const accept = options.informational === true;
  checkInputBounds(event, where, EVENT_LIMITS, options.path);
  const envelope = EventBridgeEventSchema.safeParse(event);
  if (!envelope.success) {
    throw new BadInputError(`${where}: not an EventBridge event: ${summariseZodError(envelope.error)}`, {
      cause: envelope.error,
    });
  }
  const parsed = envelope.data;
  const detailType = parsed['detail-type'];
  switch (detailType) {
    case 'ECS Task State Change': {
      const detail = parseDetail(TaskStateChangeDetailSchema, parsed, where);
      if (detail.lastStatus !== 'STOPPED') {
        if (accept) return { kind: 'task_stopped', event: { ...parsed, detail }, informational: `The task is ${/^[A-Z_]{1,40}$/.test(detail.lastStatus) ? detail.lastStatus : 'not stopped'}, not STOPPED: a task state change that reports no failure.` };
        throw new UnsupportedEventError(
          `${where}: ECS Task State Change with lastStatus ${detail.lastStatus} is not analysed (only STOPPED tasks)`,
        );
      }
      return { kind: 'task_stopped', event: { ...parsed, detail } };
    }
    case 'ECS Deployment State Change': {
      const detail = parseDetail(DeploymentStateChangeDetailSchema, parsed, where);
      const rollback = detail.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS' && isRollbackReason(detail.reason);
      if (detail.eventName !== 'SERVICE_DEPLOYMENT_FAILED' && !rollback) {
        if (accept && (detail.eventName === 'SERVICE_DEPLOYMENT_COMPLETED' || detail.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS' || detail.eventType === 'INFO')) {
          const state = detail.eventName === 'SERVICE_DEPLOYMENT_COMPLETED' ? 'completed' : detail.eventName === 'SERVICE_DEPLOYMENT_IN_PROGRESS' ? 'is in progress' : 'reports an informational state';
          return { kind: 'deployment_failed', event: { ...parsed, detail }, informational: `The deployment ${state}: a deployment state change that reports no failure.` };
        }
        throw new UnsupportedEventError(
          `${where}: ECS Deployment State Change with eventName ${detail.eventName} is not analysed (only SERVICE_DEPLOYMENT_FAILED, or SERVICE_DEPLOYMENT_IN_PROGRESS of a rollback)`,
        );
      }
      return { kind: 'deployment_failed', event: { ...parsed, detail } };
    }
    case 'ECS Service Action': {
      const detail = parseDetail(ServiceActionDetailSchema, parsed, where);
      if (detail.eventType !== 'WARN' && detail.eventType !== 'ERROR') {
        if (accept && detail.eventType === 'INFO') {
          return { kind: 'service_action', event: { ...parsed, detail }, informational: `The service reports ${/^[A-Z][A-Z0-9_]{0,80}$/.test(detail.eventName) ? detail.eventName : 'an event'} (eventType INFO): a service action that reports no failure.` };
        }
        throw new UnsupportedEventError(
          `${where}: ECS Service Action with eventType ${detail.eventType} (${detail.eventName}) is not analysed (only WARN and ERROR)`,
        );
      }
      return { kind: 'service_action', event: { ...parsed, detail } };
    }
    case 'CloudWatch Alarm State Change': {
      const detail = parseDetail(AlarmStateChangeDetailSchema, parsed, where);
      const okMetric = detail.state.value === 'OK' ? alarmMetric(detail) : undefined;
      if (accept && okMetric && isTargetHealthMetric(okMetric)) {
        return { kind: 'target_unhealthy', event: { ...parsed, detail }, metric: okMetric, informational: `The alarm is back to OK: the targets it watches are healthy again.` };
      }
      if (detail.state.value !== 'ALARM') {
        throw new UnsupportedEventError(
          `${where}: CloudWatch Alarm State Change to state ${detail.state.value} is not analysed (only ALARM)`,
        );
      }
      const metric = alarmMetric(detail);
      if (!metric || !isTargetHealthMetric(metric)) {
        const what = metric ? `${metric.namespace ?? '(no namespace)'} ${metric.metricName ?? '(no metric name)'}` : 'no single metric';
        throw new UnsupportedEventError(
          `${where}: CloudWatch alarm '${detail.alarmName}' on ${what} is not analysed (only UnHealthyHostCount/HealthyHostCount alarms of AWS/ApplicationELB or AWS/NetworkELB with a TargetGroup dimension, or of AWS/ELB with a LoadBalancerName dimension)`,
        );
      }
      return { kind: 'target_unhealthy', event: { ...parsed, detail }, metric };
    }
    default:
      throw new UnsupportedEventError(`${where}: event type '${detailType}' is not analysed yet; supported: ${SUPPORTED_EVENTS}`);
  }
}
