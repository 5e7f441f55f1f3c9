import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { EcsIncidentAnalyzerProps } from './config';
import { EcsIncidentAnalyzer, type EcsIncidentAnalyzerOptions } from './ecs-incident-analyzer';

/** Props of {@link EcsIncidentAnalyzerStack}. */
export interface EcsIncidentAnalyzerStackProps extends StackProps {
  /** Settings of the analyzer; see `EcsIncidentAnalyzerProps`. */
  readonly analyzer?: EcsIncidentAnalyzerProps;
  /** Non-setting options (tests). */
  readonly options?: EcsIncidentAnalyzerOptions;
}

/**
 * The deployable stack: one {@link EcsIncidentAnalyzer}. Environment-agnostic unless `env` is
 * given — account, Region and partition are CloudFormation pseudo parameters resolved at deploy
 * time, so `cdk synth` needs no credentials and makes no context lookups.
 */
export class EcsIncidentAnalyzerStack extends Stack {
  /** The analyzer construct. */
  readonly analyzer: EcsIncidentAnalyzer;

  constructor(scope: Construct, id: string, props: EcsIncidentAnalyzerStackProps = {}) {
    super(scope, id, {
      description: 'ECS incident analyzer: root-cause analysis of failed ECS tasks, deployments and unhealthy targets',
      ...props,
    });
    this.analyzer = new EcsIncidentAnalyzer(this, 'Analyzer', props.analyzer, props.options);
    const a = this.analyzer;
    // What the deploy instructions (README.md, "Deploy") refer to after `cdk deploy`.
    new CfnOutput(this, 'TopicArn', { value: a.topic.topicArn, description: 'SNS topic receiving the reports' });
    new CfnOutput(this, 'AuditBucketName', { value: a.auditBucket.bucketName, description: 'S3 bucket of the audit records' });
    new CfnOutput(this, 'FunctionName', { value: a.function.functionName, description: 'The analyzer Lambda function' });
    new CfnOutput(this, 'DeadLetterQueueUrl', {
      value: a.deadLetterQueue.queueUrl,
      description: 'Events that could not be analysed after all retries',
    });
    if (a.deploymentHook !== undefined) {
      // For services outside this app: their deploymentConfiguration.lifecycleHooks name these two ARNs.
      new CfnOutput(this, 'DeploymentHookFunctionArn', {
        value: a.deploymentHook.function.functionArn,
        description: 'ECS deployment lifecycle hook function (hookTargetArn)',
      });
      new CfnOutput(this, 'DeploymentHookInvokeRoleArn', {
        value: a.deploymentHook.invokeRole.roleArn,
        description: 'Role ECS assumes to invoke the lifecycle hook (roleArn)',
      });
    }
    if (a.slackSecretArn !== undefined) {
      new CfnOutput(this, 'SlackWebhookSecretArn', {
        value: a.slackSecretArn,
        description: 'Store the Slack incoming-webhook URL here (aws secretsmanager put-secret-value)',
      });
    }
  }
}
