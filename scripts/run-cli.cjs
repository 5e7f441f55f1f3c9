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
const { mkdirSync, readFileSync, renameSync, statSync, utimesSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');

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

module.exports = { BUILD_OPTIONS, BUNDLE, ensureBundle, isStale };

if (require.main === module) {
  // Node 22.1+ keeps the bundle's compiled code between runs (as TypeScript's tsc does); older
  // Nodes have no such API and compile it each time.
  require('node:module').enableCompileCache?.(join(OUT_DIR, 'compile-cache'));
  require(ensureBundle());
}
