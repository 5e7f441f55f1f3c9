import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';

// `TargetHealth.Reason` codes of targets that are not failing health checks: being registered or
// checked for the first time (`initial`), being deregistered (`draining`), or with health checks off
// (`unavailable`) (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html).
const NOT_FAILING: ReadonlySet<string> = new Set(['Elb.RegistrationInProgress', 'Elb.InitialHealthChecking', 'Target.DeregistrationInProgress', 'Target.HealthCheckDisabled']);
/** Stop codes of tasks stopped on purpose (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html). */
const PURPOSEFUL_STOPS: ReadonlySet<string> = new Set(['UserInitiated', 'SpotInterruption', 'TerminationNotice']);

/**
 * An unhealthy-host alarm whose target group shows no failing target: every target that is not
 * healthy is registering, on its first health checks, draining, or has health checks turned off, and
 * no task of the service stopped for a failure. Nothing to alert on.
 */
export const targetHealthNoFailure: Rule = {
  id: 'target-health-no-failure',
  category: 'benign_stop',
  title: 'Unhealthy-host alarm while targets only register or drain',
  remediation: [
    'Nothing to fix if the alarm clears: targets are passing through registration or deregistration, as during a deployment.',
    'If the alarm fires at every deployment, give it more evaluation periods than a deployment takes (or alarm on `HealthyHostCount` below the minimum instead).',
  ],
  sources: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
  ],
  match(evidence) {
    if (evidence.trigger.kind !== 'target_unhealthy' || evidence.targetHealth.length === 0) return NOT_APPLICABLE;
    const notHealthy = evidence.targetHealth.flatMap((group) => group.targets.filter((t) => t.state !== 'healthy'));
    if (notHealthy.length === 0 || !notHealthy.every((t) => t.reason !== undefined && NOT_FAILING.has(t.reason))) return NO_MATCH;
    const failedStop = evidence.tasks.some((t) => t.lastStatus === 'STOPPED' && !(t.stopCode && PURPOSEFUL_STOPS.has(t.stopCode)) && !/^Scaling activity initiated by/.test(t.stoppedReason ?? ''));
    if (failedStop) return NO_MATCH;
    const reasons = [...new Set(notHealthy.map((t) => t.reason ?? ''))];
    const items: EvidenceItem[] = notHealthy.slice(0, 2).flatMap((t) => [
      { source: 'targetHealth' as const, text: t.reason ?? '' },
      ...(t.description ? [{ source: 'targetHealth' as const, text: t.description }] : []),
    ]);
    return {
      status: 'match',
      findings: [
        {
          title: `No target is failing health checks: ${reasons.join(', ')}`,
          explanation:
            'The alarm fired, but no target of the target group fails its health checks now: the targets that are not healthy are being registered, checked for the first time, drained or have health checks turned off, and no task of the service stopped for a failure. This is what a deployment or a scale-in looks like.',
          confidence: 0.7,
          evidence: items,
          // The target group is what the alarm is about: its state is the analysed resource's own.
          scope: 'task',
        },
      ],
    };
  },
};
