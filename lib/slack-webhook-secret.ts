import { ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** Props of {@link SlackWebhookSecret}. */
export interface SlackWebhookSecretProps {
  /** Use this existing secret (by name) instead of creating an empty one. */
  readonly existingSecretName?: string;
}

/**
 * The Secrets Manager secret whose value is the Slack incoming-webhook URL
 * (https://api.slack.com/messaging/webhooks). The URL is a credential — anyone holding it can post
 * to the channel — so it lives in Secrets Manager and never in an environment variable.
 *
 * A new secret is created without a value (neither `SecretString` nor `GenerateSecretString`,
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-secretsmanager-secret.html):
 * until someone stores the URL, `GetSecretValue` fails with `ResourceNotFoundException` and the
 * handler skips Slack. A generated random value would instead look like a broken URL.
 */
export class SlackWebhookSecret extends Construct {
  /**
   * The value for `SLACK_SECRET_ARN`: the secret's full ARN, or for an existing secret its partial
   * ARN `arn:...:secret:<name>` (accepted by `GetSecretValue` as `SecretId`,
   * https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_GetSecretValue.html).
   */
  readonly secretArn: string;
  /**
   * ARN pattern for IAM: the full ARN, or `arn:...:secret:<name>-??????` for an existing secret
   * (Secrets Manager appends six random characters to every secret ARN,
   * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_examples.html#auth-and-access_examples_wildcard).
   */
  readonly secretArnForPolicy: string;
  /** The secret resource, when this construct created it. */
  readonly createdSecret?: secretsmanager.CfnSecret;

  constructor(scope: Construct, id: string, props: SlackWebhookSecretProps = {}) {
    super(scope, id);
    if (props.existingSecretName !== undefined) {
      const partialArn = Stack.of(this).formatArn({
        service: 'secretsmanager',
        resource: 'secret',
        resourceName: props.existingSecretName,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      });
      this.secretArn = partialArn;
      this.secretArnForPolicy = `${partialArn}-??????`;
      return;
    }
    const secret = new secretsmanager.CfnSecret(this, 'Secret', {
      description: 'Slack incoming-webhook URL for the ECS incident analyzer (store the URL as the plain secret string)',
    });
    Validations.of(secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'A Slack incoming-webhook URL cannot be rotated by a Secrets Manager rotation function: a new URL is issued ' +
        'in Slack and stored here by a person.',
    });
    this.createdSecret = secret;
    // Ref of AWS::SecretsManager::Secret is its ARN.
    this.secretArn = secret.ref;
    this.secretArnForPolicy = secret.ref;
  }
}
