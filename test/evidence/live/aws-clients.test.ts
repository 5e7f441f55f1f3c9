import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeTasksCommand, ECSClient } from '@aws-sdk/client-ecs';
import { DescribeTargetHealthCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { describeTasks } from '../../../lambda/evidence/ecs/describe-tasks';
import { callAws } from '../../../lambda/shared/aws-call';
import { getClient, getEvidenceClients, sharedClientConfig } from '../../../lambda/shared/aws-clients';
import { Deadline } from '../../../lambda/shared/deadline';
import { jsonReply, startHttpServer, startHungServer, TEST_CREDENTIALS, waitFor, type HungServer, type LocalServer } from './local-server';

const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/prod/0123456789abcdef0123456789abcdef';

describe('getClient / getEvidenceClients', () => {
  it('builds one instance per client and options per process', () => {
    const a = getEvidenceClients({ region: 'us-east-1' });
    const b = getEvidenceClients({ region: 'us-east-1' });
    const c = getEvidenceClients({ region: 'eu-west-1' });
    expect(b.ecs).toBe(a.ecs);
    expect(b.logs).toBe(a.logs);
    expect(b.elbv2).toBe(a.elbv2);
    expect(b.cloudwatch).toBe(a.cloudwatch);
    expect(c.ecs).not.toBe(a.ecs);
    expect(a.ecs).toBeInstanceOf(ECSClient);
  });

  it('uses the SDK standard retry mode and leaves the endpoint to the SDK unless one is given', () => {
    const config = sharedClientConfig({ region: 'us-east-1', maxAttempts: 4 });
    expect(config).toMatchObject({ retryMode: 'standard', maxAttempts: 4, region: 'us-east-1' });
    expect('endpoint' in config).toBe(false);
    expect(config.requestHandler).toEqual({ connectionTimeout: 3000, requestTimeout: 5000, throwOnRequestTimeout: true });
  });
});

describe('a hung call against a real local TCP server', () => {
  let hung: HungServer;
  beforeEach(async () => {
    hung = await startHungServer();
  });
  afterEach(async () => {
    await hung.close();
  });

  it('aborts at requestTimeout because throwOnRequestTimeout is set, and closes the connection', async () => {
    const ecs = getClient(ECSClient, { region: 'us-east-1', endpoint: hung.url, credentials: TEST_CREDENTIALS, requestTimeoutMs: 300, maxAttempts: 1 });
    const started = Date.now();
    const error: unknown = await ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [TASK_ARN] })).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    expect((error as Error).name).toBe('TimeoutError');
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(hung.sockets.length).toBe(1);
    await waitFor(() => hung.sockets.every((s) => s.closed));
  });

  it('without throwOnRequestTimeout the same request is still pending long after requestTimeout (why the flag is set)', async () => {
    const handler = new NodeHttpHandler({ requestTimeout: 200, logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } });
    const ecs = new ECSClient({ region: 'us-east-1', endpoint: hung.url, credentials: TEST_CREDENTIALS, maxAttempts: 1, requestHandler: handler });
    const controller = new AbortController();
    let settled = false;
    const pending = ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [TASK_ARN] }), { abortSignal: controller.signal }).then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 700));
    expect(settled).toBe(false);
    controller.abort();
    await pending;
    ecs.destroy();
  });

  it('callAws gives up at the deadline even when the per-request timeout is longer, and says so', async () => {
    const ecs = getClient(ECSClient, { region: 'us-east-1', endpoint: hung.url, credentials: TEST_CREDENTIALS, requestTimeoutMs: 10_000, maxAttempts: 3 });
    const outcome = await callAws('ecs:DescribeTasks', Deadline.after(300), { timeoutMs: 10_000 }, (abortSignal) =>
      ecs.send(new DescribeTasksCommand({ cluster: 'prod', tasks: [TASK_ARN] }), { abortSignal }),
    );
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.gap).toBe(
      'ecs:DescribeTasks was not completed: the invocation deadline was reached, so the analysis went on without it.',
    );
    // The abort reached the HTTP layer: the socket was torn down, not left hanging.
    await waitFor(() => hung.sockets.length > 0 && hung.sockets.every((s) => s.closed));
  });
});

describe('SDK retries and endpoints against a real local HTTP server', () => {
  let server: LocalServer;
  let reply: (op: string, n: number) => { status: number; body: unknown; errorType?: string };
  beforeEach(async () => {
    server = await startHttpServer((req, res) => {
      const r = reply(req.operation, server.requests.length);
      jsonReply(res, r.status, r.body, r.errorType);
    });
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await server.close();
  });

  const throttled = { status: 400, body: { __type: 'ThrottlingException', message: 'Rate exceeded' }, errorType: 'ThrottlingException' };
  const described = {
    status: 200,
    body: { tasks: [{ taskArn: TASK_ARN, lastStatus: 'STOPPED', stopCode: 'EssentialContainerExited', containers: [{ name: 'app', exitCode: 1 }] }], failures: [] },
  };

  it('ThrottlingException then success: retried by the SDK standard strategy, no gap', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0); // zero backoff jitter keeps the test fast
    reply = (_op, n) => (n === 1 ? throttled : described);
    const ecs = getClient(ECSClient, { region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 3 });
    const result = await describeTasks(ecs, { deadline: Deadline.after(5000), callTimeoutMs: 4000 }, { cluster: 'prod', tasks: [TASK_ARN] });
    expect(server.requests.map((r) => r.operation)).toEqual(['DescribeTasks', 'DescribeTasks']);
    expect(result.gaps).toEqual([]);
    expect(result.tasks.map((t) => t.stopCode)).toEqual(['EssentialContainerExited']);
  });

  it('throttling that outlasts the retries becomes a gap naming the call and the attempts', async () => {
    jest.spyOn(Math, 'random').mockReturnValue(0);
    reply = () => throttled;
    const ecs = getClient(ECSClient, { region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 2 });
    const result = await describeTasks(ecs, { deadline: Deadline.after(5000), callTimeoutMs: 4000 }, { cluster: 'prod', tasks: [TASK_ARN] });
    expect(server.requests).toHaveLength(2);
    expect(result.gaps).toEqual([
      'ecs:DescribeTasks for task 0123456789abcdef0123456789abcdef failed: throttled by AWS after 2 attempts (ThrottlingException: Rate exceeded).',
    ]);
  });

  it.each([
    ['AWS_ENDPOINT_URL_ECS', () => new ECSClient(sharedClientConfig({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 })).send(new DescribeTasksCommand({ tasks: [TASK_ARN] })), 'DescribeTasks'],
    [
      'AWS_ENDPOINT_URL_CLOUDWATCH_LOGS',
      () => new CloudWatchLogsClient(sharedClientConfig({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 })).send(new GetLogEventsCommand({ logGroupName: 'g', logStreamName: 's' })),
      'GetLogEvents',
    ],
    [
      'AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2',
      () => new ElasticLoadBalancingV2Client(sharedClientConfig({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 })).send(new DescribeTargetHealthCommand({ TargetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/t/1' })),
      'DescribeTargetHealth',
    ],
    [
      'AWS_ENDPOINT_URL_CLOUDWATCH',
      () => new CloudWatchClient(sharedClientConfig({ region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 })).send(new DescribeAlarmsCommand({ AlarmNames: ['a'] })),
      'DescribeAlarms',
    ],
  ])('%s sends the client to the local endpoint', async (variable, call, operation) => {
    reply = () => ({ status: 200, body: {} });
    const before = process.env[variable];
    process.env[variable] = server.url;
    try {
      await call().catch(() => undefined); // the answer's shape does not matter here, only where it went
    } finally {
      if (before === undefined) delete process.env[variable];
      else process.env[variable] = before;
    }
    expect(server.requests.map((r) => r.operation)).toEqual([operation]);
  });
});
