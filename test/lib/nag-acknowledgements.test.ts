import { App, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeWildcards, wildcardFindings } from '../../lib/nag-acknowledgements';
import { testOutdir } from './helpers';

describe('wildcardFindings', () => {
  const stack = new Stack(new App({ outdir: testOutdir() }), 'S');
  const bucket = new s3.Bucket(stack, 'B');

  it('names findings as cdk-nag does: actions, literal and intrinsic resources', () => {
    const statement = new iam.PolicyStatement({
      actions: ['kms:GenerateDataKey*', 's3:PutObject'],
      resources: [
        '*',
        bucket.arnForObjects('incidents/*'),
        stack.formatArn({ service: 'ecs', resource: 'task', resourceName: '*' }),
      ],
    });
    expect(wildcardFindings(stack, statement).sort()).toEqual(
      [
        'Action::kms:GenerateDataKey*',
        'Resource::*',
        `Resource::<${stack.getLogicalId(bucket.node.defaultChild as s3.CfnBucket)}.Arn>/incidents/*`,
        'Resource::arn:<AWS::Partition>:ecs:<AWS::Region>:<AWS::AccountId>:task/*',
      ].sort(),
    );
  });
});

describe('acknowledgeWildcards', () => {
  it('acknowledges exactly the findings cdk-nag raises, so the policy passes AwsSolutions-IAM5', () => {
    const stack = new Stack(new App({ outdir: testOutdir() }), 'S');
    const role = new iam.Role(stack, 'R', { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com') });
    const tasks = stack.formatArn({ service: 'ecs', resource: 'task', resourceName: 'c/*' });
    const entries = [
      {
        statement: new iam.PolicyStatement({ actions: ['ecs:ListClusters'], resources: ['*'] }),
        reason: 'no resource-level permissions here',
      },
      {
        statement: new iam.PolicyStatement({ actions: ['ecs:DescribeTasks'], resources: [tasks] }),
        reason: 'task ids are known only at run time',
      },
    ];
    const iam5 = () =>
      new AwsSolutionsChecks().validateScope(stack).violations.filter((v) => v.ruleName.startsWith('AwsSolutions-IAM5'));
    const policy = new iam.Policy(stack, 'P', { statements: entries.map((e) => e.statement), roles: [role] });
    expect(iam5()).toHaveLength(2);
    acknowledgeWildcards(policy, entries);
    expect(iam5()).toEqual([]);
    const acknowledged = policy.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY);
    expect(JSON.stringify(acknowledged)).toContain('task ids are known only at run time');
  });

  it('refuses a wildcard without a reason', () => {
    const stack = new Stack(new App({ outdir: testOutdir() }), 'S');
    const statement = new iam.PolicyStatement({ sid: 'Open', actions: ['s3:GetObject'], resources: ['*'] });
    expect(() => acknowledgeWildcards(stack, [{ statement, reason: ' ' }])).toThrow(
      /Open grants Resource::\* without a stated reason/,
    );
  });
});
