import type { RuleCases } from '../rule-tester';

const EVENT =
  "(service web) failed to launch a task with (error There are not enough free addresses in subnet 'subnet-66d3dd2c' to satisfy the requested number of instances.).";
const REASON = 'InsufficientFreeAddressesInSubnet: Subnet has insufficient free addresses';

export const cases: RuleCases = {
  match: [
    { name: 'an exhausted subnet in a service event', serviceEvents: [EVENT], cites: EVENT, scope: 'context' },
    { name: 'InsufficientFreeAddressesInSubnet on the task', stoppedReason: REASON, cites: REASON, scope: 'task', rootCause: true },
  ],
  noMatch: [{ name: 'other network errors', stoppedReason: 'Timeout waiting for network interface provisioning to complete.' }],
};
