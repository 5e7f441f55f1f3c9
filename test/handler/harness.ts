import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import type { AuditRecord } from '../../lambda/delivery/s3-audit-sink';
import { handlerConfigFromEnv, type HandlerConfig } from '../../lambda/handler/config';
import { createHandler, type CreateHandlerOptions, type HandlerResult } from '../../lambda/handler/create-handler';
import { buildHandlerDeps, type HandlerClients, type HandlerDeps } from '../../lambda/handler/dependencies';
import { startS3rver, type LocalS3 } from '../helpers/s3rver';
import { startSlackServer, type SlackTestServer } from '../helpers/slack-server';
import { mockDeps, resetMocks } from '../evidence/live/corpus-aws';

/**
 * The world a handler test runs in: the real handler (middy, Powertools logger and metrics, real
 * sinks) with ECS, Logs, ELBv2, CloudWatch, SNS and Secrets Manager mocked by aws-sdk-client-mock,
 * S3 served by a real local s3rver, and Slack by a real local HTTP server.
 */

export const TOPIC_ARN = 'arn:aws:sns:us-east-1:111122223333:ecs-incidents';
export const SLACK_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecs-rca/slack-AbCdEf';

export const snsMock = mockClient(SNSClient);
export const secretsMock = mockClient(SecretsManagerClient);

/** One line a Powertools logger or metrics instance wrote (parsed JSON), with its stream. */
export interface OutputLine {
  stream: 'stdout' | 'stderr';
  json: Record<string, unknown>;
}

/** What one invocation did. */
export interface Invocation {
  /** The handler's return value, or undefined when it threw. */
  result?: HandlerResult;
  /** What it threw. */
  error?: unknown;
  /** Every JSON line written to stdout/stderr during the invocation. */
  output: OutputLine[];
  /**
   * The Lambda context's remaining time when the handler returned or threw: Lambda would have ended
   * the invocation at 0, so a positive value means it finished within its timeout.
   */
  remainingAtReturnMs: number;
}

/** A running world; `close` it after the file. */
export interface HandlerWorld {
  s3: LocalS3;
  slack: SlackTestServer;
  /** Resets the SNS and Secrets Manager mocks to their happy behaviour. */
  resetDeliveryMocks(): void;
  /** The configuration from these environment variables (plus the world's bucket, topic and secret). */
  config(env?: Record<string, string>): HandlerConfig;
  /**
   * Dependencies with mocked evidence clients, the real s3rver client and mocked SNS/Secrets clients;
   * `clients` adds or replaces some (e.g. a DynamoDB client pointed at dynalite).
   */
  deps(config?: HandlerConfig, clients?: Partial<HandlerClients>): HandlerDeps;
  /** Runs the real middy handler once. */
  invoke(event: unknown, options?: { deps?: HandlerDeps; remainingMs?: number; handler?: Partial<CreateHandlerOptions> }): Promise<Invocation>;
  /** Reads an audit record back from s3rver. */
  readAudit(key: string): Promise<AuditRecord>;
  /** Every key under the bucket. */
  listKeys(): Promise<string[]>;
  close(): Promise<void>;
}

/** A Lambda context whose remaining time counts down from `remainingMs`. */
export function lambdaContext(remainingMs = 60_000): Context {
  const end = Date.now() + remainingMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName: 'ecs-incident-analyzer',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:ecs-incident-analyzer',
    memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
    logGroupName: '/aws/lambda/ecs-incident-analyzer',
    logStreamName: '2026/01/15/[$LATEST]0123456789abcdef',
    getRemainingTimeInMillis: () => Math.max(0, end - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

const invocationOutput = new AsyncLocalStorage<OutputLine[]>();
let captureUsers = 0;
let restoreCapture: (() => void) | undefined;

/**
 * Routes what Powertools writes (it keeps its own Console on process.stdout/stderr) to the output of
 * the invocation that wrote it, through `AsyncLocalStorage`, so concurrent invocations each get their
 * own lines and nothing reaches the test runner's output. Installed once per world: spying per
 * invocation let concurrent invocations restore each other's spies and leak hundreds of JSON lines.
 */
function startCapture(): () => void {
  captureUsers += 1;
  if (!restoreCapture) {
    const collect = (stream: OutputLine['stream']) => (chunk: unknown) => {
      const output = invocationOutput.getStore();
      if (!output) return true;
      for (const line of String(chunk).split('\n')) {
        if (!line.startsWith('{')) continue;
        try {
          output.push({ stream, json: JSON.parse(line) as Record<string, unknown> });
        } catch {
          // not one of ours
        }
      }
      return true;
    };
    const out = jest.spyOn(process.stdout, 'write').mockImplementation(collect('stdout'));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation(collect('stderr'));
    restoreCapture = () => {
      out.mockRestore();
      err.mockRestore();
    };
  }
  return () => {
    captureUsers -= 1;
    if (captureUsers === 0) {
      restoreCapture?.();
      restoreCapture = undefined;
    }
  };
}

/** Runs `fn` with its Powertools output collected (see `startCapture`). */
export async function capture<T>(fn: () => Promise<T>): Promise<{ value?: T; error?: unknown; output: OutputLine[] }> {
  const output: OutputLine[] = [];
  const stop = startCapture();
  try {
    return { value: await invocationOutput.run(output, fn), output };
  } catch (error) {
    return { error, output };
  } finally {
    stop();
  }
}

/** Starts s3rver and the Slack server and wires the mocks to them. */
export async function startHandlerWorld(): Promise<HandlerWorld> {
  const s3 = await startS3rver();
  const slack = await startSlackServer();
  const resetDeliveryMocks = (): void => {
    snsMock.reset();
    secretsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: '2c9f2c9f-0000-4000-8000-000000000001' });
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ url: slack.url }) });
  };
  resetDeliveryMocks();
  const config = (env: Record<string, string> = {}): HandlerConfig =>
    handlerConfigFromEnv({
      AUDIT_BUCKET_NAME: s3.bucket,
      TOPIC_ARN,
      SLACK_SECRET_ARN,
      CALL_TIMEOUT_MS: '1000',
      POWERTOOLS_LOG_LEVEL: 'DEBUG',
      ...env,
    });
  const deps = (cfg: HandlerConfig = config(), clients: Partial<HandlerClients> = {}): HandlerDeps => {
    const evidence = mockDeps().clients;
    return buildHandlerDeps(cfg, {
      ...evidence,
      s3: s3.client,
      sns: new SNSClient({ region: 'us-east-1' }),
      secrets: new SecretsManagerClient({ region: 'us-east-1' }),
      ...clients,
    });
  };
  const logger = new Logger({ serviceName: 'ecs-incident-analyzer-test', logLevel: 'DEBUG' });
  const metrics = new Metrics({ namespace: 'EcsIncidentAnalyzerTest', serviceName: 'ecs-incident-analyzer-test' });
  return {
    s3,
    slack,
    resetDeliveryMocks,
    config,
    deps,
    invoke: async (event, options = {}) => {
      const handler = createHandler({ deps: options.deps ?? deps(), logger, metrics, ...options.handler });
      const context = lambdaContext(options.remainingMs);
      const { value, error, output } = await capture(() => handler(event, context));
      return { ...(value ? { result: value } : {}), ...(error !== undefined ? { error } : {}), output, remainingAtReturnMs: context.getRemainingTimeInMillis() };
    },
    readAudit: async (key) => {
      const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
      return JSON.parse(await object.Body!.transformToString()) as AuditRecord;
    },
    listKeys: async () => {
      const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket }));
      return (listed.Contents ?? []).flatMap((o) => (o.Key ? [o.Key] : []));
    },
    close: async () => {
      await slack.close();
      await s3.close();
    },
  };
}

/** The analysed result, or a failure naming what happened instead. */
export function analysed(invocation: Invocation): Extract<HandlerResult, { status: 'analysed' }> {
  if (invocation.error !== undefined) throw new Error(`handler threw: ${String(invocation.error)}`);
  if (invocation.result?.status !== 'analysed') throw new Error(`event not analysed: ${JSON.stringify(invocation.result)}`);
  return invocation.result;
}

/** The EMF metric lines of an invocation, flattened to `{ name, value, dimensions }`. */
export function emittedMetrics(output: OutputLine[]): { name: string; value: unknown; dimensions: Record<string, unknown> }[] {
  return output.flatMap(({ json }) => {
    const aws = json._aws as { CloudWatchMetrics?: { Dimensions: string[][]; Metrics: { Name: string }[] }[] } | undefined;
    if (!aws?.CloudWatchMetrics) return [];
    return aws.CloudWatchMetrics.flatMap((directive) =>
      directive.Metrics.map((m) => ({
        name: m.Name,
        value: json[m.Name],
        dimensions: Object.fromEntries((directive.Dimensions[0] ?? []).map((d) => [d, json[d]])),
      })),
    );
  });
}

/** The log lines (not metrics) of an invocation. */
export function logLines(output: OutputLine[]): Record<string, unknown>[] {
  return output.filter(({ json }) => json._aws === undefined).map(({ json }) => json);
}

/** `incidents/year=YYYY/month=MM/day=DD/` of an ISO time (UTC). */
export function partitionOf(time: string, prefix = 'incidents/'): string {
  const d = new Date(time);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${prefix}year=${d.getUTCFullYear()}/month=${pad(d.getUTCMonth() + 1)}/day=${pad(d.getUTCDate())}/`;
}

/**
 * One handler world for the enclosing file or `describe`: started before its tests, closed after them,
 * and before each test the AWS mocks, delivery mocks and captured Slack requests are reset (then
 * `beforeEach`, if given, e.g. to serve a bundle). The returned object forwards to the started world.
 */
export function useHandlerWorld(beforeEachTest?: () => void): HandlerWorld {
  let world: HandlerWorld | undefined;
  const started = (): HandlerWorld => {
    if (!world) throw new Error('the handler world is used outside its tests');
    return world;
  };
  beforeAll(async () => {
    world = await startHandlerWorld();
  });
  afterAll(async () => {
    await world?.close();
  });
  beforeEach(() => {
    resetMocks();
    beforeEachTest?.();
    started().resetDeliveryMocks();
    started().slack.requests.length = 0;
  });
  return new Proxy({} as HandlerWorld, { get: (_, key) => Reflect.get(started(), key) });
}
