import { subnetIpAddressesExhausted } from '../../../lambda/classification/rules/subnet-ip-addresses-exhausted';
import { serviceEvents, taskStopped } from '../../helpers/evidence';

describe('subnet-ip-addresses-exhausted', () => {
  it('matches an exhausted subnet in a service event', () => {
    const message = "(service web) failed to launch a task with (error There are not enough free addresses in subnet 'subnet-66d3dd2c' to satisfy the requested number of instances.).";
    const result = subnetIpAddressesExhausted.match(taskStopped({}, { services: serviceEvents(message) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(message);
    expect(result.findings[0]?.scope).toBe('context');
  });

  it('matches InsufficientFreeAddressesInSubnet on the task', () => {
    const result = subnetIpAddressesExhausted.match(taskStopped({ stoppedReason: 'InsufficientFreeAddressesInSubnet: Subnet has insufficient free addresses' }));
    expect(result.status === 'match' && result.findings[0]?.scope).toBe('task');
  });

  it('does not match other network errors', () => {
    expect(subnetIpAddressesExhausted.match(taskStopped({ stoppedReason: 'Timeout waiting for network interface provisioning to complete.' })).status).toBe('no_match');
  });
});
