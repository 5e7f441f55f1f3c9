import { S3Client } from '@aws-sdk/client-s3';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { DeliverySinks } from '../delivery/deliver';
import { S3AuditSink } from '../delivery/s3-audit-sink';
import { SlackSink, webhookUrlFromSecret } from '../delivery/slack-sink';
import { SnsSink } from '../delivery/sns-sink';
import type { Sink } from '../delivery/types';
import { AWS_CLIENT_DEFAULTS, getClient, getEvidenceClients, type AwsClientOptions, type EvidenceClients } from '../shared/aws-clients';
import type { HandlerConfig } from './config';

/**
 * What the handler is built from: its configuration, its AWS clients and its sinks. Built once per cold
 * start (SDK clients keep connection pools and credential caches a warm Lambda reuses,
 * https://docs.aws.amazon.com/lambda/latest/dg/best-practices.html), and injected whole by tests.
 */

/** Every AWS client the handler uses. */
export interface HandlerClients extends EvidenceClients {
  s3: S3Client;
  sns: SNSClient;
  secrets: SecretsManagerClient;
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
}

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
  };
}

/**
 * The sinks of this configuration: the S3 audit sink always; SNS when `TOPIC_ARN` is set; Slack when
 * `SLACK_SECRET_ARN` is set (the webhook URL is read from Secrets Manager and cached, never from an
 * environment variable). Each outbound call gets `CALL_TIMEOUT_MS`.
 */
export function buildSinks(config: HandlerConfig, clients: Pick<HandlerClients, 's3' | 'sns' | 'secrets'>): DeliverySinks {
  const timeoutMs = config.collect.callTimeoutMs;
  const notifications: Sink[] = [];
  if (config.topicArn) {
    notifications.push(new SnsSink({ client: clients.sns, topicArn: config.topicArn, format: config.snsMessageFormat, timeoutMs }));
  }
  if (config.slackSecretArn) {
    const getWebhookUrl = webhookUrlFromSecret({ secretId: config.slackSecretArn, client: clients.secrets });
    notifications.push(new SlackSink({ getWebhookUrl, timeoutMs }));
  }
  return {
    audit: new S3AuditSink({ client: clients.s3, bucket: config.auditBucketName, prefix: config.auditPrefix, timeoutMs }),
    notifications,
  };
}

/** The handler's dependencies for `config`, with the given clients or the process-wide defaults. */
export function buildHandlerDeps(config: HandlerConfig, clients: HandlerClients = defaultHandlerClients(config)): HandlerDeps {
  return {
    config,
    clients: { ecs: clients.ecs, logs: clients.logs, elbv2: clients.elbv2, cloudwatch: clients.cloudwatch },
    sinks: buildSinks(config, clients),
  };
}
