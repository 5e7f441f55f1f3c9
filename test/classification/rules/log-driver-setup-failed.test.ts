import { logDriverSetupFailed } from '../../../lambda/classification/rules/log-driver-setup-failed';
import { containerDefinition, taskDefinition, taskStopped } from '../../helpers/evidence';

const GROUP_MISSING =
  'CannotStartContainerError: Error response from daemon: failed to initialize logging driver: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist';
const CREATE_GROUP_DENIED =
  'ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log group: AccessDeniedException: User: arn:aws:sts::111122223333:assumed-role/api-dev-exec/4f3c is not authorized to perform: logs:CreateLogGroup on resource: arn:aws:logs:us-east-1:111122223333:log-group:/aws/ecs/api-dev:log-stream: because no identity-based policy allows the logs:CreateLogGroup action status code: 400 : exit status 1';

describe('log-driver-setup-failed', () => {
  it('matches a missing log group in the container reason (behind a generic stoppedReason)', () => {
    const evidence = taskStopped(
      { stoppedReason: 'Essential container in task exited', containers: [{ name: 'app', reason: GROUP_MISSING }] },
      { taskDefinition: taskDefinition([containerDefinition('app', { logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/app' } } })]) },
    );
    const result = logDriverSetupFailed.match(evidence);
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence[0]?.text).toBe(GROUP_MISSING);
    expect(finding?.evidence[0]?.source).toBe('containerReason');
    expect(finding?.remediation?.join(' ')).toContain('`/ecs/app`');
  });

  it('matches logs:CreateLogGroup being denied', () => {
    const result = logDriverSetupFailed.match(taskStopped({ stoppedReason: CREATE_GROUP_DENIED }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toContain('is not authorized to perform: logs:CreateLogGroup');
    expect(result.findings[0]?.remediation?.join(' ')).toContain('awslogs-create-group');
  });

  it('does not match other start failures', () => {
    expect(logDriverSetupFailed.match(taskStopped({ stoppedReason: 'Essential container in task exited' })).status).toBe('no_match');
  });
});
