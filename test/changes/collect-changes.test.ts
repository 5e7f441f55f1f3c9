import { minimalCloudTrailEvent, redactBundleEvidence } from '../../lambda/evidence/bundle/redact-bundle';
import type { ServiceDeploymentBrief, ServiceDeploymentStatus } from '@aws-sdk/client-ecs';
import { pickDeployments } from '../../lambda/evidence/collect-changes';

const brief = (id: string, createdAt: string, status: ServiceDeploymentStatus): ServiceDeploymentBrief => ({
  serviceDeploymentArn: id,
  createdAt: new Date(createdAt),
  status,
  targetServiceRevisionArn: `rev-${id}`,
});

describe('pickDeployments', () => {
  const listed = [
    brief('d4', '2026-12-01T12:00:00Z', 'IN_PROGRESS'),
    brief('d3', '2026-12-01T10:00:00Z', 'ROLLBACK_SUCCESSFUL'),
    brief('d2', '2026-11-30T10:00:00Z', 'SUCCESSFUL'),
    brief('d1', '2026-11-20T10:00:00Z', 'SUCCESSFUL'),
  ];
  it('takes the newest deployment created before the task and the last successful one before it', () => {
    const { current, previous } = pickDeployments(listed, Date.parse('2026-12-01T10:05:00Z'));
    expect([current?.serviceDeploymentArn, previous?.serviceDeploymentArn]).toEqual(['d3', 'd2']);
  });
  it('has no baseline for a service with one deployment', () => {
    expect(pickDeployments([brief('d1', '2026-11-20T10:00:00Z', 'SUCCESSFUL')], Date.now()).previous).toBeUndefined();
  });
});

describe('captured task definitions', () => {
  const td = (value: string) => ({ containerDefinitions: [{ name: 'app', environment: [{ name: 'A', value }, { name: 'B', value: 'same' }] }] });
  const values = (parts: ReturnType<typeof redactBundleEvidence>['evidence'], key: 'taskDefinition' | 'baselineTaskDefinition') =>
    parts[key]?.containerDefinitions?.[0]?.environment?.map((e) => e.value);

  it('hash equal values equally within one capture, differently across captures, and keep no value', () => {
    const one = redactBundleEvidence({ taskDefinition: td('new-SEED'), baselineTaskDefinition: td('old-SEED') }).evidence;
    const two = redactBundleEvidence({ taskDefinition: td('new-SEED'), baselineTaskDefinition: td('old-SEED') }).evidence;
    expect(JSON.stringify(one)).not.toContain('SEED');
    expect(values(one, 'taskDefinition')?.[1]).toBe(values(one, 'baselineTaskDefinition')?.[1]);
    expect(values(one, 'taskDefinition')?.[0]).not.toBe(values(one, 'baselineTaskDefinition')?.[0]);
    expect(values(one, 'taskDefinition')?.[1]).not.toBe(values(two, 'taskDefinition')?.[1]); // the key is per capture
  });
});

describe('minimalCloudTrailEvent', () => {
  it('keeps who, when and the names of the service and family; drops every other request parameter', () => {
    const record = {
      eventTime: '2026-12-01T09:58:00Z',
      eventName: 'RegisterTaskDefinition',
      userAgent: 'aws-cli/2',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/ci/x', accessKeyId: 'ASIAEXAMPLE', sessionContext: {} },
      sourceIPAddress: '192.0.2.1',
      requestParameters: { family: 'web', containerDefinitions: [{ environment: [{ name: 'DB', value: 'SEED-pass' }] }] },
      responseElements: { taskDefinition: { containerDefinitions: [{ environment: [{ name: 'DB', value: 'SEED-pass' }] }] } },
    };
    const out = minimalCloudTrailEvent({ EventName: 'RegisterTaskDefinition', CloudTrailEvent: JSON.stringify(record) });
    expect(out.CloudTrailEvent).not.toContain('SEED');
    expect(JSON.parse(out.CloudTrailEvent)).toEqual({
      eventTime: '2026-12-01T09:58:00Z',
      eventName: 'RegisterTaskDefinition',
      userAgent: 'aws-cli/2',
      userIdentity: { type: 'AssumedRole', arn: 'arn:aws:sts::1:assumed-role/ci/x' },
      requestParameters: { family: 'web' },
    });
  });
  it('drops a CloudTrailEvent that is not JSON', () => {
    expect(minimalCloudTrailEvent({ EventName: 'UpdateService', CloudTrailEvent: '{oops' })).toEqual({ EventName: 'UpdateService' });
  });
});
