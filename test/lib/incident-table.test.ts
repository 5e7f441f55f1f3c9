import { Match } from 'aws-cdk-lib/assertions';
import { ConfigError, resolveSettings } from '../../lib/config';
import { serviceRecoveredPattern } from '../../lib/event-patterns';
import { synthStack } from './helpers';

type Statement = { Sid?: string; Action: string | string[]; Resource: unknown; Effect: string };

const tableRef = { Ref: Match.stringLikeRegexp('^AnalyzerStateTable') };

describe('idempotency and incident table', () => {
  const { template } = synthStack();

  it('is one on-demand table keyed by id, with TTL on expiration, KMS encryption and point-in-time recovery', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 1);
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
      // SSEEnabled without a key id: the AWS managed key aws/dynamodb
      // (https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-table-ssespecification.html).
      SSESpecification: { SSEEnabled: true, KMSMasterKeyId: Match.absent() },
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
    });
    template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete' });
  });

  it('tells the handler the table, the event memory and the window', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          IDEMPOTENCY_TABLE_NAME: tableRef,
          IDEMPOTENCY_EXPIRY_SECONDS: '3600',
          INCIDENT_TABLE_NAME: tableRef,
          INCIDENT_WINDOW_MINUTES: '60',
        },
      },
    });
    const { template: custom } = synthStack({ incidentWindowMinutes: 15, maxEventAgeSeconds: 21600 });
    custom.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: { INCIDENT_WINDOW_MINUTES: '15', IDEMPOTENCY_EXPIRY_SECONDS: '21600' } },
    });
  });

  it('grants item reads and writes on this table only, and nothing else of DynamoDB', () => {
    const policies = template.findResources('AWS::IAM::Policy') as Record<string, { Properties: { PolicyDocument: { Statement: Statement[] } } }>;
    const statements = Object.values(policies).flatMap((p) => p.Properties.PolicyDocument.Statement);
    const dynamo = statements.filter((s) => [s.Action].flat().some((a) => a.startsWith('dynamodb:')));
    expect(dynamo).toEqual([
      {
        Sid: 'IdempotencyAndIncidentState',
        Effect: 'Allow',
        Action: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'],
        Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AnalyzerStateTable/), 'Arn'] },
      },
    ]);
  });

  it('validates the window setting', () => {
    expect(resolveSettings({ incidentWindowMinutes: 30 }).incidentWindowMinutes).toBe(30);
    expect(resolveSettings().incidentWindowMinutes).toBe(60);
    expect(() => resolveSettings({ incidentWindowMinutes: 0 })).toThrow(ConfigError);
    expect(() => resolveSettings({ incidentWindowMinutes: 1.5 })).toThrow(/incidentWindowMinutes/);
  });

  it('routes recovery events of the watched clusters to the function', () => {
    expect(serviceRecoveredPattern(['arn:aws:ecs:eu-west-1:111122223333:service/prod/'])).toEqual({
      source: ['aws.ecs'],
      detailType: ['ECS Deployment State Change', 'ECS Service Action'],
      detail: { eventName: ['SERVICE_DEPLOYMENT_COMPLETED', 'SERVICE_STEADY_STATE'] },
      resources: [{ prefix: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/' }],
    });
  });
});
