import type { EvidenceItem } from '../../report/report-schema';
import { NOT_APPLICABLE, type Rule } from '../types';
import { cite, serviceEvents } from '../evidence-text';

// The service event ECS writes when a service runs its desired count of healthy tasks
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html).
const STEADY_STATE = /\bhas reached a steady state\b/;

/**
 * The trigger reports no failure: a deployment that completed or is in progress, a service action of
 * `eventType` `INFO` (`SERVICE_STEADY_STATE`, …), a task that is not stopped, an alarm back to `OK`.
 * Only offline readers accept such events (`ParseTriggerOptions` of `evidence/events.ts`); the stack's
 * EventBridge rules never send them to analysis.
 */
export const informationalEvent: Rule = {
  id: 'informational-event',
  category: 'benign_stop',
  title: 'The event is informational: it reports no failure',
  remediation: ['Nothing to do: the event reports normal operation. Route only failure events (STOPPED tasks, failed deployments, WARN/ERROR service actions, alarms in ALARM) to the analyzer.'],
  sources: [
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html',
    'https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_task_events.html',
    'https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch-and-eventbridge.html',
  ],
  match(evidence) {
    const { trigger } = evidence;
    if (!trigger.informational) return NOT_APPLICABLE;
    // The event's own words (deployment `reason`, alarm reason, `eventName`), then the newest steady-state service event.
    const said = trigger.reason ?? trigger.alarmReason ?? trigger.eventName ?? trigger.detailType;
    const items: EvidenceItem[] = [{ ...cite({ source: 'event', text: said, scope: 'task' }), timestamp: trigger.time }];
    if (trigger.eventName && trigger.eventName !== said) items.push({ ...cite({ source: 'event', text: trigger.eventName, scope: 'task' }), timestamp: trigger.time });
    const steady = serviceEvents(evidence).filter((e) => STEADY_STATE.test(e.text)).sort((a, b) => (b.timestamp ?? 0) - (a.timestamp ?? 0))[0];
    if (steady) items.push(cite(steady));
    return {
      status: 'match',
      findings: [
        {
          title: 'Informational event: nothing failed',
          explanation: `${trigger.informational} The event (${trigger.detailType}) is informational, so there is no incident to explain${steady ? '; the service also reported a steady state' : ''}.`,
          confidence: 0.95,
          evidence: items,
          scope: 'task',
        },
      ],
    };
  },
};
