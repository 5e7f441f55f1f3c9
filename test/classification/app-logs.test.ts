import { appLogsNotice, appLogsStatus } from '../../lambda/classification/app-logs';
import { classify } from '../../lambda/classification/classify';
import { rank } from '../../lambda/classification/rank';
import { appLogs, serviceAction, targetAlarm, unhealthyTarget } from '../helpers/evidence';

// https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html#target-health-reason-codes
const TIMEOUT = unhealthyTarget('Target.Timeout', 'Request timed out');
const EMPTY_STREAM = appLogs().map((s) => ({ ...s, events: [] }));

describe('application logs of an incident without tasks', () => {
  it('an alarm whose service stream holds no lines: logs empty, said first, and the symptom at low confidence', () => {
    const evidence = targetAlarm(TIMEOUT, { logs: EMPTY_STREAM });
    expect(appLogsStatus(evidence)).toBe('empty');
    expect(appLogsNotice(evidence)?.message).toMatch(/^Application logs missing: the service's log streams that were read hold no lines/);
    const root = rank(evidence, classify(evidence).candidates).rootCause;
    expect(root.category).toBe('health_check_timeout');
    expect(root.confidence).toBeLessThan(0.5);
  });

  it('an alarm without any log stream: logs missing', () => {
    expect(appLogsStatus(targetAlarm(TIMEOUT, { logs: [] }))).toBe('missing');
  });

  it('lines read, or a service action that may have started no task: nothing missing', () => {
    expect(appLogsStatus(targetAlarm(TIMEOUT, { logs: appLogs('GET /health 200') }))).toBeUndefined();
    expect(appLogsStatus(serviceAction('SERVICE_TASK_PLACEMENT_FAILURE'))).toBeUndefined();
  });
});
