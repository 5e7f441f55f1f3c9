import { DEFAULT_COLLECT_CONFIG } from '../../lambda/evidence/collect-config';
import { handlerConfigFromEnv, HandlerConfigError } from '../../lambda/handler/config';

const BASE = { AUDIT_BUCKET_NAME: 'my-audit-bucket' };

function errorOf(env: Record<string, string | undefined>): HandlerConfigError {
  try {
    handlerConfigFromEnv(env);
  } catch (error) {
    if (error instanceof HandlerConfigError) return error;
    throw error;
  }
  throw new Error('expected a HandlerConfigError');
}

describe('handlerConfigFromEnv', () => {
  it('needs only AUDIT_BUCKET_NAME; everything else has a default and notifications are off', () => {
    expect(handlerConfigFromEnv(BASE)).toEqual({
      auditBucketName: 'my-audit-bucket',
      auditPrefix: 'incidents/',
      snsMessageFormat: 'text',
      logLevel: 'INFO',
      serviceName: 'ecs-incident-analyzer',
      metricsNamespace: 'EcsIncidentAnalyzer',
      collect: DEFAULT_COLLECT_CONFIG,
      idempotencyExpirySeconds: 3600,
      incidentWindowMinutes: 60,
      slackApiUrl: 'https://slack.com/api/',
    });
  });

  it('reads the idempotency and incident tables, the window and the Slack API URL', () => {
    expect(
      handlerConfigFromEnv({
        ...BASE,
        IDEMPOTENCY_TABLE_NAME: 'rca-state',
        IDEMPOTENCY_EXPIRY_SECONDS: '7200',
        INCIDENT_TABLE_NAME: 'rca-state',
        INCIDENT_WINDOW_MINUTES: '15',
        SLACK_API_URL: 'https://slack-gov.com/api/',
      }),
    ).toMatchObject({
      idempotencyTableName: 'rca-state',
      idempotencyExpirySeconds: 7200,
      incidentTableName: 'rca-state',
      incidentWindowMinutes: 15,
      slackApiUrl: 'https://slack-gov.com/api/',
    });
    expect(errorOf({ ...BASE, INCIDENT_WINDOW_MINUTES: '0' }).message).toBe(
      'environment variable INCIDENT_WINDOW_MINUTES="0" is invalid: must be at least 1',
    );
    expect(errorOf({ ...BASE, INCIDENT_WINDOW_MINUTES: '1h' }).message).toMatch(/^environment variable INCIDENT_WINDOW_MINUTES="1h" is invalid: must be a whole number of minutes$/);
    expect(errorOf({ ...BASE, IDEMPOTENCY_TABLE_NAME: 'a b' }).message).toMatch(/^environment variable IDEMPOTENCY_TABLE_NAME="a b" is invalid: not a DynamoDB table name/);
  });

  it('reads every documented variable (values trimmed, log level case-insensitive)', () => {
    const config = handlerConfigFromEnv({
      ...BASE,
      AUDIT_PREFIX: 'rca/',
      TOPIC_ARN: ' arn:aws:sns:eu-west-1:111122223333:incidents.fifo ',
      SLACK_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-webhook-AbCdEf',
      SNS_MESSAGE_FORMAT: 'chatbot',
      POWERTOOLS_LOG_LEVEL: 'debug',
      POWERTOOLS_SERVICE_NAME: 'rca',
      POWERTOOLS_METRICS_NAMESPACE: 'Platform/Rca',
      CALL_TIMEOUT_MS: '2500',
      LOG_LINE_BUDGET: '100',
      LOG_BYTE_BUDGET: '65536',
      MAX_STOPPED_TASKS: '5',
      ECS_CLUSTERS: 'prod, staging',
    });
    expect(config).toMatchObject({
      auditPrefix: 'rca/',
      topicArn: 'arn:aws:sns:eu-west-1:111122223333:incidents.fifo',
      slackSecretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-webhook-AbCdEf',
      snsMessageFormat: 'chatbot',
      logLevel: 'DEBUG',
      serviceName: 'rca',
      metricsNamespace: 'Platform/Rca',
    });
    expect(config.collect).toMatchObject({ callTimeoutMs: 2500, logLineBudget: 100, logByteBudget: 65536, maxTasks: 5, clusters: ['prod', 'staging'] });
  });

  it('accepts a secret name as well as an ARN, and treats empty variables as unset', () => {
    expect(handlerConfigFromEnv({ ...BASE, SLACK_SECRET_ARN: 'ecs-rca/slack', TOPIC_ARN: '', AUDIT_PREFIX: '' })).toMatchObject({
      slackSecretArn: 'ecs-rca/slack',
      auditPrefix: 'incidents/',
    });
    expect(handlerConfigFromEnv({ ...BASE, TOPIC_ARN: '' }).topicArn).toBeUndefined();
  });

  it.each([
    [{}, 'environment variable AUDIT_BUCKET_NAME is not set; set it to the name of the audit S3 bucket'],
    [{ AUDIT_BUCKET_NAME: 'My_Bucket' }, 'environment variable AUDIT_BUCKET_NAME="My_Bucket" is invalid: not an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens)'],
    [{ ...BASE, AUDIT_PREFIX: '/incidents/' }, `environment variable AUDIT_PREFIX="/incidents/" is invalid: must not start with '/' (S3 keys have no leading slash)`],
    [{ ...BASE, TOPIC_ARN: 'incidents' }, 'environment variable TOPIC_ARN="incidents" is invalid: not an SNS topic ARN (arn:aws:sns:<region>:<account>:<topic>)'],
    // The value is not echoed: it is often the webhook URL, a secret.
    [
      { ...BASE, SLACK_SECRET_ARN: 'https://hooks.slack.com/services/T0/B0/x' },
      'environment variable SLACK_SECRET_ARN is invalid: not a Secrets Manager secret ARN or name (put the webhook URL in the secret, not here)',
    ],
    [{ ...BASE, SNS_MESSAGE_FORMAT: 'json' }, `environment variable SNS_MESSAGE_FORMAT="json" is invalid: must be 'text' or 'chatbot'`],
    [{ ...BASE, POWERTOOLS_LOG_LEVEL: 'verbose' }, 'environment variable POWERTOOLS_LOG_LEVEL="verbose" is invalid: must be one of TRACE, DEBUG, INFO, WARN, ERROR, CRITICAL, SILENT'],
    [{ ...BASE, POWERTOOLS_METRICS_NAMESPACE: 'AWS/ECS' }, 'environment variable POWERTOOLS_METRICS_NAMESPACE="AWS/ECS" is invalid: must not start with AWS/ (reserved for AWS services)'],
    [{ ...BASE, CALL_TIMEOUT_MS: '5s' }, /^environment variable CALL_TIMEOUT_MS=5s is invalid: .*; set a positive integer or unset it$/],
    [{ ...BASE, LOG_LINE_BUDGET: '0' }, /^environment variable LOG_LINE_BUDGET=0 is invalid: /],
  ])('refuses %j with one line naming the variable', (env, message) => {
    const error = errorOf(env as Record<string, string>);
    expect(error.message).not.toContain('\n');
    if (typeof message === 'string') expect(error.message).toBe(message);
    else expect(error.message).toMatch(message);
  });

  it('reads CALL_TIMEOUT_MS into the collector budget', () => {
    expect(handlerConfigFromEnv({ ...BASE, CALL_TIMEOUT_MS: '3000' }).collect.callTimeoutMs).toBe(3000);
    expect(DEFAULT_COLLECT_CONFIG.callTimeoutMs).not.toBe(3000);
  });
});
