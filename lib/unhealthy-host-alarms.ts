import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';
import type { TargetGroupAlarmTarget } from './config';
import { loadBalancerDimension, targetGroupDimension, targetGroupName } from './resource-names';

/** Props of {@link UnhealthyHostAlarms}. */
export interface UnhealthyHostAlarmsProps {
  readonly targetGroups: readonly TargetGroupAlarmTarget[];
  /** Every alarm name starts with this, so the trigger rule can select them. */
  readonly alarmNamePrefix: string;
}

/**
 * One CloudWatch alarm per configured target group on `AWS/ApplicationELB` `UnHealthyHostCount`
 * (dimensions `TargetGroup` and `LoadBalancer`, one-minute periods,
 * https://docs.aws.amazon.com/elasticloadbalancing/latest/application/load-balancer-cloudwatch-metrics.html).
 *
 * Statistic `Minimum`: the alarm fires only when every sample of the minute saw an unhealthy target,
 * so one load balancer node's passing disagreement does not page anyone. Three of three minutes
 * above zero: a target that fails a single health check and recovers stays quiet. No alarm
 * actions — the alarm reaches the analyzer through its `CloudWatch Alarm State Change` event, and
 * the analysis, not the bare alarm, is what gets sent. Missing data (no traffic, so no datapoints)
 * is not breaching.
 */
export class UnhealthyHostAlarms extends Construct {
  /** The alarms, in the order of the configured target groups. */
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: UnhealthyHostAlarmsProps) {
    super(scope, id);
    props.targetGroups.forEach((entry, index) => {
      const targetGroup = targetGroupDimension(entry.targetGroup);
      const metric = new cloudwatch.Metric({
        namespace: 'AWS/ApplicationELB',
        metricName: 'UnHealthyHostCount',
        dimensionsMap: { TargetGroup: targetGroup, LoadBalancer: loadBalancerDimension(entry.loadBalancer) },
        statistic: cloudwatch.Stats.MINIMUM,
        period: Duration.minutes(1),
      });
      this.alarms.push(
        new cloudwatch.Alarm(this, `Alarm${index}`, {
          alarmName: `${props.alarmNamePrefix}${targetGroupName(targetGroup)}`,
          alarmDescription: `Unhealthy targets in ${targetGroup}; the ECS incident analyzer explains why.`,
          metric,
          threshold: 0,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      );
    });
  }
}
