/**
 * Environment of `entry.test.ts`, set before it imports the production handler (whose configuration is
 * read at import, as in a Lambda cold start). Credentials are s3rver's fixed test keys.
 */
Object.assign(process.env, {
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'S3RVER',
  AWS_SECRET_ACCESS_KEY: 'S3RVER',
  AUDIT_BUCKET_NAME: 'audit-bucket',
  AUDIT_PREFIX: 'audit/incidents/',
  TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:ecs-incidents',
  SLACK_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:ecs-rca/slack-AbCdEf',
  SNS_MESSAGE_FORMAT: 'chatbot',
  POWERTOOLS_LOG_LEVEL: 'info',
  POWERTOOLS_SERVICE_NAME: 'ecs-rca-entry-test',
  POWERTOOLS_METRICS_NAMESPACE: 'EcsRcaEntryTest',
  CALL_TIMEOUT_MS: '2000',
});
