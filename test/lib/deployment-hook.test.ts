import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import { EcsIncidentAnalyzerStack } from '../../lib/ecs-incident-analyzer-stack';
import { appWithoutBundling, synthStack } from './helpers';

type Statement = { Action: string | string[]; Resource: unknown; Sid?: string; Effect: string };

/** Allow statements of the policies attached to the role whose logical id starts with `rolePrefix`. */
function statementsOfRole(template: Template, rolePrefix: string): Statement[] {
  const policies = template.findResources('AWS::IAM::Policy') as Record<string, { Properties: { Roles: { Ref: string }[]; PolicyDocument: { Statement: Statement[] } } }>;
  return Object.values(policies)
    .filter((p) => p.Properties.Roles.some((r) => r.Ref.startsWith(rolePrefix)))
    .flatMap((p) => p.Properties.PolicyDocument.Statement);
}

const actions = (statements: Statement[]) => statements.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

describe('the deployment lifecycle hook in the stack', () => {
  const { template } = synthStack({ clusters: ['prod'], hookHealthySeconds: 120, hookFailClosed: true });

  it('is a second function with the hook settings in its environment and room to analyse', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Handler: 'index.handler',
      Architectures: ['arm64'],
      Timeout: 120,
      TracingConfig: { Mode: 'Active' },
      Environment: {
        Variables: Match.objectLike({
          HOOK_FAIL_CLOSED: 'true',
          HOOK_HEALTHY_SECONDS: '120',
          HOOK_CALLBACK_DELAY_SECONDS: '30',
          HOOK_MAX_WAIT_SECONDS: '1800',
          POWERTOOLS_SERVICE_NAME: 'ecs-incident-analyzer-hook',
          AUDIT_BUCKET_NAME: Match.anyValue(),
          TOPIC_ARN: Match.anyValue(),
          INCIDENT_TABLE_NAME: Match.absent(),
          IDEMPOTENCY_TABLE_NAME: Match.absent(),
        }),
      },
    });
  });

  it('lets ECS, and only ECS of this account, assume the invoke role, which may only invoke the hook', () => {
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: { Service: 'ecs.amazonaws.com' },
            Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
          },
        ],
      },
    });
    const invoke = statementsOfRole(template, 'AnalyzerDeploymentHookInvokeRole');
    expect(invoke).toEqual([
      { Sid: 'InvokeHook', Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [expect.stringMatching(/^AnalyzerDeploymentHookLambdaFunction/), 'Arn'] } },
    ]);
  });

  it("grants the hook the analyzer's reads and deliveries plus the deployment reads, without the queue or the table", () => {
    const hook = statementsOfRole(template, 'AnalyzerDeploymentHookLambdaRole');
    const granted = actions(hook);
    expect(granted).toEqual(expect.arrayContaining(['ecs:DescribeServiceDeployments', 'ecs:ListServiceDeployments', 'ecs:DescribeServiceRevisions', 'ecs:DescribeTasks', 's3:PutObject', 'sns:Publish']));
    expect(granted.filter((a) => a.startsWith('sqs:') || a.startsWith('dynamodb:'))).toEqual([]);
    const reads = hook.find((s) => s.Sid === 'ReadServiceDeployments');
    expect(JSON.stringify(reads?.Resource)).toContain(':service-deployment/prod/*');
    expect(JSON.stringify(reads?.Resource)).toContain(':service-revision/prod/*');
  });

  it('outputs the function and invoke-role ARNs for services outside the app', () => {
    template.hasOutput('DeploymentHookFunctionArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AnalyzerDeploymentHookLambdaFunction'), 'Arn'] } });
    template.hasOutput('DeploymentHookInvokeRoleArn', { Value: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AnalyzerDeploymentHookInvokeRole'), 'Arn'] } });
  });

  it('is left out with deploymentHook: false', () => {
    const off = synthStack({ deploymentHook: false }).template;
    off.resourceCountIs('AWS::Lambda::Function', 1);
    expect(Object.keys(off.findOutputs('*'))).not.toContain('DeploymentHookFunctionArn');
  });
});

describe('a service of the same app using the hook', () => {
  it('gets a lifecycle hook with the function, the shared invoke role and the stages', () => {
    const app = appWithoutBundling();
    const analyzer = new EcsIncidentAnalyzerStack(app, 'Analyzer');
    const hook = analyzer.analyzer.deploymentHook;
    if (!hook) throw new Error('no hook');
    const services = new Stack(app, 'Services');
    const vpc = new ec2.Vpc(services, 'Vpc', { maxAzs: 1, natGateways: 0 });
    const cluster = new ecs.Cluster(services, 'Cluster', { vpc });
    const taskDefinition = new ecs.FargateTaskDefinition(services, 'Task');
    taskDefinition.addContainer('web', { image: ecs.ContainerImage.fromRegistry('public.ecr.aws/nginx/nginx:latest') });
    const service = new ecs.FargateService(services, 'Web', { cluster, taskDefinition });
    service.addLifecycleHook(hook.lifecycleHookTarget([ecs.DeploymentLifecycleStage.POST_SCALE_UP, ecs.DeploymentLifecycleStage.POST_TEST_TRAFFIC_SHIFT]));

    const template = Template.fromStack(services);
    template.hasResourceProperties('AWS::ECS::Service', {
      DeploymentConfiguration: Match.objectLike({
        LifecycleHooks: [
          {
            HookTargetArn: { 'Fn::ImportValue': Match.stringLikeRegexp('AnalyzerDeploymentHookLambdaFunction') },
            RoleArn: { 'Fn::ImportValue': Match.stringLikeRegexp('AnalyzerDeploymentHookInvokeRole') },
            LifecycleStages: ['POST_SCALE_UP', 'POST_TEST_TRAFFIC_SHIFT'],
          },
        ],
      }),
    });
    // No role per service: the construct's invoke role is used.
    template.resourcePropertiesCountIs('AWS::IAM::Role', { AssumeRolePolicyDocument: { Statement: [Match.objectLike({ Principal: { Service: 'ecs.amazonaws.com' } })] } }, 0);
  });
});
