import { serviceUnableToPlaceTask } from '../../../lambda/classification/rules/service-unable-to-place-task';
import type { Evidence } from '../../../lambda/evidence/types';
import { serviceEvents, taskStopped } from '../../helpers/evidence';

const MEMORY =
  '(service image-tagger) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance 5e1a2b3c4d5e4f6a8b9c0d1e2f3a4b5c) has insufficient memory available. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';
const IMPAIRED = '(service image-tagger) is unable to consistently start tasks successfully. For more information, see the Troubleshooting section of the Amazon ECS Developer Guide.';

const serviceAction = (services: Evidence['services'], detail: Partial<Evidence['trigger']> = {}): Evidence => ({
  ...taskStopped({}, { services }),
  tasks: [],
  trigger: {
    kind: 'service_action',
    eventId: 'e-2',
    detailType: 'ECS Service Action',
    time: '2026-02-23T11:07:44.000Z',
    account: '111122223333',
    region: 'eu-west-1',
    eventName: 'SERVICE_TASK_START_IMPAIRED',
    ...detail,
  },
});

describe('service-unable-to-place-task', () => {
  it('cites the placement event, not the "unable to consistently start" event', () => {
    const result = serviceUnableToPlaceTask.match(serviceAction(serviceEvents(IMPAIRED, MEMORY)));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    const finding = result.findings[0];
    expect(finding?.evidence).toHaveLength(1);
    expect(finding?.evidence[0]?.text).toContain('has insufficient memory available');
    expect(finding?.scope).toBe('context');
    expect(finding?.remediation?.join(' ')).toContain('memory');
  });

  it('matches Fargate capacity and port conflicts', () => {
    const capacity = serviceUnableToPlaceTask.match(
      taskStopped({}, { services: serviceEvents('(service nginx-local) was unable to place a task. Reason: Capacity is unavailable at this time. Please try again later or in a different availability zone.') }),
    );
    expect(capacity.status).toBe('match');
    const ports = serviceUnableToPlaceTask.match(
      taskStopped({}, { services: serviceEvents('(service web) was unable to place a task because no container instance met all of its requirements. The closest matching (container-instance abc) is already using a port required by your task.') }),
    );
    expect(ports.status === 'match' && ports.findings[0]?.remediation?.join(' ')).toContain('hostPort: 0');
  });

  it('uses a SERVICE_TASK_PLACEMENT_FAILURE event and its reason', () => {
    const result = serviceUnableToPlaceTask.match(serviceAction([], { eventName: 'SERVICE_TASK_PLACEMENT_FAILURE', reason: 'RESOURCE:FARGATE' }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence.map((e) => e.text)).toEqual(['SERVICE_TASK_PLACEMENT_FAILURE', 'RESOURCE:FARGATE']);
  });

  it('does not treat a start failure reported as "unable to place" as placement', () => {
    const secrets =
      '(service benchling-webhook-service) was unable to place a task. Reason: ResourceInitializationError: unable to pull secrets or registry auth: execution resource retrieval failed: unable to retrieve secret from asm: service call has been retried 1 time(s): retrieved secret from Secrets Manager did not contain json key app_definition_id.';
    expect(serviceUnableToPlaceTask.match(serviceAction(serviceEvents(secrets, IMPAIRED))).status).toBe('no_match');
  });

  it('matches SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED with the daemon step', () => {
    const result = serviceUnableToPlaceTask.match(serviceAction([], { eventName: 'SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED', reason: undefined }));
    expect(result.status).toBe('match');
    if (result.status !== 'match') return;
    expect(result.findings[0]?.evidence[0]?.text).toBe('SERVICE_DAEMON_PLACEMENT_CONSTRAINT_VIOLATED');
    expect(result.findings[0]?.remediation?.join(' ')).toContain('DAEMON');
  });
});
