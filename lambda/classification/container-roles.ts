import type { ContainerEvidence, Evidence } from '../evidence/types';
import type { ContainerRole } from '../report/report-schema';

/**
 * What each container of a task is for — the application, or a sidecar: a FireLens log router, a
 * proxy (Envoy for App Mesh, the Service Connect agent), or a telemetry agent (Datadog, AWS X-Ray,
 * OpenTelemetry/ADOT, CloudWatch agent) — and whether it is essential.
 *
 * Sources: FireLens (`firelensConfiguration`, aws-for-fluent-bit)
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_firelens.html ; App Mesh Envoy
 * image https://docs.aws.amazon.com/app-mesh/latest/userguide/envoy.html ; Service Connect agent
 * container https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-connect-concepts.html ;
 * X-Ray daemon sidecar https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon-ecs.html ; ADOT
 * collector https://aws-otel.github.io/docs/setup/ecs ; CloudWatch agent
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/deploy_servicelens_CloudWatch_agent_deploy_ECS.html ;
 * Datadog agent on ECS Fargate https://docs.datadoghq.com/integrations/ecs_fargate/ ; `essential`
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html#container_definition_environment
 */

// Image repositories and container names of the well-known sidecars.
const LOG_ROUTER = { image: /aws-for-fluent-bit|fluent-?bit|fluentd/i, name: /^log[_-]?router$|firelens|fluent-?bit|fluentd/i };
const PROXY = { image: /appmesh-envoy|envoyproxy\/|\/envoy(?::|@|$)|service-connect|haproxy|nginx-proxy/i, name: /^envoy$|envoy|^ecs-service-connect-|proxy/i };
const AGENT = {
  image: /datadog\/agent|datadog-agent|xray-daemon|aws-xray|otel-collector|opentelemetry-collector|aws-otel|cloudwatch-agent|newrelic\/|dynatrace/i,
  name: /datadog|xray|x-ray|otel|opentelemetry|adot|cloudwatch-agent|cwagent|newrelic|dynatrace/i,
};

/** A sidecar role's words, for reports: `log router`, `proxy`, `agent`. */
export const ROLE_WORDS: Readonly<Record<ContainerRole, string>> = {
  application: 'application',
  log_router: 'log router (FireLens)',
  proxy: 'proxy sidecar',
  agent: 'agent sidecar',
};

/** The role of a container, from its definition (`firelensConfiguration`), image and name. */
export function containerRole(evidence: Evidence, container: Pick<ContainerEvidence, 'name' | 'image'>): ContainerRole {
  const definition = evidence.taskDefinition?.containers.find((d) => d.name === container.name);
  if (definition?.firelensType) return 'log_router';
  const image = container.image ?? definition?.image ?? '';
  const is = (role: { image: RegExp; name: RegExp }): boolean => role.image.test(image) || role.name.test(container.name);
  if (is(LOG_ROUTER)) return 'log_router';
  if (is(AGENT)) return 'agent';
  if (is(PROXY)) return 'proxy';
  return 'application';
}

/**
 * Whether a container is essential: the task's own flag, else its definition's, else undefined
 * (unknown: ECS's default is true, but a sidecar is often marked `essential: false`).
 */
export function essentialFlag(evidence: Evidence, container: Pick<ContainerEvidence, 'name' | 'essential'>): boolean | undefined {
  return container.essential ?? evidence.taskDefinition?.containers.find((d) => d.name === container.name)?.essential;
}
