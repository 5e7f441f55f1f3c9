import { alarmMetric, parseTriggerEvent, SUPPORTED_EVENTS } from '../../lambda/evidence/events';
import { BadInputError, CollectorError, UnsupportedEventError } from '../../lambda/shared/errors';

// Events in the shapes of the AWS documentation examples
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwe_events.html and the pages it links,
// https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html).
const envelope = (detailType: string, source: string, detail: Record<string, unknown>, resources: string[] = []) => ({
  version: '0',
  id: '3317b2af-7005-947d-b652-f55e762e571a',
  'detail-type': detailType,
  source,
  account: '111122223333',
  time: '2020-01-23T17:57:58Z',
  region: 'us-west-2',
  resources,
  detail,
});

const TASK_ARN = 'arn:aws:ecs:us-west-2:111122223333:task/FargateCluster/c13b4cb40f1f4fe4a2971f76ae5a47ad';
const taskEvent = (lastStatus: string) =>
  envelope('ECS Task State Change', 'aws.ecs', {
    clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/FargateCluster',
    taskArn: TASK_ARN,
    lastStatus,
    desiredStatus: 'STOPPED',
    containers: [{ name: 'FargateApp', lastStatus, exitCode: 0 }],
  }, [TASK_ARN]);

const deploymentEvent = (eventName: string) =>
  envelope(
    'ECS Deployment State Change',
    'aws.ecs',
    { eventType: 'ERROR', eventName, deploymentId: 'ecs-svc/123', updatedAt: '2020-05-23T11:11:11Z', reason: 'ECS deployment circuit breaker: task failed to start.' },
    ['arn:aws:ecs:us-west-2:111122223333:service/default/servicetest'],
  );

// A rollback starting is a SERVICE_DEPLOYMENT_IN_PROGRESS whose reason names the deployment rolled back to.
const inProgress = (reason: string) =>
  envelope(
    'ECS Deployment State Change',
    'aws.ecs',
    { eventType: 'INFO', eventName: 'SERVICE_DEPLOYMENT_IN_PROGRESS', deploymentId: 'ecs-svc/123', updatedAt: '2020-05-23T11:11:11Z', reason },
    ['arn:aws:ecs:us-west-2:111122223333:service/default/servicetest'],
  );

const serviceActionEvent = (eventType: string, eventName: string) =>
  envelope(
    'ECS Service Action',
    'aws.ecs',
    { eventType, eventName, clusterArn: 'arn:aws:ecs:us-west-2:111122223333:cluster/default', reason: 'RESOURCE:MEMORY', createdAt: '2019-11-19T19:55:38.725Z' },
    ['arn:aws:ecs:us-west-2:111122223333:service/default/servicetest'],
  );

const alarmEvent = (value: string, metric: Record<string, unknown>) =>
  envelope('CloudWatch Alarm State Change', 'aws.cloudwatch', {
    alarmName: 'web-unhealthy',
    state: { value, reason: 'Threshold Crossed: 1 datapoint [2.0] was greater than the threshold (0.0).', timestamp: '2019-10-02T17:04:40.985+0000' },
    previousState: { value: 'OK', reason: 'Threshold Crossed', timestamp: '2019-10-02T17:03:40.985+0000' },
    configuration: { metrics: [{ id: 'm1', metricStat: { metric, period: 60, stat: 'Maximum' }, returnData: true }] },
  });

const UNHEALTHY_HOSTS = {
  namespace: 'AWS/ApplicationELB',
  name: 'UnHealthyHostCount',
  dimensions: { LoadBalancer: 'app/web-alb/5f3a2b1c0d9e8f7a', TargetGroup: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b' },
};

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

describe('parseTriggerEvent', () => {
  it('classifies the four analysed triggers', () => {
    expect(parseTriggerEvent(taskEvent('STOPPED'), 'event').kind).toBe('task_stopped');
    expect(parseTriggerEvent(deploymentEvent('SERVICE_DEPLOYMENT_FAILED'), 'event').kind).toBe('deployment_failed');
    expect(parseTriggerEvent(inProgress('ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/122.'), 'event').kind).toBe('deployment_failed');
    expect(parseTriggerEvent(serviceActionEvent('WARN', 'SERVICE_TASK_PLACEMENT_FAILURE'), 'event').kind).toBe('service_action');
    expect(parseTriggerEvent(serviceActionEvent('ERROR', 'ECS_OPERATION_THROTTLED'), 'event').kind).toBe('service_action');
    const alarm = parseTriggerEvent(alarmEvent('ALARM', UNHEALTHY_HOSTS), 'event');
    expect(alarm.kind).toBe('target_unhealthy');
    if (alarm.kind === 'target_unhealthy') expect(alarm.metric.dimensions.TargetGroup).toBe('targetgroup/web-tg/0a1b2c3d4e5f6a7b');
  });

  it('analyses UnHealthyHostCount alarms of Network and Classic Load Balancers', () => {
    const nlb = { namespace: 'AWS/NetworkELB', name: 'UnHealthyHostCount', dimensions: { LoadBalancer: 'net/web-nlb/5f3a2b1c0d9e8f7a', TargetGroup: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b' } };
    const clb = { namespace: 'AWS/ELB', name: 'UnHealthyHostCount', dimensions: { LoadBalancerName: 'web-clb' } };
    expect(parseTriggerEvent(alarmEvent('ALARM', nlb), 'event').kind).toBe('target_unhealthy');
    const classic = parseTriggerEvent(alarmEvent('ALARM', clb), 'event');
    expect(classic.kind).toBe('target_unhealthy');
    if (classic.kind === 'target_unhealthy') expect(classic.metric).toEqual({ namespace: 'AWS/ELB', metricName: 'UnHealthyHostCount', dimensions: { LoadBalancerName: 'web-clb' } });
  });

  it('keeps unknown fields and accepts epoch-ms time and null optional fields', () => {
    const event = { ...taskEvent('STOPPED'), time: 1579802278000, resources: null, newEnvelopeField: 1 };
    (event.detail as Record<string, unknown>).someFutureField = { a: 1 };
    (event.detail as Record<string, unknown>).stoppedReason = null;
    const parsed = parseTriggerEvent(event, 'event');
    expect(parsed.event.time).toBe(1579802278000);
    expect((parsed.event as Record<string, unknown>).newEnvelopeField).toBe(1);
    expect((parsed.event.detail as Record<string, unknown>).someFutureField).toEqual({ a: 1 });
  });

  it('accepts a deployment event without clusterArn (the service ARN is in resources[0])', () => {
    const parsed = parseTriggerEvent(deploymentEvent('SERVICE_DEPLOYMENT_FAILED'), 'event');
    expect(parsed.event.resources?.[0]).toBe('arn:aws:ecs:us-west-2:111122223333:service/default/servicetest');
  });

  it('refuses what is not an EventBridge event with one line naming the problem', () => {
    const error = thrown(() => parseTriggerEvent({ id: 'x', detail: {} }, 'in.json'));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).not.toBeInstanceOf(UnsupportedEventError);
    expect(error.message).toBe(
      "in.json: not an EventBridge event: detail-type: missing (expected string); source: missing (expected string); account: missing (expected string) (+2 more)",
    );
    expect(thrown(() => parseTriggerEvent('hello', 'event')).message).toBe(
      'event: not an EventBridge event: (top level): expected object, got string',
    );
    expect(thrown(() => parseTriggerEvent({ ...taskEvent('STOPPED'), time: 'yesterday' }, 'event')).message).toBe(
      'event: not an EventBridge event: time: expected an ISO-8601 time or epoch milliseconds',
    );
  });

  it('names the bad detail field of a supported event', () => {
    const event = taskEvent('STOPPED');
    delete (event.detail as Record<string, unknown>).taskArn;
    const error = thrown(() => parseTriggerEvent(event, 'event'));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe('event: not a valid ECS Task State Change event: detail.taskArn: missing (expected string)');
  });

  it.each([
    [taskEvent('RUNNING'), 'event: ECS Task State Change with lastStatus RUNNING is not analysed (only STOPPED tasks)'],
    [
      deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'),
      'event: ECS Deployment State Change with eventName SERVICE_DEPLOYMENT_COMPLETED is not analysed (only SERVICE_DEPLOYMENT_FAILED, or SERVICE_DEPLOYMENT_IN_PROGRESS of a rollback)',
    ],
    [
      inProgress('ECS deployment ecs-svc/123 in progress.'),
      'event: ECS Deployment State Change with eventName SERVICE_DEPLOYMENT_IN_PROGRESS is not analysed (only SERVICE_DEPLOYMENT_FAILED, or SERVICE_DEPLOYMENT_IN_PROGRESS of a rollback)',
    ],
    [
      alarmEvent('ALARM', { namespace: 'AWS/ELB', name: 'UnHealthyHostCount', dimensions: { AvailabilityZone: 'us-west-2a' } }),
      "event: CloudWatch alarm 'web-unhealthy' on AWS/ELB UnHealthyHostCount is not analysed (only UnHealthyHostCount/HealthyHostCount alarms of AWS/ApplicationELB or AWS/NetworkELB with a TargetGroup dimension, or of AWS/ELB with a LoadBalancerName dimension)",
    ],
    [
      serviceActionEvent('INFO', 'SERVICE_STEADY_STATE'),
      'event: ECS Service Action with eventType INFO (SERVICE_STEADY_STATE) is not analysed (only WARN and ERROR)',
    ],
    [alarmEvent('OK', UNHEALTHY_HOSTS), 'event: CloudWatch Alarm State Change to state OK is not analysed (only ALARM)'],
    [
      alarmEvent('ALARM', { namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: { InstanceId: 'i-12345678901234567' } }),
      "event: CloudWatch alarm 'web-unhealthy' on AWS/EC2 CPUUtilization is not analysed (only UnHealthyHostCount/HealthyHostCount alarms of AWS/ApplicationELB or AWS/NetworkELB with a TargetGroup dimension, or of AWS/ELB with a LoadBalancerName dimension)",
    ],
    [
      envelope('EC2 Instance State-change Notification', 'aws.ec2', { 'instance-id': 'i-1', state: 'terminated' }),
      `event: event type 'EC2 Instance State-change Notification' is not analysed yet; supported: ${SUPPORTED_EVENTS}`,
    ],
  ])('refuses a valid event it does not analyse: %#', (event, message) => {
    const error = thrown(() => parseTriggerEvent(event, 'event'));
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  // Offline readers of recorded bundles accept events that report no failure, so such a bundle gets a report
  // saying so instead of "not analysed" (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html).
  it.each([
    [taskEvent('RUNNING'), 'task_stopped', /^The task is RUNNING, not STOPPED/],
    [deploymentEvent('SERVICE_DEPLOYMENT_COMPLETED'), 'deployment_failed', /^The deployment completed/],
    [inProgress('ECS deployment ecs-svc/123 in progress.'), 'deployment_failed', /^The deployment is in progress/],
    [serviceActionEvent('INFO', 'SERVICE_STEADY_STATE'), 'service_action', /^The service reports SERVICE_STEADY_STATE \(eventType INFO\)/],
    [alarmEvent('OK', UNHEALTHY_HOSTS), 'target_unhealthy', /^The alarm is back to OK/],
  ])('accepts an informational event when asked to: %#', (event, kind, summary) => {
    const parsed = parseTriggerEvent(event, 'event', { informational: true });
    expect(parsed.kind).toBe(kind);
    expect(parsed.informational).toMatch(summary);
    // Without the option the same event is declined, as the Lambda handler declines it.
    expect(thrown(() => parseTriggerEvent(event, 'event'))).toBeInstanceOf(UnsupportedEventError);
  });

  it('leaves failure events alone and still declines unsupported ones when informational events are accepted', () => {
    expect(parseTriggerEvent(taskEvent('STOPPED'), 'event', { informational: true }).informational).toBeUndefined();
    expect(parseTriggerEvent(inProgress('ECS deployment circuit breaker: rolling back to deploymentId ecs-svc/1.'), 'event', { informational: true }).informational).toBeUndefined();
    for (const event of [
      alarmEvent('OK', { namespace: 'AWS/EC2', name: 'CPUUtilization', dimensions: { InstanceId: 'i-12345678901234567' } }),
      alarmEvent('INSUFFICIENT_DATA', UNHEALTHY_HOSTS),
      envelope('EC2 Instance State-change Notification', 'aws.ec2', { 'instance-id': 'i-1', state: 'terminated' }),
    ]) {
      expect(thrown(() => parseTriggerEvent(event, 'event', { informational: true }))).toBeInstanceOf(UnsupportedEventError);
    }
  });

  it('lists every supported detail-type in the unsupported-type message', () => {
    for (const detailType of ['ECS Task State Change', 'ECS Deployment State Change', 'ECS Service Action', 'CloudWatch Alarm State Change']) {
      expect(SUPPORTED_EVENTS).toContain(detailType);
    }
  });
});

describe('alarmMetric', () => {
  const detail = (configuration: Record<string, unknown>) =>
    ({ alarmName: 'a', state: { value: 'ALARM' }, configuration }) as Parameters<typeof alarmMetric>[0];

  it('reads the simple shape with DescribeAlarms-style dimensions', () => {
    expect(
      alarmMetric(
        detail({
          namespace: 'AWS/ApplicationELB',
          metricName: 'UnHealthyHostCount',
          dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/tg/1' }],
        }),
      ),
    ).toEqual({ namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensions: { TargetGroup: 'targetgroup/tg/1' } });
  });

  it('picks the target-health metric among the metrics of a metric-math alarm', () => {
    const metric = alarmMetric(
      detail({
        metrics: [
          { id: 'e1', expression: 'm1 + m2' },
          { id: 'm0', metricStat: { metric: { namespace: 'AWS/ApplicationELB', name: 'RequestCount', dimensions: { LoadBalancer: 'app/x/1' } } } },
          { id: 'm1', metricStat: { metric: { namespace: 'AWS/ApplicationELB', name: 'UnHealthyHostCount', dimensions: { TargetGroup: 'targetgroup/tg/1' } } } },
        ],
      }),
    );
    expect(metric?.metricName).toBe('UnHealthyHostCount');
  });

  it('is undefined for a composite alarm (no metric)', () => {
    expect(alarmMetric(detail({ alarmRule: 'ALARM(a) OR ALARM(b)' }))).toBeUndefined();
  });
});

describe('named errors', () => {
  it('keep their name and cause, and stay on one line', () => {
    const cause = new SyntaxError('Unexpected token');
    const error = new BadInputError('x.json: not valid JSON\n  (line 1)', { cause });
    expect(error.name).toBe('BadInputError');
    expect(error.cause).toBe(cause);
    expect(error.message).toBe('x.json: not valid JSON (line 1)');
    const unsupported = new UnsupportedEventError('event: not analysed');
    expect(unsupported.name).toBe('UnsupportedEventError');
    expect(unsupported).toBeInstanceOf(BadInputError);
    expect('cause' in unsupported).toBe(false);
    const collector = new CollectorError('ecs:DescribeTasks timed out after 5000 ms', { operation: 'ecs:DescribeTasks', cause });
    expect(collector).not.toBeInstanceOf(BadInputError);
    expect(collector).toMatchObject({ name: 'CollectorError', operation: 'ecs:DescribeTasks', cause });
  });
});
