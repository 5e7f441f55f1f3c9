import type { Evidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { cite, citeMatch, findFirst, type TextSource } from '../evidence-text';
import { accessLogRequest, analysedTaskArnById, elbHealthSignals, logStreams, statusMatches, streamLines } from '../log-patterns';
import { nameToken } from '../own-words';

// Django rejects a Host header not in ALLOWED_HOSTS with 400; the ALB health checker sends the target's
// private IP as Host, so this is the classic cause of `[400]` health checks.
const INVALID_HOST = /\bInvalid HTTP_HOST header: '([^']{1,300})'/;

interface AccessHit {
  item: TextSource;
  status: number;
  path?: string;
}

/**
 * The first access-log line of a health-check request whose status the target group does not accept,
 * unless later health checks in the same stream succeeded (a passing blip is not the failure).
 */
function failedHealthRequest(evidence: Evidence, streams: readonly (readonly TextSource[])[]): AccessHit | undefined {
  const check = evidence.targetHealth.find((g) => g.healthCheck)?.healthCheck;
  const healthCheckAt = (lines: readonly TextSource[], i: number): AccessHit | undefined => {
    const item = lines[i] as TextSource;
    // Only a line naming the health checker or the health-check path can be a health check: skip the parse otherwise.
    if (!item.text.includes('ELB-HealthChecker/') && (check?.path === undefined || !item.text.includes(check.path))) return undefined;
    const request = accessLogRequest(item.text);
    if (!request || !(request.fromHealthChecker || (check?.path !== undefined && request.path === check.path))) return undefined;
    return { item, status: request.status, ...(request.path ? { path: request.path } : {}) };
  };
  const failed = (hit: AccessHit | undefined): hit is AccessHit => hit !== undefined && !statusMatches(hit.status, check?.matcher);
  for (const lines of streams) {
    // The last health check first (a long log holds thousands): only when it failed, find the first failure.
    let last = lines.length - 1;
    while (last >= 0 && !healthCheckAt(lines, last)) last -= 1;
    if (last < 0 || !failed(healthCheckAt(lines, last))) continue;
    for (let i = 0; i <= last; i += 1) {
      const hit = healthCheckAt(lines, i);
      if (failed(hit)) return hit;
    }
  }
  return undefined;
}

/** Steps specific to the status code the health checks got. */
function statusSteps(status: number | undefined, path: string | undefined, invalidHost: string | undefined): string[] {
  const where = path ? `The health-check path \`${path}\`` : 'The health-check path';
  if (invalidHost !== undefined || status === 400) {
    return [
      `The program rejects the health check's Host header${invalidHost ? ` (\`${invalidHost}\`)` : ''}: the ALB health checker sends the target's private IP and port as Host. Allow it (Django: add the task's private IP — read from the ECS task metadata endpoint at start-up — to \`ALLOWED_HOSTS\`, or exempt the health path in a middleware; Rails: \`config.hosts\` / \`host_authorization\` exclude; ASP.NET: \`AllowedHosts\`).`,
    ];
  }
  if (status === 404) return [`${where} does not exist in the program: set the target group's health-check path to a route that returns 200 (e.g. a dedicated \`/health\`), or add that route.`];
  if (status !== undefined && status >= 300 && status < 400) {
    return [`${where} answers with a redirect (${status}): health checks do not follow redirects. Point the health check at the final URL (mind a trailing slash, and an HTTP→HTTPS redirect in the app — TLS ends at the load balancer), or accept 200-399 in the target group's success codes.`];
  }
  if (status === 401 || status === 403) return [`${where} requires authentication: exempt the health-check path from authentication.`];
  if (status !== undefined && status >= 500) return [`${where} fails with ${status}: the program itself errors while answering; read its log lines around the health-check requests.`];
  return [];
}

/** Load-balancer health checks get an HTTP status the target group does not accept. */
export const healthCheckBadStatus: Rule = {
  id: 'health-check-bad-status',
  logPatterns: [INVALID_HOST],
  category: 'health_check_bad_status',
  title: 'Health checks get an unexpected HTTP status (Target.ResponseCodeMismatch)',
  remediation: [
    "Request the health-check path the way the load balancer does, from inside the task (ECS Exec): `curl -i -H 'Host: TASK_IP:PORT' http://127.0.0.1:PORT/PATH`.",
    "Align the target group's health-check path and success codes (`Matcher`) with what the program answers.",
  ],
  sources: [
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html',
    'https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html',
    'https://repost.aws/knowledge-center/ecs-fargate-health-check-failures',
  ],
  match(evidence) {
    const streams = logStreams(evidence);
    const lines = streamLines(evidence);
    if (lines.length === 0 && evidence.targetHealth.length === 0 && evidence.services.length === 0) return NOT_APPLICABLE;
    const access = failedHealthRequest(evidence, streams);
    const invalidHost = findFirst(lines, INVALID_HOST);
    const signals = elbHealthSignals(evidence).filter((s) => s.kind === 'bad_status');
    if (!access && !invalidHost && signals.length === 0) return NO_MATCH;

    const items: EvidenceItem[] = [];
    if (access) items.push(cite(access.item));
    if (invalidHost) items.push(citeMatch(invalidHost));
    for (const s of signals) if (items.length < 5 && !items.some((i) => i.text === s.item.text.trim())) items.push(cite(s.item));
    const codes = [...new Set([...(access ? [access.status] : []), ...signals.flatMap((s) => s.codes)])];
    const own = access?.item ?? invalidHost?.item;
    const namedTask = analysedTaskArnById(evidence, signals.find((s) => s.taskId)?.taskId);
    const status = access?.status ?? codes[0];
    return {
      status: 'match',
      findings: [
        {
          title: `Health checks get HTTP ${codes.length > 0 ? codes.join(', ') : 'errors'}${nameToken(access?.path) ? ` on ${access?.path}` : ''}`,
          explanation: `The load balancer's health checks reach the program but get ${codes.length > 0 ? `HTTP ${codes.join(', ')}` : 'a status'} instead of the success codes the target group expects, so the target is marked unhealthy${own ? ' (the container\'s own access log shows the health checker\'s requests and the answers)' : ''}. ECS then replaces the task.`,
          // A Host-header rejection without any failed health check may come from other clients.
          confidence: access ? 0.9 : invalidHost && signals.length === 0 ? 0.6 : own ? 0.85 : 0.75,
          evidence: items,
          remediation: statusSteps(status, nameToken(access?.path), nameToken(invalidHost?.groups[0])),
          scope: own ? own.scope : 'context',
          taskArn: own?.taskArn ?? namedTask,
        },
      ],
    };
  },
};
