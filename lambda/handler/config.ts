import * as z from 'zod/mini';
import { collectConfigFromEnv, type CollectConfig } from '../evidence/collect-config';
import type { SnsFormat } from '../report/renderers/sns';
import { oneLine } from '../shared/text';

/**
 * The Lambda handler's configuration: environment variables only, so the bundled handler can be
 * deployed by any IaC tool. Validated once per cold start; every problem is one line naming the
 * variable, the value and how to fix it. Documented in README.md ("Environment variables").
 *
 * The collector budgets (`CALL_TIMEOUT_MS`, `LOG_LINE_BUDGET`, `LOG_BYTE_BUDGET`,
 * `MAX_STOPPED_TASKS`, `ECS_CLUSTERS`) are read by `collectConfigFromEnv`, the same reader the CLI uses.
 */

/** An environment variable is missing or invalid; `message` is one line naming it. */
export class HandlerConfigError extends Error {
  override readonly name = 'HandlerConfigError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(oneLine(message), options?.cause === undefined ? undefined : { cause: options.cause });
  }
}

/** Powertools log levels (`POWERTOOLS_LOG_LEVEL`), upper case. */
export const LOG_LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'CRITICAL', 'SILENT'] as const;
/** A Powertools log level. */
export type LogLevelName = (typeof LOG_LEVELS)[number];

/** The validated configuration of the handler. */
export interface HandlerConfig {
  /** `AUDIT_BUCKET_NAME`: bucket of the audit records (required). */
  auditBucketName: string;
  /** `AUDIT_PREFIX`: key prefix of the audit records; default `incidents/`. */
  auditPrefix: string;
  /** `TOPIC_ARN`: SNS topic to publish to; absent = no SNS notification. */
  topicArn?: string;
  /** `SLACK_SECRET_ARN`: ARN or name of the secret holding the Slack webhook URL; absent = no Slack. */
  slackSecretArn?: string;
  /** `SNS_MESSAGE_FORMAT`: `text` (default) or `chatbot` (Amazon Q Developer custom notification). */
  snsMessageFormat: SnsFormat;
  /** `POWERTOOLS_LOG_LEVEL`; default `INFO`. */
  logLevel: LogLevelName;
  /** `POWERTOOLS_SERVICE_NAME`: the `service` key of logs and the `service` metric dimension. */
  serviceName: string;
  /** `POWERTOOLS_METRICS_NAMESPACE`: CloudWatch namespace of the metrics. */
  metricsNamespace: string;
  /** Collector budgets (`CALL_TIMEOUT_MS`, `LOG_LINE_BUDGET`, `LOG_BYTE_BUDGET`, `MAX_STOPPED_TASKS`, `ECS_CLUSTERS`). */
  collect: CollectConfig;
  /** `IDEMPOTENCY_TABLE_NAME`: DynamoDB table of the Powertools idempotency records; absent = every delivery is processed. */
  idempotencyTableName?: string;
  /** `IDEMPOTENCY_EXPIRY_SECONDS`: how long a processed event is remembered, in seconds; default 3600. */
  idempotencyExpirySeconds: number;
  /** `INCIDENT_TABLE_NAME`: DynamoDB table of the incident records; absent = no grouping (every alerting report notifies). */
  incidentTableName?: string;
  /** `INCIDENT_WINDOW_MINUTES`: quiet minutes that end an incident, and the interval of broadcast summaries; default 60. */
  incidentWindowMinutes: number;
  /** `SLACK_API_URL`: base URL of the Slack Web API (bot token); default `https://slack.com/api/`. */
  slackApiUrl: string;
}

// The sinks' own defaults, repeated rather than imported: importing a value from the sink modules
// would load them and their AWS SDK clients during the cold start, when index.ts parses this
// configuration (the sinks load on the first invocation). The type annotations are the sinks'
// literal types, erased at run time, so `tsc` fails here if a sink's default changes.
const DEFAULT_AUDIT_PREFIX: typeof import('../delivery/s3-audit-sink').DEFAULT_AUDIT_PREFIX = 'incidents/';
const DEFAULT_SLACK_API_URL: typeof import('../delivery/slack-channel').DEFAULT_SLACK_API_URL = 'https://slack.com/api/';

/** Default `POWERTOOLS_SERVICE_NAME` (the CDK construct's default too). */
export const DEFAULT_SERVICE_NAME = 'ecs-incident-analyzer';
/** Default `POWERTOOLS_METRICS_NAMESPACE` (the CDK construct's default too). */
export const DEFAULT_METRICS_NAMESPACE = 'EcsIncidentAnalyzer';

// S3 bucket naming rules: 3-63 characters, lower-case letters, digits, dots and hyphens, beginning and
// ending with a letter or digit (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
// SNS topic ARN: 1-256 letters, digits, `-` and `_`, plus `.fifo` (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html).
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
// A secret ARN, or a secret name (letters, digits and /_+=.@-)
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html, SecretId).
const SECRET_ID = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+|[A-Za-z0-9/_+=.@-]{1,512})$/;

// DynamoDB table names: 3-255 letters, digits, `_`, `-` and `.`
// (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/HowItWorks.NamingRulesDataTypes.html).
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/** Default `INCIDENT_WINDOW_MINUTES`. */
export const DEFAULT_INCIDENT_WINDOW_MINUTES = 60;
/** Default `IDEMPOTENCY_EXPIRY_SECONDS`: one hour, the stack's default maximum event age. */
export const DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS = 3600;

// zod/mini, the tree-shakable API: this module runs on every cold start, and one `import 'zod'` here
// would bundle the whole chainable API. Every check below carries its own message, so no locale is needed.
const wholeNumber = (name: string, min: number, max: number, fallback: number) =>
  z._default(
    z.pipe(
      z.pipe(z.string().check(z.regex(/^\d+$/, { error: `must be a whole number of ${name}` })), z.transform(Number)),
      z.number().check(z.gte(min, { error: `must be at least ${min}` }), z.lte(max, { error: `must be at most ${max}` })),
    ),
    fallback,
  );

const EnvSchema = z.object({
  AUDIT_BUCKET_NAME: z.string({ error: 'is not set; set it to the name of the audit S3 bucket' }).check(
    z.regex(BUCKET_NAME, { error: 'is not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)' }),
  ),
  AUDIT_PREFIX: z._default(
    z.string().check(z.refine((v) => !v.startsWith('/'), { error: "must not start with '/' (S3 keys have no leading slash)" })),
    DEFAULT_AUDIT_PREFIX,
  ),
  TOPIC_ARN: z.optional(z.string().check(z.regex(TOPIC_ARN, { error: 'is not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)' }))),
  SLACK_SECRET_ARN: z.optional(
    z.string().check(z.regex(SECRET_ID, { error: 'is not a Secrets Manager secret ARN or name (put the webhook URL in the secret, not here)' })),
  ),
  SNS_MESSAGE_FORMAT: z._default(z.enum(['text', 'chatbot'], { error: "must be 'text' or 'chatbot'" }), 'text'),
  POWERTOOLS_LOG_LEVEL: z._default(
    z.pipe(
      z.pipe(z.string(), z.transform((v: string) => v.toUpperCase())),
      z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }),
    ),
    'INFO',
  ),
  POWERTOOLS_SERVICE_NAME: z._default(z.string(), DEFAULT_SERVICE_NAME),
  POWERTOOLS_METRICS_NAMESPACE: z._default(
    z.string().check(
      z.regex(/^[A-Za-z0-9._/#:-]{1,255}$/, { error: 'is not a CloudWatch namespace (1-255 letters, digits and . _ / # : -)' }),
      z.refine((v) => !v.startsWith('AWS/'), { error: 'must not start with AWS/ (reserved for AWS services)' }),
    ),
    DEFAULT_METRICS_NAMESPACE,
  ),
  IDEMPOTENCY_TABLE_NAME: z.optional(z.string().check(z.regex(TABLE_NAME, { error: 'is not a DynamoDB table name (3-255 letters, digits, _ - .)' }))),
  IDEMPOTENCY_EXPIRY_SECONDS: wholeNumber('seconds', 60, 7 * 24 * 3600, DEFAULT_IDEMPOTENCY_EXPIRY_SECONDS),
  INCIDENT_TABLE_NAME: z.optional(z.string().check(z.regex(TABLE_NAME, { error: 'is not a DynamoDB table name (3-255 letters, digits, _ - .)' }))),
  INCIDENT_WINDOW_MINUTES: wholeNumber('minutes', 1, 7 * 24 * 60, DEFAULT_INCIDENT_WINDOW_MINUTES),
  SLACK_API_URL: z._default(
    z.string().check(z.regex(/^https?:\/\/[^\s]+$/, { error: 'is not an http(s) URL (the Slack Web API base, e.g. https://slack.com/api/)' })),
    DEFAULT_SLACK_API_URL,
  ),
});

type EnvName = keyof z.input<typeof EnvSchema>;
const ENV_NAMES = Object.keys(EnvSchema.shape) as EnvName[];

// A wrong SLACK_SECRET_ARN is often the webhook URL itself, which is a secret: never echo it into logs.
const NOT_ECHOED: ReadonlySet<EnvName> = new Set(['SLACK_SECRET_ARN']);

/**
 * Reads and validates the handler's configuration from environment variables (pass `process.env`).
 * Unset and empty variables take their defaults. Pure: reads only the object passed in.
 *
 * @throws HandlerConfigError with one line such as
 *   `environment variable AUDIT_BUCKET_NAME is not set; set it to the name of the audit S3 bucket` or
 *   `environment variable SNS_MESSAGE_FORMAT="json" is invalid: must be 'text' or 'chatbot'`.
 */
export function handlerConfigFromEnv(env: Readonly<Record<string, string | undefined>>): HandlerConfig {
  const present = Object.fromEntries(
    ENV_NAMES.flatMap((name) => {
      const value = env[name]?.trim();
      return value ? [[name, value]] : [];
    }),
  ) as Partial<Record<EnvName, string>>;
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment') as EnvName;
    const value = present[name];
    const problem = issue?.message ?? 'is invalid';
    const shown = value === undefined || NOT_ECHOED.has(name) ? '' : `=${JSON.stringify(value)}`;
    const message = value === undefined ? `${name} ${problem}` : `${name}${shown} is invalid: ${problem.replace(/^is /, '')}`;
    throw new HandlerConfigError(`environment variable ${message}`, { cause: parsed.error });
  }
  let collect: CollectConfig;
  try {
    collect = collectConfigFromEnv(env);
  } catch (error) {
    throw new HandlerConfigError(error instanceof Error ? error.message : String(error), { cause: error });
  }
  const e = parsed.data;
  return {
    auditBucketName: e.AUDIT_BUCKET_NAME,
    auditPrefix: e.AUDIT_PREFIX,
    ...(e.TOPIC_ARN ? { topicArn: e.TOPIC_ARN } : {}),
    ...(e.SLACK_SECRET_ARN ? { slackSecretArn: e.SLACK_SECRET_ARN } : {}),
    snsMessageFormat: e.SNS_MESSAGE_FORMAT,
    logLevel: e.POWERTOOLS_LOG_LEVEL,
    serviceName: e.POWERTOOLS_SERVICE_NAME,
    metricsNamespace: e.POWERTOOLS_METRICS_NAMESPACE,
    collect,
    ...(e.IDEMPOTENCY_TABLE_NAME ? { idempotencyTableName: e.IDEMPOTENCY_TABLE_NAME } : {}),
    idempotencyExpirySeconds: e.IDEMPOTENCY_EXPIRY_SECONDS,
    ...(e.INCIDENT_TABLE_NAME ? { incidentTableName: e.INCIDENT_TABLE_NAME } : {}),
    incidentWindowMinutes: e.INCIDENT_WINDOW_MINUTES,
    slackApiUrl: e.SLACK_API_URL,
  };
}
