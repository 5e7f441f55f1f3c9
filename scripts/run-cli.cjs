#!/usr/bin/env node
'use strict';
/**
 * `npm run analyze|eval|capture`: runs `ecs-rca` from a single-file esbuild bundle of `bin/ecs-rca.ts`
 * instead of through a TypeScript loader, so a command starts about as fast as `node` itself.
 *
 * The bundle lives in `node_modules/.cache/ecs-rca/` and is rebuilt (with the local esbuild, in well
 * under a second) when it is missing or stale: when any source file it was built from, this launcher
 * or `node_modules/.package-lock.json` (rewritten by every `npm ci`/`npm install`) is newer than it. So
 * a fresh clone's `npm ci && npm run analyze` works, and an edited source is never run stale.
 * The AWS SDK stays outside the bundle: only the live commands load it, from node_modules.
 */
const { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { createRequire } = require('node:module');
const { dirname, join } = require('node:path');
const vm = require('node:vm');

const ROOT = join(__dirname, '..');
const OUT_DIR = join(ROOT, 'node_modules', '.cache', 'ecs-rca');
const BUNDLE = join(OUT_DIR, 'ecs-rca.cjs');
/** The bundle's source files (relative to ROOT), from esbuild's metafile. */
const INPUTS = join(OUT_DIR, 'inputs.json');
/** Files whose change makes the bundle stale besides its sources. */
const ALWAYS = [__filename, join(ROOT, 'node_modules', '.package-lock.json')];

/** esbuild options of the CLI bundle (also used by the bench). */
const BUILD_OPTIONS = {
  absWorkingDir: ROOT,
  entryPoints: ['bin/ecs-rca.ts'],
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // About half the bytes to read and compile at every start; names kept for error names and logs.
  minify: true,
  keepNames: true,
  // Loaded on demand by the live commands only (`await import('./live')`).
  external: ['@aws-sdk/*', '@smithy/*'],
  // Every `import()` becomes a deferred `require()`: the bundle then runs in a `vm.Script` (for its
  // code cache, see `runBundle`), where a real `import()` needs an experimental Node flag.
  supported: { 'dynamic-import': false },
  logLevel: 'error',
};

function mtimeMs(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

/**
 * Whether `bundle` is missing or older than any of its inputs (listed, relative to `root`, in the
 * JSON array `inputsFile`) or of `extra` files. A missing input counts as a change.
 */
function isStale(bundle, inputsFile, root, extra = []) {
  const built = mtimeMs(bundle);
  if (built === undefined) return true;
  let inputs;
  try {
    inputs = JSON.parse(readFileSync(inputsFile, 'utf8'));
  } catch {
    return true;
  }
  if (!Array.isArray(inputs)) return true;
  return [...inputs.map((f) => join(root, f)), ...extra].some((file) => {
    const changed = mtimeMs(file);
    return changed === undefined ? !extra.includes(file) : changed > built;
  });
}

/** Builds the bundle and its inputs list; written under temporary names and renamed, so concurrent runs never see half a file. */
function build() {
  const started = new Date();
  let esbuild;
  try {
    esbuild = require('esbuild');
  } catch {
    process.stderr.write('ecs-rca: cannot build the CLI: esbuild is not installed (run npm ci)\n');
    process.exit(1);
  }
  const result = esbuild.buildSync({ ...BUILD_OPTIONS, outfile: BUNDLE, write: false, metafile: true });
  const inputs = Object.keys(result.metafile.inputs).filter((file) => !file.includes('node_modules/'));
  mkdirSync(OUT_DIR, { recursive: true });
  const tmp = `.${process.pid}.tmp`;
  writeFileSync(INPUTS + tmp, JSON.stringify(inputs));
  writeFileSync(BUNDLE + tmp, result.outputFiles[0].contents);
  // Stamped with the build's start: a source saved during the build still makes the bundle stale.
  utimesSync(BUNDLE + tmp, started, started);
  renameSync(INPUTS + tmp, INPUTS);
  renameSync(BUNDLE + tmp, BUNDLE);
}

/** The path of a current bundle, building it first when needed. */
function ensureBundle() {
  if (isStale(BUNDLE, INPUTS, ROOT, ALWAYS)) build();
  return BUNDLE;
}

/** The code cache of `bundle` for this V8: its name changes when the bundle is rebuilt or Node changes. */
function codeCacheFile(bundle) {
  const { size, mtimeMs } = statSync(bundle);
  return join(dirname(bundle), `code-cache-${process.versions.v8}-${size}-${Math.round(mtimeMs)}.bin`);
}

/** SHA-256 of a code cache: stored before it, since V8 checks only its header and length. */
const digestOf = (data) => require('node:crypto').createHash('sha256').update(data).digest();
const DIGEST_BYTES = 32;

/**
 * The cache's data when its stored digest matches, else undefined: V8 deserialises a code cache
 * without checking its contents, and a damaged one crashes the process (a fatal error or a
 * segfault), every run, since a cache V8 accepts is never rewritten.
 */
function verifiedCache(stored) {
  if (stored.length <= DIGEST_BYTES) return undefined;
  const data = stored.subarray(DIGEST_BYTES);
  return digestOf(data).equals(stored.subarray(0, DIGEST_BYTES)) ? data : undefined;
}

/** Writes the script's code cache (after its digest) and removes any other (stale) one beside it. */
function saveCodeCache(script, file) {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    const data = script.createCachedData();
    writeFileSync(tmp, Buffer.concat([digestOf(data), data]));
    renameSync(tmp, file);
    const dir = dirname(file);
    for (const name of readdirSync(dir)) {
      if (/^code-cache-.*\.bin$/.test(name) && join(dir, name) !== file) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // A cache is an optimisation: one that cannot be written costs the next run its compile time, nothing more.
  }
}

/**
 * Runs the bundle as `require` would, through a V8 code cache kept beside it: the bytecode of the
 * functions the last run compiled is loaded instead of compiled again, about a tenth of a command's
 * start on Node 20 (https://v8.dev/blog/code-caching-for-devs; Node's own
 * `module.enableCompileCache` exists only from Node 22.1). The cache is written at exit, after the
 * run (so it holds the functions compiled while running), when there was none or V8 rejected it. V8
 * checks only a cached script's length, so the file name holds the bundle's size, modification time
 * and the V8 version: a rebuilt bundle or another Node never reads a stale cache.
 *
 * @returns the bundle's `module.exports`.
 */
function runBundle(bundle) {
  const cacheFile = codeCacheFile(bundle);
  let cachedData;
  try {
    cachedData = verifiedCache(readFileSync(cacheFile));
  } catch {
    cachedData = undefined; // none yet: compiled as usual, then written at exit
  }
  // The shebang line is blanked, not removed, so stack traces keep the bundle's line numbers.
  const source = readFileSync(bundle, 'utf8').replace(/^#!.*/, '');
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: bundle, cachedData });
  if (cachedData === undefined || script.cachedDataRejected) process.once('exit', () => saveCodeCache(script, cacheFile));
  const bundleModule = { exports: {}, filename: bundle, id: bundle };
  script.runInThisContext()(bundleModule.exports, createRequire(bundle), bundleModule, bundle, dirname(bundle));
  return bundleModule.exports;
}

module.exports = { BUILD_OPTIONS, BUNDLE, codeCacheFile, ensureBundle, isStale, runBundle };

if (require.main === module) runBundle(ensureBundle());
