import { discoverLogStream, fireLensTag, resolveFireLensTemplate, type StreamDiscoveryTask } from '../../../lambda/evidence/logs/stream-discovery';
import type { ContainerDefinitionEvidence } from '../../../lambda/evidence/types';

const TASK_ID = 'c38df9cd0cd46f2022a5718e83f08d41';
const task: StreamDiscoveryTask = {
  taskId: TASK_ID,
  taskArn: `arn:aws:ecs:us-east-1:111122223333:task/prod/${TASK_ID}`,
  clusterArn: 'arn:aws:ecs:us-east-1:111122223333:cluster/prod',
  taskDefinition: 'web:7',
};

function container(name: string, logConfiguration?: ContainerDefinitionEvidence['logConfiguration']): ContainerDefinitionEvidence {
  return {
    name,
    essential: true,
    portMappings: [],
    mountPoints: [],
    environmentNames: [],
    secretNames: [],
    dependsOn: [],
    ...(logConfiguration ? { logConfiguration } : {}),
  };
}

describe('discoverLogStream: awslogs', () => {
  it('with awslogs-stream-prefix: PREFIX/CONTAINER/TASK_ID', () => {
    const def = container('app', { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-region': 'us-east-1', 'awslogs-stream-prefix': 'ecs' } });
    expect(discoverLogStream(def, task)).toEqual({
      kind: 'stream',
      containerName: 'app',
      logGroupName: '/ecs/web',
      logStreamName: `ecs/app/${TASK_ID}`,
      region: 'us-east-1',
      via: 'awslogs',
    });
  });

  it('without a prefix: the Docker container id that ECS reports as runtimeId', () => {
    const def = container('app', { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } });
    const runtimeId = '4f5e3c0d2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6c5b4a3928170';
    expect(discoverLogStream(def, { ...task, runtimeIds: { app: runtimeId } })).toMatchObject({
      kind: 'stream',
      logGroupName: '/ecs/web',
      logStreamName: runtimeId,
    });
  });

  it('without a prefix and without a runtimeId: nothing to read, and says why', () => {
    const def = container('app', { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web' } });
    const target = discoverLogStream(def, task);
    expect(target.kind).toBe('none');
    expect(target.kind === 'none' && target.reason).toMatch(/no awslogs-stream-prefix.*Docker container id/);
  });

  it('with an explicit awslogs-stream', () => {
    const def = container('app', { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/web', 'awslogs-stream': 'fixed', 'awslogs-stream-prefix': 'ecs' } });
    expect(discoverLogStream(def, task)).toMatchObject({ kind: 'stream', logStreamName: 'fixed' });
  });

  it('without awslogs-group', () => {
    expect(discoverLogStream(container('app', { logDriver: 'awslogs', options: {} }), task).kind).toBe('none');
  });
});

describe('discoverLogStream: FireLens with the CloudWatch output', () => {
  it('core cloudwatch_logs plugin with log_stream_prefix: PREFIX + CONTAINER-firelens-TASK_ID', () => {
    const def = container('app', {
      logDriver: 'awsfirelens',
      options: { Name: 'cloudwatch_logs', region: 'eu-west-1', log_group_name: '/ecs/app', log_stream_prefix: 'from-fluent-bit-', auto_create_group: 'true' },
    });
    expect(discoverLogStream(def, task)).toEqual({
      kind: 'stream',
      containerName: 'app',
      logGroupName: '/ecs/app',
      logStreamName: `from-fluent-bit-app-firelens-${TASK_ID}`,
      region: 'eu-west-1',
      via: 'firelens',
    });
  });

  it('Go cloudwatch plugin with $(ecs_task_id) and $(ecs_cluster) templates', () => {
    const def = container('app', {
      logDriver: 'awsfirelens',
      options: { Name: 'cloudwatch', log_group_name: '/aws/ecs/containerinsights/$(ecs_cluster)/application', log_stream_name: 'web-$(ecs_task_id)' },
    });
    expect(discoverLogStream(def, task)).toMatchObject({
      kind: 'stream',
      logGroupName: '/aws/ecs/containerinsights/prod/application',
      logStreamName: `web-${TASK_ID}`,
    });
  });

  it('a template with a record key known only at run time gives a prefix to search by', () => {
    const def = container('app', { logDriver: 'awsfirelens', options: { Name: 'cloudwatch', log_group_name: '/ecs/app', log_stream_name: 'app/$(ecs_task_id)/$(uuid)' } });
    expect(discoverLogStream(def, task)).toMatchObject({ kind: 'prefix', logGroupName: '/ecs/app', logStreamNamePrefix: `app/${TASK_ID}/` });
  });

  it('log_stream_template overrides log_stream_name; log_group_template falls back to log_group_name', () => {
    const def = container('app', {
      logDriver: 'awsfirelens',
      options: {
        Name: 'cloudwatch_logs',
        log_group_template: "$kubernetes['namespace_name']",
        log_group_name: '/ecs/fallback',
        log_stream_template: '$(tag)',
        log_stream_name: 'ignored',
      },
    });
    expect(discoverLogStream(def, task)).toMatchObject({ kind: 'stream', logGroupName: '/ecs/fallback', logStreamName: fireLensTag('app', TASK_ID) });
  });

  it('a FireLens output other than CloudWatch', () => {
    const def = container('app', { logDriver: 'awsfirelens', options: { Name: 'firehose', delivery_stream: 'x' } });
    const target = discoverLogStream(def, task);
    expect(target.kind === 'none' && target.reason).toMatch(/'firehose' output, not to CloudWatch Logs/);
  });

  it('FireLens with a custom configuration file and no Name', () => {
    const def = container('app', { logDriver: 'awsfirelens', options: {} });
    expect(discoverLogStream(def, task).kind).toBe('none');
  });
});

describe('discoverLogStream: other cases', () => {
  it('no logConfiguration', () => {
    const target = discoverLogStream(container('app'), task);
    expect(target.kind === 'none' && target.reason).toMatch(/no logConfiguration/);
  });

  it('a driver that does not write to CloudWatch Logs', () => {
    const target = discoverLogStream(container('app', { logDriver: 'splunk', options: {} }), task);
    expect(target.kind === 'none' && target.reason).toMatch(/'splunk'/);
  });
});

describe('resolveFireLensTemplate', () => {
  it('resolves the task placeholders and stops at the first unknown one', () => {
    expect(resolveFireLensTemplate('$(ecs_task_definition)/$(container_name)/$(ecs_task_arn)', 'app', task)).toEqual({
      complete: true,
      value: `web:7/app/${task.taskArn}`,
    });
    expect(resolveFireLensTemplate('x-$(tag[0])-#(log)', 'app', task)).toEqual({
      complete: false,
      prefix: `x-app-firelens-${TASK_ID}-`,
      unresolved: '#(log)',
    });
    expect(resolveFireLensTemplate('plain-name', 'app', task)).toEqual({ complete: true, value: 'plain-name' });
  });
});
