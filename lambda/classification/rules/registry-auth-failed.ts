import type { Rule } from '../types';
import { normaliseText } from '../evidence-text';
import { stopTextHits, stopTextResult } from '../stop-text-finding';
import { isImageNotFound } from './image-not-found';
import { isRegistryThrottled } from './image-pull-rate-limited';
import { isEgressTimeout } from './network-egress-blocked';

// Registry refusals: Docker's `no basic auth credentials`, `pull access denied`, `unauthorized:
// authentication required`, `denied: requested access to the resource is denied`; ECR's `403 Forbidden`
// and IAM's `… is not authorized to perform: ecr:…`; Fargate's `unable to retrieve ecr registry auth`.
const AUTH =
  /no basic auth credentials|pull access denied|not authorized to perform:? ecr:|403 Forbidden|unauthorized: (?:authentication required|incorrect username or password)|requested access to the resource is denied|authorization token has expired|unable to retrieve ecr registry auth/i;

function specificSteps(raw: string): string[] {
  const text = normaliseText(raw);
  const action = /not authorized to perform:? (ecr:\w+)/i.exec(text)?.[1];
  if (action) return [`Allow \`${action}\` to the task execution role (AmazonECSTaskExecutionRolePolicy grants the ECR pull actions).`];
  if (/403 Forbidden/i.test(text) && /\.dkr\.ecr\./i.test(text)) {
    return ['ECR answered 403: allow `ecr:GetAuthorizationToken`, `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer` to the task execution role, and check the repository policy (cross-account pulls) and any ECR VPC endpoint policy.'];
  }
  return [];
}

/** The registry refused the credentials, or the execution role may not pull the image. */
export const registryAuthFailed: Rule = {
  id: 'registry-auth-failed',
  category: 'registry_auth_failed',
  title: 'Registry refused the image pull (credentials or permissions)',
  remediation: [
    'For Amazon ECR: give the task execution role `ecr:GetAuthorizationToken`, `ecr:BatchGetImage` and `ecr:GetDownloadUrlForLayer` (AmazonECSTaskExecutionRolePolicy), and allow the account in the repository policy for cross-account pulls.',
    'For a private registry: set `repositoryCredentials.credentialsParameter` to a Secrets Manager secret with valid `username`/`password`, readable by the execution role.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/private-auth.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
  ],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, AUTH, (text) => isImageNotFound(text) || isEgressTimeout(text) || isRegistryThrottled(text)), {
      title: 'The registry refused to let the task pull its image',
      explanation:
        'The image pull was refused for authorisation reasons: the task execution role may not pull from the repository, or the registry rejected the credentials (missing or wrong `repositoryCredentials`). The container never started.',
      steps: specificSteps,
    });
  },
};
