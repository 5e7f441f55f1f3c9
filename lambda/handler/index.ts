import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME, handlerConfigFromEnv, type HandlerConfig } from './config';
import { createHandler } from './create-handler';
import type { HandlerDeps } from './dependencies';

/**
 * The Lambda entry point (`handler`), bundled by the CDK construct (`lib/analyzer-function.ts`) and
 * usable by any other IaC tool: configure it with the environment variables documented in README.md ("The Lambda handler").
 *
 * The configuration is validated during the cold start. A bad value is logged as one line and then
 * fails every invocation, so events are retried and kept by the on-failure destination instead of
 * being dropped while the function is misconfigured.
 *
 * The import path is kept light on purpose: at module load only the configuration, the Powertools
 * logger and metrics and middy are loaded. The AWS SDK clients, the sinks, Powertools idempotency
 * (`dependencies.ts`) and the pipeline (`invocation.ts`, through `createHandler`) are imported with
 * `import()` on the first invocation, built once and reused while the execution environment lives
 * (https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html). The bundler turns each `import()`
 * of a bundled module into a lazily run wrapper, so the SDK's `require` calls run only then. The cost
 * moves to the first invocation rather than disappearing: an event that is analysed needs those
 * modules anyway; an invalid configuration never loads them.
 */

let config: HandlerConfig | undefined;
let configError: Error | undefined;
try {
  config = handlerConfigFromEnv(process.env);
} catch (error) {
  configError = error instanceof Error ? error : new Error(String(error));
}

const logger = new Logger({
  serviceName: config?.serviceName ?? DEFAULT_SERVICE_NAME,
  ...(config ? { logLevel: config.logLevel } : {}),
});
const metrics = new Metrics({
  namespace: config?.metricsNamespace ?? DEFAULT_METRICS_NAMESPACE,
  serviceName: config?.serviceName ?? DEFAULT_SERVICE_NAME,
});

if (configError) logger.error(`Invalid configuration: ${configError.message}`);

let deps: Promise<HandlerDeps> | undefined;

/**
 * The dependencies of this execution environment, loaded and built on first use. A failed build is
 * not cached, so the next invocation tries again.
 *
 * @throws HandlerConfigError when the environment is invalid.
 */
function dependencies(): Promise<HandlerDeps> {
  const valid = config;
  if (!valid) return Promise.reject(configError ?? new Error('configuration missing'));
  deps ??= import('./dependencies')
    .then(({ buildHandlerDeps }) => buildHandlerDeps(valid, undefined, (message, details) => logger.warn(message, details)))
    .catch((error: unknown) => {
      deps = undefined;
      throw error;
    });
  return deps;
}

/**
 * The Lambda handler: analyses one EventBridge event (ECS task stopped, deployment failed, service
 * action, or an ELB unhealthy-host alarm) and delivers the report (S3 audit, then SNS and Slack).
 *
 * @throws HandlerConfigError when the environment is invalid (every invocation, until fixed).
 * @throws AuditWriteError when the S3 audit record cannot be written (Lambda retries the event).
 */
export const handler = createHandler({ deps: dependencies, logger, metrics });
