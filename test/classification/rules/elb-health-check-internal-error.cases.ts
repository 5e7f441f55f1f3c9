import type { RuleCases } from '../rule-tester';

// https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html
export const cases: RuleCases = {
  match: [
    {
      name: 'Elb.InternalError',
      targetHealth: { reason: 'Elb.InternalError', description: 'Health checks failed due to an internal error' },
      cites: 'Elb.InternalError',
      scope: 'context',
    },
  ],
  noMatch: [{ name: 'health checks that failed on the target', targetHealth: { reason: 'Target.FailedHealthChecks', description: 'Health checks failed' } }],
  notApplicable: [{ name: 'no target health' }],
};
