import { deploymentConfigBlocked } from '../../../lambda/classification/rules/deployment-config-blocked';
import { serviceEvents, taskStopped } from '../../helpers/evidence';

// https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html
const CONFIG =
  '(service web) was unable to stop or start tasks during a deployment because of the service deployment configuration. Update the minimumHealthyPercent or maximumPercent value and try again.';
const PROTECTED =
  '(service web) was unable to reach steady state because task set (ecs-svc/1234567890123456789) was unable to scale in. Reason: The number of protected tasks are more than the desired count of tasks.';

describe('deployment-config-blocked', () => {
  it.each([
    [CONFIG, 'minimumHealthyPercent'],
    [PROTECTED, 'protected from scale-in'],
  ])('matches %s with a specific step', (message, step) => {
    const result = deploymentConfigBlocked.match(taskStopped({}, { services: serviceEvents(message) }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(message);
    expect(result.findings[0]?.remediation?.join(' ')).toContain(step);
  });

  it('does not match a placement failure', () => {
    const placement = '(service web) was unable to place a task because no container instance met all of its requirements.';
    expect(deploymentConfigBlocked.match(taskStopped({}, { services: serviceEvents(placement) })).status).toBe('no_match');
  });
});
