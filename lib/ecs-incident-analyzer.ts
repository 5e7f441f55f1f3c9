import { Duration, Stack } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { AnalyzerFunction, handlerEnvironment } from './analyzer-function';
import { AnalyzerKey } from './analyzer-key';
import { AnalyzerPermissions } from './analyzer-permissions';
import { AuditBucket } from './audit-bucket';
import { resolveSettings, type AnalyzerSettings, type EcsIncidentAnalyzerProps } from './config';
import { DeadLetterQueue } from './dead-letter-queue';
import { DeploymentHook } from './deployment-hook';
import { IncidentTable } from './incident-table';
import { NotificationTopic } from './notification-topic';
import { OperationalAlarms } from './operational-alarms';
import { clusterArn, serviceArnPrefix } from './resource-names';
import { SlackWebhookSecret } from './slack-webhook-secret';
import { TriggerRules } from './trigger-rules';
import { UnhealthyHostAlarms } from './unhealthy-host-alarms';

/** Options of {@link EcsIncidentAnalyzer} that are not user settings. */
export interface EcsIncidentAnalyzerOptions {
  /** Bundle this handler entry instead of `lambda/handler/index.ts` (tests). */
  readonly handlerEntry?: string;
  /** Bundle this hook entry instead of `lambda/hook/index.ts` (tests). */
  readonly hookEntry?: string;
}

/**
 * Everything the ECS incident analyzer needs in one account and Region: the Lambda function that
 * analyses incidents, the EventBridge rules that invoke it, `UnHealthyHostCount` alarms for the
 * configured target groups, the KMS-encrypted SNS topic it reports to, the S3 audit bucket, the
 * Slack webhook secret, the DynamoDB table of idempotency and incident records, the dead-letter queue
 * and the alarms that watch the analyzer itself.
 *
 * @throws ConfigError (from `resolveSettings`) when a prop is invalid.
 */
export class EcsIncidentAnalyzer extends Construct {
  /** The validated settings, defaults filled in. */
  readonly settings: AnalyzerSettings;
  /** The analyzer Lambda function. */
  readonly function: lambda.IFunction;
  /** The topic reports are published to (new, or the configured existing one). */
  readonly topic: sns.ITopic;
  /** The bucket of the audit records. */
  readonly auditBucket: s3.IBucket;
  /** Where events that could not be analysed end up. */
  readonly deadLetterQueue: sqs.IQueue;
  /** The four trigger rules and the recovery rule. */
  readonly rules: readonly events.Rule[];
  /** The table of idempotency and incident records. */
  readonly stateTable: dynamodb.ITable;
  /** Prefix of the alarms this construct creates. */
  readonly alarmNamePrefix: string;
  /** ARN (or partial ARN, for an existing secret) of the Slack webhook secret; undefined when Slack is off. */
  readonly slackSecretArn?: string;
  /** The ECS deployment lifecycle hook (setting `deploymentHook`, on by default). */
  readonly deploymentHook?: DeploymentHook;

  constructor(
    scope: Construct,
    id: string,
    props: EcsIncidentAnalyzerProps = {},
    options: EcsIncidentAnalyzerOptions = {},
  ) {
    super(scope, id);
    const settings = resolveSettings(props);
    this.settings = settings;
    this.alarmNamePrefix = settings.alarmNamePrefix ?? `${Stack.of(this).stackName}-UnHealthyHostCount-`;

    const key = new AnalyzerKey(this, 'Key').key;
    const dlq = new DeadLetterQueue(this, 'DeadLetterQueue', { key }).queue;
    this.deadLetterQueue = dlq;
    const notification = new NotificationTopic(this, 'Notification', {
      key,
      existingTopicArn: settings.existingTopicArn,
      alertEmails: settings.alertEmails,
      deadLetterQueue: dlq,
    });
    this.topic = notification.topic;
    const audit = new AuditBucket(this, 'Audit', {
      retentionDays: settings.auditRetentionDays,
      objectLock: settings.objectLock,
      objectLockMode: settings.objectLockMode,
      key,
    });
    this.auditBucket = audit.bucket;
    const slack = settings.slackEnabled
      ? new SlackWebhookSecret(this, 'SlackWebhook', { existingSecretName: settings.slackSecretName })
      : undefined;
    this.slackSecretArn = slack?.secretArn;
    const state = new IncidentTable(this, 'State').table;
    this.stateTable = state;

    const analyzer = new AnalyzerFunction(this, 'Analyzer', {
      settings,
      deadLetterQueue: dlq,
      entry: options.handlerEntry,
      environment: handlerEnvironment(settings, {
        bucketName: audit.bucket.bucketName,
        topicArn: notification.topic.topicArn,
        slackSecretArn: slack?.secretArn,
        stateTableName: state.tableName,
      }),
    });
    this.function = analyzer.function;
    const permissions = new AnalyzerPermissions(this, 'Permissions', {
      settings,
      role: analyzer.role,
      auditBucketArn: audit.bucket.bucketArn,
      topicArn: notification.topic.topicArn,
      topicKeyArn: notification.topicKey?.keyArn ?? settings.existingTopicKmsKeyArn,
      slackSecretArnForPolicy: slack?.secretArnForPolicy,
      deadLetterQueueArn: dlq.queueArn,
      deadLetterQueueKeyArn: key.keyArn,
      auditKeyArn: key.keyArn,
      alarmNamePrefix: this.alarmNamePrefix,
      stateTableArn: state.tableArn,
    });
    // Lambda checks that the execution role may write to the on-failure destination when the
    // EventInvokeConfig is created, so the function (and its invoke config) waits for the policy.
    analyzer.function.node.addDependency(permissions.policy);

    new UnhealthyHostAlarms(this, 'UnhealthyHostAlarms', {
      targetGroups: settings.targetGroups,
      alarmNamePrefix: this.alarmNamePrefix,
    });
    const rules = new TriggerRules(this, 'Triggers', {
      target: analyzer.function,
      deadLetterQueue: dlq,
      maxEventAge: Duration.seconds(settings.maxEventAgeSeconds),
      clusterArns: settings.clusters.map((c) => clusterArn(this, c)),
      servicePrefixes: settings.clusters.map((c) => serviceArnPrefix(this, c)),
      alarmNamePrefix: settings.alarmScope === 'own' ? this.alarmNamePrefix : undefined,
    });
    this.rules = [rules.taskStopped, rules.deploymentFailed, rules.serviceAction, rules.unhealthyHostAlarm, rules.serviceRecovered];

    if (settings.deploymentHook) {
      this.deploymentHook = new DeploymentHook(this, 'DeploymentHook', {
        settings,
        entry: options.hookEntry,
        environment: handlerEnvironment(settings, {
          bucketName: audit.bucket.bucketName,
          topicArn: notification.topic.topicArn,
          slackSecretArn: slack?.secretArn,
        }),
        permissions: {
          auditBucketArn: audit.bucket.bucketArn,
          topicArn: notification.topic.topicArn,
          topicKeyArn: notification.topicKey?.keyArn ?? settings.existingTopicKmsKeyArn,
          slackSecretArnForPolicy: slack?.secretArnForPolicy,
          alarmNamePrefix: this.alarmNamePrefix,
        },
      });
    }

    new OperationalAlarms(this, 'OperationalAlarms', {
      function: analyzer.function,
      deadLetterQueue: dlq,
      topic: notification.topic,
      metrics: { namespace: settings.metricsNamespace, serviceName: settings.serviceName },
      // The stack always publishes to a topic; Slack when enabled.
      sinks: ['sns', ...(slack ? ['slack'] : [])],
    });
  }
}
