import type { Evidence } from '../../evidence/types';
import { NO_MATCH, type Rule } from '../types';
import { findAll, logLines, normaliseText, serviceEvents, stopTexts, type TextMatch } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';

// The ENOSPC errno as Linux (`no space left on device`), Node (`ENOSPC`) and Windows (`There is not
// enough space on the disk`) print it.
// Docker's devicemapper storage driver reports a full thin pool as `devmapper: Thin Pool has N free data
// blocks which is less than minimum required M free data blocks`
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CannotCreateContainerError.html).
const NO_SPACE = /no space left on device|\bENOSPC\b|There is not enough space on the disk|Thin Pool has \d{1,20} free data blocks/i;
// Node reports an exhausted inotify limit with the same errno: `ENOSPC: System limit for number of file
// watchers reached`. That is a kernel setting, not a full disk.
const WATCHERS = /limit for number of file watchers/i;

function specificSteps(evidence: Evidence, hit: TextMatch): string[] {
  const text = normaliseText(hit.item.text);
  const task = evidence.tasks.find((t) => t.taskArn === hit.item.taskArn);
  const fargate = task?.launchType === 'FARGATE' || evidence.taskDefinition?.requiresCompatibilities.includes('FARGATE');
  if (/\/var\/lib\/docker|CannotPullContainerError|GetImageBlob|failed to register layer/i.test(text) && !fargate) {
    return [
      'The container instance\'s Docker storage is full: remove unused images and stopped containers, tune automated cleanup (`ECS_IMAGE_CLEANUP_INTERVAL`, `ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION`), or give the instances a bigger data volume.',
    ];
  }
  if (fargate) {
    return ['On Fargate the task\'s ephemeral storage (20 GiB by default) is full: raise `ephemeralStorage.sizeInGiB` (up to 200), or write bulk data to EFS or S3 instead of the container filesystem.'];
  }
  return [];
}

/** A disk the task or its host needs is full. */
export const diskFull: Rule = {
  id: 'disk-full',
  logPatterns: [NO_SPACE],
  category: 'disk_full',
  title: 'No space left on device',
  remediation: [
    'Find what fills the disk (image layers, container logs written with the json-file driver, temporary files of the program) and clean it up or move it to a volume.',
    'Give the task or instance more storage: Fargate `ephemeralStorage`, or a bigger EBS data volume on EC2.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/fargate-task-storage.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/automated_image_cleanup.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/CannotCreateContainerError.html',
  ],
  match(evidence) {
    const aws = findAll([...stopTexts(evidence), ...serviceEvents(evidence)], NO_SPACE);
    const own = findAll(logLines(evidence), NO_SPACE).filter((hit) => !WATCHERS.test(hit.item.text));
    const hit = aws.find((h) => h.item.scope === 'task') ?? own.find((h) => h.item.scope === 'task') ?? aws[0] ?? own[0];
    if (!hit) return NO_MATCH;
    const steps = specificSteps(evidence, hit);
    return resultOf(
      hitFinding(hit, {
        title: 'A disk the task needs is full',
        explanation:
          hit.item.source === 'log'
            ? 'The program could not write because the filesystem it writes to has no space left.'
            : 'The agent or container runtime could not write to disk (for example while unpacking the image) because the host or task storage is full.',
        confidence: hit.item.scope !== 'task' ? 0.7 : hit.item.source === 'log' ? 0.9 : 0.95,
        ...(steps.length > 0 ? { remediation: steps } : {}),
      }),
    );
  },
};
