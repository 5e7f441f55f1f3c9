#!/usr/bin/env node
/**
 * The CDK app (`cdk.json`: `npx tsx bin/app.ts`): one `EcsIncidentAnalyzerStack`, configured from
 * context (`cdk.json` "context" or `-c key=value`, keys listed in `lib/config.ts`), checked by the
 * cdk-nag AwsSolutions and Serverless packs on every synth (an unacknowledged finding fails it).
 * Configuration errors print one line and exit 1.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { checkContextKeys, ConfigError, settingsFromContext } from '../lib/config';
import { EcsIncidentAnalyzerStack } from '../lib/ecs-incident-analyzer-stack';

const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

function main(): void {
  const app = new App();
  checkContextKeys(Object.keys(app.node.getAllContext() as Record<string, unknown>));
  const stackName = (app.node.tryGetContext('stackName') as unknown) ?? 'EcsIncidentAnalyzer';
  if (typeof stackName !== 'string' || !STACK_NAME.test(stackName)) {
    throw new ConfigError(
      `Invalid ecs-incident-analyzer context "stackName": expected a CloudFormation stack name, got ${JSON.stringify(stackName)}`,
    );
  }
  const settings = settingsFromContext((key) => app.node.tryGetContext(key));
  new EcsIncidentAnalyzerStack(app, stackName, { analyzer: settings });
  // Acknowledged findings are also written into the template metadata (`cdk_nag`), so the deployed
  // stack carries its own audit trail of what was accepted and why.
  const nagProps = { writeSuppressionsToCloudFormation: true };
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, nagProps), new ServerlessChecks(app, nagProps));
}

try {
  main();
} catch (error) {
  if (error instanceof ConfigError) {
    // One line, no stack trace: the message already says which setting and why.
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}
