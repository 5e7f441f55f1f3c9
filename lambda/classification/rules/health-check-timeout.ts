import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite } from '../evidence-text';
import { accessLogRequest, analysedTaskArnById, elbHealthSignals, logStreams } from '../log-patterns';

/** Load-balancer health checks time out (`Target.Timeout`, `Request timed out`). */
export const healthCheckTimeout: Rule = {
  id: 'health-check-timeout',
  category: 'health_check_timeout',
  title: 'Load-balancer health checks time out (Target.Timeout, Request timed out)',
  remediation: [
    'Make the health endpoint cheap and bounded: no unbounded database or downstream calls (give any such check its own short timeout), and answer even while other work is busy (enough workers/threads; no blocking call on an async event loop).',
    "Check the task's CPU and memory utilisation around the failures: a saturated task answers health checks late.",
    "Raise the target group's `HealthCheckTimeoutSeconds` only after the endpoint is bounded, and keep it below `HealthCheckIntervalSeconds`.",
  ],
  sources: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html',
    'https://repost.aws/knowledge-center/ecs-fargate-health-check-failures',
  ],
  match(evidence) {
    if (evidence.targetHealth.length === 0 && evidence.services.length === 0) return NOT_APPLICABLE;
    const signals = elbHealthSignals(evidence).filter((s) => s.kind === 'timeout');
    if (signals.length === 0) return NO_MATCH;
    const items: EvidenceItem[] = [];
    for (const s of signals) if (items.length < 4 && !items.some((i) => i.text === s.item.text.trim())) items.push(cite(s.item));
    const check = evidence.targetHealth.find((g) => g.healthCheck)?.healthCheck;
    // If the container logged requests from the health checker, packets reach it: the program is slow,
    // not blocked by a security group.
    const answered = logStreams(evidence).some((lines) => lines.some((l) => l.text.includes('ELB-HealthChecker/') && accessLogRequest(l.text)?.fromHealthChecker));
    const namedTask = analysedTaskArnById(evidence, signals.find((s) => s.taskId)?.taskId);
    const timeout = check?.timeoutSeconds;
    const steps = answered
      ? [`The container's log shows the health checker's requests, so they reach the program: its answer on ${check?.path ? `\`${check.path}\`` : 'the health-check path'} takes longer than ${timeout !== undefined ? `${timeout} s` : 'the health-check timeout'}.`]
      : [
          `A timeout also appears when packets never reach the program: check that the task's security group allows inbound traffic on the container port from the load balancer's security group, and that the program listens on 0.0.0.0 (not 127.0.0.1) on the port the target group checks${check?.port && check.port !== 'traffic-port' ? ` (${check.port})` : ''}.`,
        ];
    return {
      status: 'match',
      findings: [
        {
          title: `Load-balancer health checks time out${check?.path ? ` on ${check.path}` : ''}${timeout !== undefined ? ` (timeout ${timeout} s)` : ''}`,
          explanation: `The load balancer's health-check requests got no answer within ${timeout !== undefined ? `${timeout} s` : 'the health-check timeout'}, so the target was marked unhealthy and ECS replaces the task. Either the program accepts the connection but answers too slowly (a hanging health handler, a blocked worker), or the request never reaches it.`,
          confidence: namedTask ? 0.8 : 0.75,
          evidence: items,
          remediation: steps,
          scope: 'context',
          taskArn: namedTask,
        },
      ],
    };
  },
};
