import { classify } from '../../../lambda/classification/classify';
import { rank } from '../../../lambda/classification/rank';
import { informationalEvent } from '../../../lambda/classification/rules/informational-event';
import { serviceAction, serviceEvents, taskStopped } from '../../helpers/evidence';

// Events that report no failure, accepted only by offline readers (`ParseTriggerOptions`):
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_events.html,
// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_service_deployment_events.html.
const STEADY = '(service web) has reached a steady state.';

describe('informational-event', () => {
  it('matches an informational trigger, citing the event and the newest steady-state service event', () => {
    const evidence = serviceAction('SERVICE_STEADY_STATE', { services: serviceEvents(STEADY, '(service web) has started 1 tasks: (task 1).') }, {
      eventType: 'INFO',
      informational: 'The service reports SERVICE_STEADY_STATE (eventType INFO): a service action that reports no failure.',
    });
    const result = informationalEvent.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['SERVICE_STEADY_STATE', STEADY]);
    const ranked = rank(evidence, classify(evidence).candidates);
    expect({ category: ranked.rootCause.category, ruleId: ranked.rootCause.ruleId }).toEqual({ category: 'benign_stop', ruleId: 'informational-event' });
  });

  it('cites a deployment event by its reason and its name', () => {
    const evidence = serviceAction('SERVICE_DEPLOYMENT_COMPLETED', {}, {
      kind: 'deployment_failed',
      detailType: 'ECS Deployment State Change',
      eventType: 'INFO',
      reason: 'ECS deployment ecs-svc/1 completed.',
      informational: 'The deployment completed: a deployment state change that reports no failure.',
    });
    const result = informationalEvent.match(evidence);
    expect(result.status === 'match' && result.findings[0]?.evidence.map((e) => e.text)).toEqual(['ECS deployment ecs-svc/1 completed.', 'SERVICE_DEPLOYMENT_COMPLETED']);
  });

  it('is not applicable to events that report a failure', () => {
    expect(informationalEvent.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('not_applicable');
    expect(informationalEvent.match(serviceAction('SERVICE_TASK_START_IMPAIRED')).status).toBe('not_applicable');
  });
});
