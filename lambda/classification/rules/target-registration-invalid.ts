import type { TargetEvidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';

// `TargetHealth.Reason` codes of a target the load balancer does not send traffic to for a reason of
// configuration, not health (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html).
const STEPS: Readonly<Record<string, string>> = {
  'Target.NotRegistered': 'The target is not registered with the target group: check that the service\'s `loadBalancers` names this target group, container and port, and that the tasks are running (ECS registers them).',
  'Target.NotInUse':
    'The target group is not used by any listener rule of a load balancer, or the target is in an Availability Zone the load balancer does not enable: attach the target group to a listener, and enable on the load balancer every Availability Zone of the service\'s subnets.',
  'Target.IpUnusable': 'The target\'s IP address is in use by a load balancer and cannot be a target: register the tasks\' own IP addresses (target type `ip` with awsvpc tasks).',
  'Target.InvalidState': 'The target (an EC2 instance) is stopped or terminated: deregister it, or let ECS replace the tasks on running container instances.',
};

const misrouted = (target: TargetEvidence): boolean => target.reason !== undefined && target.reason in STEPS;

/** The load balancer cannot send traffic to targets: not registered, not in use, IP unusable, invalid state. */
export const targetRegistrationInvalid: Rule = {
  id: 'target-registration-invalid',
  category: 'load_balancer_misconfigured',
  title: 'Load balancer does not use the targets (Target.NotRegistered, NotInUse, IpUnusable, InvalidState)',
  remediation: [
    'Compare the service\'s `loadBalancers` (target group ARN, container name and port) with the target group, and the target group with the load balancer\'s listener rules.',
    'Enable on the load balancer every Availability Zone the service\'s subnets are in (a target in an Availability Zone the load balancer does not enable is `unused`).',
  ],
  sources: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/network/target-group-health-checks.html',
  ],
  match(evidence) {
    if (evidence.targetHealth.length === 0) return NOT_APPLICABLE;
    const bad = evidence.targetHealth.flatMap((group) => group.targets.filter(misrouted).map((target) => ({ group, target })));
    const first = bad[0];
    if (!first) return NO_MATCH;
    const reasons = [...new Set(bad.map(({ target }) => target.reason ?? ''))];
    const items: EvidenceItem[] = [];
    for (const { target } of bad.slice(0, 2)) {
      items.push({ source: 'targetHealth', text: target.reason ?? '' });
      if (target.description) items.push({ source: 'targetHealth', text: target.description });
    }
    // An alarm on the target group is about exactly these targets; seen next to a stopped task, an
    // unregistered target may just be the task ECS deregistered when it stopped.
    const aboutTargets = evidence.trigger.kind === 'target_unhealthy';
    return {
      status: 'match',
      findings: [
        {
          title: `The load balancer does not send traffic to ${bad.length === 1 ? `target ${first.target.id}` : `${bad.length} targets`}: ${reasons.join(', ')}`,
          explanation: `The target group reports ${bad.length === 1 ? 'a target' : 'targets'} as \`${first.target.state ?? 'unused'}\` for a configuration reason (${reasons.join(', ')}), not for failed health checks: the load balancer, its listeners or the target registration do not route traffic to ${bad.length === 1 ? 'it' : 'them'}.`,
          confidence: aboutTargets ? 0.8 : 0.45,
          evidence: items,
          remediation: reasons.map((reason) => STEPS[reason] ?? '').filter(Boolean),
          scope: 'context',
        },
      ],
    };
  },
};
