#!/usr/bin/env node
/**
 * The `ecs-rca` command (package.json `bin`). Only wiring: the CLI lives in `lambda/cli/`.
 * Sets `process.exitCode` rather than calling `process.exit`, so piped output is fully written.
 */
import { processIo } from '../lambda/cli/context';
import { main } from '../lambda/cli/main';

// The AWS SDK warns at the first client on Node < 22 with a nine-line notice about its future
// support policy; it would break the CLI's one-line stderr contract. Users can still opt in.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// `ecs-rca analyze --format json | head` closes the pipe early; that is not an error worth a stack.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2), processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // `main` handles its own errors; this is only reached if writing to stderr itself failed.
    process.stderr.write(`ecs-rca: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
