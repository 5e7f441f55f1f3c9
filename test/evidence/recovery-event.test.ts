import { parseRecoveryEvent } from '../../lambda/evidence/recovery-event';

const envelope = {
  version: '0',
  id: '4b3e1c57-0000-4000-8000-000000000001',
  source: 'aws.ecs',
  account: '111122223333',
  time: '2026-01-15T10:40:00Z',
  region: 'eu-west-1',
};

describe('parseRecoveryEvent', () => {
  it('reads a completed deployment', () => {
    expect(
      parseRecoveryEvent({
        ...envelope,
        'detail-type': 'ECS Deployment State Change',
        resources: ['arn:aws:ecs:eu-west-1:111122223333:service/prod/web'],
        detail: { eventType: 'INFO', eventName: 'SERVICE_DEPLOYMENT_COMPLETED', deploymentId: 'ecs-svc/123', updatedAt: '2026-01-15T10:39:58.000Z' },
      }),
    ).toEqual({
      eventId: envelope.id,
      at: '2026-01-15T10:40:00.000Z',
      account: '111122223333',
      region: 'eu-west-1',
      cluster: 'prod',
      serviceName: 'web',
      reason: 'deployment ecs-svc/123 completed',
    });
  });

  it('reads a steady state, completing an old short service ARN from detail.clusterArn', () => {
    expect(
      parseRecoveryEvent({
        ...envelope,
        'detail-type': 'ECS Service Action',
        resources: ['arn:aws:ecs:eu-west-1:111122223333:service/web'],
        detail: { eventType: 'INFO', eventName: 'SERVICE_STEADY_STATE', clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/prod' },
      }),
    ).toMatchObject({ cluster: 'prod', serviceName: 'web', reason: 'service reached a steady state' });
  });

  it('is undefined for anything else', () => {
    const service = { ...envelope, resources: ['arn:aws:ecs:eu-west-1:111122223333:service/prod/web'] };
    expect(parseRecoveryEvent({ ...service, 'detail-type': 'ECS Deployment State Change', detail: { eventName: 'SERVICE_DEPLOYMENT_FAILED' } })).toBeUndefined();
    expect(parseRecoveryEvent({ ...service, 'detail-type': 'ECS Service Action', detail: { eventType: 'WARN', eventName: 'SERVICE_TASK_START_IMPAIRED' } })).toBeUndefined();
    // The name must come with its own detail-type.
    expect(parseRecoveryEvent({ ...service, 'detail-type': 'ECS Service Action', detail: { eventName: 'SERVICE_DEPLOYMENT_COMPLETED' } })).toBeUndefined();
    expect(parseRecoveryEvent({ ...envelope, 'detail-type': 'ECS Service Action', resources: [], detail: { eventName: 'SERVICE_STEADY_STATE' } })).toBeUndefined();
    expect(parseRecoveryEvent('not an event')).toBeUndefined();
  });
});
