import { DescribeAlarmsCommand, type CloudWatchClient, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { callAws, type CallContext } from '../../shared/aws-call';

/** The raw `MetricAlarms[]` entry (bundle key `alarms`), or a gap. */
export interface DescribeAlarmResult {
  alarms: MetricAlarm[];
  gaps: string[];
}

/**
 * DescribeAlarms for one alarm by name: its metric, dimensions and current state as CloudWatch holds
 * them (the state-change event carries most of this too, so a failure only costs a gap).
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_DescribeAlarms.html
 */
export async function describeAlarm(cloudwatch: CloudWatchClient, ctx: CallContext, alarmName: string): Promise<DescribeAlarmResult> {
  const subject = `alarm ${alarmName}`;
  const outcome = await callAws('cloudwatch:DescribeAlarms', ctx.deadline, { timeoutMs: ctx.callTimeoutMs, subject }, (abortSignal) =>
    cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [alarmName], AlarmTypes: ['MetricAlarm'] }), { abortSignal }),
  );
  if (!outcome.ok) return { alarms: [], gaps: [outcome.gap] };
  return { alarms: outcome.value.MetricAlarms ?? [], gaps: [] };
}
