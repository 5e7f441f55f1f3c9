import { z } from 'zod';
import { deliveryNeedMs, type SinkTimeouts } from '../lambda/delivery/deliver';
import { FINAL_MARGIN_MS } from '../lambda/handler/budgets';
import { cutText, oneLine } from '../lambda/shared/text';
import { closest, distance } from 'fastest-levenshtein';

/**
 * Settings of the `EcsIncidentAnalyzer` construct: the typed props a CDK user passes, the zod schema
 * that validates them and fills in defaults, and the reader that turns `cdk.json` / `-c key=value`
 * context into the same props.
 *
 * Every validation failure is one line naming the setting, what was expected and what was given
 * (aws-cdk `docs/DESIGN_GUIDELINES.md`, "Error messages").
 */

/** Raised for any invalid setting; `message` is a single line that names the setting. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * CloudWatch Logs accepts only these retention periods, in days
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** A target group to watch with an `UnHealthyHostCount` alarm; see {@link EcsIncidentAnalyzerProps.targetGroups}. */
export interface TargetGroupAlarmTarget {
  /**
   * The target group: its ARN
   * (`arn:aws:elasticloadbalancing:<region>:<account>:targetgroup/<name>/<id>`) or its ARN suffix
   * `targetgroup/<name>/<id>`, the value of the CloudWatch `TargetGroup` dimension.
   */
  readonly targetGroup: string;
  /**
   * The Application Load Balancer the target group is attached to: its ARN
   * (`...:loadbalancer/app/<name>/<id>`) or its ARN suffix `app/<name>/<id>`, the value of the
   * CloudWatch `LoadBalancer` dimension.
   */
  readonly loadBalancer: string;
}

/**
 * Props of `EcsIncidentAnalyzer`. Every field is optional; the defaults are those of
 * {@link resolveSettings}. Durations are in the unit their name says (`...Seconds`, `...Days`, `...Ms`).
 */
export interface EcsIncidentAnalyzerProps {
  /**
   * ECS clusters to watch, by name or ARN. Default: empty, meaning every cluster in the account and
   * Region. When set, the EventBridge rules and the ECS read permissions are scoped to these clusters.
   */
  readonly clusters?: string[];
  /** Target groups that get an `UnHealthyHostCount` alarm routed to the analyzer. Default: none. */
  readonly targetGroups?: TargetGroupAlarmTarget[];
  /**
   * Which `CloudWatch Alarm State Change` events start an analysis: `all` (default) — every alarm on
   * `UnHealthyHostCount` of `AWS/ApplicationELB`, `AWS/NetworkELB` or `AWS/ELB` in the account and Region, including alarms you already
   * have; `own` — only the alarms this construct creates (matched by {@link alarmNamePrefix}).
   */
  readonly alarmScope?: 'all' | 'own';
  /** Prefix of the alarms this construct creates. Default: `<stack name>-UnHealthyHostCount-`. */
  readonly alarmNamePrefix?: string;
  /** Publish to this existing SNS topic instead of creating one. Default: a new KMS-encrypted topic. */
  readonly existingTopicArn?: string;
  /**
   * ARN of the customer managed KMS key of {@link existingTopicArn}, if the topic is encrypted with
   * one; the function is then allowed `kms:GenerateDataKey*` and `kms:Decrypt` on it.
   */
  readonly existingTopicKmsKeyArn?: string;
  /** E-mail addresses subscribed to the topic (each must confirm the subscription). Default: none. */
  readonly alertEmails?: string[];
  /** Post to Slack. Default `true`. When `false` no secret is created and `SLACK_SECRET_ARN` is unset. */
  readonly slackEnabled?: boolean;
  /**
   * Name of an existing Secrets Manager secret whose value is the Slack incoming-webhook URL.
   * Default: a new, empty secret that you fill after deploying.
   */
  readonly slackSecretName?: string;
  /** Key prefix of the audit objects; must end with `/`. Default `incidents/`. */
  readonly auditPrefix?: string;
  /** Days audit objects (and the bucket's access logs) are kept. Default 365. */
  readonly auditRetentionDays?: number;
  /** Enable S3 Object Lock with a default retention of {@link auditRetentionDays}. Default `false`. */
  readonly objectLock?: boolean;
  /** Object Lock mode when {@link objectLock} is on. Default `GOVERNANCE`. */
  readonly objectLockMode?: 'GOVERNANCE' | 'COMPLIANCE';
  /** `POWERTOOLS_LOG_LEVEL` of the function. Default `INFO`. */
  readonly logLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Retention of the function's log group, one of {@link LOG_RETENTION_DAYS}. Default 30. */
  readonly logRetentionDays?: number;
  /** `SNS_MESSAGE_FORMAT`: `text` (default) or `chatbot` (Amazon Q Developer custom notification JSON). */
  readonly snsMessageFormat?: 'text' | 'chatbot';
  /** Function memory in MB. Default 512. */
  readonly memorySize?: number;
  /** Function timeout in seconds. Default 60. */
  readonly timeoutSeconds?: number;
  /**
   * Reserved concurrency of the function; `0` leaves it unreserved (use this in accounts whose
   * concurrency quota is still the new-account 10). Default 5.
   */
  readonly reservedConcurrency?: number;
  /** Asynchronous invocation retries (0–2). Default 2. */
  readonly retryAttempts?: number;
  /** Maximum age of an asynchronous event before it goes to the dead-letter queue (60–21600 s). Default 3600. */
  readonly maxEventAgeSeconds?: number;
  /** `CALL_TIMEOUT_MS`: timeout of each AWS call the handler makes, in ms. Default 5000. */
  readonly callTimeoutMs?: number;
  /** `LOG_LINE_BUDGET`: most log lines read per container. Default 200. */
  readonly logLineBudget?: number;
  /** `LOG_BYTE_BUDGET`: most bytes of log text read per container. Default 65536. */
  readonly logByteBudget?: number;
  /**
   * Log group name prefixes the function may read (e.g. `/ecs/`). Default: empty, meaning every log
   * group in the account and Region — container log groups are named by each task definition.
   */
  readonly logGroupNamePrefixes?: string[];
  /**
   * `LOOKUP_CHANGE_ACTOR`: name who changed the service (CloudTrail `UpdateService`, `CreateService`,
   * `RegisterTaskDefinition`) in the report's `changes` section. Grants `cloudtrail:LookupEvents`,
   * which has no resource-level permission and a quota of two requests per second per account and
   * Region shared with everything else that calls it. Default false.
   */
  readonly lookupChangeActor?: boolean;
  /** Lambda runtime. Default `nodejs22.x`. */
  readonly lambdaRuntime?: 'nodejs22.x' | 'nodejs24.x';
  /** `POWERTOOLS_SERVICE_NAME`. Default `ecs-incident-analyzer`. */
  readonly serviceName?: string;
  /** `POWERTOOLS_METRICS_NAMESPACE`. Default `EcsIncidentAnalyzer`. */
  readonly metricsNamespace?: string;
  /**
   * `INCIDENT_WINDOW_MINUTES`: repeats of one incident (same `incidentKey`) are grouped while they come
   * less than this many minutes apart; broadcast summaries (Slack webhook, SNS) are sent at most once
   * per window. 1–10080. Default 60.
   */
  readonly incidentWindowMinutes?: number;
  /**
   * Deploy the ECS deployment lifecycle hook function (`lambda/hook/`) and the role ECS assumes to
   * invoke it; services opt in with `DeploymentHook.lifecycleHookTarget(...)` or its ARNs. Default true.
   */
  readonly deploymentHook?: boolean;
  /** `HOOK_FAIL_CLOSED`: the hook answers FAILED (roll back) when it fails itself. Default false (fail open). */
  readonly hookFailClosed?: boolean;
  /** `HOOK_HEALTHY_SECONDS`: how long the new revision's tasks must run healthy before SUCCEEDED (0–3600). Default 60. */
  readonly hookHealthySeconds?: number;
  /** `HOOK_CALLBACK_DELAY_SECONDS`: `callBackDelay` of IN_PROGRESS answers (1–900). Default 30. */
  readonly hookCallbackDelaySeconds?: number;
  /** `HOOK_MAX_WAIT_SECONDS`: how long the hook waits for the revision before giving up, a fault (60–86400). Default 1800. */
  readonly hookMaxWaitSeconds?: number;
}

const CLUSTER_NAME = /^[A-Za-z0-9_-]{1,255}$/;
const CLUSTER_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/[A-Za-z0-9_-]{1,255}$/;
const TARGET_GROUP = /^(arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:)?targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
const LOAD_BALANCER = /^(arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:\d{12}:loadbalancer\/)?app\/[A-Za-z0-9-]{1,32}\/[0-9a-f]{16}$/;
// SNS topic ARN (https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html: 1-256 chars of
// letters, digits, - and _, plus .fifo).
const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;
const KMS_KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/;
// Secrets Manager names: letters, digits and /_+=.@-
// (https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html).
const SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
// One `@`, a domain of dot-separated labels; each `.` starts a group, so matching stays linear.
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const LOG_GROUP_PREFIX = /^[A-Za-z0-9_\-/.#]{1,512}$/;

const wholeNumber = (min: number, max: number) => z.number().int().min(min).max(max);

/** The zod schema of {@link EcsIncidentAnalyzerProps}; parsing fills in every default. */
export const SettingsSchema = z.strictObject({
  clusters: z
    .array(
      z.string().refine((v) => CLUSTER_NAME.test(v) || CLUSTER_ARN.test(v), {
        error: 'expected an ECS cluster name or arn:aws:ecs:<region>:<account>:cluster/<name>',
      }),
    )
    .max(20, 'at most 20 clusters (the EventBridge pattern must stay under 4096 characters)')
    .default([]),
  targetGroups: z
    .array(
      z.strictObject({
        targetGroup: z.string().regex(TARGET_GROUP, 'expected targetgroup/<name>/<16 hex id> or a target group ARN'),
        loadBalancer: z.string().regex(LOAD_BALANCER, 'expected app/<name>/<16 hex id> or an Application Load Balancer ARN'),
      }),
    )
    // Two alarms on one target group would share a name, which CloudFormation refuses.
    .refine(
      (list) => new Set(list.map((t) => t.targetGroup.slice(t.targetGroup.indexOf('targetgroup/')))).size === list.length,
      { error: 'each target group may appear only once' },
    )
    .default([]),
  alarmScope: z.enum(['all', 'own']).default('all'),
  alarmNamePrefix: z.string().regex(/^[^\s]{1,200}$/, 'expected 1-200 characters without spaces').optional(),
  existingTopicArn: z.string().regex(TOPIC_ARN, 'expected arn:aws:sns:<region>:<account>:<topic name>').optional(),
  existingTopicKmsKeyArn: z.string().regex(KMS_KEY_ARN, 'expected arn:aws:kms:<region>:<account>:key/<key id>').optional(),
  alertEmails: z.array(z.string().regex(EMAIL, 'expected an e-mail address')).default([]),
  slackEnabled: z.boolean().default(true),
  slackSecretName: z.string().regex(SECRET_NAME, 'expected a Secrets Manager secret name').optional(),
  auditPrefix: z
    .string()
    .regex(/^(?!\/)[A-Za-z0-9!_.*'()/-]{0,200}\/$/, "expected a key prefix ending with '/' and not starting with '/'")
    .default('incidents/'),
  auditRetentionDays: wholeNumber(1, 36500).default(365),
  objectLock: z.boolean().default(false),
  objectLockMode: z.enum(['GOVERNANCE', 'COMPLIANCE']).default('GOVERNANCE'),
  logLevel: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR']).default('INFO'),
  logRetentionDays: z
    .number()
    .refine((v) => (LOG_RETENTION_DAYS as readonly number[]).includes(v), {
      error: `expected one of ${LOG_RETENTION_DAYS.join(', ')}`,
    })
    .default(30),
  snsMessageFormat: z.enum(['text', 'chatbot']).default('text'),
  memorySize: wholeNumber(128, 10240).default(512),
  timeoutSeconds: wholeNumber(10, 900).default(60),
  reservedConcurrency: wholeNumber(0, 1000).default(5),
  retryAttempts: wholeNumber(0, 2).default(2),
  maxEventAgeSeconds: wholeNumber(60, 21600).default(3600),
  callTimeoutMs: wholeNumber(100, 120000).default(5000),
  logLineBudget: wholeNumber(1, 10000).default(200),
  logByteBudget: wholeNumber(1024, 1048576).default(65536),
  logGroupNamePrefixes: z.array(z.string().regex(LOG_GROUP_PREFIX, 'expected a log group name prefix')).default([]),
  lookupChangeActor: z.boolean().default(false),
  lambdaRuntime: z.enum(['nodejs22.x', 'nodejs24.x']).default('nodejs22.x'),
  serviceName: z.string().min(1).max(128).default('ecs-incident-analyzer'),
  metricsNamespace: z
    .string()
    .regex(/^[A-Za-z0-9._/#:-]{1,255}$/, 'expected a CloudWatch namespace')
    .refine((v) => !v.startsWith('AWS/'), { error: 'namespaces starting with AWS/ are reserved for AWS' })
    .default('EcsIncidentAnalyzer'),
  incidentWindowMinutes: wholeNumber(1, 10080).default(60),
  deploymentHook: z.boolean().default(true),
  hookFailClosed: z.boolean().default(false),
  hookHealthySeconds: wholeNumber(0, 3600).default(60),
  hookCallbackDelaySeconds: wholeNumber(1, 900).default(30),
  hookMaxWaitSeconds: wholeNumber(60, 86400).default(1800),
});

/** Fully defaulted, validated settings. */
export type AnalyzerSettings = z.output<typeof SettingsSchema>;

// The hand-written props interface (which carries the TSDoc) must stay assignable to the schema input.
type PropsMatchSchema = EcsIncidentAnalyzerProps extends z.input<typeof SettingsSchema> ? true : never;
const propsMatchSchema: PropsMatchSchema = true;
void propsMatchSchema;

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return cutText(oneLine(text), 80, '...');
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = root;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

function pathText(path: readonly PropertyKey[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? String(k) : `.${String(k)}`)).join('');
}

/**
 * Validates props and fills in the defaults.
 *
 * @throws ConfigError (one line: setting, expectation, given value) when a setting is invalid or
 *   unknown, or when settings contradict each other.
 */
export function resolveSettings(props: EcsIncidentAnalyzerProps = {}, source = 'props'): AnalyzerSettings {
  const result = SettingsSchema.safeParse(props);
  if (!result.success) {
    const issue = result.error.issues[0];
    if (issue === undefined) throw new ConfigError(`Invalid ecs-incident-analyzer ${source}`);
    const where = issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : pathText(issue.path);
    const problem = issue.code === 'unrecognized_keys' ? 'unknown setting' : issue.message.replace(/^Invalid input: /, '');
    const given = issue.code === 'unrecognized_keys' ? '' : `, got ${describe(valueAt(props, issue.path))}`;
    throw new ConfigError(`Invalid ecs-incident-analyzer ${source} "${where}": ${problem}${given}`);
  }
  const settings = result.data;
  if (settings.existingTopicKmsKeyArn !== undefined && settings.existingTopicArn === undefined) {
    throw new ConfigError(
      `Invalid ecs-incident-analyzer ${source} "existingTopicKmsKeyArn": only meaningful with existingTopicArn, which is not set`,
    );
  }
  if (settings.slackSecretName !== undefined && !settings.slackEnabled) {
    throw new ConfigError(
      `Invalid ecs-incident-analyzer ${source} "slackSecretName": slackEnabled is false, so the secret would never be read`,
    );
  }
  if (settings.callTimeoutMs >= settings.timeoutSeconds * 1000) {
    throw new ConfigError(
      `Invalid ecs-incident-analyzer ${source} "callTimeoutMs": must be below timeoutSeconds ` +
        `(${settings.timeoutSeconds} s), got ${settings.callTimeoutMs}`,
    );
  }
  const minTimeoutMs = minimumTimeoutMs(settings.callTimeoutMs);
  if (settings.timeoutSeconds * 1000 < minTimeoutMs) {
    throw new ConfigError(
      `Invalid ecs-incident-analyzer ${source} "timeoutSeconds": ${settings.timeoutSeconds} s leaves no time to collect evidence ` +
        `with callTimeoutMs ${settings.callTimeoutMs} (delivery reserves ${deliveryNeedMs(sinkTimeouts(settings.callTimeoutMs))} ms); ` +
        `use at least ${Math.ceil(minTimeoutMs / 1000)} s or a lower callTimeoutMs`,
    );
  }
  return settings;
}

/** Every sink the stack builds (S3 audit, SNS, Slack) waits at most `callTimeoutMs` per call. */
function sinkTimeouts(callTimeoutMs: number): SinkTimeouts {
  return { audit: { timeoutMs: callTimeoutMs }, notifications: [{ timeoutMs: callTimeoutMs }] };
}

/**
 * The shortest function timeout (ms) that still collects evidence: the final margin, the time the
 * handler reserves for delivery (`deliveryNeedMs`), and one collecting call.
 */
export function minimumTimeoutMs(callTimeoutMs: number): number {
  return FINAL_MARGIN_MS + deliveryNeedMs(sinkTimeouts(callTimeoutMs)) + callTimeoutMs;
}

// ---------------------------------------------------------------------------------------------
// cdk.json / -c context
// ---------------------------------------------------------------------------------------------

type ContextKind = 'list' | 'number' | 'boolean' | 'json' | 'string';

/**
 * Context keys the app reads, with how a string given on the command line (`-c key=value`, always a
 * string) is converted. Keys in `cdk.json` may already have their JSON type.
 */
export const CONTEXT_KEYS: Readonly<Record<keyof EcsIncidentAnalyzerProps, ContextKind>> = {
  clusters: 'list',
  targetGroups: 'json',
  alarmScope: 'string',
  alarmNamePrefix: 'string',
  existingTopicArn: 'string',
  existingTopicKmsKeyArn: 'string',
  alertEmails: 'list',
  slackEnabled: 'boolean',
  slackSecretName: 'string',
  auditPrefix: 'string',
  auditRetentionDays: 'number',
  objectLock: 'boolean',
  objectLockMode: 'string',
  logLevel: 'string',
  logRetentionDays: 'number',
  snsMessageFormat: 'string',
  memorySize: 'number',
  timeoutSeconds: 'number',
  reservedConcurrency: 'number',
  retryAttempts: 'number',
  maxEventAgeSeconds: 'number',
  callTimeoutMs: 'number',
  logLineBudget: 'number',
  logByteBudget: 'number',
  logGroupNamePrefixes: 'list',
  lookupChangeActor: 'boolean',
  lambdaRuntime: 'string',
  serviceName: 'string',
  metricsNamespace: 'string',
  incidentWindowMinutes: 'number',
  deploymentHook: 'boolean',
  hookFailClosed: 'boolean',
  hookHealthySeconds: 'number',
  hookCallbackDelaySeconds: 'number',
  hookMaxWaitSeconds: 'number',
};

function fromCommandLine(key: string, kind: ContextKind, value: string): unknown {
  switch (kind) {
    case 'list': {
      const trimmed = value.trim();
      if (trimmed.startsWith('[')) return parseJson(key, trimmed);
      // `-c clusters=$UNSET` must not quietly mean "every cluster": leave the key out for the default.
      if (trimmed === '') {
        throw new ConfigError(
          `Invalid ecs-incident-analyzer context "${key}": empty (an unset shell variable?); leave the key out for its default, or give a comma-separated list`,
        );
      }
      return trimmed.split(',').map((s) => s.trim());
    }
    case 'number': {
      // Keep a non-numeric string as it is, so the error shows what was typed.
      const n = Number(value);
      return value.trim() === '' || Number.isNaN(n) ? value : n;
    }
    case 'boolean':
      if (value === 'true') return true;
      if (value === 'false') return false;
      return value;
    case 'json':
      return parseJson(key, value);
    case 'string':
      return value;
  }
}

function parseJson(key: string, value: string): unknown {
  try {
    return JSON.parse(value) as unknown;
  } catch {
    throw new ConfigError(`Invalid ecs-incident-analyzer context "${key}": expected JSON, got ${describe(value)}`);
  }
}

/** Context keys the app itself reads besides the settings (`bin/app.ts`). */
export const APP_CONTEXT_KEYS: readonly string[] = ['stackName'];

// A key that looks like one of ours: a plain camelCase word. CDK's own context keys are namespaced or
// kebab-case (`@aws-cdk/core:newStyleStackSynthesis`, `aws:cdk:version-reporting`,
// `acknowledged-issue-numbers`, `availability-zones:account=…`), so they are never mistaken for a typo.
const OUR_STYLE = /^[a-z][A-Za-z0-9]*$/;

/**
 * Rejects context keys that look like analyzer settings but are none (`-c cluster=prod` for
 * `clusters`): silently ignored, such a typo would deploy a stack that watches every cluster.
 *
 * @param keys every context key the app sees (`app.node.getAllContext()`).
 * @throws ConfigError `Unknown ecs-incident-analyzer context key "cluster" (did you mean "clusters"?) …`.
 */
export function checkContextKeys(keys: readonly string[]): void {
  const valid = [...Object.keys(CONTEXT_KEYS), ...APP_CONTEXT_KEYS];
  for (const key of keys) {
    if (!OUR_STYLE.test(key) || valid.includes(key)) continue;
    const nearest = closest(key, valid);
    const hint = distance(key.toLowerCase(), nearest.toLowerCase()) <= Math.max(2, Math.floor(nearest.length / 3)) ? ` (did you mean "${nearest}"?)` : '';
    throw new ConfigError(`Unknown ecs-incident-analyzer context key "${cutText(key, 80)}"${hint}; valid keys: ${valid.join(', ')}`);
  }
}

/**
 * Reads the analyzer settings from CDK context (`cdk.json` "context" or `-c key=value`) and
 * validates them. Keys not in {@link CONTEXT_KEYS} are not read here (CDK keeps its own keys there
 * too; {@link checkContextKeys} rejects misspelt ones);
 * a key whose value is `null` counts as unset.
 *
 * @param tryGetContext `node.tryGetContext`, or any lookup of context values by key.
 * @throws ConfigError when a value is not valid for its setting.
 */
export function settingsFromContext(tryGetContext: (key: string) => unknown): AnalyzerSettings {
  const props: Record<string, unknown> = {};
  for (const [key, kind] of Object.entries(CONTEXT_KEYS)) {
    const raw = tryGetContext(key);
    if (raw === undefined || raw === null) continue;
    props[key] = typeof raw === 'string' ? fromCommandLine(key, kind, raw) : raw;
  }
  return resolveSettings(props as EcsIncidentAnalyzerProps, 'context');
}
