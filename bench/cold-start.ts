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
 * --format=cjs --minify --sourcemap --sources-content=false --external:@aws-sdk/*`), then loaded in a
 * fresh `node` process — `require('./index.js')`, the Lambda runtime's first step — with the
 * function's own environment (`NODE_OPTIONS=--enable-source-maps` and the variables the construct
 * sets), beside a bare `node -e 0` with the same environment, alternating.
 *
 * The AWS SDK is external in the asset (the Lambda runtime provides it); here it is resolved from the
 * project's node_modules through NODE_PATH, so its load time is counted as it would be on Lambda.
 */

/** Budget: bytes of the bundled `index.js`. */
export const ASSET_BUDGET_BYTES = 400 * 1024;
/** Budget: ms the asset's load adds to an empty `node`. */
export const IMPORT_BUDGET_MS = 100;
const RUNS = 15;

/** What measurement 3 found. */
export interface ColdStartResult {
  indexBytes: number;
  mapBytes: number;
  importMs: number;
  bareMs: number;
  /** Median ms of a process that only requires the AWS SDK modules the asset requires. */
  sdkOnlyMs: number;
  sdkModules: string[];
  /** stderr/stdout of one import, when it printed anything (a configuration error would show here). */
  output: string;
}

/** Bundles the handler into `dir/asset` with the construct's esbuild options; also returns the SDK modules it requires. */
export async function bundleHandler(dir: string): Promise<{ outdir: string; sdkModules: string[] }> {
  const outdir = join(dir, 'asset');
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
    external: ['@aws-sdk/*'],
    logLevel: 'error',
  });
  const externals = Object.values(result.metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external && i.path.startsWith('@aws-sdk/')).map((i) => i.path));
  return { outdir, sdkModules: [...new Set(externals)].sort() };
}

/** The environment the construct gives the function, with placeholder resource names. */
export function functionEnvironment(): Record<string, string> {
  const settings = resolveSettings();
  const env = handlerEnvironment(settings, {
    bucketName: 'bench-audit-bucket',
    topicArn: 'arn:aws:sns:us-east-1:111122223333:bench-incidents',
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

/** Runs measurement 3 in `dir` (a temporary directory). */
export async function measureColdStart(dir: string): Promise<ColdStartResult> {
  const { outdir: asset, sdkModules } = await bundleHandler(dir);
  const env = { PATH: process.env.PATH ?? '', NODE_PATH: join(REPO_ROOT, 'node_modules'), ...functionEnvironment() };
  const sdkOnly = `for (const m of ${JSON.stringify(sdkModules)}) require(m)`;
  const imports: number[] = [];
  const bare: number[] = [];
  const sdk: number[] = [];
  let output = '';
  for (let run = 0; run < RUNS + 1; run += 1) {
    const loaded = runNode(['-e', "require('./index.js')"], asset, env);
    const empty = runNode(['-e', '0'], asset, env);
    const sdkLoaded = runNode(['-e', sdkOnly], asset, env);
    if (run === 0) continue; // warm the file-system cache
    imports.push(loaded.ms);
    bare.push(empty.ms);
    sdk.push(sdkLoaded.ms);
    output = loaded.output;
  }
  return {
    indexBytes: statSync(join(asset, 'index.js')).size,
    mapBytes: statSync(join(asset, 'index.js.map')).size,
    importMs: median(imports),
    bareMs: median(bare),
    sdkOnlyMs: median(sdk),
    sdkModules,
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
      figure: `${(r.sdkOnlyMs - r.bareMs).toFixed(0)} ms (${r.sdkModules.length} SDK modules)`,
      reference: `node -e 0: ${r.bareMs.toFixed(0)} ms`,
      budget: '',
    },
  ];
}
