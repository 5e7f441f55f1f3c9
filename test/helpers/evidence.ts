import type { Evidence, TaskEvidence } from '../../lambda/evidence/types';

/** A minimal `task_stopped` evidence object for rule tests; override any part. */
export function taskStopped(task: Partial<TaskEvidence> = {}, rest: Partial<Omit<Evidence, 'trigger'>> = {}): Evidence {
  const taskArn = task.taskArn ?? 'arn:aws:ecs:us-east-1:111122223333:task/demo/0123456789abcdef0123456789abcdef';
  return {
    trigger: {
      kind: 'task_stopped',
      eventId: 'e-1',
      detailType: 'ECS Task State Change',
      time: '2026-01-15T10:00:00.000Z',
      account: '111122223333',
      region: 'us-east-1',
    },
    tasks: [{ taskArn, taskId: taskArn.split('/').pop() ?? '', containers: [], ...task }],
    services: [],
    logs: [],
    targetHealth: [],
    alarms: [],
    gaps: [],
    ...rest,
  };
}

/** One log stream for the primary task's container `app`. */
export function appLogs(...messages: string[]): Evidence['logs'] {
  return [
    {
      logGroupName: '/ecs/demo',
      logStreamName: 'ecs/app/0123456789abcdef0123456789abcdef',
      containerName: 'app',
      events: messages.map((message, i) => ({ timestamp: 1736935200000 + i * 1000, message })),
    },
  ];
}

/** One service `web` whose events are the given messages, newest first as ECS lists them (one minute apart). */
export function serviceEvents(...messages: string[]): Evidence['services'] {
  return [
    {
      serviceName: 'web',
      loadBalancers: [],
      deployments: [],
      events: messages.map((message, i) => ({ id: `ev-${i}`, createdAt: 1736935200000 - i * 60_000, message })),
    },
  ];
}

/** A container definition with ECS defaults (essential, no ports, mounts, environment or secrets); override any part. */
export function containerDefinition(
  name: string,
  overrides: Partial<NonNullable<Evidence['taskDefinition']>['containers'][number]> = {},
): NonNullable<Evidence['taskDefinition']>['containers'][number] {
  return { name, essential: true, portMappings: [], mountPoints: [], environmentNames: [], secretNames: [], dependsOn: [], ...overrides };
}

/** A Fargate task definition holding the given container definitions; override any other part. */
export function taskDefinition(
  containers: NonNullable<Evidence['taskDefinition']>['containers'],
  overrides: Partial<NonNullable<Evidence['taskDefinition']>> = {},
): NonNullable<Evidence['taskDefinition']> {
  return { family: 'demo', revision: 1, networkMode: 'awsvpc', requiresCompatibilities: ['FARGATE'], volumes: [], containers, ...overrides };
}

/**
 * Target health of one target group (`web-tg`) with one unhealthy target, as DescribeTargetHealth
 * reports it (`TargetHealth.Reason`, `TargetHealth.Description`); optionally the group's health-check settings.
 */
export function unhealthyTarget(
  reason: string,
  description?: string,
  healthCheck?: Evidence['targetHealth'][number]['healthCheck'],
): Evidence['targetHealth'] {
  return [
    {
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b',
      targets: [{ id: '10.0.1.10', port: 8000, state: 'unhealthy', reason, ...(description ? { description } : {}) }],
      ...(healthCheck ? { healthCheck } : {}),
    },
  ];
}

/** An `ECS Service Action` evidence object for service `web`, named `eventName`; override any other part. */
export function serviceAction(eventName: string, rest: Partial<Omit<Evidence, 'trigger'>> = {}, trigger: Partial<Evidence['trigger']> = {}): Evidence {
  return {
    ...taskStopped({}, rest),
    tasks: rest.tasks ?? [],
    trigger: {
      kind: 'service_action',
      eventId: 'e-2',
      detailType: 'ECS Service Action',
      time: '2026-01-15T10:00:00.000Z',
      account: '111122223333',
      region: 'us-east-1',
      eventType: 'ERROR',
      eventName,
      serviceName: 'web',
      ...trigger,
    },
  };
}

/** A `target_unhealthy` evidence object (an `UnHealthyHostCount` alarm on `web-tg`) with the given target health. */
export function targetAlarm(targetHealth: Evidence['targetHealth'], rest: Partial<Omit<Evidence, 'trigger' | 'targetHealth'>> = {}): Evidence {
  return {
    ...taskStopped({}, { ...rest, targetHealth }),
    tasks: rest.tasks ?? [],
    trigger: {
      kind: 'target_unhealthy',
      eventId: 'e-3',
      detailType: 'CloudWatch Alarm State Change',
      time: '2026-01-15T10:00:00.000Z',
      account: '111122223333',
      region: 'us-east-1',
      alarmName: 'web-unhealthy-hosts',
      targetGroupDimension: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b',
      targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b',
    },
  };
}
