import { registryAuthFailed } from '../../../lambda/classification/rules/registry-auth-failed';
import { taskStopped } from '../../helpers/evidence';

const ECR_403 =
  'CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "111122223333.dkr.ecr.us-east-1.amazonaws.com/app:latest": unexpected status code [manifests 6981141]: 403 Forbidden';

describe('registry-auth-failed', () => {
  it('matches an ECR 403 and points at the execution role', () => {
    const result = registryAuthFailed.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: ECR_403 }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toContain('403 Forbidden');
    expect(result.findings[0]?.remediation?.join(' ')).toContain('ecr:BatchGetImage');
  });

  it('names the ECR action the role may not perform', () => {
    const result = registryAuthFailed.match(
      taskStopped({
        stoppedReason:
          'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/exec/abc is not authorized to perform: ecr:GetAuthorizationToken on resource: *',
      }),
    );
    expect(result.status === 'match' && result.findings[0]?.remediation?.[0]).toContain('`ecr:GetAuthorizationToken`');
  });

  it('matches Docker credential errors', () => {
    expect(registryAuthFailed.match(taskStopped({ stoppedReason: 'CannotPullContainerError: Error response from daemon: Get https://registry.example.com/v2/app/manifests/1.0: no basic auth credentials' })).status).toBe('match');
  });

  it('leaves missing repositories and timeouts to other rules', () => {
    expect(
      registryAuthFailed.match(
        taskStopped({ stoppedReason: "CannotPullContainerError: Error response from daemon: pull access denied for acme/app, repository does not exist or may require 'docker login': denied: requested access to the resource is denied" }),
      ).status,
    ).toBe('no_match');
    expect(
      registryAuthFailed.match(
        taskStopped({
          stoppedReason:
            'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): RequestError: send request failed caused by: Post "https://api.ecr.us-east-1.amazonaws.com/": dial tcp 52.46.1.1:443: i/o timeout. Please check your task network configuration.',
        }),
      ).status,
    ).toBe('no_match');
  });

  it('leaves ECR throttling to image-pull-rate-limited', () => {
    const reason =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve ecr registry auth: service call has been retried 3 time(s): ThrottlingException: Rate exceeded';
    expect(registryAuthFailed.match(taskStopped({ stoppedReason: reason })).status).toBe('no_match');
  });
});
