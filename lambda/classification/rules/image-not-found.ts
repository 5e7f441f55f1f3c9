import type { Evidence } from '../../evidence/types';
import { NO_MATCH, type Rule } from '../types';
import { findAll, normaliseText, serviceEvents, stopTexts, type TextMatch } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { isEgressTimeout } from './network-egress-blocked';
import { nameToken } from '../own-words';

// Registry answers for a repository, tag or digest that does not exist: Docker's `manifest for X not
// found`, `manifest unknown`, `repository X not found: does not exist or no pull access`, `pull access
// denied for X, repository does not exist or may require 'docker login'`; ECR's `name unknown: The
// repository with name 'x' does not exist`; containerd's `failed to resolve ref X: X: not found`.
const NOT_FOUND =
  /manifest unknown|manifest for \S{1,500} not found|repository \S{1,500} not found|does not exist or (?:no pull access|may require)|repository does not exist|repository with name '[^'\n]{1,256}' does not exist|name unknown|failed to resolve ref [^\n]{1,600}?: not found/i;
// Bare 404s count only in a pull context.
const HTTP_404 = /API error \(404\)|404 Not Found/;
const PULL = /CannotPullContainerError|pull|manifest|image/i;

/** Whether a stop text says the image reference does not exist (used by registry-auth-failed to defer). */
export function isImageNotFound(text: string): boolean {
  const t = normaliseText(text);
  return NOT_FOUND.test(t) || (HTTP_404.test(t) && PULL.test(t));
}

// Answers Docker gives alike for a missing and for a private repository.
const AMBIGUOUS = /pull access denied|no pull access|may require 'docker login'|may require authorization/i;

const MATCHER = new RegExp(`${NOT_FOUND.source}|${HTTP_404.source}`, 'i');

/** The image of the container the text is about, or the one quoted by `manifest for X not found`. */
function imageOf(evidence: Evidence, hit: TextMatch): string | undefined {
  const task = evidence.tasks.find((t) => t.taskArn === hit.item.taskArn);
  const container = task?.containers.find((c) => c.name === hit.item.containerName) ?? (task?.containers.length === 1 ? task.containers[0] : undefined);
  return container?.image ?? nameToken(/manifest for (\S{1,500}) not found/i.exec(normaliseText(hit.item.text))?.[1]);
}

function specificSteps(image: string | undefined): string[] {
  if (!image) return [];
  const first = image.split('/')[0] ?? '';
  // Without a registry host (a first part with a dot, a colon or `localhost`), the reference means Docker Hub.
  const onDockerHub = !image.includes('/') || !/[.:]|^localhost$/.test(first);
  const steps = [`Check that \`${image}\` exists: list the repository's tags (\`aws ecr describe-images --repository-name … --image-ids imageTag=…\` for ECR) and push the tag if it is missing.`];
  if (onDockerHub) {
    steps.push(`\`${image}\` has no registry host, so it is looked up on Docker Hub. If the image was pushed to Amazon ECR, use its full URI (\`<account>.dkr.ecr.<region>.amazonaws.com/${image}\`).`);
  }
  return steps;
}

/** The image reference (repository, tag or digest) does not exist in the registry. */
export const imageNotFound: Rule = {
  id: 'image-not-found',
  category: 'image_not_found',
  title: 'Container image (repository, tag or digest) not found',
  remediation: [
    'Use the full image URI with registry host, repository and an existing tag or digest in the container definition.',
    'Make the pipeline push the image before it registers the task definition, and keep ECR lifecycle policies from expiring tags still in use.',
    'If the repository is private on another registry, set `repositoryCredentials`; a private repository looks "not found" to anonymous pulls.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://repost.aws/knowledge-center/ecs-pull-container-error',
  ],
  match(evidence) {
    const hits = findAll([...stopTexts(evidence), ...serviceEvents(evidence)], MATCHER).filter(
      (hit) => isImageNotFound(hit.item.text) && !isEgressTimeout(hit.item.text),
    );
    const hit = hits.find((h) => h.item.scope === 'task') ?? hits[0];
    if (!hit) return NO_MATCH;
    const steps = specificSteps(imageOf(evidence, hit));
    // Docker answers the same for a missing repository and for a private one pulled without
    // credentials; say so and be less sure than for an unambiguous `manifest unknown`.
    const ambiguous = AMBIGUOUS.test(normaliseText(hit.item.text));
    const sure = hit.item.scope === 'task' ? 0.95 : 0.75;
    return resultOf(
      hitFinding(hit, {
        title: ambiguous
          ? 'The container image does not exist in the registry, or it is private and the pull had no credentials'
          : 'The container image does not exist in the registry',
        explanation: ambiguous
          ? 'The registry refused the pull with an answer it gives both for a repository that does not exist and for a private repository pulled without credentials, so the container never started. Check the image reference first; if it is right, the pull needs `repositoryCredentials` (or the execution role needs ECR pull permissions).'
          : 'The registry answered that the repository, tag or digest in the container definition does not exist, so the image could not be pulled and the container never started.',
        confidence: ambiguous ? sure - 0.15 : sure,
        ...(steps.length > 0 ? { remediation: steps } : {}),
      }),
    );
  },
};
