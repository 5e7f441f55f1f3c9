import { ArnFormat, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import type { AnalyzerSettings } from './config';
import { acknowledgeWildcards, type WildcardStatement } from './nag-acknowledgements';
import { clusterArn, ecsResourcePattern } from './resource-names';

/** Props of {@link AnalyzerPermissions}. */
export interface AnalyzerPermissionsProps {
  readonly settings: AnalyzerSettings;
  /** The function's execution role. */
  readonly role: iam.IRole;
  /** The audit bucket ARN (objects are written under `settings.auditPrefix`). */
  readonly auditBucketArn: string;
  /** The KMS key of the audit bucket (SSE-KMS): writing an object needs `kms:GenerateDataKey`. */
  readonly auditKeyArn?: string;
  readonly topicArn: string;
  /** Key of the topic, when it is encrypted with a customer managed key. */
  readonly topicKeyArn?: string;
  /** IAM pattern of the Slack secret; absent when Slack is disabled. */
  readonly slackSecretArnForPolicy?: string;
  /** The on-failure queue; absent for a function invoked synchronously (the lifecycle hook). */
  readonly deadLetterQueueArn?: string;
  /** Key of the dead-letter queue. */
  readonly deadLetterQueueKeyArn?: string;
  /** Prefix of the construct's own alarms (used when `alarmScope` is `own`). */
  readonly alarmNamePrefix: string;
  /** ARN of the idempotency and incident table; absent for a function that keeps no state (the lifecycle hook). */
  readonly stateTableArn?: string;
}

const SAR = 'https://docs.aws.amazon.com/service-authorization/latest/reference';

/**
 * Every permission the handler needs, as one IAM policy on its role, scoped to resources wherever
 * the action supports resource-level permissions in the Service Authorization Reference (SAR):
 * - ECS (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerservice.html):
 *   `DescribeTasks` on `task/<cluster>/*`, `DescribeServices` on `service/<cluster>/*`;
 *   `ListTasks` can only be scoped by container instance, so it gets `*` with an `ecs:cluster`
 *   condition, as does `ListServices`; `DescribeTaskDefinition` and `ListClusters` support no
 *   resource-level permissions; `ListServiceDeployments`, `DescribeServiceDeployments` and
 *   `DescribeServiceRevisions` on the `service`, `service-deployment` and `service-revision` ARNs of
 *   the watched clusters
 *   (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment-permissions.html);
 * - CloudTrail `LookupEvents` (no resource-level permissions), only when `lookupChangeActor` is on
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awscloudtrail.html);
 * - CloudWatch Logs `GetLogEvents`, `DescribeLogStreams` on log groups
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html);
 * - ELBv2 `DescribeTargetHealth`, `DescribeTargetGroups`: no resource-level permissions
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_awselasticloadbalancingv2.html);
 * - CloudWatch `DescribeAlarms` on alarms
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatch.html);
 * - delivery: `s3:PutObject` under the audit prefix, `sns:Publish` on the topic,
 *   `secretsmanager:GetSecretValue` on the one secret, `sqs:SendMessage` on the dead-letter queue
 *   (Lambda writes the asynchronous on-failure record with the execution role), and
 *   `kms:GenerateDataKey` + `kms:Decrypt` on the keys of the encrypted topic and queue
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html);
 * - state: `dynamodb:GetItem`, `PutItem`, `UpdateItem`, `DeleteItem` on the one table (idempotency
 *   and incident records; no Query, Scan or batch actions)
 *   (https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazondynamodb.html).
 *
 * Every wildcard left is acknowledged for cdk-nag finding by finding, with its reason.
 */
export class AnalyzerPermissions extends Construct {
  /** The policy attached to the role. */
  readonly policy: iam.Policy;

  constructor(scope: Construct, id: string, props: AnalyzerPermissionsProps) {
    super(scope, id);
    const { settings } = props;
    const stack = Stack.of(this);
    const clusters = settings.clusters;
    const everyCluster = clusters.length === 0;
    const clusterScope = everyCluster
      ? 'every cluster of the account and Region is watched (no clusters configured)'
      : 'the IDs of tasks and services are only known when an incident happens';
    const entries: WildcardStatement[] = [];
    const add = (reason: string, statement: iam.PolicyStatementProps) =>
      entries.push({ statement: new iam.PolicyStatement(statement), reason });

    const scoped = (type: 'task' | 'service' | 'service-deployment' | 'service-revision') =>
      everyCluster ? [ecsResourcePattern(this, type)] : clusters.map((c) => ecsResourcePattern(this, type, c));
    add(`DescribeTasks is scoped to the tasks of the watched clusters; the wildcard remains because ${clusterScope}.`, {
      sid: 'EcsDescribeTasks',
      actions: ['ecs:DescribeTasks'],
      resources: scoped('task'),
    });
    add(
      `DescribeServices is scoped to the services of the watched clusters; the wildcard remains because ${clusterScope}.`,
      { sid: 'EcsDescribeServices', actions: ['ecs:DescribeServices'], resources: scoped('service') },
    );
    add(
      'The service deployments and revisions compared in the report\'s changes section: ListServiceDeployments is ' +
        'authorized on the service, DescribeServiceDeployments on service-deployment and DescribeServiceRevisions on ' +
        `service-revision resources, each scoped to the watched clusters; the wildcard remains because ${clusterScope} ` +
        '(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-deployment-permissions.html).',
      {
        sid: 'EcsReadServiceDeployments',
        actions: ['ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'],
        resources: [...scoped('service'), ...scoped('service-deployment'), ...scoped('service-revision')],
      },
    );
    if (settings.lookupChangeActor) {
      add(
        'cloudtrail:LookupEvents supports no resource-level permissions; granted only because lookupChangeActor is on ' +
          `(${SAR}/list_awscloudtrail.html).`,
        { sid: 'LookupChangeActor', actions: ['cloudtrail:LookupEvents'], resources: ['*'] },
      );
    }
    add(
      'ecs:ListTasks can only be scoped by container instance, so listing the tasks of a whole cluster or service is ' +
        'authorized against "*"; ecs:ListServices supports no resource ARN. Both are limited by the ecs:cluster ' +
        'condition when clusters are configured ' +
        `(${SAR}/list_amazonelasticcontainerservice.html).`,
      {
        sid: 'EcsListTasksAndServices',
        actions: ['ecs:ListTasks', 'ecs:ListServices'],
        resources: ['*'],
        ...(everyCluster
          ? {}
          : { conditions: { ArnEquals: { 'ecs:cluster': clusters.map((c) => clusterArn(this, c)) } } }),
      },
    );
    add(
      'ecs:DescribeTaskDefinition and ecs:ListClusters support no resource-level permissions ' +
        `(${SAR}/list_amazonelasticcontainerservice.html).`,
      { sid: 'EcsReadWithoutResourceScope', actions: ['ecs:DescribeTaskDefinition', 'ecs:ListClusters'], resources: ['*'] },
    );

    const logGroupNames =
      settings.logGroupNamePrefixes.length === 0 ? ['*'] : settings.logGroupNamePrefixes.map((prefix) => `${prefix}*`);
    add(
      'Container log groups are named by each task definition, so they are known only from the incident; the ' +
        'logGroupNamePrefixes setting narrows this. The pattern also covers the log streams of those groups.',
      {
        sid: 'ReadContainerLogs',
        actions: ['logs:GetLogEvents', 'logs:DescribeLogStreams'],
        resources: logGroupNames.map((name) =>
          stack.formatArn({
            service: 'logs',
            resource: 'log-group',
            resourceName: name,
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ),
      },
    );
    add(
      'elasticloadbalancing:DescribeTargetHealth and DescribeTargetGroups support no resource-level permissions ' +
        `(${SAR}/list_awselasticloadbalancingv2.html).`,
      {
        sid: 'ReadTargetHealth',
        actions: ['elasticloadbalancing:DescribeTargetHealth', 'elasticloadbalancing:DescribeTargetGroups'],
        resources: ['*'],
      },
    );
    add(
      settings.alarmScope === 'own'
        ? 'Scoped to the alarms this stack creates, whose names share a prefix.'
        : 'Any UnHealthyHostCount alarm of the account and Region may start an analysis (alarmScope "all"); ' +
          'its name is known only from the event.',
      {
        sid: 'ReadAlarms',
        actions: ['cloudwatch:DescribeAlarms'],
        resources: [
          stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: settings.alarmScope === 'own' ? `${props.alarmNamePrefix}*` : '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      },
    );

    add('Audit object keys are partitioned by date and incident id under the configured prefix.', {
      sid: 'WriteAuditRecords',
      actions: ['s3:PutObject'],
      resources: [`${props.auditBucketArn}/${settings.auditPrefix}*`],
    });
    add('', { sid: 'PublishReports', actions: ['sns:Publish'], resources: [props.topicArn] });
    if (props.deadLetterQueueArn !== undefined) {
      add('', { sid: 'SendToDeadLetterQueue', actions: ['sqs:SendMessage'], resources: [props.deadLetterQueueArn] });
    }
    // The dead-letter queue's and the audit bucket's key (the stack's key), and the topic's key.
    // https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html#require-sse-kms
    const keys = [...new Set([props.deadLetterQueueKeyArn, props.auditKeyArn, props.topicKeyArn].filter((k): k is string => k !== undefined))];
    if (keys.length > 0) add('', { sid: 'EncryptMessages', actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: keys });
    if (props.stateTableArn !== undefined) {
      add('', {
        sid: 'IdempotencyAndIncidentState',
        actions: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        resources: [props.stateTableArn],
      });
    }
    if (props.slackSecretArnForPolicy !== undefined) {
      add('Secrets Manager appends six random characters to the name of an existing secret ("-??????").', {
        sid: 'ReadSlackWebhookUrl',
        actions: ['secretsmanager:GetSecretValue'],
        resources: [props.slackSecretArnForPolicy],
      });
    }

    this.policy = new iam.Policy(this, 'Policy', { statements: entries.map((e) => e.statement), roles: [props.role] });
    acknowledgeWildcards(this.policy, entries);
  }
}
