import type { ContainerDefinitionEvidence, Evidence } from '../../evidence/types';
import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { analysedTasks, cite, findAll, serviceEvents, stoppedReasons, type TextSource } from '../evidence-text';
import { isErrorSeverity, logStreams } from '../log-patterns';

// ECS stop reason `Task failed container health checks`, service event `(service x) (task y) failed
// container health checks.` (https://repost.aws/knowledge-center/ecs-task-container-health-check-failures).
const FAILED = /\bfailed container health checks\b/i;
/** `ECS Service Action` (WARN): a service-discovery (Cloud Map) instance of the service is unhealthy. */
const DISCOVERY_UNHEALTHY = 'SERVICE_DISCOVERY_INSTANCE_UNHEALTHY';
const SHELL_SYNTAX = /\|\||&&|[|;><`$]/;

/** Steps derived from the container definition's `healthCheck.command`. */
function commandSteps(container: ContainerDefinitionEvidence): string[] {
  const check = container.healthCheck;
  if (!check) return [];
  const [form, ...args] = check.command;
  const body = args.join(' ');
  const steps: string[] = [];
  if (form !== 'CMD' && form !== 'CMD-SHELL') {
    steps.push(`The health-check command must start with \`CMD\` (run the arguments directly) or \`CMD-SHELL\` (run one string with the container's shell); it starts with \`${form ?? ''}\`.`);
  } else if (form === 'CMD' && SHELL_SYNTAX.test(body)) {
    steps.push(`The health check uses the \`CMD\` form, which runs without a shell, so \`||\`, \`&&\`, pipes and \`$VARS\` in it are passed as plain arguments: use \`["CMD-SHELL", "${body.replace(/"/g, '\\"')}"]\`.`);
  }
  const tool = /\b(curl|wget)\b/.exec(body)?.[1];
  if (tool) {
    steps.push(`The check runs \`${tool}\` inside the container: make sure the image has it (slim, Alpine and distroless images often lack curl; Alpine's BusyBox has \`wget\`): \`docker run --rm --entrypoint sh ${container.image ?? 'IMAGE'} -c 'command -v ${tool}'\`. Otherwise install it, or check with the app's own runtime (e.g. \`python -c "import urllib.request; urllib.request.urlopen('http://localhost:PORT/health')"\`).`);
    const port = /localhost:(\d{2,5})|127\.0\.0\.1:(\d{2,5})/.exec(body);
    const portNumber = port ? Number(port[1] ?? port[2]) : undefined;
    const mapped = container.portMappings.map((p) => p.containerPort).filter((p): p is number => p !== undefined);
    if (portNumber !== undefined && mapped.length > 0 && !mapped.includes(portNumber)) {
      steps.push(`The check calls port ${portNumber}, but the container's \`portMappings\` list ${mapped.join(', ')}: check the port the program listens on.`);
    }
    if (tool === 'curl' && !/\s-[a-zA-Z]*f|--fail\b/.test(body)) {
      steps.push('Without `-f`/`--fail`, curl exits 0 even for HTTP errors; add it so the check reflects the status code.');
    }
  }
  if (check.startPeriodSeconds === undefined || check.startPeriodSeconds < 30) {
    steps.push(`Set \`startPeriod\` (up to 300 s; now ${check.startPeriodSeconds ?? 'not set'}) so failures while the program starts do not count against \`retries\`.`);
  }
  return steps;
}

/**
 * The last error-level line the unhealthy container logged itself (a sidecar's `[error] … readiness check
 * failed`): what its health check saw, which the stop reason does not say.
 */
function ownErrorLine(evidence: Evidence, taskArn: string, containerName: string): TextSource | undefined {
  const stream = logStreams(evidence).find((lines) => lines[0]?.taskArn === taskArn && lines[0]?.containerName === containerName);
  return stream ? [...stream].reverse().find((line) => isErrorSeverity(line.text)) : undefined;
}

function essentialWithCheck(evidence: Evidence): ContainerDefinitionEvidence | undefined {
  return evidence.taskDefinition?.containers.find((c) => c.healthCheck && c.essential) ?? evidence.taskDefinition?.containers.find((c) => c.healthCheck);
}

/** The container's own `healthCheck` command failed and ECS replaced the task. */
export const containerHealthCheckFailed: Rule = {
  id: 'container-health-check-failed',
  category: 'container_health_check_failed',
  title: "The container's own health check failed (Task failed container health checks)",
  remediation: [
    'Run the health-check command by hand locally with the same image (`docker run --rm --entrypoint sh IMAGE -c \'<the check command>\'`) and look at its exit code: 0 is healthy, anything else unhealthy.',
    'Or run it in a running container with ECS Exec (`aws ecs execute-command --cluster CLUSTER --task TASK_ID --container CONTAINER --interactive --command …`).',
    'Test the image locally with the same check (Dockerfile HEALTHCHECK or `docker run --health-cmd`) before deploying.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/healthcheck.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_HealthCheck.html',
    'https://repost.aws/knowledge-center/ecs-task-container-health-check-failures',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-discovery.html',
  ],
  match(evidence) {
    const { trigger } = evidence;
    // ECS reports a task's container health to AWS Cloud Map (service discovery); Cloud Map marking
    // the instance unhealthy is the same failure seen from the registry.
    const discovery = trigger.eventName === DISCOVERY_UNHEALTHY;
    if (evidence.tasks.length === 0 && evidence.services.length === 0 && !discovery) return NOT_APPLICABLE;
    const stops = findAll(stoppedReasons(evidence), FAILED).filter((h) => h.item.scope === 'task');
    const events = findAll(serviceEvents(evidence), FAILED);
    const unhealthy = analysedTasks(evidence).flatMap((t) => t.containers.filter((c) => c.healthStatus === 'UNHEALTHY').map((c) => ({ task: t, container: c })));
    if (stops.length === 0 && events.length === 0 && !discovery) return NO_MATCH;
    const definition = essentialWithCheck(evidence);
    const sick = unhealthy[0];
    const said = sick ? ownErrorLine(evidence, sick.task.taskArn, sick.container.name) : undefined;
    const items: EvidenceItem[] = [...stops, ...events].slice(0, 3).map((h) => cite(h.item));
    if (said) items.splice(Math.min(1, items.length), 0, cite(said));
    if (discovery) items.push({ source: 'event', text: DISCOVERY_UNHEALTHY, timestamp: trigger.time });
    const command = definition?.healthCheck?.command;
    const longest = command?.slice(1).reduce((a, b) => (b.length > a.length ? b : a), '');
    if (longest) items.push({ source: 'taskDefinition', text: longest, containerName: definition?.name });
    const stop = stops[0];
    return {
      status: 'match',
      findings: [
        {
          title: `Container health check failed${sick ? ` for container ${sick.container.name}` : definition ? ` for container ${definition.name}` : ''}`,
          explanation: `ECS ran the container's \`healthCheck\` command and it kept failing (non-zero exit or timeout) for \`retries\` attempts after \`startPeriod\`, so the container was marked UNHEALTHY and the service replaced the task.${longest ? ` The command is \`${longest}\`.` : ''}${said ? ' The unhealthy container\'s own last error line is cited: it says what the check saw.' : ''}`,
          confidence: stop ? 0.9 : events.length > 0 ? 0.7 : 0.6,
          evidence: items,
          remediation: definition ? commandSteps(definition) : [],
          scope: stop ? 'task' : 'context',
          taskArn: stop?.item.taskArn ?? sick?.task.taskArn,
        },
      ],
    };
  },
};
