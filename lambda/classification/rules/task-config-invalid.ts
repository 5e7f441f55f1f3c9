import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, type Rule } from '../types';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// The scheduler's `(service NAME) failed to launch a task with (error …)`, e.g. `ECS was unable to assume
// the role '…' that was provided for this task.`, and the `ECS Service Action` (ERROR)
// `SERVICE_TASK_CONFIGURATION_FAILURE` (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html,
// https://repost.aws/knowledge-center/ecs-unable-to-assume-role).
const REJECTED = /\bfailed to launch a task with \(error [^\n]{1,600}|\bECS was unable to assume the role\b/i;
const CONFIGURATION_FAILURE = 'SERVICE_TASK_CONFIGURATION_FAILURE';
// The wrapper often carries a stopped-task error the scheduler met while launching: the inner error is the
// cause (its own rule names it), the wrapper only says a launch failed. The stopped-task error names of
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html.
const INNER_TASK_ERROR =
  /\b(?:ResourceInitializationError|CannotPullContainerError|CannotPullImageManifestError|CannotStartContainerError|CannotCreateContainerError|CannotCreateVolumeError|CannotInspectContainerError|ContainerRuntimeError|ContainerRuntimeTimeoutError|OutOfMemoryError|TaskFailedToStart|unable to pull secrets or registry auth)\b/;
/** Below the confident threshold of rank.ts: a wrapper around a specific error is a hint, the inner error the cause. */
const WRAPPER_CONFIDENCE = 0.45;

/** ECS rejects the task configuration before it starts a task. */
export const taskConfigInvalid: Rule = {
  id: 'task-config-invalid',
  category: 'task_config_invalid',
  title: 'ECS rejects the task configuration',
  remediation: [
    'Read the error ECS gives and correct the task definition or the service: roles ECS cannot assume (the trust policy must allow `ecs-tasks.amazonaws.com`, and the caller `iam:PassRole`), a network mode or parameter the launch type does not support, tags or capacity providers the service cannot use.',
    'Register a corrected task definition revision and update the service to it; ECS does not retry a configuration it rejects.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html',
    'https://repost.aws/knowledge-center/ecs-unable-to-assume-role',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html',
  ],
  match(evidence) {
    // Only when no task of the incident is known is it true that there are no task logs.
    const started = evidence.tasks.length > 0;
    const finding = {
      title: started ? 'ECS rejected the task configuration' : 'ECS rejected the task configuration and started no task',
      explanation:
        'ECS refused to launch tasks with this configuration (a role it cannot assume, a parameter the launch type does not support, …)' +
        (started ? '; the stopped tasks of the incident show what happened to the ones it did launch.' : ': no task started, so there are no task logs.') +
        ' The error names what to change.',
      steps: (text: string) =>
        /unable to assume the role/i.test(text)
          ? ['ECS could not assume a role of the task definition: check that its trust policy allows `ecs-tasks.amazonaws.com` to `sts:AssumeRole`, that it exists in this account, and that whoever updates the service may `iam:PassRole` it.']
          : [],
    };
    const hits = stopTextHits(evidence, REJECTED);
    if (hits.length > 0) {
      const wrapped = hits.every((hit) => INNER_TASK_ERROR.test(hit.item.text));
      return stopTextResult(hits, wrapped ? { ...finding, confidence: WRAPPER_CONFIDENCE, explanation: `${finding.explanation} The error inside is a stopped-task error: it is the cause, this wrapper only says the launch failed.` } : finding);
    }
    const { trigger } = evidence;
    if (trigger.eventName !== CONFIGURATION_FAILURE) return NO_MATCH;
    const items: EvidenceItem[] = [{ source: 'event', text: CONFIGURATION_FAILURE, timestamp: trigger.time }];
    if (trigger.reason) items.push({ source: 'event', text: trigger.reason });
    return {
      status: 'match',
      findings: [
        {
          title: finding.title,
          explanation: `${finding.explanation}${trigger.reason ? '' : ' The event gives no reason: the service events in the console name it.'}`,
          confidence: 0.8,
          evidence: items,
          scope: 'context',
        },
      ],
    };
  },
};
