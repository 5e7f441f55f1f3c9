import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { cloudWatchAlarmSourceConditions } from './analyzer-key';

/** Props of {@link NotificationTopic}. */
export interface NotificationTopicProps {
  /** Key that encrypts a new topic. */
  readonly key: kms.IKey;
  /** Use this existing topic instead of creating one. */
  readonly existingTopicArn?: string;
  /** E-mail addresses to subscribe; each receives a confirmation mail from SNS first. */
  readonly alertEmails: readonly string[];
  /** Where SNS puts notifications it could not deliver to a subscription. */
  readonly deadLetterQueue: sqs.IQueue;
}

/**
 * The SNS topic the analyzer publishes its reports to, and its e-mail subscriptions.
 *
 * A new topic is encrypted with the customer managed key and has a topic policy that denies every
 * request not sent over TLS (`aws:SecureTransport` false), so the report is never published in
 * clear text (https://docs.aws.amazon.com/sns/latest/dg/sns-security-best-practices.html#enforce-encryption-data-in-transit).
 * That policy replaces SNS's default one, so it also allows `cloudwatch.amazonaws.com` to publish for
 * alarms of this account and Region (the analyzer's operational alarms notify this topic), scoped with
 * `aws:SourceAccount` and `aws:SourceArn` (https://docs.aws.amazon.com/sns/latest/dg/sns-access-policy-use-cases.html).
 * An existing topic is used as it is: its encryption and policy stay its owner's business (README
 * lists what it must allow).
 */
export class NotificationTopic extends Construct {
  /** The topic (new or imported). */
  readonly topic: sns.ITopic;
  /** The key of the topic, when this construct created it. */
  readonly topicKey?: kms.IKey;

  constructor(scope: Construct, id: string, props: NotificationTopicProps) {
    super(scope, id);
    if (props.existingTopicArn !== undefined) {
      this.topic = sns.Topic.fromTopicArn(this, 'Topic', props.existingTopicArn);
    } else {
      this.topic = new sns.Topic(this, 'Topic', {
        displayName: 'ECS incident analyzer',
        masterKey: props.key,
        enforceSSL: true,
      });
      // The TLS-deny policy replaces SNS's default one, so the stack's own alarms must be allowed back.
      this.topic.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['sns:Publish'],
          resources: [this.topic.topicArn],
          conditions: cloudWatchAlarmSourceConditions(Stack.of(this)),
        }),
      );
      this.topicKey = props.key;
    }
    // A repeated address would be a second construct with the same id; one subscription is enough.
    for (const email of new Set(props.alertEmails)) {
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(email, { deadLetterQueue: props.deadLetterQueue }),
      );
    }
  }
}
