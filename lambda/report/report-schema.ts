import * as z from 'zod';
import { CATEGORY_IDS } from '../classification/taxonomy';

/**
 * `rca-report.v1` as a zod schema: the one result of an analysis (`../shared/spec/rca-report.md`).
 * The S3 audit record is this object; Slack, SNS and the CLI render it. Fields may be added within v1,
 * never renamed or removed.
 */

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
  timestamp: z.string().optional(),
  logGroupName: z.string().optional(),
  logStreamName: z.string().optional(),
  /** The container the evidence is about, when known. */
  containerName: z.string().optional(),
  /** The task the evidence is about, when known. */
  taskArn: z.string().optional(),
});
export type EvidenceItem = z.infer<typeof EvidenceItemSchema>;

export const FindingSchema = z.object({
  category: CategorySchema,
  /** The rule that produced the finding. */
  ruleId: z.string(),
  title: z.string(),
  explanation: z.string(),
  confidence: z.number().min(0).max(1),
  evidence: z.array(EvidenceItemSchema),
  remediation: z.array(z.string()),
  /** Why a dismissed finding was ruled out (dismissed findings only). */
  reason: z.string().optional(),
  /** How many of the analysed tasks showed this finding (multi-task triggers). */
  taskCount: z.number().int().nonnegative().optional(),
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

export const ContainerSummarySchema = z.object({
  name: z.string(),
  image: z.string().optional(),
  exitCode: z.number().int().optional(),
  reason: z.string().optional(),
});

export const ResourceSchema = z.object({
  clusterArn: z.string().optional(),
  serviceName: z.string().optional(),
  taskArn: z.string().optional(),
  taskDefinitionArn: z.string().optional(),
  deploymentId: z.string().optional(),
  targetGroupArn: z.string().optional(),
  containers: z.array(ContainerSummarySchema),
});

export const LinksSchema = z.object({
  task: z.string().optional(),
  service: z.string().optional(),
  logStreams: z.array(z.string()).optional(),
  targetGroup: z.string().optional(),
});

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
  links: LinksSchema,
  /** ISO-8601. */
  analyzedAt: z.string(),
  analyzerVersion: z.string(),
  /** Rules that threw; their findings are missing from this report. */
  ruleErrors: z.array(RuleErrorSchema).optional(),
  /** Number of secrets masked in evidence texts. */
  redactions: z.number().int().nonnegative().optional(),
});
export type RcaReport = z.infer<typeof RcaReportSchema>;
export type Severity = RcaReport['severity'];
