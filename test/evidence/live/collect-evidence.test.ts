import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { AccessDeniedException, DescribeServicesCommand, DescribeTaskDefinitionCommand, DescribeTasksCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand } from '@aws-sdk/client-elastic-load-balancing-v2';
import { evidenceFromBundle } from '../../../lambda/evidence/bundle/bundle-evidence';
import { BUNDLE_SCHEMA } from '../../../lambda/evidence/bundle/read-bundle';
import { collectEvidence } from '../../../lambda/evidence/collect-evidence';
import { incidentBundleOf } from '../../../lambda/pipeline/run-analysis';
import type { Evidence } from '../../../lambda/evidence/types';
import { Deadline } from '../../../lambda/shared/deadline';
import { cloudwatchMock, corpusFiles, ecsMock, elbMock, loadCorpus, logsMock, mockDeps, recordedTasks, resetMocks, sdkTask, serveBundle } from './corpus-aws';

beforeEach(resetMocks);

/** The facts a rule reads, without fields that only the live source adds (ARNs, settings, `essential`). */
function facts(evidence: Evidence) {
  return {
    trigger: evidence.trigger,
    tasks: evidence.tasks.map((t) => ({
      taskArn: t.taskArn,
      stopCode: t.stopCode,
      stoppedReason: t.stoppedReason,
      containers: t.containers.map((c) => ({ name: c.name, exitCode: c.exitCode, reason: c.reason })),
    })),
    services: evidence.services.map((s) => ({ serviceName: s.serviceName, events: s.events })),
    logs: evidence.logs.map((l) => ({ logGroupName: l.logGroupName, logStreamName: l.logStreamName, containerName: l.containerName, taskId: l.taskId, events: l.events })),
    targetHealth: evidence.targetHealth.map((t) => ({ targetGroupArn: t.targetGroupArn, targets: t.targets })),
    alarms: evidence.alarms,
  };
}

describe('collectEvidence against AWS serving the recorded evidence of every corpus bundle', () => {
  it.each(corpusFiles())('%s: live collection finds what the bundle recorded, and its capture replays to the same evidence', async (file) => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    const { evidence, bundle: captured } = await collectEvidence(bundle.event, 'event', mockDeps());

    expect(facts(evidence)).toEqual(facts(evidenceFromBundle(bundle)));
    // Only containers without a recorded stream may leave a gap (their stream does not exist).
    for (const gap of evidence.gaps) expect(gap).toMatch(/^logs:GetLogEvents for log stream .* failed: not found \(ResourceNotFoundException/);
    // The capture is an incident-bundle.v1 evidence object that replays to the same evidence.
    const replayed = evidenceFromBundle({ schema: BUNDLE_SCHEMA, event: bundle.event, trigger: bundle.trigger, evidence: JSON.parse(JSON.stringify(captured)) });
    expect(replayed).toEqual({ ...evidence, gaps: [] });
    // Environment values never reach the bundle that leaves the analyzer (audit record, capture).
    expect(JSON.stringify(incidentBundleOf(bundle.event, captured))).not.toContain('hunter2');
  });
});

describe('fault injection (corpus 12: stopped service task with logs and an ALB target group)', () => {
  const file = '12-arm-image-on-x86-fargate-alb-symptom.json';
  const EXEC_FORMAT = 'exec /usr/local/bin/streamlit: exec format error';

  it('the happy path reads the task, its definition, the service, the container log and target health', async () => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    const { evidence, bundle: captured } = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(evidence.gaps).toEqual([]);
    expect(evidence.logs[0]?.events.map((e) => e.message)).toEqual([EXEC_FORMAT]);
    expect(evidence.targetHealth[0]?.healthCheck).toMatchObject({ path: '/health', matcher: '200' });
    expect(evidence.tasks[0]?.containers[0]?.essential).toBe(true);
    expect(Object.keys(captured).sort()).toEqual(['logs', 'services', 'targetHealth', 'taskDefinition', 'tasks']);
    expect(ecsMock.commandCalls(DescribeTasksCommand)[0]?.args[0].input).toMatchObject({ cluster: 'arn:aws:ecs:us-east-1:111122223333:cluster/prompt-demo' });
    expect(logsMock.commandCalls(GetLogEventsCommand)[0]?.args[0].input).toMatchObject({
      logGroupName: '/ecs/streamlit-ui',
      logStreamName: 'ecs/streamlit/c38df9cd0cd46f2022a5718e83f08d41',
      startFromHead: true,
    });
  });

  it('AccessDeniedException on DescribeTaskDefinition: a gap, and the rest of the evidence still arrives', async () => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    ecsMock.on(DescribeTaskDefinitionCommand).rejects(
      new AccessDeniedException({
        message: 'User: arn:aws:sts::111122223333:assumed-role/rca/fn is not authorized to perform: ecs:DescribeTaskDefinition',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const { evidence } = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(evidence.gaps).toEqual([
      "ecs:DescribeTaskDefinition for task definition streamlit-ui:3 failed: access denied, the caller's AWS credentials lack this permission (AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/rca/fn is not authorized to perform: ecs:DescribeTaskDefinition).",
    ]);
    expect(evidence.taskDefinition).toBeUndefined();
    expect(evidence.tasks[0]?.stoppedReason).toBe('Essential container in task exited');
    expect(evidence.targetHealth).toHaveLength(1);
    expect(evidence.services).toHaveLength(1);
  });

  it('DescribeTasks answers MISSING (task expired): a gap, and the event’s own task is analysed', async () => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [], failures: [{ arn: 'arn:aws:ecs:us-east-1:111122223333:task/prompt-demo/c38df9cd0cd46f2022a5718e83f08d41', reason: 'MISSING' }] });
    const { evidence, bundle: captured } = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(evidence.gaps).toEqual([
      'ecs:DescribeTasks did not find task c38df9cd0cd46f2022a5718e83f08d41 (MISSING): ECS returns stopped tasks for about an hour only and this one has probably expired, so the analysis uses the task as the stop event describes it.',
    ]);
    expect(evidence.tasks[0]).toMatchObject({ stopCode: 'EssentialContainerExited', containers: [{ name: 'streamlit', exitCode: 1 }] });
    expect(captured.tasks).toBeUndefined();
    // The log stream is still found from the task definition and the task id.
    expect(evidence.logs[0]?.events[0]?.message).toBe(EXEC_FORMAT);
  });

  it('the log group does not exist: a gap naming GetLogEvents and the group', async () => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    logsMock.on(GetLogEventsCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: { httpStatusCode: 400 } }));
    const { evidence } = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(evidence.logs).toEqual([]);
    expect(evidence.gaps).toEqual([
      'logs:GetLogEvents for log stream ecs/streamlit/c38df9cd0cd46f2022a5718e83f08d41 in log group /ecs/streamlit-ui failed: not found (ResourceNotFoundException: The specified log group does not exist).',
    ]);
    expect(evidence.targetHealth).toHaveLength(1);
  });

  it('a hung DescribeServices times out into a gap while the independent calls complete', async () => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    ecsMock.on(DescribeServicesCommand).callsFake(() => new Promise(() => undefined));
    const { evidence } = await collectEvidence(bundle.event, 'event', mockDeps({ callTimeoutMs: 100 }));
    expect(evidence.gaps).toEqual(['ecs:DescribeServices for service streamlit-ui timed out: no result within 100 ms including retries.']);
    expect(evidence.services).toEqual([]);
    expect(evidence.logs[0]?.events[0]?.message).toBe(EXEC_FORMAT);
  });

  it('deadline exhaustion: every call hangs, collection returns at the deadline with the event’s own evidence', async () => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    const hang = () => new Promise<never>(() => undefined);
    ecsMock.on(DescribeTasksCommand).callsFake(hang);
    ecsMock.on(DescribeTaskDefinitionCommand).callsFake(hang);
    ecsMock.on(DescribeServicesCommand).callsFake(hang);
    const { evidence } = await collectEvidence(bundle.event, 'event', mockDeps({ callTimeoutMs: 10_000 }, Deadline.after(150)));
    expect(evidence.gaps).toHaveLength(3);
    for (const gap of evidence.gaps) expect(gap).toMatch(/^ecs:Describe\w+ for .* was not completed: the invocation deadline was reached/);
    expect(evidence.tasks[0]).toMatchObject({ taskId: 'c38df9cd0cd46f2022a5718e83f08d41', stoppedReason: 'Essential container in task exited' });
    expect(evidence.logs).toEqual([]);
  });

  it('AccessDenied on DescribeTargetHealth leaves the group out with a gap', async () => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    elbMock.on(DescribeTargetHealthCommand).rejects(Object.assign(new Error('User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth'), { name: 'AccessDenied' }));
    const { evidence } = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(evidence.gaps).toEqual([
      "elasticloadbalancing:DescribeTargetHealth for target group targetgroup/prompt-ui/81b57f0f266df847 failed: access denied, the caller's AWS credentials lack this permission (AccessDenied: User is not authorized to perform: elasticloadbalancing:DescribeTargetHealth).",
    ]);
    // The health-check settings alone are still kept for the group.
    expect(evidence.targetHealth).toEqual([
      expect.objectContaining({ targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/prompt-ui/81b57f0f266df847', targets: [] }),
    ]);
  });
});

describe('service-level triggers', () => {
  const deploymentId = 'ecs-svc/4417263409585012345';

  function stoppedTask(id: string, startedBy: string, stoppedAt: string, reason: string): Task {
    return sdkTask({
      taskArn: `arn:aws:ecs:eu-west-1:111122223333:task/r-api-cluster/${id}`,
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/r-api-cluster',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/r-api:7',
      group: 'service:r-api',
      startedBy,
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: 'ServiceSchedulerInitiated',
      stoppedReason: reason,
      createdAt: '2024-04-13T16:40:00Z',
      startedAt: '2024-04-13T16:40:30Z',
      stoppedAt,
      containers: [{ name: 'api', exitCode: 137, lastStatus: 'STOPPED' }],
    });
  }

  it('deployment failed: the deployment’s own stopped tasks come first, at most maxTasks', async () => {
    const bundle = loadCorpus('59-circuit-breaker-health-path-404.json');
    serveBundle(bundle);
    const tasks = [
      stoppedTask('a'.repeat(32), 'ecs-svc/1111111111111111111', '2024-04-13T16:47:00Z', 'Scaling activity initiated by (deployment ecs-svc/1111111111111111111)'),
      stoppedTask('b'.repeat(32), deploymentId, '2024-04-13T16:44:00Z', 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/r-api-tg/6d0ecf831eec9f09)'),
      stoppedTask('c'.repeat(32), 'ecs-svc/1111111111111111111', '2024-04-13T16:46:00Z', 'Scaling activity initiated by (deployment ecs-svc/1111111111111111111)'),
      stoppedTask('d'.repeat(32), deploymentId, '2024-04-13T16:45:30Z', 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/r-api-tg/6d0ecf831eec9f09)'),
    ];
    ecsMock.on(ListTasksCommand).resolves({ taskArns: tasks.map((t) => t.taskArn ?? '') });
    ecsMock.on(DescribeTasksCommand).resolves({ tasks, failures: [] });
    ecsMock.on(DescribeTaskDefinitionCommand).resolves({
      taskDefinition: {
        taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/r-api:7',
        family: 'r-api',
        revision: 7,
        containerDefinitions: [{ name: 'api', essential: true, logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/r-api', 'awslogs-stream-prefix': 'ecs' } } }],
      },
    });
    const { evidence } = await collectEvidence(bundle.event, 'event', mockDeps({ maxTasks: 3, maxTasksWithLogs: 1 }));
    expect(ecsMock.commandCalls(ListTasksCommand)[0]?.args[0].input).toMatchObject({ cluster: 'arn:aws:ecs:eu-west-1:111122223333:cluster/r-api-cluster', serviceName: 'r-api', desiredStatus: 'STOPPED' });
    expect(evidence.tasks.map((t) => t.taskId)).toEqual(['d'.repeat(32), 'b'.repeat(32), 'a'.repeat(32)]);
    expect(evidence.tasks[0]?.startedBy).toBe(deploymentId);
    expect(evidence.taskDefinition?.family).toBe('r-api');
    expect(evidence.targetHealth[0]?.targets[0]?.description).toBe('Health checks failed with these codes: [404]');
    // Logs were read for one task only (maxTasksWithLogs); its stream does not exist in the mock.
    expect(logsMock.commandCalls(GetLogEventsCommand).map((c) => c.args[0].input.logStreamName)).toEqual([`ecs/api/${'d'.repeat(32)}`]);
    expect(evidence.gaps).toEqual([
      `logs:GetLogEvents for log stream ecs/api/${'d'.repeat(32)} in log group /ecs/r-api failed: not found (ResourceNotFoundException: The specified log stream does not exist).`,
    ]);
  });

  it('service action: service events and the target group of the service, without a deployment', async () => {
    const bundle = loadCorpus('54-start-impaired-insufficient-memory.json');
    serveBundle(bundle);
    const { evidence } = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(evidence.services[0]?.events.map((e) => e.message)).toContain(
      '(service image-tagger) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5e1a2b3c4d5e4f6a8b9c0d1e2f3a4b5c) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.',
    );
    expect(evidence.tasks).toEqual([]);
    expect(evidence.gaps).toEqual([]);
  });

  it('target unhealthy: dimension → target group, the service that uses it, and its task behind the unhealthy target', async () => {
    const bundle = loadCorpus('58-alarm-unhealthy-hosts-sg-no-ingress.json');
    serveBundle(bundle);
    const running = sdkTask({
      taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/default/2d7c9e0b1a3f4c5d8e6f7a9b0c1d2e3f',
      clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/default',
      taskDefinitionArn: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:3',
      group: 'service:web',
      lastStatus: 'RUNNING',
      createdAt: '2021-08-30T09:00:00Z',
      startedAt: '2021-08-30T09:01:00Z',
      attachments: [{ type: 'ElasticNetworkInterface', details: [{ name: 'privateIPv4Address', value: '10.0.1.10' }] }],
      containers: [{ name: 'web', lastStatus: 'RUNNING' }],
    });
    const other = sdkTask({ ...running, taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/default/ffffffffffffffffffffffffffffffff', attachments: [] });
    ecsMock.on(DescribeServicesCommand).callsFake((input) => ({
      services: (input.services ?? []).map(() => ({
        serviceName: 'web',
        serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/default/web',
        clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/default',
        loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b', containerName: 'web', containerPort: 8080 }],
        events: [],
      })),
      $metadata: {},
    }));
    ecsMock.on(ListTasksCommand).callsFake((input) => ({ taskArns: input.desiredStatus === 'RUNNING' ? [running.taskArn, other.taskArn] : [], $metadata: {} }));
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [running, other], failures: [] });
    cloudwatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'web-unhealthy-hosts', StateValue: 'ALARM', Namespace: 'AWS/ApplicationELB', MetricName: 'UnHealthyHostCount', Dimensions: [{ Name: 'TargetGroup', Value: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b' }] }],
    });
    const { evidence, bundle: captured } = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(evidence.trigger).toMatchObject({ kind: 'target_unhealthy', serviceName: 'web', targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b' });
    expect(evidence.tasks.map((t) => t.taskId)).toEqual(['2d7c9e0b1a3f4c5d8e6f7a9b0c1d2e3f']);
    expect(evidence.targetHealth[0]?.targets[0]).toMatchObject({ id: '10.0.1.10', state: 'unhealthy', reason: 'Target.Timeout' });
    expect(evidence.targetHealth[0]?.healthCheck?.path).toBe('/health');
    expect(evidence.alarms[0]).toMatchObject({ alarmName: 'web-unhealthy-hosts', dimensions: { TargetGroup: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b' } });
    expect(captured.alarms).toHaveLength(1);
  });

  it('target unhealthy on a Classic Load Balancer: the alarm, and a gap naming the load balancer (no target group to read)', async () => {
    const bundle = loadCorpus('58-alarm-unhealthy-hosts-sg-no-ingress.json');
    const event = JSON.parse(JSON.stringify(bundle.event)) as { detail: { configuration: { metrics: { metricStat: { metric: Record<string, unknown> } }[] } } };
    Object.assign(event.detail.configuration.metrics[0]!.metricStat.metric, { namespace: 'AWS/ELB', dimensions: { LoadBalancerName: 'web-clb' } });
    cloudwatchMock.on(DescribeAlarmsCommand).resolves({
      MetricAlarms: [{ AlarmName: 'web-unhealthy-hosts', StateValue: 'ALARM', Namespace: 'AWS/ELB', MetricName: 'UnHealthyHostCount', Dimensions: [{ Name: 'LoadBalancerName', Value: 'web-clb' }] }],
    });
    const { evidence } = await collectEvidence(event, 'event', mockDeps());
    expect(evidence.trigger).toMatchObject({ kind: 'target_unhealthy', loadBalancerDimension: 'web-clb' });
    expect(evidence.alarms[0]).toMatchObject({ alarmName: 'web-unhealthy-hosts' });
    expect(evidence.gaps).toEqual([expect.stringContaining('Classic Load Balancer web-clb')]);
    expect(elbMock.calls()).toHaveLength(0);
  });
});

describe('collectEvidence: the event is parsed once, here', () => {
  it('returns the parsed trigger beside the evidence', async () => {
    const bundle = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
    serveBundle(bundle);
    const { trigger, evidence } = await collectEvidence(JSON.parse(JSON.stringify(bundle.event)), 'event', mockDeps());
    expect(trigger).toEqual(bundle.trigger);
    expect(evidence.trigger.eventId).toBe(bundle.event.id);
  });

  it('refuses an event it does not analyse before any AWS call', async () => {
    const bundle = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
    serveBundle(bundle);
    const running = { ...bundle.event, detail: { ...bundle.event.detail, lastStatus: 'RUNNING' } };
    await expect(collectEvidence(running, 'the event', mockDeps())).rejects.toThrow(/^the event: ECS Task State Change with lastStatus RUNNING is not analysed/);
    await expect(collectEvidence({ hello: 'world' }, 'the event', mockDeps())).rejects.toThrow(/^the event: not an EventBridge event/);
    expect([...ecsMock.calls(), ...logsMock.calls(), ...elbMock.calls(), ...cloudwatchMock.calls()]).toHaveLength(0);
  });

  it('does not describe again a stopped task the caller already described', async () => {
    const bundle = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
    serveBundle(bundle);
    const described = recordedTasks(bundle);
    const { evidence } = await collectEvidence(bundle.event, 'event', { ...mockDeps(), describedTasks: described });
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(0);
    const fresh = await collectEvidence(bundle.event, 'event', mockDeps());
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(1);
    expect(evidence).toEqual(fresh.evidence);
  });
});

describe('recorded tasks helper', () => {
  it('serves the stop event’s task as DescribeTasks would (dates as Date)', () => {
    const task = recordedTasks(loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json'))[0];
    expect(task?.stoppedAt).toBeInstanceOf(Date);
  });
});

describe('a defect inside collection', () => {
  it('still returns the event’s own evidence with a gap', async () => {
    const bundle = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
    serveBundle(bundle);
    const deps = mockDeps();
    // A config whose field throws when read: code outside any AWS call fails.
    const config = { ...deps.config };
    Object.defineProperty(config, 'maxTasksWithLogs', {
      get() {
        throw new Error('boom');
      },
    });
    const { evidence } = await collectEvidence(bundle.event, 'event', { ...deps, config });
    expect(evidence.gaps).toEqual(['Live evidence collection stopped on an unexpected error (boom), so the analysis uses the event alone.']);
    expect(evidence.tasks[0]?.stoppedReason).toBe('Essential container in task exited');
  });
});
