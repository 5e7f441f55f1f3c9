import type { MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { OutputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { Service, Task, TaskDefinition } from '@aws-sdk/client-ecs';
import type { TargetGroup, TargetHealthDescription } from '@aws-sdk/client-elastic-load-balancing-v2';
import { parseTriggerEvent } from '../../lambda/evidence/events';
import {
  awslogsStreamParts,
  normaliseAlarm,
  normaliseLogStream,
  normaliseService,
  normaliseTargetHealth,
  normaliseTask,
  normaliseTaskDefinition,
  toEpochMs,
  triggerFromEvent,
} from '../../lambda/evidence/normalise';
import { BadInputError } from '../../lambda/shared/errors';

const TASK_ARN = 'arn:aws:ecs:eu-west-1:111122223333:task/web/0123456789abcdef0123456789abcdef';
const T0 = Date.UTC(2024, 2, 22, 17, 1, 55); // 2024-03-22T17:01:55Z

describe('toEpochMs', () => {
  it.each([
    ['a Date', new Date(T0), T0],
    ['ISO with Z', '2024-03-22T17:01:55Z', T0],
    ['ISO with millis', '2024-03-22T17:01:55.123Z', T0 + 123],
    ['ISO with microseconds (DescribeServices via some tools)', '2024-03-22T17:01:55.123456Z', T0 + 123],
    ['ISO with +00:00 offset (AWS CLI v2)', '2024-03-22T17:01:55+00:00', T0],
    ['ISO with +0000 offset (CloudWatch alarm state)', '2024-03-22T17:01:55+0000', T0],
    ['ISO with another offset', '2024-03-22T19:01:55+02:00', T0],
    ['epoch ms', T0, T0],
    ['epoch ms as digits', String(T0), T0],
    ['epoch seconds (AWS CLI v1)', T0 / 1000, T0],
    ['fractional epoch seconds', T0 / 1000 + 0.5, T0 + 500],
  ])('reads %s', (_name, input, expected) => {
    expect(toEpochMs(input)).toBe(expected);
  });

  it.each([[undefined], [null], [''], ['yesterday'], [Number.NaN], [new Date('nope')]])('gives undefined for %p', (input) => {
    expect(toEpochMs(input)).toBeUndefined();
  });
});

describe('normaliseTask', () => {
  const fromSdk: Task = {
    taskArn: TASK_ARN,
    clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/web',
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7',
    group: 'service:web',
    startedBy: 'ecs-svc/1234567890123456789',
    launchType: 'FARGATE',
    lastStatus: 'STOPPED',
    desiredStatus: 'STOPPED',
    stopCode: 'TaskFailedToStart',
    stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
    createdAt: new Date(T0 - 60_000),
    stoppedAt: new Date(T0),
    version: 4,
    containers: [
      { name: 'app', image: 'nginx:1.25', lastStatus: 'STOPPED', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      { image: 'nameless' },
    ],
  };

  it('converts an SDK task with Dates', () => {
    expect(normaliseTask(fromSdk)).toStrictEqual({
      taskArn: TASK_ARN,
      taskId: '0123456789abcdef0123456789abcdef',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/web',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7',
      group: 'service:web',
      startedBy: 'ecs-svc/1234567890123456789',
      launchType: 'FARGATE',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'TaskFailedToStart',
      stoppedReason: 'ResourceInitializationError: unable to pull secrets or registry auth',
      createdAt: T0 - 60_000,
      stoppedAt: T0,
      version: 4,
      containers: [
        { name: 'app', image: 'nginx:1.25', lastStatus: 'STOPPED', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
      ],
    });
  });

  it('gives the same result for the JSON form (ISO strings, nulls, unknown fields)', () => {
    const json = JSON.parse(JSON.stringify(fromSdk)) as Record<string, unknown>;
    Object.assign(json, { healthStatus: null, pullStartedAt: null, connectivity: 'CONNECTED', attachments: [{ id: 'x' }] });
    expect(normaliseTask(json)).toStrictEqual(normaliseTask(fromSdk));
  });

  it('drops fields of the wrong type instead of failing', () => {
    const task = normaliseTask({ taskArn: TASK_ARN, stoppedAt: 'not a time', containers: 'oops' } as never);
    expect(task).toStrictEqual({ taskArn: TASK_ARN, taskId: '0123456789abcdef0123456789abcdef', containers: [] });
  });

  it('refuses a task without taskArn', () => {
    expect(() => normaliseTask({ lastStatus: 'STOPPED' })).toThrow(BadInputError);
  });
});

describe('normaliseTaskDefinition', () => {
  const taskDefinition: TaskDefinition = {
    taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7',
    family: 'web',
    revision: 7,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
    cpu: '256',
    memory: '512',
    executionRoleArn: 'arn:aws:iam::111122223333:role/exec',
    volumes: [
      { name: 'data', efsVolumeConfiguration: { fileSystemId: 'fs-1' } },
      { name: 'scratch' },
      { name: 'hostdir', host: { sourcePath: '/var/data' } },
      { name: 'dockervol', dockerVolumeConfiguration: { scope: 'task' } },
    ],
    containerDefinitions: [
      {
        name: 'app',
        image: 'app:1',
        command: ['python', 'app.py'],
        environment: [{ name: 'DJANGO_SETTINGS_MODULE', value: 'site.settings.production-value' }],
        secrets: [{ name: 'DB_PASSWORD', valueFrom: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:db-pass-AbCdEf' }],
        healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], interval: 30, timeout: 5, retries: 3 },
        portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
        mountPoints: [{ sourceVolume: 'data', containerPath: '/data', readOnly: false }],
        logConfiguration: {
          logDriver: 'splunk',
          options: { 'splunk-url': 'https://splunk.example.com:8088', 'splunk-token': 'a1b2c3-token-value' },
        },
        dependsOn: [{ containerName: 'log_router', condition: 'START' }],
      },
      { name: 'log_router', image: 'fluent-bit:stable', essential: false, firelensConfiguration: { type: 'fluentbit' } },
    ],
  };

  it('keeps names of environment variables and secrets, never their values', () => {
    const result = normaliseTaskDefinition(taskDefinition);
    expect(result.containers[0]?.environmentNames).toEqual(['DJANGO_SETTINGS_MODULE']);
    expect(result.containers[0]?.secretNames).toEqual(['DB_PASSWORD']);
    const text = JSON.stringify(result);
    expect(text).not.toContain('site.settings.production-value');
    expect(text).not.toContain('secretsmanager');
    expect(text).not.toContain('a1b2c3-token-value');
    expect(result.containers[0]?.logConfiguration).toEqual({
      logDriver: 'splunk',
      options: { 'splunk-url': 'https://splunk.example.com:8088', 'splunk-token': '(redacted)' },
    });
  });

  it('converts the rest of the definition', () => {
    const result = normaliseTaskDefinition(taskDefinition);
    expect(result.volumes).toEqual([
      { name: 'data', kind: 'efs' },
      { name: 'scratch', kind: 'bind' },
      { name: 'hostdir', kind: 'host' },
      { name: 'dockervol', kind: 'docker' },
    ]);
    expect(result.runtimePlatform).toEqual({ cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' });
    expect(result.containers[0]).toMatchObject({
      essential: true,
      command: ['python', 'app.py'],
      healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], intervalSeconds: 30, timeoutSeconds: 5, retries: 3 },
      portMappings: [{ containerPort: 8000, protocol: 'tcp' }],
      dependsOn: [{ containerName: 'log_router', condition: 'START' }],
    });
    expect(result.containers[1]).toMatchObject({ name: 'log_router', essential: false, firelensType: 'fluentbit', environmentNames: [], secretNames: [] });
  });

  it('tolerates nulls from a JSON dump', () => {
    const result = normaliseTaskDefinition({ family: 'x', volumes: null, containerDefinitions: [{ name: 'a', essential: null, secrets: null }] });
    expect(result).toStrictEqual({
      family: 'x',
      requiresCompatibilities: [],
      volumes: [],
      containers: [{ name: 'a', essential: true, portMappings: [], mountPoints: [], environmentNames: [], secretNames: [], dependsOn: [] }],
    });
  });
});

describe('normaliseService', () => {
  const service: Service = {
    serviceName: 'web',
    serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web',
    clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod',
    desiredCount: 2,
    runningCount: 0,
    healthCheckGracePeriodSeconds: 60,
    loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1', containerName: 'app', containerPort: 8000 }],
    deployments: [{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'FAILED', failedTasks: 3, createdAt: new Date(T0) }],
    events: [
      { id: 'b', createdAt: new Date(T0), message: '(service web) has started 1 tasks: (task abc).' },
      { id: 'a', createdAt: new Date(T0 - 1000), message: '(service web) was unable to place a task.' },
    ],
  };

  it('converts DescribeServices output, events newest first', () => {
    const result = normaliseService(service);
    expect(result.events.map((e) => e.id)).toEqual(['b', 'a']);
    expect(result.deployments).toEqual([{ id: 'ecs-svc/1', status: 'PRIMARY', rolloutState: 'FAILED', failedTasks: 3, createdAt: T0 }]);
    expect(result.loadBalancers[0]).toEqual({ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1', containerName: 'app', containerPort: 8000 });
  });

  it('sorts events newest first when a dump lists them oldest first', () => {
    const reversed = { ...service, events: [...(service.events ?? [])].reverse() };
    expect(normaliseService(reversed).events.map((e) => e.id)).toEqual(['b', 'a']);
  });

  it('takes the name from the ARN and tolerates nulls', () => {
    const result = normaliseService({ serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/api', clusterArn: null, events: null });
    expect(result).toStrictEqual({
      serviceName: 'api',
      serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/api',
      loadBalancers: [],
      deployments: [],
      events: [],
    });
  });
});

describe('normaliseTargetHealth', () => {
  it('reads ELBv2 PascalCase shapes and the health-check settings', () => {
    const descriptions: TargetHealthDescription[] = [
      { Target: { Id: '10.0.1.10', Port: 8000, AvailabilityZone: 'eu-west-1a' }, TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: 'Health checks failed with these codes: [404]' } },
      { Target: { Id: '10.0.1.11', Port: 8000 }, TargetHealth: { State: 'healthy' } },
    ];
    const targetGroup: TargetGroup = {
      TargetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1',
      HealthCheckProtocol: 'HTTP',
      HealthCheckPort: 'traffic-port',
      HealthCheckPath: '/health',
      HealthCheckTimeoutSeconds: 5,
      HealthCheckIntervalSeconds: 30,
      HealthyThresholdCount: 5,
      UnhealthyThresholdCount: 2,
      Matcher: { HttpCode: '200' },
    };
    const result = normaliseTargetHealth({ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1', targetHealthDescriptions: descriptions, targetGroup });
    expect(result).toStrictEqual({
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/1',
      targets: [
        { id: '10.0.1.10', port: 8000, availabilityZone: 'eu-west-1a', state: 'unhealthy', reason: 'Target.ResponseCodeMismatch', description: 'Health checks failed with these codes: [404]' },
        { id: '10.0.1.11', port: 8000, state: 'healthy' },
      ],
      healthCheck: { protocol: 'HTTP', port: 'traffic-port', path: '/health', matcher: '200', timeoutSeconds: 5, intervalSeconds: 30, healthyThresholdCount: 5, unhealthyThresholdCount: 2 },
    });
  });

  it('tolerates missing descriptions', () => {
    expect(normaliseTargetHealth({ targetGroupArn: 'tg', targetHealthDescriptions: null, targetGroup: null })).toStrictEqual({ targetGroupArn: 'tg', targets: [] });
  });
});

describe('normaliseAlarm', () => {
  it('reads DescribeAlarms MetricAlarms', () => {
    const alarm: MetricAlarm = {
      AlarmName: 'web-unhealthy',
      StateValue: 'ALARM',
      StateReason: 'Threshold Crossed',
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web/1' }],
      StateUpdatedTimestamp: new Date(T0),
    };
    expect(normaliseAlarm(alarm)).toStrictEqual({
      alarmName: 'web-unhealthy',
      stateValue: 'ALARM',
      stateReason: 'Threshold Crossed',
      namespace: 'AWS/ApplicationELB',
      metricName: 'UnHealthyHostCount',
      dimensions: { TargetGroup: 'targetgroup/web/1' },
    });
  });

  it('reads the metric of a metric-math alarm', () => {
    const result = normaliseAlarm({
      AlarmName: 'm',
      Metrics: [{ Id: 'e1', Expression: 'm1' }, { Id: 'm1', MetricStat: { Metric: { Namespace: 'AWS/NetworkELB', MetricName: 'UnHealthyHostCount', Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/n/2' }] }, Period: 60, Stat: 'Maximum' } }],
    });
    expect(result).toMatchObject({ namespace: 'AWS/NetworkELB', metricName: 'UnHealthyHostCount', dimensions: { TargetGroup: 'targetgroup/n/2' } });
  });
});

describe('normaliseLogStream', () => {
  it('derives container and task id from an awslogs stream name, events oldest first', () => {
    const result = normaliseLogStream({
      logGroupName: '/ecs/web',
      logStreamName: 'ecs/app/0123456789abcdef0123456789abcdef',
      events: [
        { timestamp: '2024-03-22T17:01:56Z', message: 'second' },
        { timestamp: T0, message: 'first' },
        { timestamp: T0 + 2000, message: null } as never,
      ],
    });
    expect(result).toStrictEqual({
      logGroupName: '/ecs/web',
      logStreamName: 'ecs/app/0123456789abcdef0123456789abcdef',
      containerName: 'app',
      taskId: '0123456789abcdef0123456789abcdef',
      events: [
        { timestamp: T0, message: 'first' },
        { timestamp: T0 + 1000, message: 'second' },
      ],
    });
  });

  it('accepts GetLogEvents output as the SDK returns it', () => {
    const events: OutputLogEvent[] = [{ timestamp: T0, message: 'started', ingestionTime: T0 + 5 }];
    expect(normaliseLogStream({ logGroupName: 'g', logStreamName: 's', events }).events).toStrictEqual([{ timestamp: T0, message: 'started' }]);
  });

  it('keeps the given order when a timestamp is missing, and keeps given names', () => {
    const result = normaliseLogStream({
      logGroupName: 'g',
      logStreamName: 'prefix/app/0123456789abcdef0123456789abcdef',
      containerName: 'web',
      taskId: 'given',
      events: [{ timestamp: T0 + 1, message: 'b' }, { message: 'a' }],
      truncated: true,
    });
    expect(result.events.map((e) => e.message)).toEqual(['b', 'a']);
    expect(result).toMatchObject({ containerName: 'web', taskId: 'given', truncated: true });
  });

  it('matches old UUID task ids only when known, and leaves other names alone', () => {
    const uuid = '1dc5c17a-422b-4dc4-b493-371970c6c4d6';
    expect(awslogsStreamParts(`ecs/app/${uuid}`)).toBeUndefined();
    expect(awslogsStreamParts(`ecs/app/${uuid}`, [uuid])).toEqual({ containerName: 'app', taskId: uuid });
    expect(awslogsStreamParts('app-firelens-0123456789abcdef0123456789abcdef')).toBeUndefined();
    expect(awslogsStreamParts('2024/03/22/[$LATEST]0123456789abcdef0123456789abcdef')).toBeUndefined();
    expect(normaliseLogStream({ logGroupName: 'g', logStreamName: 'plain', events: null })).toStrictEqual({ logGroupName: 'g', logStreamName: 'plain', events: [] });
  });
});

describe('triggerFromEvent', () => {
  const base = { version: '0', id: 'e-1', source: 'aws.ecs', account: '111122223333', time: '2024-04-13T16:48:30Z', region: 'eu-west-1' };

  it('builds a task_stopped trigger from the task (service from group, deployment from startedBy)', () => {
    const parsed = parseTriggerEvent(
      {
        ...base,
        'detail-type': 'ECS Task State Change',
        resources: [TASK_ARN],
        detail: { taskArn: TASK_ARN, lastStatus: 'STOPPED', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/web', group: 'service:web', startedBy: 'ecs-svc/42' },
      },
      'event',
    );
    expect(triggerFromEvent(parsed)).toStrictEqual({
      kind: 'task_stopped',
      eventId: 'e-1',
      detailType: 'ECS Task State Change',
      time: '2024-04-13T16:48:30.000Z',
      account: '111122223333',
      region: 'eu-west-1',
      deploymentId: 'ecs-svc/42',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/web',
      serviceName: 'web',
    });
  });

  it('leaves service and deployment out for a standalone task', () => {
    const parsed = parseTriggerEvent(
      { ...base, time: 1713026910000, 'detail-type': 'ECS Task State Change', resources: [], detail: { taskArn: TASK_ARN, lastStatus: 'STOPPED', group: 'family:job', startedBy: 'events-rule/nightly' } },
      'event',
    );
    const trigger = triggerFromEvent(parsed);
    expect(trigger.serviceName).toBeUndefined();
    expect(trigger.deploymentId).toBeUndefined();
    expect(trigger.time).toBe('2024-04-13T16:48:30.000Z');
  });

  it('reads cluster and service of a deployment event from resources[0]', () => {
    const parsed = parseTriggerEvent(
      {
        ...base,
        'detail-type': 'ECS Deployment State Change',
        resources: ['arn:aws:ecs:eu-west-1:111122223333:service/r-api-cluster/r-api'],
        detail: { eventType: 'ERROR', eventName: 'SERVICE_DEPLOYMENT_FAILED', deploymentId: 'ecs-svc/44', reason: 'ECS deployment circuit breaker: task failed to start.' },
      },
      'event',
    );
    expect(triggerFromEvent(parsed)).toMatchObject({
      kind: 'deployment_failed',
      eventName: 'SERVICE_DEPLOYMENT_FAILED',
      eventType: 'ERROR',
      reason: 'ECS deployment circuit breaker: task failed to start.',
      deploymentId: 'ecs-svc/44',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/r-api-cluster',
      serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/r-api-cluster/r-api',
      serviceName: 'r-api',
    });
  });

  it('reads a service action event, with an old-format service ARN or the service in the detail', () => {
    const event = (resources: string[], detail: Record<string, unknown>) =>
      parseTriggerEvent({ ...base, 'detail-type': 'ECS Service Action', resources, detail: { eventType: 'WARN', eventName: 'SERVICE_TASK_PLACEMENT_FAILURE', reason: 'RESOURCE:MEMORY', ...detail } }, 'event');
    expect(triggerFromEvent(event(['arn:aws:ecs:eu-west-1:111122223333:service/legacy'], { clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/default' }))).toMatchObject({
      kind: 'service_action',
      eventName: 'SERVICE_TASK_PLACEMENT_FAILURE',
      eventType: 'WARN',
      reason: 'RESOURCE:MEMORY',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/default',
      serviceName: 'legacy',
    });
    expect(triggerFromEvent(event([], { service: 'arn:aws:ecs:eu-west-1:111122223333:service/c/api' })).serviceName).toBe('api');
    expect(triggerFromEvent(event([], { serviceName: 'worker' })).serviceName).toBe('worker');
  });

  it('builds the target group ARN of an alarm trigger from its TargetGroup dimension', () => {
    const parsed = parseTriggerEvent(
      {
        ...base,
        source: 'aws.cloudwatch',
        'detail-type': 'CloudWatch Alarm State Change',
        resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:web-unhealthy-hosts'],
        detail: {
          alarmName: 'web-unhealthy-hosts',
          state: { value: 'ALARM', reason: 'Threshold Crossed: 2 out of the last 2 datapoints' },
          configuration: {
            metrics: [{ id: 'm1', metricStat: { metric: { namespace: 'AWS/ApplicationELB', name: 'UnHealthyHostCount', dimensions: { LoadBalancer: 'app/web-alb/5f3a', TargetGroup: 'targetgroup/web-tg/0a1b' } } } }],
          },
        },
      },
      'event',
    );
    expect(triggerFromEvent(parsed)).toMatchObject({
      kind: 'target_unhealthy',
      alarmName: 'web-unhealthy-hosts',
      alarmReason: 'Threshold Crossed: 2 out of the last 2 datapoints',
      targetGroupDimension: 'targetgroup/web-tg/0a1b',
      loadBalancerDimension: 'app/web-alb/5f3a',
      targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/0a1b',
    });
  });
});
