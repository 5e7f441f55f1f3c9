import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod/mini';
import { evidenceFromBundle } from '../lambda/evidence/bundle/bundle-evidence';
import { BUNDLE_SCHEMA, parseBundle, type IncidentBundleFile } from '../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../lambda/pipeline/run-analysis';
import type { RcaReport } from '../lambda/report/report-schema';
import { UnsupportedEventError } from '../lambda/shared/errors';

/**
 * AWS's catalogue of ECS and ELB failure messages as test data: every message the AWS documentation
 * prints (stopped-task errors, stop codes, service event messages, service-action and deployment
 * events, target-health reason codes, load-balancer alarms), with where it appears, the category and
 * alert the analyzer must give, and the page it comes from. The data lives in
 * `test/fixtures/aws-catalogue/*.json`; `catalogueBundle` turns an entry into the smallest
 * `incident-bundle.v1` that shows the message where AWS writes it, and `analyseEntry` runs it through
 * the pipeline of `ecs-rca analyze`. The catalogue test and `docs/coverage.md` use both.
 */

/** Where AWS writes a message. */
export const PLACES = [
  'stoppedReason',
  'containerReason',
  'stopCode',
  'serviceEvent',
  'serviceAction',
  'deploymentEvent',
  'targetHealth',
  'alarm',
] as const;
export type Place = (typeof PLACES)[number];

const ExpectedSchema = z.union([
  z.object({
    category: z.string(),
    alert: z.boolean(),
    /** A substring the root cause's evidence must contain; defaults to `message`. */
    cites: z.optional(z.string()),
  }),
  /** The event is one the analyzer declines as "not analysed" (CLI exit 2). */
  z.object({ declined: z.literal(true) }),
]);

/** One documented message. Extra fields shape the bundle around it (see `catalogueBundle`). */
export const CatalogueEntrySchema = z.object({
  /** Unique within the catalogue, kebab-case. */
  id: z.string().check(z.regex(/^[a-z0-9][a-z0-9-]*$/)),
  where: z.enum(PLACES),
  /** The literal text (for `stopCode`, `serviceAction`, `deploymentEvent`, `targetHealth`, `alarm`: the code, event name, reason code or metric namespace). */
  message: z.string().check(z.minLength(1)),
  /** `stopCode` of the task (task places); default `TaskFailedToStart`, or `EssentialContainerExited` with an `exitCode`. */
  stopCode: z.optional(z.string()),
  /** `stoppedReason` of the task for `containerReason` and `stopCode` entries. */
  stoppedReason: z.optional(z.string()),
  /** The container's `exitCode`, when the container ran. */
  exitCode: z.optional(z.number()),
  /** `eventType` of a service-action or deployment event. */
  eventType: z.optional(z.enum(['INFO', 'WARN', 'ERROR'])),
  /** `detail.reason` of a service-action or deployment event. */
  reason: z.optional(z.string()),
  /** `TargetHealth.State` and `TargetHealth.Description` of a target-health entry. */
  state: z.optional(z.string()),
  description: z.optional(z.string()),
  /** Alarm entries: the metric's dimensions. */
  dimensions: z.optional(z.record(z.string(), z.string())),
  /** `serviceEvent` entries: the `ECS Service Action` that carries the message instead of the default deployment failure. */
  eventName: z.optional(z.string()),
  /** `targetHealth` entries: the namespace of the alarm (default `AWS/ApplicationELB`). */
  namespace: z.optional(z.string()),
  /** Service event messages shown next to the trigger (e.g. the ELB's own words under a Classic alarm). */
  serviceEvents: z.optional(z.array(z.string())),
  expected: ExpectedSchema,
  /** The AWS page the message is quoted from. */
  source: z.string().check(z.regex(/^https:\/\//)),
});
export type CatalogueEntry = z.infer<typeof CatalogueEntrySchema>;

/** Folder of the catalogue's JSON files, relative to the package root. */
export const CATALOGUE_DIR = 'test/fixtures/aws-catalogue';

/** Every entry of every catalogue file under `root`, in file then entry order, with its file name. */
export function loadCatalogue(root: string): (CatalogueEntry & { file: string })[] {
  const dir = join(root, CATALOGUE_DIR);
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  return files.flatMap((file) => {
    const raw: unknown = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const entries = z.array(CatalogueEntrySchema).parse(raw);
    return entries.map((entry) => ({ ...entry, file }));
  });
}

const ACCOUNT = '111122223333';
const REGION = 'us-east-1';
const CLUSTER_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/prod`;
const SERVICE_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:service/prod/web`;
const TASK_ARN = `arn:aws:ecs:${REGION}:${ACCOUNT}:task/prod/0123456789abcdef0123456789abcdef`;
const TARGET_GROUP = 'targetgroup/web-tg/0a1b2c3d4e5f6a7b';
const TIME = '2026-01-15T10:00:00Z';

const envelope = (detailType: string, source: string, resources: string[], detail: Record<string, unknown>): Record<string, unknown> => ({
  version: '0',
  id: 'c0ffee00-0000-4000-8000-000000000001',
  'detail-type': detailType,
  source,
  account: ACCOUNT,
  time: TIME,
  region: REGION,
  resources,
  detail,
});

function taskEvent(entry: CatalogueEntry): Record<string, unknown> {
  const ran = entry.exitCode !== undefined;
  const stopCode = entry.where === 'stopCode' ? entry.message : (entry.stopCode ?? (ran ? 'EssentialContainerExited' : 'TaskFailedToStart'));
  const stoppedReason =
    entry.where === 'stoppedReason' ? entry.message : (entry.stoppedReason ?? (ran ? 'Essential container in task exited' : 'Task failed to start'));
  const container = {
    name: 'app',
    image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/web:1.4.2`,
    lastStatus: 'STOPPED',
    ...(ran ? { exitCode: entry.exitCode } : {}),
    ...(entry.where === 'containerReason' ? { reason: entry.message } : {}),
  };
  return envelope('ECS Task State Change', 'aws.ecs', [TASK_ARN], {
    taskArn: TASK_ARN,
    clusterArn: CLUSTER_ARN,
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    group: 'service:web',
    startedBy: 'ecs-svc/1234567890123456789',
    launchType: 'FARGATE',
    stopCode,
    stoppedReason,
    createdAt: '2026-01-15T09:58:00Z',
    stoppedAt: '2026-01-15T09:59:58Z',
    containers: [container],
  });
}

const serviceEvidence = (messages: string[]): IncidentBundleFile['evidence'] => ({
  services: [
    {
      serviceName: 'web',
      serviceArn: SERVICE_ARN,
      clusterArn: CLUSTER_ARN,
      events: messages.map((message, i) => ({ id: `ev-${i}`, createdAt: `2026-01-15T09:5${9 - i}:00Z`, message })),
    },
  ],
});

const alarmEvent = (namespace: string, dimensions: Record<string, string>): Record<string, unknown> =>
  envelope('CloudWatch Alarm State Change', 'aws.cloudwatch', [`arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:web-unhealthy-hosts`], {
    alarmName: 'web-unhealthy-hosts',
    state: { value: 'ALARM', reason: 'Threshold Crossed: 1 datapoint [1.0] was greater than or equal to the threshold (1.0).', timestamp: TIME },
    previousState: { value: 'OK' },
    configuration: {
      metrics: [{ id: 'm1', metricStat: { metric: { namespace, name: 'UnHealthyHostCount', dimensions } } }],
    },
  });

/**
 * The smallest `incident-bundle.v1` that shows `entry.message` where AWS writes it:
 * - task places: an `ECS Task State Change` (STOPPED) of a Fargate service task with one container `app`;
 * - `serviceEvent`: an `ECS Deployment State Change` `SERVICE_DEPLOYMENT_FAILED` (circuit breaker), or the
 *   `ECS Service Action` named by `eventName`, whose service's events hold the message;
 * - `serviceAction` / `deploymentEvent`: that event, named `message`, with `eventType` and `reason`;
 * - `targetHealth`: an `UnHealthyHostCount` alarm (`namespace`, default `AWS/ApplicationELB`) and one
 *   target with that reason code;
 * - `alarm`: an `UnHealthyHostCount` alarm in namespace `message` with `dimensions`.
 */
export function catalogueBundle(entry: CatalogueEntry): IncidentBundleFile {
  const extra = entry.serviceEvents ?? [];
  const bundle = (event: Record<string, unknown>, evidence?: IncidentBundleFile['evidence']): IncidentBundleFile => ({
    schema: BUNDLE_SCHEMA,
    event,
    ...(evidence ? { evidence } : {}),
  });
  const withEvents = (messages: string[]) => (messages.length > 0 ? serviceEvidence(messages) : undefined);
  const ecsEvent = (detailType: string, eventName: string, eventType: string, detail: Record<string, unknown> = {}) =>
    envelope(detailType, 'aws.ecs', [SERVICE_ARN], { eventType, eventName, ...detail, ...(entry.reason !== undefined ? { reason: entry.reason } : {}) });
  const deploymentDetail = { deploymentId: 'ecs-svc/1234567890123456789', updatedAt: TIME };
  switch (entry.where) {
    case 'stoppedReason':
    case 'containerReason':
    case 'stopCode':
      return bundle(taskEvent(entry), withEvents(extra));
    case 'serviceEvent':
      return bundle(
        entry.eventName !== undefined
          ? ecsEvent('ECS Service Action', entry.eventName, entry.eventType ?? 'INFO', { clusterArn: CLUSTER_ARN, createdAt: TIME })
          : envelope('ECS Deployment State Change', 'aws.ecs', [SERVICE_ARN], {
              eventType: 'ERROR',
              eventName: 'SERVICE_DEPLOYMENT_FAILED',
              ...deploymentDetail,
              reason: 'ECS deployment circuit breaker: tasks failed to start.',
            }),
        serviceEvidence([entry.message, ...extra]),
      );
    case 'serviceAction':
      return bundle(ecsEvent('ECS Service Action', entry.message, entry.eventType ?? 'WARN', { clusterArn: CLUSTER_ARN, createdAt: TIME }), withEvents(extra));
    case 'deploymentEvent':
      return bundle(ecsEvent('ECS Deployment State Change', entry.message, entry.eventType ?? 'INFO', deploymentDetail), withEvents(extra));
    case 'targetHealth':
      return bundle(
        alarmEvent(entry.namespace ?? 'AWS/ApplicationELB', {
          TargetGroup: TARGET_GROUP,
          LoadBalancer: entry.namespace === 'AWS/NetworkELB' ? 'net/web-nlb/5f3a2b1c0d9e8f7a' : 'app/web-alb/5f3a2b1c0d9e8f7a',
        }),
        {
          ...serviceEvidence(extra),
          targetHealth: [
            {
              targetGroupArn: `arn:aws:elasticloadbalancing:${REGION}:${ACCOUNT}:${TARGET_GROUP}`,
              targetHealthDescriptions: [
                {
                  Target: { Id: '10.0.1.10', Port: 8080, AvailabilityZone: `${REGION}a` },
                  TargetHealth: { State: entry.state ?? 'unhealthy', Reason: entry.message, ...(entry.description ? { Description: entry.description } : {}) },
                },
              ],
            },
          ],
        },
      );
    case 'alarm':
      return bundle(alarmEvent(entry.message, entry.dimensions ?? {}), withEvents(extra));
  }
}

/** What the pipeline made of an entry: the report, or that the event was declined. */
export type EntryOutcome = { declined: false; report: RcaReport } | { declined: true; message: string };

const FIXED_NOW = new Date('2026-01-15T10:05:00Z');

/**
 * Runs an entry's bundle through the pipeline of `ecs-rca analyze` (parse the bundle, build the
 * evidence, classify, rank, report).
 * @throws BadInputError when the bundle itself is invalid (a broken catalogue entry).
 */
export function analyseEntry(entry: CatalogueEntry): EntryOutcome {
  let bundle;
  try {
    bundle = parseBundle(catalogueBundle(entry), `catalogue entry ${entry.id}`);
  } catch (error) {
    if (error instanceof UnsupportedEventError) return { declined: true, message: error.message };
    throw error;
  }
  return { declined: false, report: analyzeEvidence(evidenceFromBundle(bundle), { now: FIXED_NOW }) };
}

/** Whether the outcome is what the entry expects; the failures in words otherwise. */
export function checkEntry(entry: CatalogueEntry, outcome: EntryOutcome): string[] {
  const expected = entry.expected;
  if ('declined' in expected) return outcome.declined ? [] : [`analysed as ${outcome.report.rootCause.category} (alert ${outcome.report.alert}), expected it declined`];
  if (outcome.declined) return [`declined (${outcome.message}), expected ${expected.category}`];
  const { rootCause, alert } = outcome.report;
  const failures: string[] = [];
  if (rootCause.category !== expected.category) failures.push(`root cause ${rootCause.category} (rule ${rootCause.ruleId}), expected ${expected.category}`);
  const cites = expected.cites ?? entry.message;
  if (!rootCause.evidence.some((item) => item.text.includes(cites))) failures.push(`root-cause evidence does not cite ${JSON.stringify(cites)}`);
  if (alert !== expected.alert) failures.push(`alert ${alert}, expected ${expected.alert}`);
  return failures;
}
