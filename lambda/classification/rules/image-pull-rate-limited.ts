import type { Rule } from '../types';
import { stopTexts } from '../evidence-text';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// Docker Hub answers `toomanyrequests: You have reached your pull rate limit`; other registries
// answer HTTP 429. ECS wraps either in `CannotPullContainerError`.
// ECR throttles `GetAuthorizationToken` and the image API per account and Region: Fargate reports it as
// `unable to retrieve ecr registry auth: … ThrottlingException: Rate exceeded`
// (https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html).
const RATE_LIMITED = /toomanyrequests|pull rate limit|429 Too Many Requests|(?:ecr registry auth|CannotPullContainerError)[^\n]{0,400}?ThrottlingException/i;

/** Whether a pull or registry-auth text is ECR throttling the account (a rate, not a permission, problem). */
export function isRegistryThrottled(text: string): boolean {
  return /(?:ecr registry auth|CannotPullContainerError)[^\n]{0,400}?ThrottlingException/i.test(text);
}

/** The registry refused an image pull for rate reasons. */
export const imagePullRateLimited: Rule = {
  id: 'image-pull-rate-limited',
  category: 'image_pull_rate_limited',
  title: 'Image pull refused by the registry rate limit',
  remediation: [
    'Pull through an authenticated account: set `repositoryCredentials` on the container definition with a Docker Hub token in Secrets Manager.',
    'Or mirror the image into Amazon ECR (an ECR pull-through cache rule for Docker Hub does this automatically) and point the task definition at it.',
    'Amazon ECR throttling (`ThrottlingException: Rate exceeded`): stagger large scale-outs, or request a higher ECR API rate quota in Service Quotas; ECS retries the pull.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://docs.docker.com/docker-hub/usage/',
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html',
  ],
  match(evidence) {
    // Prefer the analysed task's own text: other tasks' reasons come first in stopTexts().
    return stopTextResult(stopTextHits(evidence, RATE_LIMITED), {
      title: 'The registry refused the image pull: rate limit reached',
      explanation:
        'The container image could not be pulled because the registry answered that too many pulls were made. Anonymous Docker Hub pulls are limited per source IP, and tasks behind one NAT gateway share that limit.',
    });
  },
};
