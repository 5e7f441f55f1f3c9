import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME } from '../handler/config';
import { failClosedFromEnv } from './config';
import { createHookHandler } from './create-hook-handler';

/**
 * The Lambda entry point of the ECS deployment lifecycle hook (`handler`), bundled by the CDK
 * construct (`lib/deployment-hook.ts`). Configured with the analyzer's environment variables plus
 * `HOOK_FAIL_CLOSED`, `HOOK_HEALTHY_SECONDS`, `HOOK_CALLBACK_DELAY_SECONDS` and `HOOK_MAX_WAIT_SECONDS`
 * (`config.ts`, README "In your deploy pipeline"). The configuration and the pipeline are loaded on the
 * first invocation (`hook-deps.ts`); an invalid configuration is a fault, answered per `HOOK_FAIL_CLOSED`.
 */

const logger = new Logger({ serviceName: process.env.POWERTOOLS_SERVICE_NAME || `${DEFAULT_SERVICE_NAME}-hook` });
const metrics = new Metrics({
  namespace: process.env.POWERTOOLS_METRICS_NAMESPACE || DEFAULT_METRICS_NAMESPACE,
  serviceName: process.env.POWERTOOLS_SERVICE_NAME || `${DEFAULT_SERVICE_NAME}-hook`,
});

/** Answers ECS: SUCCEEDED, FAILED (after delivering the report) or IN_PROGRESS with `callBackDelay`. */
export const handler = createHookHandler({
  deps: () => import('./hook-deps').then(({ buildHookDeps }) => buildHookDeps(process.env)),
  failClosed: failClosedFromEnv(process.env),
  logger,
  metrics,
});
