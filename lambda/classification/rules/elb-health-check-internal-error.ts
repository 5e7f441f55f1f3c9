import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';

// `TargetHealth.Reason` `Elb.InternalError`: "The health checks failed due to an internal error"
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html).
const INTERNAL = 'Elb.InternalError';

/** The load balancer's health checks failed because of an error inside Elastic Load Balancing. */
export const elbHealthCheckInternalError: Rule = {
  id: 'elb-health-check-internal-error',
  category: 'platform_error',
  title: 'Health checks failed on an Elastic Load Balancing internal error (Elb.InternalError)',
  remediation: [
    'Nothing in the task needs fixing: wait for the next health checks; if targets stay unhealthy with `Elb.InternalError`, check the AWS Health Dashboard and open an AWS Support case with the target group ARN.',
  ],
  sources: ['https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html'],
  match(evidence) {
    if (evidence.targetHealth.length === 0) return NOT_APPLICABLE;
    const target = evidence.targetHealth.flatMap((g) => g.targets).find((t) => t.reason === INTERNAL);
    if (!target) return NO_MATCH;
    return {
      status: 'match',
      findings: [
        {
          title: `The load balancer's health checks failed on an internal error (target ${target.id})`,
          explanation: 'Elastic Load Balancing reports that its health checks of the target failed because of an error on its side, not because of the target\'s answer.',
          confidence: 0.8,
          evidence: [{ source: 'targetHealth', text: INTERNAL }, ...(target.description ? [{ source: 'targetHealth' as const, text: target.description }] : [])],
          scope: 'context',
        },
      ],
    };
  },
};
