import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, type Rule } from '../types';
import { citeMatch, findAll, normaliseText, serviceEvents } from '../evidence-text';

// The scheduler's placement reasons as ECS prints them in service events: `(service x) was unable to
// place a task because no container instance met all of its requirements. The closest matching
// (container-instance y) has insufficient memory available.`, `… Reason: Capacity is unavailable at this
// time…`, `… encountered error "RESOURCE:ENI"`, account limits. A `was unable to place a task. Reason:
// ResourceInitializationError …` is NOT a placement problem and is left to the other rules.
const PLACEMENT =
  /no container instance met all of its requirements|insufficient (?:CPU units|memory|GPU|CPU)\b|is already using a port required by your task|Capacity is unavailable at this time|RESOURCE:[A-Z_]{2,20}|reached the limit on the number of (?:tasks|vCPUs)|configuration is above your limit|No Container Instances were found in your cluster|encountered error "?(?:AGENT|ATTRIBUTE)|EMPTY CAPACITY PROVIDER|NO ACTIVE INSTANCES|placement constraint unsatisfied|unable to place a task\. Reason: Internal error/i;

/**
 * `ECS Service Action` events of a placement failure: `SERVICE_TASK_PLACEMENT_FAILURE` (no capacity),
 * `SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED` (a daemon task no longer meets the placement constraints).
 */
const PLACEMENT_EVENTS: ReadonlySet<string> = new Set(['SERVICE_TASK_PLACEMENT_FAILURE', 'SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED']);

/** Steps for the reason the message gives. */
export function placementSteps(raw: string): string[] {
  const text = normaliseText(raw);
  if (/insufficient memory|RESOURCE:MEMORY|MEMORY configuration/i.test(text)) {
    return ['No container instance has enough free memory for the task: lower the task/container `memory`, use larger instances, or add instances (capacity provider managed scaling does this).'];
  }
  if (/insufficient CPU|RESOURCE:CPU|CPU configuration/i.test(text)) {
    return ['No container instance has enough free CPU units for the task: lower the task/container `cpu`, use larger instances, or add instances.'];
  }
  if (/port required by your task|RESOURCE:PORTS/i.test(text)) {
    return ['Every instance already uses the fixed host port the task maps: use dynamic host ports (`hostPort: 0` in bridge mode) or the awsvpc network mode, or add instances.'];
  }
  if (/RESOURCE:ENI/i.test(text)) {
    return ['The instances have no free network-interface attachment points for awsvpc tasks: turn on the `awsvpcTrunking` account setting and use instance types that support trunking, or add instances.'];
  }
  if (/Capacity is unavailable|RESOURCE:FARGATE/i.test(text)) {
    return ['Fargate (or Fargate Spot) had no capacity in the chosen Availability Zone: let the service use subnets in several Availability Zones, and mix FARGATE with FARGATE_SPOT in the capacity provider strategy; ECS retries by itself.'];
  }
  if (/reached the limit|above your limit/i.test(text)) {
    return ['An account quota was reached: request an increase in Service Quotas (Fargate vCPUs / tasks) or stop unused tasks.'];
  }
  if (/AGENT/.test(text)) return ['The closest matching instance\'s ECS agent is disconnected: restart the agent (`sudo systemctl restart ecs`) or replace the instance.'];
  if (/EMPTY CAPACITY PROVIDER|NO ACTIVE INSTANCES|No Container Instances/i.test(text)) {
    return ['The cluster has no registered container instances: check that the Auto Scaling group of the capacity provider has instances running and that they join this cluster (`ECS_CLUSTER` in the user data).'];
  }
  if (/ATTRIBUTE|placement constraint/i.test(text)) {
    return ['No instance has the attributes or satisfies the placement constraints the task needs: check `placementConstraints` and, for awsvpc on EC2, that instances run in the service\'s subnets.'];
  }
  return [];
}

/**
 * The service scheduler could not place a task (service events, or an `ECS Service Action`
 * `SERVICE_TASK_PLACEMENT_FAILURE` event). Context evidence: the ranker dismisses it when the
 * analysed task was placed anyway.
 */
export const serviceUnableToPlaceTask: Rule = {
  id: 'service-unable-to-place-task',
  category: 'placement_failed',
  title: 'Service scheduler could not place a task',
  remediation: [
    'Compare the task\'s `cpu`, `memory`, ports and placement constraints with what the cluster\'s instances (or Fargate) can offer, and add capacity or shrink the task.',
    'For EC2 capacity providers, turn on managed scaling so the Auto Scaling group grows when tasks cannot be placed.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/api_failures_messages.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwe_events.html#ecs_service_events',
  ],
  match(evidence) {
    const { trigger } = evidence;
    const fromTrigger: EvidenceItem[] =
      trigger.eventName !== undefined && PLACEMENT_EVENTS.has(trigger.eventName)
        ? [{ source: 'event', text: trigger.eventName, timestamp: trigger.time }, ...(trigger.reason ? [{ source: 'event' as const, text: trigger.reason }] : [])]
        : [];
    // Service events are newest first: the first hit is the latest placement failure.
    const hit = findAll(serviceEvents(evidence), PLACEMENT)[0];
    if (!hit && fromTrigger.length === 0) return NO_MATCH;
    const steps = [
      ...placementSteps(`${hit?.item.text ?? ''} ${trigger.reason ?? ''}`),
      ...(trigger.eventName === 'SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED'
        ? ['A task of this DAEMON service no longer satisfies the service\'s placement constraints (an instance attribute changed, or the constraints did): compare `placementConstraints` with the container instances\' attributes.']
        : []),
    ];
    return {
      status: 'match',
      findings: [
        {
          title: 'The scheduler could not place a task: not enough matching capacity',
          explanation:
            'The service scheduler found no container instance (or no Fargate capacity) that met all of the task\'s requirements, so the task was never started. This concerns the service\'s attempts to place tasks; if the analysed task itself was placed and ran, this is background rather than its cause.',
          confidence: hit ? 0.75 : 0.7,
          evidence: [...(hit ? [citeMatch(hit)] : []), ...fromTrigger],
          ...(steps.length > 0 ? { remediation: steps } : {}),
          scope: 'context',
        },
      ],
    };
  },
};
