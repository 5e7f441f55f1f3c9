import type { Evidence } from '../../evidence/types';
import type { Rule } from '../types';
import { normaliseText } from '../evidence-text';
import { stopTextHits, stopTextResult } from '../stop-text-finding';
import { isEgressTimeout } from './network-egress-blocked';

// Docker/containerd messages when the `awslogs` (or another) log driver cannot start; Fargate wraps
// them in `ResourceInitializationError`, the EC2 agent in `CannotStartContainerError`.
const LOG_DRIVER =
  /failed to initialize logging driver|failed to validate logger args|The specified log group does not exist|failed to create Cloudwatch log (?:stream|group)|not authorized to perform:? logs:(?:CreateLogGroup|CreateLogStream|PutLogEvents)/i;

/** `awslogs-group` of the container (or any container) the text is about, from the task definition. */
function logGroupOf(evidence: Evidence, containerName: string | undefined): string | undefined {
  const containers = evidence.taskDefinition?.containers ?? [];
  const own = containers.find((c) => c.name === containerName) ?? containers.find((c) => c.logConfiguration?.options['awslogs-group']);
  return own?.logConfiguration?.options['awslogs-group'];
}

function specificSteps(raw: string, logGroup: string | undefined): string[] {
  const text = normaliseText(raw);
  const group = logGroup ? `\`${logGroup}\`` : 'the `awslogs-group` of the container definition';
  const steps: string[] = [];
  if (/logs:CreateLogGroup/i.test(text)) {
    steps.push(`The container definition sets \`awslogs-create-group: true\`, which needs \`logs:CreateLogGroup\` on the task execution role: add that permission, or create ${group} beforehand (e.g. in your IaC) and drop the option.`);
  } else if (/logs:(?:CreateLogStream|PutLogEvents)/i.test(text)) {
    steps.push(`Allow \`logs:CreateLogStream\` and \`logs:PutLogEvents\` on ${group} to the task execution role (the managed policy AmazonECSTaskExecutionRolePolicy has both).`);
  } else if (/log group does not exist/i.test(text)) {
    steps.push(`Create the log group ${group} in this Region (or set \`awslogs-create-group\` to \`true\` and allow \`logs:CreateLogGroup\` to the execution role).`);
  }
  return steps;
}

/** The container's log driver could not start (log group missing, permission, bad options). */
export const logDriverSetupFailed: Rule = {
  id: 'log-driver-setup-failed',
  category: 'log_setup_failed',
  title: 'Log driver could not start (log group missing or not permitted)',
  remediation: [
    'Make sure the log group named in `logConfiguration.options.awslogs-group` exists in the task\'s Region, or set `awslogs-create-group` to `true` and allow `logs:CreateLogGroup`.',
    'Give the task execution role `logs:CreateLogStream` and `logs:PutLogEvents` (AmazonECSTaskExecutionRolePolicy) and check the log driver options for typos.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html',
  ],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, LOG_DRIVER, isEgressTimeout), {
      title: 'The log driver could not start, so the container never ran',
      explanation:
        'The container runtime starts the log driver before the program. The awslogs driver validates its options and creates the log stream (and, with `awslogs-create-group`, the log group) with the task execution role; that failed, so the task stopped before the program wrote anything.',
      steps: (text, hit) => specificSteps(text, logGroupOf(evidence, hit.item.containerName)),
    });
  },
};
