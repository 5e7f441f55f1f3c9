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

  // https://docs.aws.amazon.com/AmazonECR/latest/userguide/service-quotas.html
  it('matches Amazon ECR throttling the registry-auth call', () => {
    const reason =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): ThrottlingException: Rate exceeded';
    expect(imagePullRateLimited.match(taskStopped({ stoppedReason: reason })).status).toBe('match');
    expect(imagePullRateLimited.match(taskStopped({ stoppedReason: 'botocore ThrottlingException: Rate exceeded calling DescribeStacks' })).status).toBe('no_match');
  });
});
