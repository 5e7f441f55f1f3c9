import type { Rule } from '../types';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// Texts ECS reports when a task's elastic network interface (awsvpc) could not be created, attached or
// configured: `ResourceInitializationError: failed to configure ENI: failed to setup regular eni: …`,
// `Timeout waiting for network interface provisioning to complete.`, `Unexpected EC2 error while
// attempting to attach network interface to instance`. On EC2 container instances the attachment itself
// can fail: `Unable to attach network interface to unused device index.` (no free device index,
// https://github.com/aws/containers-roadmap/issues/1545), EC2's `already has an interface attached at
// device index` / `AttachmentLimitExceeded` (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachNetworkInterface.html,
// https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html), and the agent's ENI
// attachment timeout (https://github.com/aws/amazon-ecs-agent/issues/1520).
const ENI =
  /failed to (?:configure|set ?up|attach|create) (?:regular |trunk |branch )?ENI|Timeout waiting for network interface provisioning|error while attempting to attach network interface|netplugin failed|unable to attach (?:the )?network interface\b|already has an interface attached at device index|\bAttachmentLimitExceeded\b|\bENI attachment (?:timeout|timed out)/i;

/** The task's network interface could not be set up. */
export const eniAttachFailed: Rule = {
  id: 'eni-attach-failed',
  category: 'network_config_failed',
  title: 'Task network interface (ENI) could not be created or attached',
  remediation: [
    'Check the subnets of the service or run-task network configuration: they must exist, have free IP addresses and be in Availability Zones where the capacity runs.',
    'On EC2 with awsvpc, check the instance\'s ENI limit (turn on `awsvpcTrunking` for more) and that the ECS agent is current; a one-off EC2 API error clears when ECS retries.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/userguide/stopped-task-error-codes.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachNetworkInterface.html',
    'https://github.com/aws/containers-roadmap/issues/1545',
  ],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, ENI), {
      title: 'The task\'s network interface could not be set up',
      explanation:
        'Tasks in the awsvpc network mode get their own elastic network interface before any container starts. Creating, attaching or configuring it failed, so the task stopped before its image was even pulled.',
      confidence: { task: 0.9, context: 0.7 },
    });
  },
};
