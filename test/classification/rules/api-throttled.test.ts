import { apiThrottled } from '../../../lambda/classification/rules/api-throttled';
import { serviceAction, serviceEvents, taskStopped } from '../../helpers/evidence';

// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html
const THROTTLED = '(service web) operations are being throttled. Will try again later.';

describe('api-throttled', () => {
  it('matches the throttling service event, citing it', () => {
    const result = apiThrottled.match(taskStopped({}, { services: serviceEvents(THROTTLED) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(THROTTLED);
    expect(result.findings[0]?.scope).toBe('context');
  });

  it.each(['ECS_OPERATION_THROTTLED', 'SERVICE_DISCOVERY_OPERATION_THROTTLED'])('matches the %s service action', (name) => {
    const result = apiThrottled.match(serviceAction(name));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]).toMatchObject({ source: 'event', text: name });
  });

  it('does not match other service actions or events', () => {
    expect(apiThrottled.match(serviceAction('SERVICE_TASK_PLACEMENT_FAILURE', { services: serviceEvents('(service web) has reached a steady state.') })).status).toBe('no_match');
  });
});
