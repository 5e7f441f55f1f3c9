import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

/**
 * The customer managed KMS key that encrypts the analyzer's SNS topic and its dead-letter queue.
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
      description: 'ECS incident analyzer: encrypts the notification topic and the dead-letter queue',
      enableKeyRotation: true,
      // The key protects alerts in flight only; destroying it with the stack loses nothing kept.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    // Only the data-key operations an AWS service needs to write an encrypted message.
    const servicePrincipals = ['cloudwatch.amazonaws.com', 'events.amazonaws.com', 'sns.amazonaws.com'];
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowAwsServicesToWriteEncryptedMessages',
        principals: servicePrincipals.map((service) => new iam.ServicePrincipal(service)),
        // The actions AWS documents for each of the three (GenerateDataKey* as in the SNS guide).
        actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
        resources: ['*'],
      }),
    );
  }
}
