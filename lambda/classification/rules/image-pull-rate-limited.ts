import { NO_MATCH, type Rule } from '../types';
import { citeMatch, findAll, serviceEvents, stopTexts } from '../evidence-text';

// Docker Hub answers `toomanyrequests: You have reached your pull rate limit`; other registries
// answer HTTP 429. ECS wraps either in `CannotPullContainerError`.
const RATE_LIMITED = /toomanyrequests|pull rate limit|429 Too Many Requests/i;

/** The registry refused an image pull for rate reasons. */
export const imagePullRateLimited: Rule = {
  id: 'image-pull-rate-limited',
  category: 'image_pull_rate_limited',
  title: 'Image pull refused by the registry rate limit',
  remediation: [
    'Pull through an authenticated account: set `repositoryCredentials` on the container definition with a Docker Hub token in Secrets Manager.',
    'Or mirror the image into Amazon ECR (an ECR pull-through cache rule for Docker Hub does this automatically) and point the task definition at it.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://docs.docker.com/docker-hub/usage/',
  ],
  match(evidence) {
    // Prefer the analysed task's own text: other tasks' reasons come first in stopTexts().
    const hits = findAll([...stopTexts(evidence), ...serviceEvents(evidence)], RATE_LIMITED);
    const hit = hits.find((h) => h.item.scope === 'task') ?? hits[0];
    if (!hit) return NO_MATCH;
    return {
      status: 'match',
      findings: [
        {
          title: 'The registry refused the image pull: rate limit reached',
          explanation:
            'The container image could not be pulled because the registry answered that too many pulls were made. Anonymous Docker Hub pulls are limited per source IP, and tasks behind one NAT gateway share that limit.',
          confidence: hit.item.scope === 'task' ? 0.95 : 0.75,
          evidence: [citeMatch(hit)],
          scope: hit.item.scope,
          taskArn: hit.item.taskArn,
        },
      ],
    };
  },
};
