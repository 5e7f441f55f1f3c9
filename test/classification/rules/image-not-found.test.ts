import { imageNotFound, isImageNotFound } from '../../../lambda/classification/rules/image-not-found';
import { taskStopped } from '../../helpers/evidence';

const REPO_404 = 'CannotPullContainerError: API error (404): repository serverless-batch not found: does not exist or no pull access';
const MANIFEST = 'CannotPullContainerError: Error response from daemon: manifest for nginx:0f6b3cdf5e24f0da3dd932acd84fd90e9786a522 not found';

describe('image-not-found', () => {
  it('reads the container reason behind a generic stoppedReason', () => {
    const evidence = taskStopped({
      stoppedReason: 'Essential container in task exited',
      containers: [{ name: 'serverless-batch', image: 'serverless-batch:latest', reason: REPO_404 }],
    });
    const result = imageNotFound.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence).toHaveLength(1);
    expect(result.findings[0]?.evidence[0]?.text).toBe(REPO_404);
  });

  it('says that an image without a registry host is looked up on Docker Hub', () => {
    const evidence = taskStopped({ stoppedReason: MANIFEST, containers: [{ name: 'demo-app', image: 'nginx:0f6b3cdf5e24f0da3dd932acd84fd90e9786a522' }] });
    const result = imageNotFound.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.remediation?.join(' ')).toContain('Docker Hub');
    expect(result.findings[0]?.remediation?.join(' ')).toContain('.dkr.ecr.');
  });

  it('matches containerd and ECR wording', () => {
    expect(isImageNotFound('CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref docker.io/library/nginx:nope: docker.io/library/nginx:nope: not found')).toBe(true);
    expect(isImageNotFound("name unknown: The repository with name 'app' does not exist in the registry with id '111122223333'")).toBe(true);
  });

  it('does not match a 403 or a rate limit', () => {
    expect(
      imageNotFound.match(
        taskStopped({ stoppedReason: 'CannotPullContainerError: inspect image has been retried 1 time(s): failed to resolve ref "111122223333.dkr.ecr.us-east-1.amazonaws.com/app:latest": unexpected status code [manifests 6981141]: 403 Forbidden' }),
      ).status,
    ).toBe('no_match');
    expect(imageNotFound.match(taskStopped({ stoppedReason: 'CannotPullContainerError: toomanyrequests: You have reached your pull rate limit.' })).status).toBe('no_match');
  });

  it('says a "pull access denied" answer may also mean a private repository, and is less sure', () => {
    const reason =
      "CannotPullContainerError: Error response from daemon: pull access denied for foo/bar, repository does not exist or may require 'docker login': denied: requested access to the resource is denied";
    const result = imageNotFound.match(taskStopped({ stoppedReason: reason }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.title).toMatch(/or it is private/);
    expect(result.findings[0]?.confidence).toBeLessThan(0.95);
  });
});
