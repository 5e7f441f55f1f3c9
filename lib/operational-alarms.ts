import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/** Props of {@link OperationalAlarms}. */
export interface OperationalAlarmsProps {
  readonly function: lambda.IFunction;
  readonly deadLetterQueue: sqs.IQueue;
  /** Topic the alarms notify (the analyzer's own topic). */
  readonly topic: sns.ITopic;
  /** `POWERTOOLS_METRICS_NAMESPACE` and `POWERTOOLS_SERVICE_NAME` of the function (its metrics' namespace and `service` dimension). */
  readonly metrics: { namespace: string; serviceName: string };
  /** The notification sinks whose failures are alarmed (`sns`, `slack`). */
  readonly sinks: readonly string[];
}

/**
 * Alarms on the analyzer itself, notifying the same topic as the reports: an analyzer that fails
 * silently would look exactly like a quiet week.
 * - `Errors` of the function (Sum over 5 minutes ≥ 1): an invocation failed (for this handler, the
 *   S3 audit write failed) and will be retried;
 * - `ApproximateNumberOfMessagesVisible` of the dead-letter queue (Maximum over 5 minutes ≥ 1): an
 *   event could not be analysed after all retries and waits for a person
 *   (https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-available-cloudwatch-metrics.html);
 * - `SinkFailures` of the notification sinks (Sum over 5 minutes ≥ 1): a report reached the audit
 *   record but a channel refused it after every retry; `ecs-rca redeliver s3://…` re-sends it. One
 *   metric per sink (dimensions `service` and `sink`, as Powertools emits them), added up in a metric
 *   math expression (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/Create-alarm-on-metric-math-expression.html).
 *   When SNS itself is the failing sink, this alarm may not reach anyone through it: Slack still does.
 */
export class OperationalAlarms extends Construct {
  readonly functionErrors: cloudwatch.Alarm;
  readonly deadLetters: cloudwatch.Alarm;
  readonly deliveryFailures?: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: OperationalAlarmsProps) {
    super(scope, id);
    const notify = new actions.SnsAction(props.topic);
    this.functionErrors = new cloudwatch.Alarm(this, 'FunctionErrors', {
      alarmDescription: 'The ECS incident analyzer function failed; Lambda retries it, then sends it to the DLQ.',
      metric: props.function.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    this.deadLetters = new cloudwatch.Alarm(this, 'DeadLetters', {
      alarmDescription: 'Events the ECS incident analyzer could not process are waiting in its dead-letter queue.',
      metric: props.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(5),
        statistic: cloudwatch.Stats.MAXIMUM,
      }),
      threshold: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    if (props.sinks.length > 0) {
      const usingMetrics = Object.fromEntries(
        props.sinks.map((sink, i) => [
          `s${i}`,
          new cloudwatch.Metric({
            namespace: props.metrics.namespace,
            metricName: 'SinkFailures',
            dimensionsMap: { service: props.metrics.serviceName, sink },
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(5),
          }),
        ]),
      );
      this.deliveryFailures = new cloudwatch.Alarm(this, 'DeliveryFailures', {
        alarmDescription:
          'A notification (SNS or Slack) failed after every retry; the report is in the audit bucket: re-send it with `ecs-rca redeliver s3://<bucket>/<key>` (the key is in the function log).',
        metric: new cloudwatch.MathExpression({
          expression: Object.keys(usingMetrics).map((id) => `FILL(${id}, 0)`).join(' + '),
          usingMetrics,
          label: 'SinkFailures',
          period: Duration.minutes(5),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    }
    for (const alarm of [this.functionErrors, this.deadLetters, ...(this.deliveryFailures ? [this.deliveryFailures] : [])]) {
      alarm.addAlarmAction(notify);
      alarm.addOkAction(notify);
    }
  }
}
