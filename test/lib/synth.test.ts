import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { EcsIncidentAnalyzerStack } from '../../lib/ecs-incident-analyzer-stack';
import { startSecretsStandIn, startSnsStandIn } from '../helpers/aws-stand-ins';
import { startDynalite } from '../helpers/dynalite';
import { startS3rver } from '../helpers/s3rver';
import { startSlackServer } from '../helpers/slack-server';

const ROOT = join(__dirname, '..', '..');
const TSX_CLI = require.resolve('tsx/cli');

/** An environment without AWS credentials or Region, as on a fresh clone. */
function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(AWS_|CDK_)/.test(k) && k !== 'NODE_ENV') env[k] = v;
  }
  return { ...env, ...extra };
}

/** Loads `./index.js` as Lambda does, invokes it twice with `PROBE_EVENT` (a delivery and its duplicate) and prints what happened. */
const BUNDLED_PROBE = `
const Module = require('node:module');
const sdkRequests = [];
const load = Module._load;
Module._load = function (request, ...rest) {
  if (request.startsWith('@aws-sdk/')) sdkRequests.push(request);
  return load.call(this, request, ...rest);
};
let sdkResolvable = true;
try { require.resolve('@aws-sdk/client-s3'); } catch { sdkResolvable = false; }
const context = (requestId) => {
  const end = Date.now() + 60000;
  return {
    callbackWaitsForEmptyEventLoop: false, functionName: 'bundled', functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bundled', memoryLimitInMB: '512',
    awsRequestId: requestId, logGroupName: '/aws/lambda/bundled', logStreamName: 'bundled',
    getRemainingTimeInMillis: () => end - Date.now(), done() {}, fail() {}, succeed() {},
  };
};
const { handler } = require('./index.js');
const event = JSON.parse(process.env.PROBE_EVENT);
(async () => {
  const result = await handler(event, context('c6af9ac6-7b61-11e6-9a41-93e812345678'));
  const duplicate = await handler(event, context('c6af9ac6-7b61-11e6-9a41-93e812345679'));
  process.stdout.write('\\nPROBE ' + JSON.stringify({ sdkResolvable, sdkRequests, result, duplicate }) + '\\n');
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;

/** Runs `node -e script` in `cwd` without blocking this process (s3rver answers from it). */
function runNode(cwd: string, script: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', script], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('synthesis', () => {
  const outdirs: string[] = [];
  const outdir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-synth-'));
    outdirs.push(dir);
    return dir;
  };
  afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));
  let bundledAsset: string | undefined;

  // The one test that really bundles: local esbuild, no Docker, and CDK's built-in CloudFormation
  // validation switched on as in a real `cdk synth`.
  it('bundles the handler with the local esbuild and passes CloudFormation validation', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    // CDK announces each bundling on stderr ("Bundling asset …", while the stack is built); a passing test stays quiet.
    const announced: string[] = [];
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      announced.push(String(chunk));
      return true;
    });
    try {
      new EcsIncidentAnalyzerStack(app, 'Bundled');
    } finally {
      stderr.mockRestore();
    }
    const assembly = app.synth();
    expect(announced.join('').trim().split('\n')).toEqual([expect.stringMatching(/^Bundling asset Bundled\/.*\.\.\.$/), expect.stringMatching(/^Bundling asset Bundled\/.*\.\.\.$/)]);

    const assets = JSON.parse(readFileSync(join(dir, 'Bundled.assets.json'), 'utf8')) as {
      files: Record<string, { source: { path: string; packaging: string } }>;
    };
    const code = Object.entries(assets.files).find(([, f]) => f.source.packaging === 'zip');
    expect(code).toBeDefined();
    const [hash, file] = code!;
    const bundle = join(dir, file.source.path);
    expect(existsSync(join(bundle, 'index.js'))).toBe(true);
    expect(existsSync(join(bundle, 'index.js.map'))).toBe(true);
    const js = readFileSync(join(bundle, 'index.js'), 'utf8');
    expect(js).toMatch(/handler/);
    // The AWS SDK v3 is bundled (the version tested is the version deployed), nothing is left external.
    const map = JSON.parse(readFileSync(join(bundle, 'index.js.map'), 'utf8')) as { sources: string[] };
    for (const client of ['client-s3', 'client-sns', 'client-dynamodb', 'lib-dynamodb', 'client-ecs']) {
      expect(map.sources.some((s) => s.includes(`node_modules/@aws-sdk/${client}/`))).toBe(true);
    }
    // Only the optional CRT signer (SigV4a, multi-Region access points), required inside a try/catch
    // by the SDK's signer; the run below checks that nothing requires any @aws-sdk package at run time.
    expect([...new Set(js.match(/require\("@aws-sdk\/[^"]+/g))]).toEqual(['require("@aws-sdk/signature-v4-crt']);
    bundledAsset = bundle;

    const template = assembly.getStackByName('Bundled').template as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }> };
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties.Code?.S3Key).toBe(`${hash}.zip`);

    const report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });

  // The asset from cdk.out, copied outside the repository (no node_modules above it) and run with an
  // empty NODE_PATH: every module it needs must be inside it. A real event goes through every path
  // that loads an SDK client, against local endpoints: S3 is s3rver, the idempotency and incident
  // table dynalite, SNS and Secrets Manager small stand-ins speaking their wire protocols, Slack a
  // local HTTP server; every other AWS endpoint refuses connections (evidence gaps).
  it('runs the bundled handler with no @aws-sdk package available from outside the asset', async () => {
    expect(bundledAsset).toBeDefined();
    const dir = outdir();
    cpSync(bundledAsset!, dir, { recursive: true });
    const slackSecret = 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecs-rca/slack-AbCdEf';
    const [s3, dynamo, sns, slack] = await Promise.all([startS3rver('bundled-audit'), startDynalite(), startSnsStandIn(), startSlackServer()]);
    const secrets = await startSecretsStandIn({ [slackSecret]: JSON.stringify({ url: slack.url }) });
    try {
      const table = await dynamo.createTable();
      const event = (JSON.parse(readFileSync(join(ROOT, '..', 'shared', 'corpus', '08-ecr-pull-403-iam.json'), 'utf8')) as { event: unknown }).event;
      const run = await runNode(dir, BUNDLED_PROBE, {
        PATH: process.env.PATH ?? '',
        NODE_PATH: '',
        NODE_OPTIONS: '--enable-source-maps',
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        AWS_ENDPOINT_URL_S3: s3.endpoint,
        AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
        AWS_ENDPOINT_URL_SNS: sns.endpoint,
        AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
        AUDIT_BUCKET_NAME: 'bundled-audit',
        TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:ecs-incidents',
        SLACK_SECRET_ARN: slackSecret,
        IDEMPOTENCY_TABLE_NAME: table,
        INCIDENT_TABLE_NAME: table,
        CALL_TIMEOUT_MS: '2000',
        POWERTOOLS_LOG_LEVEL: 'ERROR',
        POWERTOOLS_METRICS_DISABLED: 'true',
        PROBE_EVENT: JSON.stringify(event),
      });
      expect(run.stderr).toBe('');
      const line = run.stdout.split('\n').find((l) => l.startsWith('PROBE '));
      expect(line).toBeDefined();
      const probe = JSON.parse(line!.slice('PROBE '.length)) as {
        sdkResolvable: boolean;
        sdkRequests: string[];
        result: { status: string; deliveries: { sink: string; ok: boolean }[]; incident?: { action: string } };
        duplicate: { status: string; reason: string };
      };
      expect(probe.sdkResolvable).toBe(false);
      expect(probe.sdkRequests).toEqual([]);
      expect(probe.result.status).toBe('analysed');
      expect(probe.result.deliveries.map((d) => [d.sink, d.ok])).toEqual([
        ['s3-audit', true],
        ['sns', true],
        ['slack', true],
      ]);
      // The incident table (lib-dynamodb) opened the incident; the idempotency table (Powertools) kept the result.
      expect(probe.result.incident?.action).toBe('notify');
      expect(probe.duplicate).toMatchObject({ status: 'duplicate', reason: 'already processed' });
      expect(sns.requests.map((r) => [r.Action, r.TopicArn])).toEqual([['Publish', 'arn:aws:sns:us-east-1:111122223333:ecs-incidents']]);
      expect(secrets.requests).toEqual([{ SecretId: slackSecret }]);
      expect(slack.requests).toHaveLength(1);
      expect(slack.requests[0]?.violations).toEqual([]);
    } finally {
      await Promise.all([s3.close(), dynamo.close(), sns.close(), secrets.close(), slack.close()]);
    }
  }, 60_000);

  it('runs bin/app.ts (cdk.json "app") offline with no credentials, cdk-nag included', () => {
    const dir = outdir();
    const run = spawnSync(process.execPath, [TSX_CLI, 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: cleanEnv({
        CDK_OUTDIR: dir,
        CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], clusters: ['prod'] }),
        // Built-in validation was exercised above; skip it here for speed. cdk-nag still runs.
        CDK_VALIDATION: 'false',
      }),
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const template = JSON.parse(readFileSync(join(dir, 'EcsIncidentAnalyzer.template.json'), 'utf8')) as {
      Resources: Record<string, { Type: string; Metadata?: { cdk_nag?: { rules_to_suppress: { id: string; reason: string }[] } } }>;
    };
    const types = Object.values(template.Resources).map((r) => r.Type);
    expect(types.filter((t) => t === 'AWS::Events::Rule')).toHaveLength(5);
    expect(types.filter((t) => t === 'AWS::DynamoDB::Table')).toHaveLength(1);
    // The acknowledgements travel with the template as `cdk_nag` metadata.
    const acknowledged = Object.values(template.Resources).flatMap((r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? []);
    expect(acknowledged.map((a) => a.id)).toEqual(expect.arrayContaining(['AwsSolutions-SQS3', 'Serverless-LambdaDLQ']));
  });

  it('stops bin/app.ts on an invalid setting with one line on stderr', () => {
    const run = spawnSync(process.execPath, [TSX_CLI, 'bin/app.ts'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: cleanEnv({ CDK_OUTDIR: outdir(), CDK_CONTEXT_JSON: JSON.stringify({ auditRetentionDays: 0 }) }),
    });
    expect(run.status).toBe(1);
    expect(run.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^Invalid ecs-incident-analyzer context "auditRetentionDays": .*got 0$/),
    ]);
  });
});
