import type { EvidenceItem } from '../../report/report-schema';
import { NO_MATCH, type Rule } from '../types';
import { stopTextHits, stopTextResult } from '../stop-text-finding';

// The service scheduler's own words when ECS throttles its calls, and the `ECS Service Action` events
// (ERROR) for throttled ECS and AWS Cloud Map (service discovery) operations
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html).
const THROTTLED = /\boperations are being throttled\b/i;
const THROTTLE_EVENTS: ReadonlySet<string> = new Set(['ECS_OPERATION_THROTTLED', 'SERVICE_DISCOVERY_OPERATION_THROTTLED']);

/** ECS or AWS Cloud Map throttled the service scheduler's API calls. */
export const apiThrottled: Rule = {
  id: 'api-throttled',
  category: 'api_throttled',
  title: 'ECS or Cloud Map throttled the service scheduler',
  remediation: [
    'Nothing in the task needs fixing: the scheduler retries once the throttling stops. If it lasts, find what else calls ECS or Cloud Map heavily in the account and Region (CloudTrail `errorCode` `ThrottlingException`) and spread those calls out.',
    'For service discovery, lower the rate of registrations (fewer simultaneous deployments or scale-outs of services in the same namespace), or ask for a higher AWS Cloud Map quota in Service Quotas.',
  ],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html',
  ],
  match(evidence) {
    const { trigger } = evidence;
    const finding = {
      title: 'ECS or AWS Cloud Map throttled the service\'s operations',
      explanation:
        'The service scheduler\'s calls (starting tasks, registering them with AWS Cloud Map) were refused for exceeding the API rate of the account and Region. The scheduler retries later; until then the service cannot reach its desired count.',
    };
    const hits = stopTextHits(evidence, THROTTLED);
    if (hits.length > 0) return stopTextResult(hits, finding);
    if (!trigger.eventName || !THROTTLE_EVENTS.has(trigger.eventName)) return NO_MATCH;
    const evidenceItems: EvidenceItem[] = [{ source: 'event', text: trigger.eventName, timestamp: trigger.time }];
    if (trigger.reason) evidenceItems.push({ source: 'event', text: trigger.reason });
    return { status: 'match', findings: [{ ...finding, confidence: 0.8, evidence: evidenceItems, scope: 'context' }] };
  },
};
