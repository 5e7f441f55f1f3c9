import type { Rule } from '../types';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// The registry answered an image pull with a 5xx status, e.g. `CannotPullContainerError: pull image
// manifest has been retried 5 time(s): failed to resolve ref "…": unexpected status code [manifests 1.4.2]:
// 500 Internal Server Error` (https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors.html):
// the registry failed, not the request.
const SERVER_ERROR =
  /(?:CannotPullContainerError|pull image manifest|failed to resolve ref|failed to copy)[^\n]{0,600}?\b(?:500 Internal Server Error|502 Bad Gateway|503 Service Unavailable|504 Gateway Time-?out)\b/i;

/** The image registry failed (HTTP 5xx) while the task pulled its image. */
export const registryServerError: Rule = {
  id: 'registry-server-error',
  category: 'platform_error',
  title: 'Image registry failed during the pull (HTTP 5xx)',
  remediation: [
    'Start the task again: a registry server error is usually transient, and services retry by themselves.',
    'If it persists with Amazon ECR, check the AWS Health Dashboard for the Region; with another registry, its status page. Mirroring images into ECR (a pull-through cache rule) removes the dependency on a third-party registry at task start.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECR/latest/userguide/common-errors.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
  ],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, SERVER_ERROR), {
      title: 'The image registry answered the pull with a server error',
      explanation:
        'The registry returned an HTTP 5xx status while the task pulled its image: the registry (or a proxy in front of it) failed, not the image reference or the credentials. The container never started.',
    });
  },
};
