import { isEgressTimeout, networkEgressBlocked } from '../../../lambda/classification/rules/network-egress-blocked';
import { serviceEvents, taskStopped } from '../../helpers/evidence';

// Corpus 10: a Secrets Manager call that timed out (no NAT / VPC endpoint).
const ASM_TIMEOUT =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-west-2:111122223333:secret:DBPasswordSecret-Ab12Cd from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.';
// AWS "CannotPullContainer task errors": no route to ECR.
const ECR_NO_ROUTE =
  'CannotPullContainerError: API error (500): Get https://111122223333.dkr.ecr.us-east-1.amazonaws.com/v2/: net/http: request canceled while waiting for connection';

describe('network-egress-blocked', () => {
  it('matches a secrets fetch that timed out and cites it', () => {
    const result = networkEgressBlocked.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: ASM_TIMEOUT }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toContain('request context canceled caused by: context deadline exceeded');
    expect(finding?.scope).toBe('task');
    expect(finding?.confidence).toBeGreaterThanOrEqual(0.9);
    expect(finding?.remediation?.join(' ')).toContain('secretsmanager');
  });

  it('matches an image pull that could not connect to ECR', () => {
    const result = networkEgressBlocked.match(taskStopped({ stoppedReason: ECR_NO_ROUTE }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.join(' ')).toContain('ecr.dkr');
  });

  it('reads service events as context', () => {
    const result = networkEgressBlocked.match(
      taskStopped({}, { services: serviceEvents(`(service web) was unable to place a task. Reason: ${ECR_NO_ROUTE}.`) }),
    );
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.scope).toBe('context');
  });

  it('does not match a permission error or a runtime timeout', () => {
    expect(
      networkEgressBlocked.match(
        taskStopped({
          stoppedReason:
            'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-central-1:111122223333:secret:x from secrets manager: AccessDeniedException: Access to KMS is not allowed',
        }),
      ).status,
    ).toBe('no_match');
    expect(
      networkEgressBlocked.match(
        taskStopped({ stoppedReason: 'CannotStartContainerError: failed to create containerd task: failed to create shim task: context deadline exceeded: unknown' }),
      ).status,
    ).toBe('no_match');
  });

  it('leaves timeouts in application logs alone (they are dependency problems)', () => {
    expect(isEgressTimeout('dial tcp 10.0.0.5:5432: i/o timeout')).toBe(false);
    expect(isEgressTimeout(ECR_NO_ROUTE)).toBe(true);
  });

  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/resource-initialization-error.html,
  // https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_cannot_pull_image.html
  it('recognises a missing network path without the word timeout: killed secrets pull, unresolved AWS endpoint', () => {
    for (const reason of [
      'ResourceInitializationError: unable to pull secrets or registry auth: pull command failed: : signal: killed',
      'ResourceInitializationError: failed to initialize logging driver: failed to create Cloudwatch log stream: RequestError: send request failed caused by: Post "https://logs.us-east-1.amazonaws.com/": dial tcp: lookup logs.us-east-1.amazonaws.com: no such host',
    ]) {
      const result = networkEgressBlocked.match(taskStopped({ stoppedReason: reason }));
      expect(result.status === 'match' && result.findings[0]?.confidence).toBe(0.95);
    }
  });

  it('gives messages without a registry status lower confidence', () => {
    for (const reason of ['CannotPullContainerError: API error', 'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code']) {
      const result = networkEgressBlocked.match(taskStopped({ containers: [{ name: 'app', reason }] }));
      expect(result.status === 'match' && result.findings[0]?.confidence).toBeCloseTo(0.65);
    }
  });

  it('leaves a killed log-driver setup and a status the registry did give to other rules', () => {
    for (const reason of [
      'ResourceInitializationError: failed to validate logger args: : signal: killed',
      'CannotPullContainerError: ref pull has been retried 1 time(s): failed to copy: httpReaderSeeker: failed open: unexpected status code https://example.com/v2/web/blobs/sha256:0a: 403 Forbidden',
      'CannotPullContainerError: API error (404): repository 111122223333.dkr.ecr.us-east-1.amazonaws.com/web/app not found',
    ]) {
      expect(networkEgressBlocked.match(taskStopped({ stoppedReason: reason })).status).toBe('no_match');
    }
  });
});
