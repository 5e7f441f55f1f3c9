import { CloudTrailClient } from '@aws-sdk/client-cloudtrail';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECSClient } from '@aws-sdk/client-ecs';
import { ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import type { NodeHttpHandlerOptions } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

/**
 * One place that builds AWS SDK v3 clients, so every client gets the same timeouts and retries.
 *
 * - Timeouts: the SDK's Node HTTP handler with `connectionTimeout` and `requestTimeout` (per attempt),
 *   given as an options object so the client builds its own handler (we do not bundle a second copy
 *   of `@smithy/node-http-handler` and its `@smithy/core` into the Lambda asset). In
 *   `@smithy/node-http-handler` 4.x a passed `requestTimeout` only logs a warning unless
 *   `throwOnRequestTimeout: true` is set too, so we set it; every call also carries an `abortSignal`
 *   with its own timeout (`aws-call.ts`), which aborts it whatever the handler version.
 * - Retries: the SDK's `standard` retry mode with `maxAttempts`; it retries throttling and transient
 *   errors with backoff. https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
 * - Endpoints: never hard-coded. Without `endpoint`, the SDK reads the standard service-specific
 *   variables (`AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_CLOUDWATCH_LOGS`,
 *   `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`, `AWS_ENDPOINT_URL_CLOUDWATCH`, or the global
 *   `AWS_ENDPOINT_URL`). https://docs.aws.amazon.com/sdkref/latest/guide/feature-ss-endpoints.html
 * - One instance per client per process (per distinct options): SDK clients hold connection pools and
 *   credential caches that a warm Lambda should reuse.
 *   https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html (initialise SDK clients outside
 *   the handler)
 */

/** Options shared by every client the factory builds. All optional; defaults suit a Lambda. */
export interface AwsClientOptions {
  /** AWS Region; defaults to the SDK's own resolution (`AWS_REGION`, profile). */
  region?: string;
  /** Milliseconds to establish a TCP/TLS connection. Default 3000. */
  connectionTimeoutMs?: number;
  /** Milliseconds for one HTTP attempt (request and response). Default 5000. */
  requestTimeoutMs?: number;
  /** Attempts per call, first one included, under the SDK `standard` retry mode. Default 3. */
  maxAttempts?: number;
  /**
   * Explicit endpoint URL for every client. Leave unset in production so the SDK's
   * `AWS_ENDPOINT_URL_<SERVICE>` variables apply; tests use it to point at a local server.
   */
  endpoint?: string;
  /** Credentials; default is the SDK's default provider chain. Tests pass static fake keys. */
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
}

/** Defaults used when an option is absent. */
export const AWS_CLIENT_DEFAULTS = {
  connectionTimeoutMs: 3000,
  requestTimeoutMs: 5000,
  maxAttempts: 3,
} as const;

/** Client configuration that any AWS SDK v3 client constructor accepts. */
export interface SharedClientConfig {
  region?: string;
  endpoint?: string;
  credentials?: AwsCredentialIdentity | AwsCredentialIdentityProvider;
  maxAttempts: number;
  retryMode: 'standard';
  requestHandler: NodeHttpHandlerOptions;
}

/**
 * The configuration every client gets (its own HTTP handler, built by the client). Use it to build clients
 * this module does not list, e.g. `new S3Client({ ...sharedClientConfig(o), forcePathStyle: true })`.
 */
export function sharedClientConfig(options: AwsClientOptions = {}): SharedClientConfig {
  const config: SharedClientConfig = {
    maxAttempts: options.maxAttempts ?? AWS_CLIENT_DEFAULTS.maxAttempts,
    retryMode: 'standard',
    requestHandler: {
      connectionTimeout: options.connectionTimeoutMs ?? AWS_CLIENT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? AWS_CLIENT_DEFAULTS.requestTimeoutMs,
      // Without this, 4.x only logs a warning when requestTimeout passes and the call hangs on.
      throwOnRequestTimeout: true,
    },
  };
  // Only set keys that have values: an explicit `endpoint: undefined` is harmless, but leaving the
  // key out keeps the SDK's own resolution (env variables, profile) obviously in charge.
  if (options.region !== undefined) config.region = options.region;
  if (options.endpoint !== undefined) config.endpoint = options.endpoint;
  if (options.credentials !== undefined) config.credentials = options.credentials;
  return config;
}

/** A client constructor taking the shared configuration. */
export type ClientConstructor<C> = new (config: SharedClientConfig) => C;

const cache = new Map<ClientConstructor<unknown>, Map<string, unknown>>();

function optionsKey(options: AwsClientOptions): string {
  // Credentials objects are not comparable by value; a caller passing its own gets its own client.
  const credentialsKey = options.credentials === undefined ? '' : `creds:${cacheIdentity(options.credentials)}`;
  return JSON.stringify([
    options.region ?? '',
    options.endpoint ?? '',
    options.connectionTimeoutMs ?? AWS_CLIENT_DEFAULTS.connectionTimeoutMs,
    options.requestTimeoutMs ?? AWS_CLIENT_DEFAULTS.requestTimeoutMs,
    options.maxAttempts ?? AWS_CLIENT_DEFAULTS.maxAttempts,
    credentialsKey,
  ]);
}

const identities = new WeakMap<object, number>();
let nextIdentity = 1;
function cacheIdentity(value: object): number {
  let id = identities.get(value);
  if (id === undefined) {
    id = nextIdentity++;
    identities.set(value, id);
  }
  return id;
}

/**
 * The process-wide instance of client `Ctor` for these options, built on first use.
 * Equal options (by value; credentials by identity) return the same instance.
 */
export function getClient<C>(Ctor: ClientConstructor<C>, options: AwsClientOptions = {}): C {
  let byOptions = cache.get(Ctor as ClientConstructor<unknown>);
  if (!byOptions) {
    byOptions = new Map();
    cache.set(Ctor as ClientConstructor<unknown>, byOptions);
  }
  const key = optionsKey(options);
  const existing = byOptions.get(key);
  if (existing !== undefined) return existing as C;
  const client = new Ctor(sharedClientConfig(options));
  byOptions.set(key, client);
  return client;
}

/** The clients the evidence collectors use. */
export interface EvidenceClients {
  ecs: ECSClient;
  logs: CloudWatchLogsClient;
  elbv2: ElasticLoadBalancingV2Client;
  cloudwatch: CloudWatchClient;
  /** Only used when `CollectConfig.lookupChangeActor` is on. */
  cloudtrail?: CloudTrailClient;
}

/** The process-wide evidence clients for these options (see `getClient`). */
export function getEvidenceClients(options: AwsClientOptions = {}): EvidenceClients {
  return {
    ecs: getClient(ECSClient, options),
    logs: getClient(CloudWatchLogsClient, options),
    elbv2: getClient(ElasticLoadBalancingV2Client, options),
    cloudwatch: getClient(CloudWatchClient, options),
    cloudtrail: getClient(CloudTrailClient, options),
  };
}
