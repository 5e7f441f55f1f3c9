import { Duration, Validations } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link DeadLetterQueue}. */
export interface DeadLetterQueueProps {
  /** Customer managed key the queue is encrypted with (see `AnalyzerKey` for why not `aws/sqs`). */
  readonly key: kms.IKey;
}

/**
 * The one queue where every event that could not be analysed ends up: the function's asynchronous
 * on-failure destination (after its retries or maximum event age), the EventBridge rules' target
 * dead-letter queue (delivery to Lambda failed), and the e-mail subscriptions' redrive queue.
 * Messages are kept 14 days, the SQS maximum
 * (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html).
 */
export class DeadLetterQueue extends Construct {
  /** The queue. */
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    const reason =
      'This queue is itself the terminal dead-letter queue (Lambda on-failure destination, EventBridge target DLQ, ' +
      'SNS subscription redrive); a queue behind it would only move the same messages. Its depth raises an alarm.';
    Validations.of(this.queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
    Validations.of(this.queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  }
}
