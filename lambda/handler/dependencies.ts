import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { DeliverySinks } from '../delivery/deliver';
import { GroupedSink, SnsChannel, type IncidentChannel } from '../delivery/grouped-sink';
import { IncidentGate } from '../delivery/incident-gate';
import { GROUPING_DEFAULTS } from '../delivery/incident-grouping';
import { IncidentStore } from '../delivery/incident-store';
import { S3AuditSink } from '../delivery/s3-audit-sink';
import { SlackChannel, slackTargetFromSecret } from '../delivery/slack-channel';
import { SnsSink } from '../delivery/sns-sink';
import { AWS_CLIENT_DEFAULTS, getClient, getEvidenceClients, type AwsClientOptions, type EvidenceClients } from '../shared/aws-clients';
import type { HandlerConfig } from './config';
import { buildIdempotency, type Idempotency } from './idempotency';

/**
 * What the handler is built from: its configuration, its AWS clients and its sinks. Built once per
 * execution environment, on its first invocation (SDK clients keep connection pools and credential
 * caches a warm Lambda reuses, https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html), and
 * injected whole by tests.
 *
 * This module loads the AWS SDK clients, the sinks and Powertools idempotency, so `index.ts` reaches it
 * only through `import()` on the first invocation; import only types from it anywhere on the cold-start
 * path (`create-handler.ts`, `index.ts`).
 */

/** Every AWS client the handler uses. */
export interface HandlerClients extends EvidenceClients {
  s3: S3Client;
  sns: SNSClient;
  secrets: SecretsManagerClient;
  /** The idempotency and incident tables' client; built on demand when a table is configured. */
  dynamodb?: DynamoDBClient;
}

/** Incident grouping: the gate in front of the notification channels, and the channels themselves. */
export interface HandlerGrouping {
  gate: IncidentGate;
  /** The channels behind the gate (resolution notes go to each). */
  channels: IncidentChannel[];
}

/** The handler's dependencies. */
export interface HandlerDeps {
  config: HandlerConfig;
  /** Clients of the evidence collectors. */
  clients: EvidenceClients;
  /** Audit sink and notification sinks. */
  sinks: DeliverySinks;
  /** Clock in epoch ms; default `Date.now`. */
  now?: () => number;
  /** Powertools idempotency, when `IDEMPOTENCY_TABLE_NAME` is set. */
  idempotency?: Idempotency;
  /** Incident grouping, when `INCIDENT_TABLE_NAME` is set. */
  grouping?: HandlerGrouping;
}

/** Told about grouping problems that do not stop a delivery (the handler passes its logger). */
export type WarningListener = (message: string, details: Record<string, unknown>) => void;

/**
 * Client options: the SDK's default region and credentials (the function's role), endpoints from the
 * standard `AWS_ENDPOINT_URL_<SERVICE>` variables, and an HTTP attempt never longer than the whole call
 * may take (`CALL_TIMEOUT_MS`).
 */
export function handlerClientOptions(config: HandlerConfig): AwsClientOptions {
  return { requestTimeoutMs: Math.min(AWS_CLIENT_DEFAULTS.requestTimeoutMs, config.collect.callTimeoutMs) };
}

/** The process-wide clients for this configuration (see `getClient`). */
export function defaultHandlerClients(config: HandlerConfig): HandlerClients {
  const options = handlerClientOptions(config);
  return {
    ...getEvidenceClients(options),
    s3: getClient(S3Client, options),
    sns: getClient(SNSClient, options),
    secrets: getClient(SecretsManagerClient, options),
    ...(config.idempotencyTableName || config.incidentTableName ? { dynamodb: getClient(DynamoDBClient, options) } : {}),
  };
}

/**
 * The notification channels of this configuration: SNS when `TOPIC_ARN` is set; Slack when
 * `SLACK_SECRET_ARN` is set (an incoming-webhook URL or a bot token and channel, read from Secrets
 * Manager and cached, never from an environment variable). Each outbound call gets `CALL_TIMEOUT_MS`.
 */
export function buildChannels(config: HandlerConfig, clients: Pick<HandlerClients, 'sns' | 'secrets'>): IncidentChannel[] {
  const timeoutMs = config.collect.callTimeoutMs;
  const channels: IncidentChannel[] = [];
  if (config.topicArn) {
    channels.push(new SnsChannel(new SnsSink({ client: clients.sns, topicArn: config.topicArn, format: config.snsMessageFormat, timeoutMs })));
  }
  if (config.slackSecretArn) {
    const getTarget = slackTargetFromSecret({ secretId: config.slackSecretArn, client: clients.secrets });
    channels.push(new SlackChannel({ getTarget, timeoutMs, apiUrl: config.slackApiUrl }));
  }
  return channels;
}

/**
 * The sinks of this configuration: the S3 audit sink always, then the notification channels — each
 * behind the incident gate when grouping is on.
 */
export function buildSinks(config: HandlerConfig, clients: Pick<HandlerClients, 's3' | 'sns' | 'secrets'>, grouping?: HandlerGrouping): DeliverySinks {
  const timeoutMs = config.collect.callTimeoutMs;
  const channels = grouping?.channels ?? buildChannels(config, clients);
  return {
    audit: new S3AuditSink({ client: clients.s3, bucket: config.auditBucketName, prefix: config.auditPrefix, timeoutMs }),
    notifications: grouping ? channels.map((channel) => new GroupedSink(channel, grouping.gate)) : channels,
  };
}

/** Incident grouping on `INCIDENT_TABLE_NAME`, or undefined when it is not set. */
export function buildGrouping(config: HandlerConfig, clients: HandlerClients, onWarning?: WarningListener): HandlerGrouping | undefined {
  if (!config.incidentTableName) return undefined;
  const store = new IncidentStore({
    client: clients.dynamodb ?? getClient(DynamoDBClient, handlerClientOptions(config)),
    tableName: config.incidentTableName,
    timeoutMs: config.collect.callTimeoutMs,
  });
  const gate = new IncidentGate({
    store,
    settings: { ...GROUPING_DEFAULTS, windowMs: config.incidentWindowMinutes * 60_000 },
    ...(onWarning ? { onWarning } : {}),
  });
  return { gate, channels: buildChannels(config, clients) };
}

/** The handler's dependencies for `config`, with the given clients or the process-wide defaults. */
export function buildHandlerDeps(config: HandlerConfig, clients: HandlerClients = defaultHandlerClients(config), onWarning?: WarningListener): HandlerDeps {
  const grouping = buildGrouping(config, clients, onWarning);
  const dynamodb = clients.dynamodb ?? (config.idempotencyTableName ? getClient(DynamoDBClient, handlerClientOptions(config)) : undefined);
  return {
    config,
    clients: {
      ecs: clients.ecs,
      logs: clients.logs,
      elbv2: clients.elbv2,
      cloudwatch: clients.cloudwatch,
      ...(config.collect.lookupChangeActor && clients.cloudtrail ? { cloudtrail: clients.cloudtrail } : {}),
    },
    sinks: buildSinks(config, clients, grouping),
    ...(grouping ? { grouping } : {}),
    ...(config.idempotencyTableName && dynamodb
      ? {
          idempotency: buildIdempotency({
            tableName: config.idempotencyTableName,
            client: dynamodb,
            expirySeconds: config.idempotencyExpirySeconds,
            timeoutMs: config.collect.callTimeoutMs,
          }),
        }
      : {}),
  };
}
