import { secretsFetchFailed } from '../../../lambda/classification/rules/secrets-fetch-failed';
import { taskStopped } from '../../helpers/evidence';

// Corpus 50 and 52, and AWS's ResourceNotFoundException troubleshooting text.
const KMS =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): failed to fetch secret arn:aws:secretsmanager:eu-central-1:111122223333:secret:app-dev-cms-secret20240626183203358800000004-EaPYTy from secrets manager: AccessDeniedException: Access to KMS is not allowed status code: 400, request id: a87a66d9-f839-4353-b8c2-9984b1465695';
const SSM_DENIED =
  'Resourceinitializationerror: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secrets from ssm: service call has been retried 1 time(s): AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/demo-test-web-ExecutionRole-28VBAJL3T0YT/f83b93a4dc3442a18eaaf8c2a235cd37 is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:eu-west-2:111122223333:parameter/GOOGLE_CLIENT_ID because no identity-based policy allows the ssm:GetParameters action status code: 400, request id: 1adcb55f-f798-4503-b8a3-cd1533290001';
const NOT_FOUND =
  "Fetching secret data from AWS Secrets Manager in region us-east-1: secret arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf: ResourceNotFoundException: Secrets Manager can't find the specified secret.";
const JSON_KEY =
  'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key SUPABASE_SECRET_KEY';

describe('secrets-fetch-failed', () => {
  it('matches a KMS refusal and says to allow kms:Decrypt', () => {
    const result = secretsFetchFailed.match(taskStopped({ stopCode: 'TaskFailedToStart', stoppedReason: KMS }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toContain('AccessDeniedException: Access to KMS is not allowed');
    expect(result.findings[0]?.remediation?.join(' ')).toContain('kms:Decrypt');
  });

  it('matches the lower-case Resourceinitializationerror and names the parameter ARN', () => {
    const result = secretsFetchFailed.match(taskStopped({ stoppedReason: SSM_DENIED }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const steps = result.findings[0]?.remediation?.join(' ') ?? '';
    expect(steps).toContain('arn:aws:ssm:eu-west-2:111122223333:parameter/GOOGLE_CLIENT_ID');
    expect(steps).toContain('bare name');
  });

  it('explains a missing secret and a missing JSON key', () => {
    const missing = secretsFetchFailed.match(taskStopped({ stoppedReason: NOT_FOUND }));
    expect(missing.status === 'match' && missing.findings[0]?.remediation?.join(' ')).toContain('does not exist');
    const key = secretsFetchFailed.match(taskStopped({ stoppedReason: JSON_KEY }));
    expect(key.status === 'match' && key.findings[0]?.remediation?.join(' ')).toContain('SUPABASE_SECRET_KEY');
  });

  it('leaves a timed-out secrets call to network-egress-blocked', () => {
    const timeout =
      'ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 5 time(s): failed to fetch secret arn:aws:secretsmanager:us-west-2:111122223333:secret:x from secrets manager: RequestCanceled: request context canceled caused by: context deadline exceeded. Please check your task network configuration.';
    expect(secretsFetchFailed.match(taskStopped({ stoppedReason: timeout })).status).toBe('no_match');
  });

  it('does not match a log group ResourceNotFoundException', () => {
    const result = secretsFetchFailed.match(
      taskStopped({
        stoppedReason:
          'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist',
      }),
    );
    expect(result.status).toBe('no_match');
  });

  it('matches environment files that could not be downloaded from S3', () => {
    const reason = 'ResourceInitializationError: failed to download env files: file download command: non empty error stream: service call has been retried 5 time(s): AccessDenied: Access Denied status code: 403';
    const result = secretsFetchFailed.match(taskStopped({ stoppedReason: reason }));
    expect(result.status === 'match' && result.findings[0]?.remediation?.[0]).toContain('s3:GetObject');
  });
});
