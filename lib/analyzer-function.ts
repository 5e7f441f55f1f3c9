import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { AnalyzerSettings } from './config';

const ENTRY_IN_ROOT = path.join('lambda', 'handler', 'index.ts');

/**
 * Repository root: the directory above `lib/` when run from source (tsx, ts-jest), two above when
 * run from the compiled `dist/lib/`.
 */
const PROJECT_ROOT =
  [path.join(__dirname, '..'), path.join(__dirname, '..', '..')].find((dir) =>
    existsSync(path.join(dir, ENTRY_IN_ROOT)),
  ) ?? path.join(__dirname, '..');

/**
 * The handler entry the function bundles. The handler issue owns this file; `lib/` only points at it
 * and never imports it.
 */
export const HANDLER_ENTRY = path.join(PROJECT_ROOT, ENTRY_IN_ROOT);

/**
 * The environment variables the handler reads — its whole configuration, documented in
 * README.md ("The Lambda handler") so that users of other IaC tools can deploy the same bundle.
 */
export interface HandlerEnvironment {
  readonly AUDIT_BUCKET_NAME: string;
  readonly AUDIT_PREFIX: string;
  readonly TOPIC_ARN: string;
  /** Absent when Slack is disabled. */
  readonly SLACK_SECRET_ARN?: string;
  readonly SNS_MESSAGE_FORMAT: 'text' | 'chatbot';
  readonly POWERTOOLS_SERVICE_NAME: string;
  readonly POWERTOOLS_METRICS_NAMESPACE: string;
  readonly POWERTOOLS_LOG_LEVEL: string;
  /** Milliseconds, as a decimal string. */
  readonly CALL_TIMEOUT_MS: string;
  readonly LOG_LINE_BUDGET: string;
  /** Bytes, as a decimal string. */
  readonly LOG_BYTE_BUDGET: string;
  /** Comma-separated cluster names; absent when every cluster is watched. */
  readonly ECS_CLUSTERS?: string;
  /** `true` when the CloudTrail actor lookup is on; absent otherwise. */
  readonly LOOKUP_CHANGE_ACTOR?: 'true';
  /** The state table, for Powertools idempotency; absent without a state table. */
  readonly IDEMPOTENCY_TABLE_NAME?: string;
  /** Seconds, as a decimal string: how long a processed event is remembered. */
  readonly IDEMPOTENCY_EXPIRY_SECONDS?: string;
  /** The state table again, for incident grouping; absent without a state table. */
  readonly INCIDENT_TABLE_NAME?: string;
  /** Minutes, as a decimal string. */
  readonly INCIDENT_WINDOW_MINUTES?: string;
}

/** Builds {@link HandlerEnvironment} from the settings and the resource names. */
export function handlerEnvironment(
  settings: AnalyzerSettings,
  resources: { bucketName: string; topicArn: string; slackSecretArn?: string; stateTableName?: string },
): HandlerEnvironment {
  return {
    AUDIT_BUCKET_NAME: resources.bucketName,
    AUDIT_PREFIX: settings.auditPrefix,
    TOPIC_ARN: resources.topicArn,
    ...(resources.slackSecretArn !== undefined ? { SLACK_SECRET_ARN: resources.slackSecretArn } : {}),
    SNS_MESSAGE_FORMAT: settings.snsMessageFormat,
    POWERTOOLS_SERVICE_NAME: settings.serviceName,
    POWERTOOLS_METRICS_NAMESPACE: settings.metricsNamespace,
    POWERTOOLS_LOG_LEVEL: settings.logLevel,
    CALL_TIMEOUT_MS: String(settings.callTimeoutMs),
    LOG_LINE_BUDGET: String(settings.logLineBudget),
    LOG_BYTE_BUDGET: String(settings.logByteBudget),
    ...(settings.clusters.length > 0 ? { ECS_CLUSTERS: settings.clusters.join(',') } : {}),
    ...(settings.lookupChangeActor ? { LOOKUP_CHANGE_ACTOR: 'true' as const } : {}),
    ...(resources.stateTableName !== undefined
      ? {
          IDEMPOTENCY_TABLE_NAME: resources.stateTableName,
          // Duplicates arrive until EventBridge and Lambda stop retrying (the maximum event age), and
          // ECS repeats events regardless: remember each event at least an hour.
          IDEMPOTENCY_EXPIRY_SECONDS: String(Math.max(3600, settings.maxEventAgeSeconds)),
          INCIDENT_TABLE_NAME: resources.stateTableName,
          INCIDENT_WINDOW_MINUTES: String(settings.incidentWindowMinutes),
        }
      : {}),
  };
}

/** Props of {@link AnalyzerFunction}. */
export interface AnalyzerFunctionProps {
  readonly settings: AnalyzerSettings;
  readonly environment: HandlerEnvironment;
  /**
   * Asynchronous on-failure destination. Absent for a function invoked synchronously (the deployment
   * lifecycle hook, `lib/deployment-hook.ts`): no asynchronous retries, event age or reserved concurrency.
   */
  readonly deadLetterQueue?: sqs.IQueue;
  /** Override of the bundled entry (tests, the lifecycle hook). Default {@link HANDLER_ENTRY}. */
  readonly entry?: string;
  /** Override of the `timeoutSeconds` setting. */
  readonly timeoutSeconds?: number;
  /** Descriptions of the function and of its role. */
  readonly description?: string;
  readonly roleDescription?: string;
}

const RUNTIMES: Record<AnalyzerSettings['lambdaRuntime'], lambda.Runtime> = {
  'nodejs22.x': lambda.Runtime.NODEJS_22_X,
  'nodejs24.x': lambda.Runtime.NODEJS_24_X,
};

/**
 * The analyzer Lambda function, its execution role and log group.
 *
 * - Bundled by the local esbuild (a devDependency), never in Docker: `forceDockerBundling: false`.
 *   Minified, with a source map that Node applies to stack traces (`--enable-source-maps`). The AWS
 *   SDK v3 is bundled too, not taken from the runtime, so the SDK version tested is the one deployed
 *   ("lock the SDK version in the deployment package",
 *   https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html#nodejs-sdk-included); `npm run
 *   bench` shows what it costs in asset size and cold start.
 * - arm64 (Graviton): about 20% cheaper per GB-second than x86_64 (https://aws.amazon.com/lambda/pricing/).
 * - Asynchronous invocation (how EventBridge invokes it): `retryAttempts` retries, events older than
 *   `maxEventAgeSeconds` dropped, and either case sent to the dead-letter queue
 *   (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html). The handler
 *   fails an invocation only when the S3 audit write fails, so nothing is lost.
 * - X-Ray active tracing: one segment per invocation at negligible volume.
 * - Its own log group with a retention, written through a role that may only write there.
 */
export class AnalyzerFunction extends Construct {
  /** The function. */
  readonly function: nodejs.NodejsFunction;
  /** Its execution role; evidence, delivery and logging permissions are attached to it. */
  readonly role: iam.Role;
  /** Its log group. */
  readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: AnalyzerFunctionProps) {
    super(scope, id);
    const { settings } = props;

    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: settings.logRetentionDays as logs.RetentionDays,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    // A role without the AWSLambdaBasicExecutionRole managed policy, whose logs permissions cover
    // every log group in the account: this one may only write to its own group.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: props.roleDescription ?? 'ECS incident analyzer function: reads incident evidence, writes the audit record, notifies',
    });
    const dlq = props.deadLetterQueue;

    this.function = new nodejs.NodejsFunction(this, 'Function', {
      entry: props.entry ?? HANDLER_ENTRY,
      handler: 'handler',
      runtime: RUNTIMES[settings.lambdaRuntime],
      architecture: lambda.Architecture.ARM_64,
      memorySize: settings.memorySize,
      timeout: Duration.seconds(props.timeoutSeconds ?? settings.timeoutSeconds),
      reservedConcurrentExecutions: dlq !== undefined && settings.reservedConcurrency > 0 ? settings.reservedConcurrency : undefined,
      role: this.role,
      logGroup: this.logGroup,
      tracing: lambda.Tracing.ACTIVE,
      description: props.description ?? 'Finds the root cause of failed ECS tasks, deployments and unhealthy targets',
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: path.join(PROJECT_ROOT, 'package-lock.json'),
      bundling: {
        forceDockerBundling: false,
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        // The AWS SDK is bundled: the version tested is the version deployed (an empty list, because
        // NodejsFunction otherwise leaves `@aws-sdk/*` to the runtime on Node 18 and later).
        externalModules: [],
        format: nodejs.OutputFormat.CJS,
        // esbuild's warnings and errors only, not its summary of output sizes on every synth.
        logLevel: nodejs.LogLevel.WARNING,
      },
      ...(dlq !== undefined
        ? {
            retryAttempts: settings.retryAttempts,
            maxEventAge: Duration.seconds(settings.maxEventAgeSeconds),
            // A destination that only names the queue: the send permission is granted explicitly below
            // (lib/analyzer-permissions.ts) instead of CDK's grant, which adds wildcard KMS actions.
            onFailure: { bind: () => ({ destination: dlq.queueArn }) },
          }
        : {}),
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: 'WriteOwnLogs',
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.acknowledgeFindings(settings, dlq !== undefined);
  }

  private acknowledgeFindings(settings: AnalyzerSettings, asynchronous: boolean): void {
    const fn = this.function;
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: asynchronous
        ? 'Failed asynchronous invocations go to the on-failure destination (EventInvokeConfig, the encrypted SQS ' +
          'dead-letter queue), which records the error and request context; a DeadLetterConfig as well would deliver ' +
          'every failure twice (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).'
        : 'Invoked synchronously (ECS calls the lifecycle hook and acts on its answer): there is no asynchronous event to keep.',
    });
    if (settings.lambdaRuntime !== 'nodejs24.x') {
      const reason =
        `${settings.lambdaRuntime} is the runtime the handler is built and tested for (the project's pinned Lambda ` +
        'runtime, still supported by Lambda); set the lambdaRuntime setting to nodejs24.x to move on.';
      Validations.of(fn).acknowledge({ id: 'AwsSolutions-L1', reason });
      Validations.of(fn).acknowledge({ id: 'Serverless-LambdaLatestVersion', reason });
    }
    const defaultPolicy = this.role.node.tryFindChild('DefaultPolicy');
    if (defaultPolicy !== undefined) {
      Validations.of(defaultPolicy).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'Added by Lambda active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no ' +
          'resource-level permissions (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsx-ray.html).',
      });
    }
  }
}
