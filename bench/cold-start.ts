import { spawnSync } from 'node:child_process';
import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { handlerEnvironment } from '../lib/analyzer-function';
import { resolveSettings } from '../lib/config';
import { REPO_ROOT } from './corpus';
import { median } from './stats';
import type { Row } from './table';

/**
 * Measurement 3: the cold start. The handler is bundled as `lib/analyzer-function.ts` has CDK's
 * `NodejsFunction` bundle it with the local esbuild (`--bundle --platform=node --target=node22
 * --format=cjs --minify --sourcemap --sources-content=false`, the AWS SDK included), then loaded in a
 * fresh `node` process — `require('./index.js')`, the Lambda runtime's first step — with the
 * function's own environment (`NODE_OPTIONS=--enable-source-maps` and the variables the construct
 * sets), beside a bare `node -e 0` with the same environment, alternating.
 *
 * The AWS SDK is bundled in the asset (the version tested is the version deployed), so the asset is
 * loaded with an empty NODE_PATH from a directory outside the project. What bundling the SDK costs is
 * measured beside it: the same handler built with `--external:@aws-sdk/*` (the SDK taken from the
 * runtime, resolved from the project's node_modules through NODE_PATH as the runtime would provide it).
 *
 * The handler loads its pipeline and the SDK clients on the first invocation (`import()` in
 * lambda/handler), so that cost is measured too, not left out: a fresh process loads the asset and
 * invokes the handler twice with an event it acknowledges without any AWS call (`{}`: no idempotency
 * key, not a trigger), in the environment of the stack's function (state table included, so the
 * DynamoDB client and Powertools idempotency are built as in production). The first invocation's
 * setup is the first invocation's time minus the second's.
 */

/** Budget: bytes of the bundled `index.js` (about 1.5 MB of it is the AWS SDK clients it bundles). */
export const ASSET_BUDGET_BYTES = 2 * 1024 * 1024;
/** Budget: ms the asset's load adds to an empty `node`. */
export const IMPORT_BUDGET_MS = 100;
const RUNS = 15;

/** What the first invocations of a freshly loaded asset cost (medians, ms). */
export interface FirstInvocationResult {
  /** The first invocation: loads and builds what the handler defers (pipeline, SDK clients, sinks). */
  firstMs: number;
  /** The second invocation of the same event in the same process: the work itself. */
  secondMs: number;
  /** `firstMs - secondMs`: the setup the cold start defers to the first invocation. */
  setupMs: number;
  /** The AWS SDK modules the first invocation loads. */
  sdkModules: string[];
}

/** What measurement 3 found. */
export interface ColdStartResult {
  indexBytes: number;
  mapBytes: number;
  importMs: number;
  bareMs: number;
  /** Median ms of a process that only requires the AWS SDK modules loaded at import (`sdkModules`). */
  sdkOnlyMs: number;
  /** The AWS SDK modules loading the asset requires (observed, not read from the bundle). */
  sdkModules: string[];
  /** Every AWS SDK module the bundle refers to, loaded at import or later. */
  bundledSdkModules: string[];
  first: FirstInvocationResult;
  /** The same handler with the AWS SDK left to the runtime (`--external:@aws-sdk/*`), for comparison. */
  sdkExternal: { indexBytes: number; importMs: number; setupMs: number };
  /** stderr/stdout of one import, when it printed anything (a configuration error would show here). */
  output: string;
}

/**
 * Bundles the handler into `dir/asset` with the construct's esbuild options (or, with `sdkExternal`,
 * into `dir/asset-sdk-external` with the AWS SDK left out); also returns the SDK modules it requires
 * from outside.
 */
export async function bundleHandler(dir: string, options: { sdkExternal?: boolean } = {}): Promise<{ outdir: string; sdkModules: string[] }> {
  const outdir = join(dir, options.sdkExternal ? 'asset-sdk-external' : 'asset');
  mkdirSync(outdir, { recursive: true });
  const result = await build({
    metafile: true,
    entryPoints: [join(REPO_ROOT, 'lambda', 'handler', 'index.ts')],
    outfile: join(outdir, 'index.js'),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'cjs',
    minify: true,
    sourcemap: true,
    sourcesContent: false,
    external: options.sdkExternal ? ['@aws-sdk/*'] : [],
    logLevel: 'error',
  });
  // The SDK's optional CRT signer stays a guarded require in either build (SigV4a only).
  const externals = Object.values(result.metafile.outputs).flatMap((o) =>
    o.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/') && i.path !== '@aws-sdk/signature-v4-crt').map((i) => i.path),
  );
  return { outdir, sdkModules: [...new Set(externals)].sort() };
}

/** The environment the construct gives the function, with placeholder resource names. */
export function functionEnvironment(): Record<string, string> {
  const settings = resolveSettings();
  // The stack always gives the function its state table (lib/ecs-incident-analyzer.ts).
  const env = handlerEnvironment(settings, {
    bucketName: 'bench-audit-bucket',
    topicArn: 'arn:aws:sns:us-east-1:111122223333:bench-incidents',
    stateTableName: 'bench-state-table',
  });
  return { ...(env as unknown as Record<string, string>), NODE_OPTIONS: '--enable-source-maps', AWS_REGION: 'us-east-1' };
}

function runNode(args: string[], cwd: string, env: Record<string, string>): { ms: number; output: string } {
  const start = process.hrtime.bigint();
  const result = spawnSync(process.execPath, args, { cwd, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`node ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return { ms, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Prefix of the probe's result line on stdout (Powertools writes its JSON log lines there too). */
const PROBE_MARK = 'COLD-START-PROBE ';

/**
 * A script that loads `./index.js`, invokes its handler twice with `{}` (acknowledged as invalid
 * before any AWS call) and prints the times; with `trace`, the AWS SDK modules required during the
 * load and during the first invocation instead (a `Module._load` hook, kept out of the timed runs).
 */
function probeScript(trace: boolean): string {
  return `
const Module = require('node:module');
const seen = { load: new Set(), first: new Set() };
let phase = 'load';
if (${trace}) {
  const load = Module._load;
  Module._load = function (request, ...rest) {
    if (request.startsWith('@aws-sdk/')) seen[phase].add(request);
    return load.call(this, request, ...rest);
  };
}
const context = () => {
  const end = Date.now() + 60000;
  return {
    callbackWaitsForEmptyEventLoop: false, functionName: 'bench', functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:111122223333:function:bench', memoryLimitInMB: '512',
    awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678', logGroupName: '/aws/lambda/bench', logStreamName: 'bench',
    getRemainingTimeInMillis: () => end - Date.now(), done() {}, fail() {}, succeed() {},
  };
};
const now = () => Number(process.hrtime.bigint()) / 1e6;
(async () => {
  const { handler } = require('./index.js');
  phase = 'first';
  const t0 = now();
  const first = await handler({}, context());
  const t1 = now();
  phase = 'second';
  seen.second = new Set();
  const second = await handler({}, context());
  const t2 = now();
  if (first?.status !== 'ignored' || second?.status !== 'ignored') {
    throw new Error('the probe event was not acknowledged as invalid: ' + JSON.stringify({ first, second }));
  }
  process.stdout.write('\\n${PROBE_MARK}' + JSON.stringify({ firstMs: t1 - t0, secondMs: t2 - t1, load: [...seen.load], first: [...seen.first] }) + '\\n');
})().catch((error) => { console.error(error); process.exitCode = 1; });
`;
}

interface ProbeOutput {
  firstMs: number;
  secondMs: number;
  load: string[];
  first: string[];
}

function probe(cwd: string, env: Record<string, string>, trace: boolean): ProbeOutput {
  const { output } = runNode(['-e', probeScript(trace)], cwd, env);
  const line = output.split('\n').find((l) => l.startsWith(PROBE_MARK));
  if (!line) throw new Error(`the first-invocation probe printed no result: ${output.slice(0, 500)}`);
  return JSON.parse(line.slice(PROBE_MARK.length)) as ProbeOutput;
}

/** Runs measurement 3 in `dir` (a temporary directory). */
export async function measureColdStart(dir: string): Promise<ColdStartResult> {
  const { outdir: asset, sdkModules: bundledSdkModules } = await bundleHandler(dir);
  const { outdir: externalAsset } = await bundleHandler(dir, { sdkExternal: true });
  // No credentials: an AWS call the probe should not make fails fast instead of asking the instance metadata service.
  const base = { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...functionEnvironment() };
  // The asset brings its SDK: nothing is resolved from outside it.
  const env = { ...base, NODE_PATH: '' };
  const externalEnv = { ...base, NODE_PATH: join(REPO_ROOT, 'node_modules') };
  const traced = probe(asset, env, true);
  const externalTraced = probe(externalAsset, externalEnv, true);
  // Only the modules the asset itself refers to (the SDK's own @aws-sdk/* dependencies load with them).
  const own = (modules: readonly string[]) => modules.filter((m) => bundledSdkModules.includes(m)).sort();
  const sdkModules = own(traced.load);
  const sdkOnly = `for (const m of ${JSON.stringify(sdkModules)}) require(m)`;
  const imports: number[] = [];
  const bare: number[] = [];
  const sdk: number[] = [];
  const firsts: number[] = [];
  const seconds: number[] = [];
  const setups: number[] = [];
  const externalImports: number[] = [];
  const externalSetups: number[] = [];
  let output = '';
  for (let run = 0; run < RUNS + 1; run += 1) {
    const loaded = runNode(['-e', "require('./index.js')"], asset, env);
    const empty = runNode(['-e', '0'], asset, env);
    const sdkLoaded = runNode(['-e', sdkOnly], asset, env);
    const invoked = probe(asset, env, false);
    const externalLoaded = runNode(['-e', "require('./index.js')"], externalAsset, externalEnv);
    const externalInvoked = probe(externalAsset, externalEnv, false);
    if (run === 0) continue; // warm the file-system cache
    imports.push(loaded.ms);
    bare.push(empty.ms);
    sdk.push(sdkLoaded.ms);
    firsts.push(invoked.firstMs);
    seconds.push(invoked.secondMs);
    setups.push(invoked.firstMs - invoked.secondMs);
    externalImports.push(externalLoaded.ms);
    externalSetups.push(externalInvoked.firstMs - externalInvoked.secondMs);
    output = loaded.output;
  }
  if (externalTraced.first.length === 0) throw new Error('the SDK-external build loaded no AWS SDK module on its first invocation: the comparison would be empty');
  return {
    indexBytes: statSync(join(asset, 'index.js')).size,
    mapBytes: statSync(join(asset, 'index.js.map')).size,
    importMs: median(imports),
    bareMs: median(bare),
    sdkOnlyMs: median(sdk),
    sdkModules,
    bundledSdkModules,
    first: { firstMs: median(firsts), secondMs: median(seconds), setupMs: median(setups), sdkModules: own(traced.first) },
    sdkExternal: { indexBytes: statSync(join(externalAsset, 'index.js')).size, importMs: median(externalImports), setupMs: median(externalSetups) },
    output,
  };
}

/** Table rows of measurement 3. */
export function coldStartRows(r: ColdStartResult): Row[] {
  const overhead = r.importMs - r.bareMs;
  return [
    {
      name: '3 asset size (index.js)',
      figure: `${(r.indexBytes / 1024).toFixed(0)} KB`,
      reference: `+ source map ${(r.mapBytes / 1024).toFixed(0)} KB`,
      budget: `< ${ASSET_BUDGET_BYTES / 1024} KB`,
      pass: r.indexBytes < ASSET_BUDGET_BYTES,
    },
    {
      name: '3 import overhead',
      figure: `${overhead.toFixed(0)} ms (import ${r.importMs.toFixed(0)} ms)`,
      reference: `node -e 0: ${r.bareMs.toFixed(0)} ms`,
      ratio: r.importMs / r.bareMs,
      budget: `< ${IMPORT_BUDGET_MS} ms`,
      pass: overhead < IMPORT_BUDGET_MS,
    },
    {
      name: '3 … of which AWS SDK',
      figure:
        r.sdkModules.length > 0
          ? `${(r.sdkOnlyMs - r.bareMs).toFixed(0)} ms (${r.sdkModules.length} SDK modules from outside the asset)`
          : 'none: the SDK is bundled and loaded on the first invocation',
      reference: `node -e 0: ${r.bareMs.toFixed(0)} ms`,
      budget: '',
    },
    {
      name: '3 first invocation setup (lazy SDK load)',
      figure: `${r.first.setupMs.toFixed(0)} ms (${r.first.sdkModules.length} SDK modules; 1st ${r.first.firstMs.toFixed(0)} ms, 2nd ${r.first.secondMs.toFixed(0)} ms)`,
      reference: `import + setup: ${(overhead + r.first.setupMs).toFixed(0)} ms over node -e 0`,
      budget: '',
    },
    {
      name: '3 cost of bundling the AWS SDK',
      figure: `+${((r.indexBytes - r.sdkExternal.indexBytes) / 1024).toFixed(0)} KB asset, ${signed(r.importMs + r.first.setupMs - (r.sdkExternal.importMs + r.sdkExternal.setupMs))} ms import + setup`,
      reference: `SDK from the runtime: ${(r.sdkExternal.indexBytes / 1024).toFixed(0)} KB, import + setup ${(r.sdkExternal.importMs + r.sdkExternal.setupMs).toFixed(0)} ms`,
      ratio: (r.importMs + r.first.setupMs) / (r.sdkExternal.importMs + r.sdkExternal.setupMs),
      budget: '',
    },
  ];
}

function signed(ms: number): string {
  return `${ms >= 0 ? '+' : '−'}${Math.abs(ms).toFixed(0)}`;
}
