#!/usr/bin/env node
'use strict';
/**
 * `npm run build:cli` (part of `npm run build`, so of `prepack`): writes the installed `ecs-rca`
 * command (package.json `bin`), `dist/bin/ecs-rca.cjs`, the same single-file esbuild bundle of
 * `bin/ecs-rca.ts` that `npm run analyze` runs in a checkout (`scripts/run-cli.cjs`, whose build
 * options it reuses). One file to load instead of a tree of compiled modules, so the installed command
 * starts as fast as the checkout's; the AWS SDK stays outside, loaded from the package's dependencies
 * by the live commands only.
 */
const { chmodSync, mkdirSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { BUILD_OPTIONS } = require('./run-cli.cjs');

/** Where the installed command is written (package.json `bin.ecs-rca`). */
const OUTFILE = join(__dirname, '..', 'dist', 'bin', 'ecs-rca.cjs');

function buildCli(outfile = OUTFILE) {
  mkdirSync(dirname(outfile), { recursive: true });
  // bin/ecs-rca.ts starts with `#!/usr/bin/env node`, which esbuild keeps as the bundle's first line.
  require('esbuild').buildSync({ ...BUILD_OPTIONS, outfile });
  chmodSync(outfile, 0o755);
  return outfile;
}

module.exports = { OUTFILE, buildCli };

if (require.main === module) buildCli();
