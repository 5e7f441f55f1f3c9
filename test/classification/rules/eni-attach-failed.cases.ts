import type { RuleCases } from '../rule-tester';

const PROVISIONING = 'Timeout waiting for network interface provisioning to complete.';
// EC2's own refusal of the attachment (https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_AttachNetworkInterface.html).
const DEVICE_INDEX = "Unexpected EC2 error while attempting to attach network interface to instance: InvalidParameterValue: Instance 'i-0abc' already has an interface attached at device index '2'.";
const LIMIT = 'AttachmentLimitExceeded: Interface count 4 exceeds the limit for t3.medium';
const CONFIGURE = 'ResourceInitializationError: failed to configure ENI: failed to setup regular eni: netplugin failed with no error message';

export const cases: RuleCases = {
  match: [
    { name: 'the network interface provisioning timeout', stopCode: 'TaskFailedToStart', stoppedReason: PROVISIONING, cites: PROVISIONING, scope: 'task', rootCause: true },
    { name: 'a failed ENI configuration', stoppedReason: CONFIGURE, cites: CONFIGURE },
    { name: 'a device index already taken', stopCode: 'TaskFailedToStart', stoppedReason: DEVICE_INDEX, cites: DEVICE_INDEX, rootCause: true },
    { name: "the instance's attachment limit", stoppedReason: LIMIT, cites: LIMIT },
  ],
  noMatch: [{ name: 'an ENI attachment-point shortage (a placement problem)', stoppedReason: 'TaskFailedToStart: RESOURCE:ENI' }],
};
