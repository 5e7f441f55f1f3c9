import { Stack, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { synthStack } from './helpers';

const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:team-alerts';
const TG = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web-tg/0a1b2c3d4e5f6a7b';
const LB = 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:loadbalancer/app/web-alb/5f3a2b1c0d9e8f7a';

type Statement = { Action: string | string[]; Resource: unknown; Condition?: unknown; Sid?: string; Effect: string };

/** Every Allow statement of every IAM policy in the template. */
function allowStatements(template: Template): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<
    string,
    { Properties: { PolicyDocument: { Statement: Statement[] } } }
  >;
  return Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement.filter((s) => s.Effect === 'Allow'));
}

const actionsOf = (s: Statement) => (Array.isArray(s.Action) ? s.Action : [s.Action]);

describe('EcsIncidentAnalyzer with defaults', () => {
  const { stack, template } = synthStack();

  it('is environment-agnostic', () => {
    expect(Token.isUnresolved(stack.account)).toBe(true);
    expect(Token.isUnresolved(stack.region)).toBe(true);
    // No account id in an ARN or principal (asset hashes may contain runs of digits, so look only there).
    const accountIds = JSON.stringify(template.toJSON()).match(/arn:aws[\w-]*:[\w-]+:[\w-]*:\d{12}:|:iam::\d{12}:|"\d{12}"/g);
    expect(accountIds).toBeNull();
  });

  it('runs the handler on Node.js 22, arm64, with sized memory, timeout, concurrency and tracing', () => {
    // The analyzer and the deployment lifecycle hook (test/lib/deployment-hook.test.ts).
    template.resourceCountIs('AWS::Lambda::Function', 2);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      MemorySize: 512,
      Timeout: 60,
      ReservedConcurrentExecutions: 5,
      TracingConfig: { Mode: 'Active' },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('LogGroup') } },
    });
  });

  it('passes the documented environment variables', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          AUDIT_BUCKET_NAME: { Ref: Match.stringLikeRegexp('AuditBucket') },
          AUDIT_PREFIX: 'incidents/',
          TOPIC_ARN: { Ref: Match.stringLikeRegexp('NotificationTopic') },
          SLACK_SECRET_ARN: { Ref: Match.stringLikeRegexp('SlackWebhookSecret') },
          SNS_MESSAGE_FORMAT: 'text',
          POWERTOOLS_SERVICE_NAME: 'ecs-incident-analyzer',
          POWERTOOLS_METRICS_NAMESPACE: 'EcsIncidentAnalyzer',
          POWERTOOLS_LOG_LEVEL: 'INFO',
          CALL_TIMEOUT_MS: '5000',
          LOG_LINE_BUDGET: '200',
          LOG_BYTE_BUDGET: '65536',
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
    });
  });

  it('tells the handler which clusters to search when clusters are configured', () => {
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { ECS_CLUSTERS: Match.absent() } } });
    const { template: scoped } = synthStack({ clusters: ['prod', 'batch'] });
    scoped.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { ECS_CLUSTERS: 'prod,batch' } } });
  });

  it('retries asynchronous invocations twice, then sends them to the dead-letter queue', () => {
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
      Qualifier: '$LATEST',
      DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } } },
    });
  });

  it('creates the function only after the policy that lets it write to its destination', () => {
    const fn = Object.values(template.findResources('AWS::Lambda::Function'))[0] as { DependsOn?: string[] };
    const policyId = Object.keys(template.findResources('AWS::IAM::Policy')).find((id) => id.includes('Permissions'));
    expect(fn.DependsOn).toContain(policyId);
  });

  it('keeps the function logs for the retention setting', () => {
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 30 });
  });

  it('encrypts the dead-letter queue with the customer managed key and requires TLS', () => {
    template.hasResourceProperties('AWS::SQS::Queue', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
      MessageRetentionPeriod: 1209600,
    });
    template.hasResourceProperties('AWS::SQS::QueuePolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sqs:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  // Alarm ARNs of this account and Region, as the stack writes them (CloudFormation pseudo parameters).
  const alarmSource = {
    StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
    ArnLike: {
      'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':cloudwatch:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':alarm:*']] },
    },
  };

  it('rotates the key and lets CloudWatch alarms of this account, EventBridge and SNS write encrypted messages', () => {
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
            Resource: '*',
            Condition: alarmSource,
          },
          Match.objectLike({
            Principal: { Service: ['events.amazonaws.com', 'sns.amazonaws.com'] },
            Action: ['kms:GenerateDataKey*', 'kms:Decrypt'],
          }),
        ]),
      },
    });
  });

  it('creates a KMS-encrypted topic whose policy denies publishing without TLS and lets the stack\'s alarms publish', () => {
    template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('Key'), 'Arn'] },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Principal: '*',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          {
            Sid: 'AllowCloudWatchAlarmsOfThisAccountToPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: { Ref: Match.stringLikeRegexp('NotificationTopic') },
            Condition: alarmSource,
          },
        ]),
      },
    });
    // The operational alarms notify this very topic, including the one on notifications that failed every retry.
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('^A notification \\(SNS or Slack\\) failed after every retry'),
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'FILL(s0, 0) + FILL(s1, 0)' }),
        Match.objectLike({
          Id: 's1',
          MetricStat: Match.objectLike({
            Metric: { Namespace: 'EcsIncidentAnalyzer', MetricName: 'SinkFailures', Dimensions: [{ Name: 'service', Value: 'ecs-incident-analyzer' }, { Name: 'sink', Value: 'slack' }] },
            Stat: 'Sum',
          }),
        }),
      ]),
      AlarmActions: [{ Ref: Match.stringLikeRegexp('NotificationTopic') }],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: Match.stringLikeRegexp('NotificationTopic') }] });
  });

  it('encrypts the audit records with the stack key (SSE-KMS, Bucket Key), retains the key, and lets the function use it', () => {
    const keys = template.findResources('AWS::KMS::Key') as Record<string, { DeletionPolicy?: string }>;
    expect(Object.keys(keys)).toHaveLength(1);
    const [keyId, key] = Object.entries(keys)[0]!;
    // Retained with the audit bucket: destroying the key would make the kept records unreadable.
    expect(key.DeletionPolicy).toBe('Retain');
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          { BucketKeyEnabled: true, ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [keyId, 'Arn'] } } },
        ],
      },
      VersioningConfiguration: { Status: 'Enabled' },
    });
    // The access-logs bucket stays SSE-S3 (server access logging only supports SSE-S3 on the destination).
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
      LifecycleConfiguration: { Rules: [Match.objectLike({ Id: 'expire-access-logs' })] },
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'EncryptMessages',
            Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
            Resource: { 'Fn::GetAtt': [keyId, 'Arn'] },
          }),
        ]),
      },
    });
  });

  it('keeps audit records in an encrypted, versioned, private, TLS-only bucket that expires them', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: { ServerSideEncryptionConfiguration: [Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) })] },
      VersioningConfiguration: { Status: 'Enabled' },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LoggingConfiguration: { DestinationBucketName: { Ref: Match.stringLikeRegexp('AccessLogs') } },
      LifecycleConfiguration: {
        Rules: [Match.objectLike({ ExpirationInDays: 365, NoncurrentVersionExpiration: { NoncurrentDays: 365 } })],
      },
      ObjectLockEnabled: false,
    });
    const buckets = template.findResources('AWS::S3::Bucket');
    expect(Object.values(buckets).every((b) => (b as { DeletionPolicy?: string }).DeletionPolicy === 'Retain')).toBe(true);
    const policies = template.findResources('AWS::S3::BucketPolicy') as Record<string, { Properties: { PolicyDocument: { Statement: Statement[] } } }>;
    expect(Object.keys(policies)).toHaveLength(2);
    for (const policy of Object.values(policies)) {
      expect(policy.Properties.PolicyDocument.Statement).toContainEqual(
        expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
      );
    }
  });

  it('creates the Slack secret empty, to be filled after deploying', () => {
    template.resourceCountIs('AWS::SecretsManager::Secret', 1);
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.absent(),
      SecretString: Match.absent(),
    });
  });

  it('creates the four trigger rules and the recovery rule, each delivering to the function with the DLQ as fallback', () => {
    template.resourceCountIs('AWS::Events::Rule', 5);
    const rules = template.findResources('AWS::Events::Rule') as Record<string, { Properties: { EventPattern: { 'detail-type': string[] }; Targets: unknown[] } }>;
    expect(Object.values(rules).map((r) => r.Properties.EventPattern['detail-type'].join(' | ')).sort()).toEqual([
      'CloudWatch Alarm State Change',
      'ECS Deployment State Change',
      'ECS Deployment State Change | ECS Service Action',
      'ECS Service Action',
      'ECS Task State Change',
    ]);
    for (const rule of Object.values(rules)) {
      expect(rule.Properties.Targets).toEqual([
        expect.objectContaining({
          Arn: { 'Fn::GetAtt': [expect.stringMatching(/Function/), 'Arn'] },
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.stringMatching(/DeadLetterQueue/), 'Arn'] } },
          RetryPolicy: { MaximumEventAgeInSeconds: 3600 },
        }),
      ]);
    }
    template.resourceCountIs('AWS::Lambda::Permission', 5);
  });

  it('alarms on function errors and dead letters, notifying the topic', () => {
    const topicRef = { Ref: Match.stringLikeRegexp('NotificationTopic') };
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Statistic: 'Sum',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      AlarmActions: [topicRef],
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'AWS/SQS',
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Statistic: 'Maximum',
      Threshold: 1,
      AlarmActions: [topicRef],
    });
  });

  it('outputs what the deploy instructions refer to', () => {
    for (const name of ['TopicArn', 'AuditBucketName', 'FunctionName', 'DeadLetterQueueUrl']) {
      template.hasOutput(name, { Value: Match.anyValue() });
    }
    template.hasOutput('SlackWebhookSecretArn', { Value: { Ref: Match.stringLikeRegexp('SlackWebhookSecret') } });
  });

  it('creates no unhealthy-host alarm when no target group is configured', () => {
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'UnHealthyHostCount' }, 0);
  });
});

describe('least privilege', () => {
  // Every action the functions may perform (and ECS, invoking the lifecycle hook); nothing else may appear in their policies.
  const ALLOWED = new Set([
    'ecs:ListServiceDeployments',
    'ecs:DescribeServiceDeployments',
    'ecs:DescribeServiceRevisions',
    'lambda:InvokeFunction',
    'ecs:DescribeTasks',
    'ecs:DescribeServices',
    'ecs:ListTasks',
    'ecs:ListServices',
    'ecs:ListClusters',
    'ecs:DescribeTaskDefinition',
    'ecs:ListServiceDeployments',
    'ecs:DescribeServiceDeployments',
    'ecs:DescribeServiceRevisions',
    'logs:GetLogEvents',
    'logs:DescribeLogStreams',
    'logs:CreateLogStream',
    'logs:PutLogEvents',
    'elasticloadbalancing:DescribeTargetHealth',
    'elasticloadbalancing:DescribeTargetGroups',
    'cloudwatch:DescribeAlarms',
    's3:PutObject',
    'sns:Publish',
    'sqs:SendMessage',
    'kms:GenerateDataKey',
    'kms:Decrypt',
    'secretsmanager:GetSecretValue',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:UpdateItem',
    'dynamodb:DeleteItem',
    'xray:PutTraceSegments',
    'xray:PutTelemetryRecords',
  ]);

  it('grants only the listed actions, none with a wildcard, and no managed policy', () => {
    const { template } = synthStack({ clusters: ['prod'] });
    const actions = allowStatements(template).flatMap(actionsOf);
    expect(actions.filter((a) => !ALLOWED.has(a))).toEqual([]);
    expect(actions.filter((a) => a.includes('*'))).toEqual([]);
    template.hasResourceProperties('AWS::IAM::Role', { ManagedPolicyArns: Match.absent() });
  });

  it('leaves "*" only to actions without resource-level permissions', () => {
    const { template } = synthStack({ clusters: ['prod'] });
    const star = [...new Set(allowStatements(template).filter((s) => s.Resource === '*').flatMap(actionsOf))].sort();
    expect(star).toEqual(
      [
        'ecs:DescribeTaskDefinition',
        'ecs:ListClusters',
        'ecs:ListServices',
        'ecs:ListTasks',
        'elasticloadbalancing:DescribeTargetGroups',
        'elasticloadbalancing:DescribeTargetHealth',
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
  });

  it('scopes ECS reads to the configured clusters', () => {
    const { stack, template } = synthStack({
      clusters: ['prod', 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch'],
    });
    const prodTasks = stack.resolve(
      Stack.of(stack).formatArn({ service: 'ecs', resource: 'task', resourceName: 'prod/*' }),
    ) as unknown;
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'ecs:DescribeTasks',
            Resource: [prodTasks, 'arn:aws:ecs:eu-west-1:111122223333:task/batch/*'],
          }),
          Match.objectLike({
            Action: 'ecs:DescribeServices',
            Resource: [Match.anyValue(), 'arn:aws:ecs:eu-west-1:111122223333:service/batch/*'],
          }),
          Match.objectLike({
            Action: ['ecs:ListTasks', 'ecs:ListServices'],
            Resource: '*',
            Condition: { ArnEquals: { 'ecs:cluster': [Match.anyValue(), 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch'] } },
          }),
        ]),
      },
    });
  });

  it('scopes the service deployment and revision reads to the configured clusters', () => {
    const { template } = synthStack({ clusters: ['arn:aws:ecs:eu-west-1:111122223333:cluster/batch'] });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'EcsReadServiceDeployments',
            Action: ['ecs:ListServiceDeployments', 'ecs:DescribeServiceDeployments', 'ecs:DescribeServiceRevisions'],
            Resource: [
              'arn:aws:ecs:eu-west-1:111122223333:service/batch/*',
              'arn:aws:ecs:eu-west-1:111122223333:service-deployment/batch/*',
              'arn:aws:ecs:eu-west-1:111122223333:service-revision/batch/*',
            ],
          }),
        ]),
      },
    });
  });

  it('grants cloudtrail:LookupEvents and sets LOOKUP_CHANGE_ACTOR only when lookupChangeActor is on', () => {
    const off = synthStack({ clusters: ['prod'] }).template;
    expect(allowStatements(off).flatMap(actionsOf)).not.toContain('cloudtrail:LookupEvents');
    off.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LOOKUP_CHANGE_ACTOR: Match.absent() }) } });
    const on = synthStack({ clusters: ['prod'], lookupChangeActor: true }).template;
    on.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Sid: 'LookupChangeActor', Action: 'cloudtrail:LookupEvents', Resource: '*' })]) },
    });
    on.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ LOOKUP_CHANGE_ACTOR: 'true' }) } });
  });

  it('writes audit objects only under the prefix and reads only its secret', () => {
    const { template } = synthStack({ auditPrefix: 'rca/' });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 's3:PutObject',
            Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [Match.stringLikeRegexp('AuditBucket'), 'Arn'] }, '/rca/*']] },
          }),
          Match.objectLike({ Action: 'sns:Publish', Resource: { Ref: Match.stringLikeRegexp('NotificationTopic') } }),
          Match.objectLike({ Action: ['kms:GenerateDataKey', 'kms:Decrypt'] }),
          Match.objectLike({
            Action: 'secretsmanager:GetSecretValue',
            Resource: { Ref: Match.stringLikeRegexp('SlackWebhookSecret') },
          }),
        ]),
      },
    });
  });

  it('narrows log reads to the configured log group prefixes', () => {
    const { template } = synthStack({ logGroupNamePrefixes: ['/ecs/'] });
    const logs = allowStatements(template).find((s) => s.Sid === 'ReadContainerLogs');
    expect(JSON.stringify(logs?.Resource)).toContain(':log-group:/ecs/*');
  });

  it('reads only its own alarms when alarmScope is "own"', () => {
    const { template } = synthStack({ alarmScope: 'own', alarmNamePrefix: 'rca-' });
    const alarms = allowStatements(template).find((s) => s.Sid === 'ReadAlarms');
    expect(JSON.stringify(alarms?.Resource)).toContain(':alarm:rca-*');
  });
});

describe('EcsIncidentAnalyzer options', () => {
  it('publishes to an existing topic instead of creating one', () => {
    const { template } = synthStack({
      existingTopicArn: TOPIC_ARN,
      existingTopicKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { TOPIC_ARN } } });
    const publish = allowStatements(template).find((s) => s.Sid === 'PublishReports');
    expect(publish?.Resource).toBe(TOPIC_ARN);
    const kms = allowStatements(template).find((s) => s.Sid === 'EncryptMessages');
    expect(kms?.Resource).toContainEqual('arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Errors', AlarmActions: [TOPIC_ARN] });
  });

  it('subscribes e-mail addresses with the dead-letter queue as redrive target', () => {
    const { template } = synthStack({ alertEmails: ['ops@example.com', 'oncall@example.com', 'ops@example.com'] });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'ops@example.com',
      RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('DeadLetterQueue'), 'Arn'] } },
    });
  });

  it('uses an existing Slack secret by name', () => {
    const { template } = synthStack({ slackSecretName: 'team/slack-webhook' });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    const partial = {
      'Fn::Join': [
        '',
        ['arn:', { Ref: 'AWS::Partition' }, ':secretsmanager:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':secret:team/slack-webhook'],
      ],
    };
    template.hasResourceProperties('AWS::Lambda::Function', { Environment: { Variables: { SLACK_SECRET_ARN: partial } } });
    const read = allowStatements(template).find((s) => s.Sid === 'ReadSlackWebhookUrl');
    expect(JSON.stringify(read?.Resource)).toContain(':secret:team/slack-webhook-??????');
  });

  it('leaves Slack out entirely when disabled', () => {
    const { template } = synthStack({ slackEnabled: false });
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { SLACK_SECRET_ARN: Match.absent(), TOPIC_ARN: Match.anyValue() } },
    });
    expect(allowStatements(template).flatMap(actionsOf)).not.toContain('secretsmanager:GetSecretValue');
    expect(Object.keys(template.findOutputs('SlackWebhookSecretArn'))).toEqual([]);
  });

  it('turns on Object Lock with the retention as default', () => {
    const { template } = synthStack({ objectLock: true, objectLockMode: 'COMPLIANCE', auditRetentionDays: 400 });
    template.hasResourceProperties('AWS::S3::Bucket', {
      ObjectLockEnabled: true,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 400 } } },
      VersioningConfiguration: { Status: 'Enabled' },
    });
  });

  it('alarms on UnHealthyHostCount (Minimum) of each configured target group, without actions', () => {
    const { template, stack } = synthStack({
      targetGroups: [
        { targetGroup: TG, loadBalancer: LB },
        { targetGroup: 'targetgroup/api-tg/0a1b2c3d4e5f6a7c', loadBalancer: 'app/web-alb/5f3a2b1c0d9e8f7a' },
      ],
    });
    template.resourcePropertiesCountIs('AWS::CloudWatch::Alarm', { MetricName: 'UnHealthyHostCount' }, 2);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${stack.stackName}-UnHealthyHostCount-web-tg`,
      Namespace: 'AWS/ApplicationELB',
      MetricName: 'UnHealthyHostCount',
      Statistic: 'Minimum',
      Period: 60,
      Threshold: 0,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      Dimensions: [
        { Name: 'LoadBalancer', Value: 'app/web-alb/5f3a2b1c0d9e8f7a' },
        { Name: 'TargetGroup', Value: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b' },
      ],
      AlarmActions: Match.absent(),
    });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: `${stack.stackName}-UnHealthyHostCount-api-tg`,
      Dimensions: Match.arrayWith([{ Name: 'TargetGroup', Value: 'targetgroup/api-tg/0a1b2c3d4e5f6a7c' }]),
    });
  });

  it('routes its own alarms to the function by name prefix when alarmScope is "own"', () => {
    const { template, stack } = synthStack({ alarmScope: 'own', targetGroups: [{ targetGroup: TG, loadBalancer: LB }] });
    template.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.cloudwatch'],
        detail: Match.objectLike({ alarmName: [{ prefix: `${stack.stackName}-UnHealthyHostCount-` }] }),
      },
    });
  });

  it('applies runtime, sizing, retries and log settings', () => {
    const { template } = synthStack({
      lambdaRuntime: 'nodejs24.x',
      memorySize: 1024,
      timeoutSeconds: 120,
      reservedConcurrency: 0,
      retryAttempts: 1,
      maxEventAgeSeconds: 600,
      logLevel: 'DEBUG',
      logRetentionDays: 90,
      snsMessageFormat: 'chatbot',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      MemorySize: 1024,
      Timeout: 120,
      ReservedConcurrentExecutions: Match.absent(),
      Environment: { Variables: Match.objectLike({ POWERTOOLS_LOG_LEVEL: 'DEBUG', SNS_MESSAGE_FORMAT: 'chatbot' }) },
    });
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumRetryAttempts: 1, MaximumEventAgeInSeconds: 600 });
    template.hasResourceProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
  });
});
