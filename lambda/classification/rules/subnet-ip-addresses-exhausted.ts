import type { Rule } from '../types';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// EC2's `InsufficientFreeAddressesInSubnet` ("Subnet has insufficient free addresses …", "There are not
// enough free addresses in subnet …"), as ECS passes it on when it cannot create a task ENI.
const NO_FREE_IPS =
  /InsufficientFreeAddressesInSubnet|insufficient free (?:IP )?addresses|not enough free (?:IP )?addresses|no (?:free|available) (?:private )?IP addresses/i;

/** The task's subnet has no free IP address for its network interface. */
export const subnetIpAddressesExhausted: Rule = {
  id: 'subnet-ip-addresses-exhausted',
  category: 'network_config_failed',
  title: 'Subnet has no free IP addresses for the task',
  remediation: [
    'Each awsvpc task takes one private IP in its subnet: add larger or additional subnets to the service\'s network configuration (a /20 or bigger for busy Fargate services).',
    'Free addresses held by unused network interfaces, load balancers or endpoints in those subnets, and watch `AvailableIpAddressCount` (`aws ec2 describe-subnets`).',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-networking.html',
    'https://docs.aws.amazon.com/AWSEC2/latest/APIReference/errors-overview.html',
  ],
  match(evidence) {
    return stopTextResult(stopTextHits(evidence, NO_FREE_IPS), {
      title: 'The task\'s subnet has run out of free IP addresses',
      explanation:
        'A task in the awsvpc network mode needs a free private IP address in one of its subnets for its network interface. The subnet had none left, so the interface, and with it the task, could not be created.',
    });
  },
};
