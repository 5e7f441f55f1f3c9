import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { CATEGORY_IDS } from '../classification/taxonomy';

/**
 * `rca-report.v1` as a zod schema: the one result of an analysis (`../shared/spec/rca-report.md`).
 * The S3 audit record is this object; Slack, SNS and the CLI render it. Fields may be added within v1,
 * never renamed or removed.
 *
 * Written with `zod/mini`, the tree-shakable API: the Lambda validates every audit record with it, and
 * the chainable `zod` would add its unused methods to the cold start. `scripts/generate-docs.ts`
 * exports the JSON Schema (`docs/rca-report.schema.json`) from these schemas.
 */

// `zod/mini` loads no locale; the audit sink quotes issue messages, so set zod's English ones unless a
// locale is set (see `../evidence/events`).
if (!z.config().localeError) z.config(en());

export const CategorySchema = z.enum(CATEGORY_IDS);

export const EvidenceSourceSchema = z.enum([
  'stoppedReason',
  'stopCode',
  'containerReason',
  'exitCode',
  'log',
  'targetHealth',
  'serviceEvent',
  'taskDefinition',
  'alarm',
  'event',
]);
export type EvidenceSource = z.infer<typeof EvidenceSourceSchema>;

/** One piece of evidence: a literal substring of something the analyzer read (secrets redacted). */
export const EvidenceItemSchema = z.object({
  source: EvidenceSourceSchema,
  text: z.string(),
  /** ISO-8601, when known. */
  timestamp: z.optional(z.string()),
  logGroupName: z.optional(z.string()),
  logStreamName: z.optional(z.string()),
  /** The container the evidence is about, when known. */
  containerName: z.optional(z.string()),
  /** The task the evidence is about, when known. */
  taskArn: z.optional(z.string()),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

export const FindingSchema = z.object({
  category: CategorySchema,
  /** The rule that produced the finding. */
  ruleId: z.string(),
  title: z.string(),
  explanation: z.string(),
  confidence: z.number().check(z.gte(0), z.lte(1)),
  evidence: z.array(EvidenceItemSchema),
  remediation: z.array(z.string()),
  /** Why a dismissed finding was ruled out (dismissed findings only). */
  reason: z.optional(z.string()),
  /** How many of the analysed tasks showed this finding (multi-task triggers). */
  taskCount: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** Ids of the `changes.items` that introduced this finding (see `changes/attribute-changes.ts`). */
  changeRefs: z.optional(z.array(z.string())),
});
export type Finding = z.infer<typeof FindingSchema>;

export const TriggerSchema = z.object({
  kind: z.enum(['task_stopped', 'deployment_failed', 'service_action', 'target_unhealthy']),
  eventId: z.string(),
  detailType: z.string(),
  time: z.string(),
  account: z.string(),
  region: z.string(),
});

/** What a container is for: the application, or a sidecar (log router, proxy, agent). */
export const ContainerRoleSchema = z.enum(['application', 'log_router', 'proxy', 'agent']);
export type ContainerRole = z.infer<typeof ContainerRoleSchema>;

export const ContainerSummarySchema = z.object({
  name: z.string(),
  image: z.optional(z.string()),
  exitCode: z.optional(z.number().check(z.int())),
  reason: z.optional(z.string()),
  /** Whether the task stops when this container stops (task definition; absent when unknown). */
  essential: z.optional(z.boolean()),
  /** What the container is for, from its task definition, image and name. */
  role: z.optional(ContainerRoleSchema),
  /** True on the container whose failure the root cause describes. */
  failed: z.optional(z.boolean()),
});

export const ResourceSchema = z.object({
  clusterArn: z.optional(z.string()),
  serviceName: z.optional(z.string()),
  taskArn: z.optional(z.string()),
  taskDefinitionArn: z.optional(z.string()),
  deploymentId: z.optional(z.string()),
  targetGroupArn: z.optional(z.string()),
  /** The analysed task's `stoppedReason`, as ECS wrote it. */
  stoppedReason: z.optional(z.string()),
  /** The analysed task's `stopCode` (`EssentialContainerExited`, `TaskFailedToStart`, …). */
  stopCode: z.optional(z.string()),
  containers: z.array(ContainerSummarySchema),
});

/** Where a container's own log stream is, or would be, from its task definition. */
export const ExpectedLogStreamSchema = z.object({
  containerName: z.string(),
  logDriver: z.optional(z.string()),
  logGroupName: z.optional(z.string()),
  logStreamName: z.optional(z.string()),
  logStreamNamePrefix: z.optional(z.string()),
  note: z.optional(z.string()),
});

/** Present when the analysed task ran but none of its own application log lines were read. */
export const ApplicationLogsSchema = z.object({
  status: z.enum(['missing', 'empty', 'unreadable']),
  /** What is missing and where to look, in one paragraph; renderers show it first. */
  message: z.string(),
  streams: z.array(ExpectedLogStreamSchema),
  executionRoleArn: z.optional(z.string()),
});

export const LinksSchema = z.object({
  task: z.optional(z.string()),
  service: z.optional(z.string()),
  logStreams: z.optional(z.array(z.string())),
  targetGroup: z.optional(z.string()),
  /** The service's deployments and revisions in the ECS console. */
  serviceRevisions: z.optional(z.string()),
});

/**
 * What was done about the incident besides reporting it: the deployment lifecycle hook failed the
 * deployment, so ECS rolled it back (`../../lambda/hook`).
 */
export const ActionTakenSchema = z.object({
  kind: z.enum(['deployment_rolled_back']),
  /** Our own words, e.g. `deployment rolled back by the hook at POST_SCALE_UP`. */
  summary: z.string(),
  /** The ECS lifecycle stage the hook ran at. */
  lifecycleStage: z.optional(z.string()),
  serviceDeploymentArn: z.optional(z.string()),
});
export type ActionTaken = z.infer<typeof ActionTakenSchema>;

// ------------------------------------------------------------------------------------------------
// What changed (`changes`): the deployment that introduced the failure (`lambda/changes/`).
// ------------------------------------------------------------------------------------------------

/** Kinds of change items; names follow the task-definition and service fields they compare. */
export const CHANGE_KINDS = [
  'image',
  'environment_added',
  'environment_removed',
  'environment_changed',
  'secret_added',
  'secret_removed',
  'secret_changed',
  'command',
  'entry_point',
  'working_directory',
  'user',
  'ports',
  'health_check',
  'essential',
  'depends_on',
  'log_configuration',
  'mount_points',
  'volumes',
  'cpu',
  'memory',
  'runtime_platform',
  'task_role',
  'execution_role',
  'network_mode',
  'ephemeral_storage',
  'load_balancers',
  'container_added',
  'container_removed',
] as const;

export const ChangeItemSchema = z.object({
  /** Stable id within the report (`<kind>:<container>:<name>`), referenced by `Finding.changeRefs`. */
  id: z.string(),
  kind: z.enum(CHANGE_KINDS),
  containerName: z.optional(z.string()),
  /** The environment variable, secret or field concerned (never a value). */
  name: z.optional(z.string()),
  /** One line, e.g. `app: environment variable DATABASE_URL removed`. */
  summary: z.string(),
});
export type ChangeItem = z.infer<typeof ChangeItemSchema>;

/** One side of the comparison. */
export const RevisionRefSchema = z.object({
  /**
   * Where it came from: `service_revision` (DescribeServiceRevisions), `service_deployments` (the
   * service's `deployments[]`, for deployments before service revisions), `task_definition_family`
   * (the previous revision of a standalone task's family), `task` (the task's own task definition).
   */
  source: z.enum(['service_revision', 'service_deployments', 'task_definition_family', 'task']),
  taskDefinitionArn: z.optional(z.string()),
  serviceRevisionArn: z.optional(z.string()),
  serviceDeploymentArn: z.optional(z.string()),
  /** The service deployment's `status` and `statusReason`, when known. */
  status: z.optional(z.string()),
  statusReason: z.optional(z.string()),
  /** ISO-8601 creation time of the deployment or revision. */
  createdAt: z.optional(z.string()),
  images: z.optional(z.array(z.object({ containerName: z.string(), image: z.optional(z.string()), imageDigest: z.optional(z.string()) }))),
});

/** Who made the change (CloudTrail, opt-in). */
export const ChangeActorSchema = z.object({
  eventName: z.string(),
  /** ISO-8601. */
  eventTime: z.optional(z.string()),
  /** `userIdentity.arn`, else `Username`. */
  principal: z.optional(z.string()),
  userAgent: z.optional(z.string()),
});

export const ChangesSchema = z.object({
  baseline: RevisionRefSchema,
  current: RevisionRefSchema,
  /** Empty with `unchanged: true` when the task definition and image digests did not change. */
  items: z.array(ChangeItemSchema),
  /** True when the comparison was complete and found no task-definition change. */
  unchanged: z.boolean(),
  /** Parts that could not be compared (e.g. values masked in an old bundle), one sentence each. */
  notes: z.optional(z.array(z.string())),
  actor: z.optional(ChangeActorSchema),
});
export type Changes = z.infer<typeof ChangesSchema>;

/** A rule that threw while judging the evidence; the run went on without it. */
export const RuleErrorSchema = z.object({ ruleId: z.string(), message: z.string() });

export const RcaReportSchema = z.object({
  schema: z.literal('rca-report.v1'),
  incidentKey: z.string(),
  trigger: TriggerSchema,
  resource: ResourceSchema,
  alert: z.boolean(),
  severity: z.enum(['critical', 'high', 'medium', 'low', 'info']),
  rootCause: FindingSchema,
  contributing: z.array(FindingSchema),
  symptoms: z.array(FindingSchema),
  dismissed: z.array(FindingSchema),
  evidenceGaps: z.array(z.string()),
  /** Set when the analysed task's own application logs are missing, empty or unreadable. */
  applicationLogs: z.optional(ApplicationLogsSchema),
  links: LinksSchema,
  /** ISO-8601. */
  analyzedAt: z.string(),
  analyzerVersion: z.string(),
  /** Rules that threw; their findings are missing from this report. */
  ruleErrors: z.optional(z.array(RuleErrorSchema)),
  /** What changed before the incident, when a baseline was found. */
  changes: z.optional(ChangesSchema),
  /** Number of secrets masked in evidence texts. */
  redactions: z.optional(z.number().check(z.int(), z.nonnegative())),
  /** What was done about the incident (e.g. the lifecycle hook rolled the deployment back). */
  actionTaken: z.optional(ActionTakenSchema),
});
export type RcaReport = z.infer<typeof RcaReportSchema>;
export type Severity = RcaReport['severity'];
