/**
 * The GitHub Action's entry (`action.yml` `runs.main` is its bundle, `action/dist/index.js`, built by
 * `npm run build:action`). Only wiring: the action lives in `lambda/cli/github-action.ts`.
 */
import { processIo } from '../lambda/cli/context';
import { runAction } from '../lambda/cli/github-action';

// The SDK's nine-line Node-version notice would clutter the job log.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

runAction(processIo()).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`ecs-rca: internal error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
