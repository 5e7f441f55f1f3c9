import { imagePullRateLimited } from '../../../lambda/classification/rules/image-pull-rate-limited';
import { taskStopped } from '../../helpers/evidence';

describe('image-pull-rate-limited', () => {
  it('matches the Docker Hub toomanyrequests reason and cites it', () => {
    const reason =
      'CannotPullContainerError: Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit';
    const result = imagePullRateLimited.match(taskStopped({ stoppedReason: reason }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe(reason);
    expect(result.findings[0]?.scope).toBe('task');
  });

  it('prefers the analysed task\'s own reason over an earlier task\'s', () => {
    const reason = 'CannotPullContainerError: Error response from daemon: toomanyrequests: You have reached your pull rate limit.';
    const evidence = taskStopped({ stoppedReason: reason });
    evidence.tasks.push({ taskArn: 'arn:aws:ecs:us-east-1:111122223333:task/demo/older', taskId: 'older', containers: [{ name: 'app', reason }] });
    const result = imagePullRateLimited.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.scope).toBe('task');
    expect(result.findings[0]?.evidence[0]?.source).toBe('stoppedReason');
  });

  it('does not match an image that was not found', () => {
    const result = imagePullRateLimited.match(
      taskStopped({ stoppedReason: 'CannotPullContainerError: manifest for nginx:nope not found' }),
    );
    expect(result.status).toBe('no_match');
  });
});
