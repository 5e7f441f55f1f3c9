import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { EcsIncidentAnalyzerStack } from '../../lib/ecs-incident-analyzer-stack';

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

describe('synthesis', () => {
  const outdirs: string[] = [];
  const outdir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'rca-synth-'));
    outdirs.push(dir);
    return dir;
  };
  afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

  // The one test that really bundles: local esbuild, no Docker, and CDK's built-in CloudFormation
  // validation switched on as in a real `cdk synth`.
  it('bundles the handler with the local esbuild and passes CloudFormation validation', () => {
    const dir = outdir();
    const app = new App({ outdir: dir });
    new EcsIncidentAnalyzerStack(app, 'Bundled');
    const assembly = app.synth();

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
    // The AWS SDK v3 stays external (the runtime provides it): none of its files is in the bundle.
    const map = JSON.parse(readFileSync(join(bundle, 'index.js.map'), 'utf8')) as { sources: string[] };
    expect(map.sources.length).toBeGreaterThan(0);
    expect(map.sources.filter((s) => s.includes('node_modules/@aws-sdk/'))).toEqual([]);

    const template = assembly.getStackByName('Bundled').template as { Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }> };
    const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties.Code?.S3Key).toBe(`${hash}.zip`);

    const report = JSON.parse(readFileSync(join(dir, 'validation-report.json'), 'utf8')) as { pluginReports: unknown[] };
    expect(report.pluginReports).toEqual([]);
  });

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
