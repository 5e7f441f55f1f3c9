import type { Rule } from '../types';
import { normaliseText } from '../evidence-text';
import { stopTextHits, stopTextResult } from '../stop-text-finding';
import { isEgressTimeout } from './network-egress-blocked';

// Fargate (platform 1.4.0+) says `ResourceInitializationError: unable to pull secrets or registry auth:
// execution resource retrieval failed: unable to retrieve secret from asm|secrets from ssm: …`; the EC2
// agent says `Fetching secret data from AWS Secrets Manager|SSM Parameter Store in <region>: …`. AWS
// spells the prefix `Resourceinitializationerror` at times, hence case-insensitive matching.
const SECRETS =
  /failed to download env files|unable to retrieve secrets? from (?:asm|ssm)|unable to get registry auth from asm|fetching secret data from|failed to fetch secret|did not contain json key|invalid ssm parameters?|ParameterNotFound|Secrets Manager can't find the specified secret|secretsmanager:GetSecretValue|ssm:GetParameters?\b|Access to KMS is not allowed|kms:Decrypt/i;

/** Steps specific to what the message says went wrong. */
function specificSteps(raw: string): string[] {
  const text = normaliseText(raw);
  const steps: string[] = [];
  const resource = /on resource: (arn:aws[\w-]*:(?:ssm|secretsmanager|kms):\S+?)(?:\s|$)/i.exec(text)?.[1];
  const jsonKey = /did not contain json key (\S+)/i.exec(text)?.[1];
  if (/failed to download env files/i.test(text)) {
    steps.push('An `environmentFiles` object could not be read from Amazon S3: check the object ARN, and allow `s3:GetObject` on it and `s3:GetBucketLocation` on its bucket to the task execution role.');
  }
  if (/KMS|kms:Decrypt/i.test(text)) {
    steps.push('The secret is encrypted with a customer managed KMS key the task execution role may not use: allow `kms:Decrypt` on that key in the execution role policy and in the key policy.');
  }
  if (/ssm:GetParameters?/i.test(text)) {
    steps.push(`Allow \`ssm:GetParameters\` to the task execution role on ${resource ? `\`${resource}\`` : 'the parameter ARN'}.`);
    if (resource && /:parameter\/[^/\s]+$/.test(resource)) {
      steps.push(`The parameter is referenced by a bare name, so ECS looked for \`${resource}\` in the task's own Region and account: check that this is the parameter you meant (a parameter under a path or in another Region needs its full ARN in \`valueFrom\`).`);
    }
  } else if (/secretsmanager:GetSecretValue/i.test(text)) {
    steps.push(`Allow \`secretsmanager:GetSecretValue\` to the task execution role on ${resource ? `\`${resource}\`` : 'the secret ARN'} (secret ARNs end in a random 6-character suffix; a policy on \`secret:NAME-*\` covers it).`);
  } else if (/AccessDenied/i.test(text) && !/KMS/i.test(text)) {
    steps.push('The task execution role (not the task role) was refused: allow it to read this secret or parameter.');
  }
  if (/ParameterNotFound|invalid ssm parameters?|invalid parameters/i.test(text)) {
    steps.push('The SSM parameter does not exist under that name in the task\'s Region and account: check the spelling in `secrets[].valueFrom`, and use the full parameter ARN for another Region.');
  }
  if (/ResourceNotFoundException|can't find the specified secret/i.test(text)) {
    steps.push('The secret ARN in `secrets[].valueFrom` does not exist: it may be misspelt, deleted, or in another Region; use the full ARN of an existing secret.');
  }
  if (jsonKey) {
    steps.push(`The secret's JSON has no key \`${jsonKey}\`: add that key to the secret value or fix the key in \`valueFrom\` (\`arn:…:secret:NAME:${jsonKey}::\`).`);
  }
  return steps;
}

/** A secret or parameter named in the task definition could not be fetched by the agent. */
export const secretsFetchFailed: Rule = {
  id: 'secrets-fetch-failed',
  category: 'secrets_fetch_failed',
  title: 'Secret or SSM parameter from the task definition could not be fetched',
  remediation: [
    'Grant the task execution role `secretsmanager:GetSecretValue` / `ssm:GetParameters` on the exact secret or parameter ARNs in `secrets[].valueFrom`, plus `kms:Decrypt` when they use a customer managed key.',
    'Check that every `valueFrom` names an existing secret or parameter in the task\'s Region (or gives its full ARN), and that JSON keys and version ids in the reference exist.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/specifying-sensitive-data.html',
    'https://repost.aws/knowledge-center/ecs-unable-to-pull-secrets',
    'https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html',
  ],
  match(evidence) {
    // A timeout is a network problem, not a secrets one: leave it to network-egress-blocked.
    return stopTextResult(stopTextHits(evidence, SECRETS, isEgressTimeout), {
      title: 'A secret or parameter named in the task definition could not be fetched',
      explanation:
        'Before starting the containers, the agent fetches every `secrets` entry of the task definition with the task execution role. That call was answered with an error (permission, KMS key, missing name or missing JSON key), so the task stopped before the program ran.',
      steps: specificSteps,
    });
  },
};
