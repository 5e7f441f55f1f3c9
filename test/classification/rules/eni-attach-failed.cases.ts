import type { RuleCases } from '../rule-tester';

const PROVISIONING = 'Timeout waiting for network interface provisioning to complete.';
const CONFIGURE = 'ResourceInitializationError: failed to configure ENI: failed to setup regular eni: netplugin failed with no error message';

export const cases: RuleCases = {
  match: [
    { name: 'the network interface provisioning timeout', stopCode: 'TaskFailedToStart', stoppedReason: PROVISIONING, cites: PROVISIONING, scope: 'task', rootCause: true },
    { name: 'a failed ENI configuration', stoppedReason: CONFIGURE, cites: CONFIGURE },
  ],
  noMatch: [{ name: 'an ENI attachment-point shortage (a placement problem)', stoppedReason: 'TaskFailedToStart: RESOURCE:ENI' }],
};
