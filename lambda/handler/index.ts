import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { DEFAULT_METRICS_NAMESPACE, DEFAULT_SERVICE_NAME, handlerConfigFromEnv, type HandlerConfig } from './config';
import { createHandler } from './create-handler';
import { buildHandlerDeps, type HandlerDeps } from './dependencies';

/**
 * The Lambda entry point (`handler`), bundled by the CDK construct (`lib/analyzer-function.ts`) and
 * usable by any other IaC tool: configure it with the environment variables documented in README.md ("The Lambda handler").
 *
 * The configuration is validated during the cold start. A bad value is logged as one line and then
 * fails every invocation, so events are retried and kept by the on-failure destination instead of
 * being dropped while the function is misconfigured. Clients and sinks are built on the first
 * invocation and reused while the execution environment lives.
 *
 * The import path is kept light on purpose: no CLI, no commander, only the SDK clients used.
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

let deps: HandlerDeps | undefined;

/** The dependencies of this execution environment, built on first use. */
function dependencies(): HandlerDeps {
  if (!config) throw configError ?? new Error('configuration missing');
  deps ??= buildHandlerDeps(config, undefined, (message, details) => logger.warn(message, details));
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
