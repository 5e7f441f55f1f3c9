import { DescribeServicesCommand, DescribeTasksCommand, ECSClient, ListServiceDeploymentsCommand, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { isFailedStop, phaseOf, progressLine, revisionHealthy, snapshotOf } from '../../lambda/deployment/deployment-state';
import { newPollMemory, pollDeployment } from '../../lambda/deployment/poll-deployment';
import { ecsMock, resetMocks } from '../evidence/live/corpus-aws';

const stopped = (fields: Partial<Task>): Task => ({ lastStatus: 'STOPPED', desiredStatus: 'STOPPED', ...fields });

describe('isFailedStop (stopCode and stoppedReason, https://docs.aws.amazon.com/AmazonECS/latest/developerguide/stopped-task-error-codes.html)', () => {
  it.each([
    [{ stopCode: 'TaskFailedToStart', stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 1 time(s)' }, true],
    [{ stopCode: 'EssentialContainerExited', stoppedReason: 'Essential container in task exited' }, true],
    [{ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed ELB health checks in (target-group arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/web/0a1b)' }, true],
    [{ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Task failed container health checks' }, true],
    [{ stopCode: 'ServiceSchedulerInitiated', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/123)' }, false],
    [{ stopCode: 'UserInitiated', stoppedReason: 'Task stopped by user' }, false],
    [{ stopCode: 'SpotInterruption', stoppedReason: 'Your Spot Task was interrupted.' }, false],
  ] as [Partial<Task>, boolean][])('%j → %s', (fields, failed) => {
    expect(isFailedStop(stopped(fields))).toBe(failed);
  });

  it('a running task never failed', () => {
    expect(isFailedStop({ lastStatus: 'RUNNING', desiredStatus: 'RUNNING', stopCode: 'EssentialContainerExited' })).toBe(false);
  });
});

describe('phases and health', () => {
  it.each([
    ['SUCCESSFUL', 0, 'succeeded'],
    ['COMPLETED', 0, 'succeeded'],
    ['IN_PROGRESS', 0, 'in_progress'],
    ['PENDING', 0, 'in_progress'],
    ['IN_PROGRESS', 1, 'failed'],
    ['ROLLBACK_IN_PROGRESS', 0, 'failed'],
    ['STOPPED', 0, 'failed'],
    ['FAILED', 0, 'failed'],
  ])('%s with %d failed tasks is %s', (status, failed, phase) => expect(phaseOf(status, failed)).toBe(phase));

  it('is healthy only with every requested task running, none pending, failed or unhealthy', () => {
    const base = snapshotOf({ deployment: { id: 'ecs-svc/1', desiredCount: 2, runningCount: 2, pendingCount: 0, rolloutState: 'IN_PROGRESS' }, failedTasks: [] });
    expect(revisionHealthy(base)).toBe(true);
    expect(revisionHealthy({ ...base, unhealthy: 1 })).toBe(false);
    expect(revisionHealthy({ ...base, pending: 1 })).toBe(false);
    expect(revisionHealthy({ ...base, desired: 0, running: 0 })).toBe(false);
    expect(progressLine({ ...base, unhealthy: 1 })).toBe('deployment ecs-svc/1 IN_PROGRESS: 2/2 running, 0 pending, 0 failed, 1 unhealthy');
  });
});

describe('a service without service deployments (ListServiceDeployments answers none)', () => {
  beforeEach(resetMocks);

  it('is followed through its PRIMARY deployment of DescribeServices', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).resolves({ serviceDeployments: [] });
    ecsMock.on(DescribeServicesCommand).resolves({
      services: [
        {
          serviceName: 'web',
          serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web',
          deployments: [
            { id: 'ecs-svc/2', status: 'PRIMARY', desiredCount: 1, runningCount: 0, pendingCount: 0, rolloutState: 'IN_PROGRESS', taskDefinition: 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:2' },
            { id: 'ecs-svc/1', status: 'ACTIVE', desiredCount: 1, runningCount: 1, pendingCount: 0, rolloutState: 'COMPLETED' },
          ],
        },
      ],
    });
    ecsMock.on(ListTasksCommand).resolves({ taskArns: ['arn:aws:ecs:eu-west-1:111122223333:task/prod/a1', 'arn:aws:ecs:eu-west-1:111122223333:task/prod/b2'] });
    ecsMock.on(DescribeTasksCommand).resolves({
      tasks: [
        stopped({ taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/prod/a1', startedBy: 'ecs-svc/2', stopCode: 'TaskFailedToStart', stoppedReason: 'ResourceInitializationError: unable to pull secrets' }),
        stopped({ taskArn: 'arn:aws:ecs:eu-west-1:111122223333:task/prod/b2', startedBy: 'ecs-svc/1', stopCode: 'TaskFailedToStart' }),
      ],
    });
    const target = { cluster: 'prod', service: 'web' };
    const memory = newPollMemory(target);
    const snapshot = await pollDeployment(target, memory, { ecs: new ECSClient({ region: 'eu-west-1' }), callTimeoutMs: 1000 });
    expect(memory.legacy).toBe(true);
    expect(snapshot).toMatchObject({ deploymentId: 'ecs-svc/2', status: 'IN_PROGRESS', phase: 'failed', serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web' });
    // Only the task this deployment started counts.
    expect(snapshot.failedTasks.map((t) => t.taskArn)).toEqual(['arn:aws:ecs:eu-west-1:111122223333:task/prod/a1']);
    // Described once: the next poll describes only new stopped tasks.
    await pollDeployment(target, memory, { ecs: new ECSClient({ region: 'eu-west-1' }), callTimeoutMs: 1000 });
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(1);
  });
});
