import { Stack, Validations, type App } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import type { EcsIncidentAnalyzerProps } from '../../lib/config';
import { appWithoutBundling, synthStack } from './helpers';

// cdk-nag v3 packs are CDK policy-validation plugins; `validateScope` runs one over a construct tree
// directly (cdk-nag README / MIGRATION.md), returning every unacknowledged finding, errors and
// warnings alike.
function findings(app: App): string[] {
  return [new AwsSolutionsChecks(), new ServerlessChecks()].flatMap((pack) =>
    pack
      .validateScope(app)
      .violations.map((v) => `${v.severity} ${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`),
  );
}

const CONFIGURATIONS: Record<string, EcsIncidentAnalyzerProps> = {
  defaults: {},
  'clusters, target groups, own alarms, e-mail, log prefixes': {
    clusters: ['prod', 'arn:aws:ecs:eu-west-1:111122223333:cluster/batch'],
    targetGroups: [
      { targetGroup: 'targetgroup/web-tg/0a1b2c3d4e5f6a7b', loadBalancer: 'app/web-alb/5f3a2b1c0d9e8f7a' },
    ],
    alarmScope: 'own',
    alertEmails: ['ops@example.com'],
    logGroupNamePrefixes: ['/ecs/', '/aws/ecs/'],
  },
  'existing topic and secret, Object Lock, Node.js 24': {
    existingTopicArn: 'arn:aws:sns:eu-west-1:111122223333:team-alerts',
    existingTopicKmsKeyArn: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    slackSecretName: 'team/slack-webhook',
    objectLock: true,
    lambdaRuntime: 'nodejs24.x',
  },
  'Slack disabled, unreserved concurrency': { slackEnabled: false, reservedConcurrency: 0 },
};

describe('cdk-nag AwsSolutions and Serverless packs', () => {
  it.each(Object.entries(CONFIGURATIONS))('report no unacknowledged finding: %s', (_name, props) => {
    expect(findings(synthStack(props).app)).toEqual([]);
  });

  it('do report findings when there are some (the check is live)', () => {
    const app = appWithoutBundling();
    const stack = new Stack(app, 'Bare');
    new sqs.Queue(stack, 'Plain', { encryption: sqs.QueueEncryption.UNENCRYPTED });
    expect(findings(app)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^error AwsSolutions-SQS4 /), expect.stringMatching(/AwsSolutions-SQS2/)]),
    );
  });

  it('every acknowledgement states its reason', () => {
    const { app } = synthStack(CONFIGURATIONS['clusters, target groups, own alarms, e-mail, log prefixes']);
    const acknowledgements = app.node
      .findAll()
      .flatMap((c) => c.node.metadata)
      .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((m) => Object.entries(m.data as Record<string, string>));
    expect(acknowledgements.length).toBeGreaterThan(5);
    for (const [id, reason] of acknowledgements) {
      expect({ id, reason }).toEqual({ id, reason: expect.stringMatching(/^\S.{39,}/) });
    }
  });
});
