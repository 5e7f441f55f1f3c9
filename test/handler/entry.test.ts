import './entry-env';
import { PublishCommand } from '@aws-sdk/client-sns';
import { handler } from '../../lambda/handler/index';
import { loadCorpus, resetMocks, serveBundle } from '../evidence/live/corpus-aws';
import { startS3rver, type LocalS3 } from '../helpers/s3rver';
import { startSlackServer, type SlackTestServer } from '../helpers/slack-server';
import { lambdaContext, partitionOf, secretsMock, snsMock } from './harness';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetObjectCommand } from '@aws-sdk/client-s3';

/**
 * The production entry point (`lambda/handler/index.ts`) exactly as Lambda loads it: configuration
 * from the environment at import, clients built by the process-wide factory, and the S3 endpoint
 * taken from the SDK's standard `AWS_ENDPOINT_URL_S3` variable, pointing at a local s3rver.
 */

let s3: LocalS3;
let slack: SlackTestServer;
beforeAll(async () => {
  s3 = await startS3rver('audit-bucket');
  slack = await startSlackServer();
  // Read by the SDK when the first request is made, not when the handler module is imported.
  process.env.AWS_ENDPOINT_URL_S3 = s3.endpoint;
});
afterAll(async () => {
  delete process.env.AWS_ENDPOINT_URL_S3;
  await slack.close();
  await s3.close();
});

const quietly = async <T>(fn: () => Promise<T>): Promise<T> => {
  const out = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  const err = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    return await fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
};

describe('lambda/handler/index.ts', () => {
  it('analyses an event with clients from the environment: AWS_ENDPOINT_URL_S3, AUDIT_PREFIX, SNS_MESSAGE_FORMAT', async () => {
    resetMocks();
    snsMock.reset();
    secretsMock.reset();
    snsMock.on(PublishCommand).resolves({ MessageId: 'm-1' });
    secretsMock.on(GetSecretValueCommand).resolves({ SecretString: slack.url });
    const bundle = loadCorpus('20-node-worker-missing-sibling-module.json');
    serveBundle(bundle);

    const result = await quietly(() => handler(bundle.event, lambdaContext()));
    expect(result).toMatchObject({ status: 'analysed', category: 'app_import_error' });
    if (result.status !== 'analysed') return;
    const key = `${partitionOf(String(bundle.event.time), 'audit/incidents/')}${result.incidentKey}-${bundle.event.id}.json`;
    const object = await s3.client.send(new GetObjectCommand({ Bucket: 'audit-bucket', Key: key }));
    expect(JSON.parse(await object.Body!.transformToString())).toMatchObject({ report: { incidentKey: result.incidentKey } });
    // SNS_MESSAGE_FORMAT=chatbot: the Amazon Q Developer custom notification JSON.
    const published = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(JSON.parse(published?.Message ?? '{}')).toMatchObject({ version: '1.0', source: 'custom' });
    expect(published?.TopicArn).toBe('arn:aws:sns:us-east-1:111122223333:ecs-incidents');
    expect(secretsMock.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toMatchObject({
      SecretId: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecs-rca/slack-AbCdEf',
    });
    expect(slack.requests).toHaveLength(1);
    expect(slack.requests[0]?.violations).toEqual([]);
  });

  it('with an invalid environment, logs one line at cold start and fails every invocation (so events are retried, then kept)', async () => {
    const saved = process.env.AUDIT_BUCKET_NAME;
    delete process.env.AUDIT_BUCKET_NAME;
    const lines: string[] = [];
    const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (lines.push(String(chunk)), true));
    try {
      let isolated: typeof import('../../lambda/handler/index') | undefined;
      jest.isolateModules(() => {
        isolated = jest.requireActual<typeof import('../../lambda/handler/index')>('../../lambda/handler/index');
      });
      const error: unknown = await isolated!.handler({}, lambdaContext()).catch((e: unknown) => e);
      // The isolated module registry has its own HandlerConfigError class, hence the name check.
      expect((error as Error).name).toBe('HandlerConfigError');
      expect((error as Error).message).toBe('environment variable AUDIT_BUCKET_NAME is not set; set it to the name of the audit S3 bucket');
    } finally {
      out.mockRestore();
      err.mockRestore();
      process.env.AUDIT_BUCKET_NAME = saved;
    }
    const logged = lines.flatMap((l) => l.split('\n')).filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'Invalid configuration: environment variable AUDIT_BUCKET_NAME is not set; set it to the name of the audit S3 bucket' }),
    );
  });
});
