import type { Evidence, TaskEvidence } from '../../evidence/types';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, isoTime, type TextSource } from '../evidence-text';
import { accessLogRequest, elbHealthSignals, elbStopReasons, logStreams, serverListening, statusMatches } from '../log-patterns';

// ALB target-group defaults for `ip`/`instance` targets when the target group's settings were not read:
// HealthCheckIntervalSeconds 30, HealthyThresholdCount 5, UnhealthyThresholdCount 2
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
const DEFAULT_INTERVAL_S = 30;
const DEFAULT_HEALTHY = 5;
const DEFAULT_UNHEALTHY = 2;

interface Ready {
  item: TextSource;
  task: TaskEvidence;
  /** Seconds from the task's startedAt to the ready line (or the start-up time the line reports). */
  readySeconds: number;
  /** The lines of the stream the ready line is in. */
  lines: readonly TextSource[];
}

// Frameworks print several "ready" lines in a burst (Spring Boot `Tomcat started on port` then `Started X in
// N seconds`; uvicorn `Application startup complete` then `Uvicorn running on`): the last one of the burst
// is when the program could answer, and a line that reports its own start-up time is the best to cite.
const BURST_MS = 120_000;

/** The ready line of each stream of a task that failed ELB health checks, with its delay after startedAt. */
function readyLines(evidence: Evidence, failedTasks: ReadonlySet<string>): Ready[] {
  const out: Ready[] = [];
  for (const lines of logStreams(evidence)) {
    const ready = lines.map((item) => ({ item, address: serverListening(item.text) })).filter((r) => r.address !== undefined);
    const first = ready[0];
    if (!first) continue;
    const task = evidence.tasks.find((t) => t.taskArn === first.item.taskArn);
    if (!task || !failedTasks.has(task.taskArn)) continue;
    const firstAt = first.item.timestamp;
    const burst = ready.filter((r, i) => (firstAt !== undefined && r.item.timestamp !== undefined ? r.item.timestamp - firstAt <= BURST_MS : i < 3));
    const chosen = burst.find((r) => r.address?.startupSeconds !== undefined) ?? burst[burst.length - 1] ?? first;
    const fromTimes = task.startedAt !== undefined && chosen.item.timestamp !== undefined ? (chosen.item.timestamp - task.startedAt) / 1000 : undefined;
    const readySeconds = fromTimes ?? chosen.address?.startupSeconds;
    if (readySeconds !== undefined) out.push({ item: chosen.item, task, readySeconds, lines });
  }
  return out;
}

/** The first health-checker request the program answered with an accepted status after its ready line, in the same stream. */
function firstPassedCheck(ready: Ready, matcher: string | undefined): TextSource | undefined {
  return ready.lines.slice(ready.lines.indexOf(ready.item) + 1).find((l) => {
    if (!l.text.includes('ELB-HealthChecker/')) return false;
    const request = accessLogRequest(l.text);
    return request?.fromHealthChecker === true && statusMatches(request.status, matcher);
  });
}

/** The program became ready later than the health-check budget allows (ECS stopped it first). */
export const healthCheckStartupTooSlow: Rule = {
  id: 'health-check-startup-too-slow',
  category: 'health_check_startup_too_slow',
  title: 'The program became ready later than the health-check grace period allows',
  remediation: [
    "Set the service's `healthCheckGracePeriodSeconds` above the program's real start-up time plus the time the target group needs to see it healthy (HealthyThresholdCount × HealthCheckIntervalSeconds).",
    'Shorten start-up: do migrations and warm-up in a separate task, load lazily, and give the task more CPU (start-up of JVM and Python apps is often CPU-bound on small Fargate sizes).',
    'If the container also has a container health check, give it a `startPeriod` that covers start-up.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Service.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
    'https://repost.aws/knowledge-center/ecs-fargate-health-check-failures',
  ],
  match(evidence) {
    const stops = elbStopReasons(evidence);
    const signals = elbHealthSignals(evidence);
    if (stops.length === 0 && signals.length === 0) return NOT_APPLICABLE;
    const check = evidence.targetHealth.find((g) => g.healthCheck)?.healthCheck;
    // The program answered the health checker with a status the matcher rejects: it was ready, the status
    // is the problem (health-check-bad-status). Successful answers do not rule out a slow start: the first
    // of them may come after the target was already judged unhealthy.
    const rejected = logStreams(evidence).some((lines) =>
      lines.some((l) => {
        if (!l.text.includes('ELB-HealthChecker/')) return false;
        const request = accessLogRequest(l.text);
        return request?.fromHealthChecker === true && !statusMatches(request.status, check?.matcher);
      }),
    );
    if (rejected || signals.some((s) => s.kind === 'bad_status')) return NO_MATCH;
    const timedOut = signals.some((s) => s.kind === 'timeout');
    const failed = new Set(stops.map((s) => s.taskArn).filter((arn): arn is string => arn !== undefined));
    if (failed.size === 0 && signals.length > 0) for (const t of evidence.tasks) failed.add(t.taskArn);

    const interval = check?.intervalSeconds ?? DEFAULT_INTERVAL_S;
    const healthy = check?.healthyThresholdCount ?? DEFAULT_HEALTHY;
    const unhealthy = check?.unhealthyThresholdCount ?? DEFAULT_UNHEALTHY;
    const grace = evidence.services.find((s) => s.healthCheckGracePeriodSeconds !== undefined)?.healthCheckGracePeriodSeconds;
    // ECS ignores ELB health during the grace period; after it, the target is unhealthy once
    // UnhealthyThresholdCount checks in a row failed. A program must answer before the later of the two.
    const budget = Math.max(grace ?? 0, unhealthy * interval);

    for (const ready of readyLines(evidence, failed)) {
      const stopAt = ready.task.stoppingAt ?? ready.task.stoppedAt;
      const startedAt = ready.task.startedAt;
      const lifetime = stopAt !== undefined && startedAt !== undefined ? (stopAt - startedAt) / 1000 : undefined;
      // Without the service's grace period the budget is unknown: only "ready near the stop" counts then.
      // A Target.Timeout means the program accepted connections, so it must have been ready after the budget.
      const lateForBudget = grace !== undefined && ready.readySeconds >= budget - (timedOut ? 0 : interval);
      const nearStop = lifetime !== undefined && ready.readySeconds > interval && ready.readySeconds >= lifetime - interval;
      if (!lateForBudget && !nearStop) continue;
      const needed = Math.ceil(ready.readySeconds + healthy * interval);
      const stop = stops.find((s) => s.taskArn === ready.task.taskArn);
      const passed = firstPassedCheck(ready, check?.matcher);
      const passedAt = passed?.timestamp !== undefined && startedAt !== undefined ? Math.round((passed.timestamp - startedAt) / 1000) : undefined;
      return {
        status: 'match',
        findings: [
          {
            title: `The program became ready ${Math.round(ready.readySeconds)} s after start, ${lateForBudget ? `later than the ${budget} s health-check budget` : 'just before ECS stopped it for failing health checks'}`,
            explanation: `The container logged that it was ready ${Math.round(ready.readySeconds)} s after the task started${isoTime(ready.item.timestamp) ? ` (${isoTime(ready.item.timestamp) ?? ''})` : ''}${lifetime !== undefined ? `, and ECS stopped the task ${Math.round(lifetime)} s after start` : ''}. With a grace period of ${grace ?? 'unknown (not read)'}${grace !== undefined ? ' s' : ''} and ${unhealthy} failed checks every ${interval} s${check ? '' : ' (the ALB defaults; the target group was not read)'}, the target was judged unhealthy before the program could answer, so ECS stopped a task that was still starting.${passedAt !== undefined ? ` The first health check it passed came ${passedAt} s after start, too late to undo that.` : ''}`,
            confidence: 0.7,
            evidence: [cite(ready.item), ...(stop ? [cite(stop)] : []), ...(passed ? [cite(passed)] : [])],
            remediation: [`Set \`healthCheckGracePeriodSeconds\` on the service to at least ${needed} s (observed start-up ${Math.round(ready.readySeconds)} s + ${healthy} healthy checks × ${interval} s), or make start-up faster.`],
            scope: ready.item.scope,
            taskArn: ready.task.taskArn,
          },
        ],
      };
    }
    return NO_MATCH;
  },
};
