import type { Evidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { cite, type TextSource } from '../evidence-text';
import { accessLogRequest, analysedTaskArnById, elbHealthSignals, elbStopReasons, isLoopbackHost, logStreams, serverListening, type ListeningAddress } from '../log-patterns';

/** `ECS Service Action` event of a service whose VPC Lattice target is unhealthy. */
const LATTICE_UNHEALTHY = 'VPC_LATTICE_TARGET_UNHEALTHY';

/** The port the load balancer sends traffic to: the service's `loadBalancers[].containerPort`, else the first `containerPort`. */
function checkedPort(evidence: Evidence): number | undefined {
  const fromService = evidence.services.flatMap((s) => s.loadBalancers).find((lb) => lb.containerPort !== undefined)?.containerPort;
  if (fromService !== undefined) return fromService;
  const hc = evidence.targetHealth.find((g) => g.healthCheck?.port && /^\d+$/.test(g.healthCheck.port))?.healthCheck?.port;
  if (hc) return Number(hc);
  return evidence.taskDefinition?.containers.flatMap((c) => c.portMappings).find((p) => p.containerPort !== undefined)?.containerPort;
}

/** The first "server listening" line that names a host or port. */
function listening(evidence: Evidence): { item: TextSource; address: ListeningAddress } | undefined {
  for (const lines of logStreams(evidence)) {
    for (const item of lines) {
      const address = serverListening(item.text);
      if (address && (address.host !== undefined || address.port !== undefined)) return { item, address };
    }
  }
  return undefined;
}

/** Load-balancer health checks cannot connect to the target (nothing listening, wrong port, 127.0.0.1, security group). */
export const healthCheckConnectionFailed: Rule = {
  id: 'health-check-connection-failed',
  category: 'health_check_connection_failed',
  title: 'Load-balancer health checks cannot connect (Target.FailedHealthChecks)',
  remediation: [
    "Make the program listen on 0.0.0.0 (all interfaces), not 127.0.0.1/localhost: the load balancer connects to the task's private IP.",
    "Check that the port the program listens on equals the `containerPort` in the task definition, the service's load balancer `containerPort`, and the target group's health-check port.",
    "Check that the task's security group allows inbound traffic on that port from the load balancer's security group.",
  ],
  sources: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html',
    'https://repost.aws/knowledge-center/ecs-fargate-health-check-failures',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html',
    'https://docs.aws.amazon.com/vpc-lattice/latest/ug/target-group-health-checks.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/classic/elb-healthchecks.html',
  ],
  match(evidence) {
    const stops = elbStopReasons(evidence);
    const all = elbHealthSignals(evidence);
    // `ECS Service Action` (WARN): VPC Lattice found a target of the service unhealthy; it gives no reason.
    const lattice = evidence.trigger.eventName === LATTICE_UNHEALTHY;
    if (stops.length === 0 && evidence.targetHealth.length === 0 && evidence.services.length === 0 && !lattice) return NOT_APPLICABLE;
    const signals = all.filter((s) => s.kind === 'connection_failed');
    const otherDetail = all.some((s) => s.kind !== 'connection_failed');
    // Health-checker requests in the container's own log prove the checks connect.
    const answered = logStreams(evidence).some((lines) => lines.some((l) => l.text.includes('ELB-HealthChecker/') && accessLogRequest(l.text)?.fromHealthChecker));
    if (answered || (signals.length === 0 && (otherDetail || (stops.length === 0 && !lattice)))) return NO_MATCH;

    const port = checkedPort(evidence);
    const heard = listening(evidence);
    // Only a literal loopback IP counts: many programs print `http://localhost:PORT` while listening on all interfaces.
    const loopback = heard && isLoopbackHost(heard.address.host) && heard.address.host?.toLowerCase() !== 'localhost';
    const wrongPort = heard?.address.port !== undefined && port !== undefined && heard.address.port !== port;
    const items: EvidenceItem[] = [];
    if (loopback || wrongPort) items.push(cite(heard.item));
    for (const s of signals) if (items.length < 4 && !items.some((i) => i.text === s.item.text.trim())) items.push(cite(s.item));
    const stop = stops[0];
    if (stop && items.length < 5) items.push(cite(stop));
    if (lattice) items.push({ source: 'event', text: LATTICE_UNHEALTHY, timestamp: evidence.trigger.time });
    const steps: string[] = [];
    if (loopback) steps.push(`The program listens on ${heard.address.host ?? ''}${heard.address.port !== undefined ? `:${heard.address.port}` : ''}, which only accepts connections from inside the container: bind it to 0.0.0.0 (e.g. \`--host 0.0.0.0\`, \`HOST=0.0.0.0\`).`);
    if (wrongPort) steps.push(`The program listens on port ${heard.address.port ?? '?'} but the load balancer checks port ${port ?? '?'}: make the program listen on ${port ?? '?'} or change \`containerPort\` and the service's load balancer configuration to ${heard.address.port ?? '?'}.`);
    const specific = loopback || wrongPort;
    const own = specific ? heard.item : stop;
    const namedTask = analysedTaskArnById(evidence, signals.find((s) => s.taskId)?.taskId);
    const finding: RuleFinding = {
      title: loopback
        ? `Health checks cannot connect: the program listens on ${heard.address.host ?? 'localhost'} only`
        : wrongPort
          ? `Health checks cannot connect: the program listens on port ${heard.address.port ?? '?'}, the load balancer checks ${port ?? '?'}`
          : 'Load-balancer health checks cannot connect to the task',
      explanation: `The load balancer could not open a connection to the target for its health checks (or the answer was malformed), so the target was marked unhealthy and ECS replaced the task.${specific ? '' : signals.length === 0 ? ` ${stop ? 'ECS reported only that the task failed ELB health checks' : 'VPC Lattice reported only that a target of the service is unhealthy'}, with no target-health detail; a connection failure is the most common reason.` : ''}`,
      // A bare "Task failed ELB health checks" says little on its own: a hint, not a cause.
      confidence: specific ? 0.8 : signals.length > 0 ? 0.65 : 0.4,
      evidence: items,
      remediation: steps,
      scope: own?.scope ?? 'context',
      taskArn: own?.taskArn ?? namedTask,
    };
    return { status: 'match', findings: [finding] };
  },
};
