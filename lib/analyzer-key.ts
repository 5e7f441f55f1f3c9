import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer managed KMS key that encrypts the analyzer's SNS topic, its dead-letter queue and the
 * audit records in S3.
 *
 * A customer managed key (not the AWS managed `aws/sns` / `aws/sqs` keys) is required because AWS
 * services that write to an encrypted topic or queue need a key policy that lets them use the key:
 * - CloudWatch alarms publishing to an encrypted topic
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services);
 * - EventBridge sending undeliverable events to an encrypted dead-letter queue
 *   (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html);
 * - SNS redriving undeliverable notifications to an encrypted dead-letter queue
 *   (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html).
 * The AWS managed keys cannot be given such grants.
 */
export class AnalyzerKey extends Construct {
  /** The key; rotated yearly. */
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.key = new kms.Key(this, 'Key', {
      description: 'ECS incident analyzer: encrypts the notification topic, the dead-letter queue and the audit records',
      enableKeyRotation: true,
      // The audit bucket is retained with the stack's deletion and its records are encrypted with this
      // key: destroying the key would make the kept audit trail unreadable, so the key is retained too.
      removalPolicy: RemovalPolicy.RETAIN,
      pendingWindow: Duration.days(30),
    });
    // Only the data-key operations an AWS service needs to write an encrypted message (GenerateDataKey*
    // and Decrypt, as the SNS guide lists them).
    const actions = ['kms:GenerateDataKey*', 'kms:Decrypt'];
    // CloudWatch alarms of this account and Region only (confused-deputy protection,
    // https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions,
        resources: ['*'],
        conditions: cloudWatchAlarmSourceConditions(Stack.of(this)),
      }),
    );
    // EventBridge's KMS requests carry no aws:SourceAccount/aws:SourceArn, so conditions on them would
    // drop every dead letter (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-rule-dlq.html);
    // SNS redrives to the queue of this stack only.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAwsServicesToWriteEncryptedMessages',
        principals: ['events.amazonaws.com', 'sns.amazonaws.com'].map((service) => new iam.ServicePrincipal(service)),
        actions,
        resources: ['*'],
      }),
    );
  }
}

/**
 * Conditions that limit a grant to `cloudwatch.amazonaws.com` acting for an alarm of this stack's
 * account and Region: `aws:SourceAccount` and `aws:SourceArn` (an alarm ARN,
 * `arn:<partition>:cloudwatch:<region>:<account>:alarm:<name>`).
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function cloudWatchAlarmSourceConditions(stack: Stack): Record<string, Record<string, string>> {
  return {
    StringEquals: { 'aws:SourceAccount': stack.account },
    ArnLike: { 'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*` },
  };
}
