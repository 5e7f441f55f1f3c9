import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText, type BundleEvidence } from '../../lambda/evidence/bundle/read-bundle';
import { redactBundleEvent, redactBundleEvidence } from '../../lambda/evidence/bundle/redact-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { bundlePaths } from '../shared/secret-fixtures';

const PASSWORD = 'hunter2-EXAMPLE';
const TOKEN = 'xoxb-000000000000-0000000000000-EXAMPLEexampleEXAMPLEexa';
const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/demo/0123456789abcdef0123456789abcdef';

function leakyParts(): BundleEvidence {
  return {
    tasks: [
      {
        taskArn: TASK_ARN,
        stopCode: 'EssentialContainerExited',
        stoppedReason: `Essential container in task exited password=${PASSWORD}`,
        containers: [{ name: 'app', exitCode: 1, reason: `CannotStartContainerError: token=${PASSWORD}` }, { name: 'sidecar', reason: null }],
        overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'API_TOKEN', value: TOKEN }, { name: 'EMPTY', value: '' }], command: [`--password=${PASSWORD}`] }] },
      },
    ],
    taskDefinition: {
      taskDefinitionArn: 'arn:aws:ecs:us-east-1:111122223333:task-definition/demo:3',
      containerDefinitions: [
        {
          name: 'app',
          image: 'public.ecr.aws/docker/library/python:3.12',
          environment: [{ name: 'DB_HOST', value: 'db.internal' }, { name: 'DB_PASSWORD', value: PASSWORD }],
          secrets: [{ name: 'API_KEY', valueFrom: 'arn:aws:secretsmanager:us-east-1:111122223333:secret:api-key-AbCdEf' }],
          command: ['gunicorn', `--env=DB_PASSWORD=${PASSWORD}`],
          healthCheck: { command: ['CMD-SHELL', `curl -H "Authorization: Bearer ${PASSWORD}9" localhost/health`] },
          logConfiguration: {
            logDriver: 'splunk',
            options: { 'splunk-token': 'splunk-EXAMPLE-token', 'splunk-url': `https://admin:${PASSWORD}@splunk.example.com:8088` },
            secretOptions: [{ name: 'splunk-token', valueFrom: 'arn:aws:ssm:us-east-1:111122223333:parameter/splunk' }],
          },
        },
      ],
    },
    services: [
      {
        serviceName: 'web',
        events: [{ id: 'e1', createdAt: '2026-01-15T10:00:00Z', message: `(service web) failed: ${TOKEN}` }],
        deployments: [{ id: 'ecs-svc/1', rolloutStateReason: `failed with secret=${PASSWORD}` }],
      },
    ],
    logs: [
      {
        logGroupName: '/ecs/demo',
        logStreamName: 'ecs/app/0123456789abcdef0123456789abcdef',
        events: [
          { timestamp: 1736935200000, message: `connecting to postgres://app:${PASSWORD}@db:5432/app` },
          { timestamp: 1736935201000, message: 'ready' },
        ],
      },
    ],
    targetHealth: [
      {
        targetGroupArn: 'arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/web/0a1b2c3d4e5f6a7b',
        targetHealthDescriptions: [{ Target: { Id: '10.0.1.10', Port: 80 }, TargetHealth: { State: 'unhealthy', Reason: 'Target.ResponseCodeMismatch', Description: `Health checks failed api_key=${PASSWORD}` } }],
      },
    ],
    alarms: [{ AlarmName: 'web-unhealthy', StateReason: `Threshold crossed token=${PASSWORD}` }],
  };
}

describe('redactBundleEvidence', () => {
  it('masks every text and replaces environment values and secret references, keeping names', () => {
    const parts = leakyParts();
    const before = structuredClone(parts);
    const { evidence, redactions } = redactBundleEvidence(parts);
    const json = JSON.stringify(evidence);

    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain('splunk-EXAMPLE-token');
    expect(json).not.toContain('secret:api-key-AbCdEf');
    expect(parts).toEqual(before);

    const task = evidence.tasks?.[0];
    expect(task?.stoppedReason).toBe('Essential container in task exited password=[REDACTED:secret-value]');
    expect(task?.containers?.[0]?.reason).toBe('CannotStartContainerError: token=[REDACTED:secret-value]');
    expect(task?.containers?.[1]).toEqual({ name: 'sidecar', reason: null });
    expect(task?.overrides?.containerOverrides?.[0]?.environment).toEqual([
      { name: 'API_TOKEN', value: '[REDACTED:environment-value]' },
      { name: 'EMPTY', value: '' },
    ]);
    const app = evidence.taskDefinition?.containerDefinitions?.[0];
    // Task-definition values become keyed hashes under a key drawn for this one bundle (issue 10).
    const HASH = /^hmac-sha256:[0-9a-f]{64}$/;
    expect(app?.environment?.map((e) => e.name)).toEqual(['DB_HOST', 'DB_PASSWORD']);
    for (const e of app?.environment ?? []) expect(e.value).toMatch(HASH);
    expect(app?.environment?.[0]?.value).not.toBe(app?.environment?.[1]?.value);
    expect(app?.secrets?.map((s) => s.name)).toEqual(['API_KEY']);
    expect(app?.secrets?.[0]?.valueFrom).toMatch(HASH);
    expect(app?.command).toEqual(['gunicorn', '--env=DB_PASSWORD=[REDACTED:secret-value]']);
    expect(app?.image).toBe('public.ecr.aws/docker/library/python:3.12');
    expect(app?.logConfiguration?.options).toEqual({
      'splunk-token': '[REDACTED:secret-value]',
      'splunk-url': 'https://admin:[REDACTED:url-password]@splunk.example.com:8088',
    });
    expect(app?.logConfiguration?.secretOptions).toEqual([{ name: 'splunk-token', valueFrom: '[REDACTED:secret-reference]' }]);
    expect(evidence.services?.[0]?.events?.[0]?.message).toBe('(service web) failed: [REDACTED:slack-token]');
    expect(evidence.logs?.[0]?.events?.map((e) => e.message)).toEqual(['connecting to postgres://app:[REDACTED:url-password]@db:5432/app', 'ready']);
    expect(evidence.targetHealth?.[0]?.targetHealthDescriptions?.[0]?.TargetHealth).toEqual({
      State: 'unhealthy',
      Reason: 'Target.ResponseCodeMismatch',
      Description: 'Health checks failed api_key=[REDACTED:secret-value]',
    });
    expect(evidence.alarms?.[0]?.StateReason).toBe('Threshold crossed token=[REDACTED:secret-value]');
    // 2 task texts + 1 override value (not the empty one) + 1 override command + 2 env values + 1 secret
    // reference + 1 command + 1 health-check command + 2 log options + 1 secret option + service event +
    // rollout reason + log line + target health + alarm.
    expect(redactions).toBe(17);
  });

  it('does not count values that were already redacted', () => {
    const once = redactBundleEvidence(leakyParts()).evidence;
    expect(redactBundleEvidence(once)).toEqual({ evidence: once, redactions: 0 });
    const collected: BundleEvidence = {
      taskDefinition: { containerDefinitions: [{ name: 'app', environment: [{ name: 'A', value: '(redacted)' }] }] },
    };
    expect(redactBundleEvidence(collected).redactions).toBe(0);
  });

  it('copies odd shapes as they are', () => {
    const odd = { tasks: [{ taskArn: TASK_ARN, containers: null, overrides: null }], logs: [{ logGroupName: 'g', logStreamName: 's', events: null }] } as BundleEvidence;
    expect(redactBundleEvidence(odd)).toEqual({ evidence: odd, redactions: 0 });
    expect(redactBundleEvidence({})).toEqual({ evidence: {}, redactions: 0 });
  });

  // The evidence model keeps no environment values and no secret references, and no recorded incident
  // quotes a secret: redacting a bundle must not change its analysis.
  it.each(bundlePaths().map((p) => [basename(p), p] as const))('%s: the redacted bundle analyses the same', (name, path) => {
    const bundle = parseBundleText(readFileSync(path, 'utf8'), name);
    const redacted = { ...bundle, evidence: redactBundleEvidence(bundle.evidence).evidence };
    const now = new Date('2026-01-01T00:00:00Z');
    expect(analyzeEvidence(evidenceFromBundle(redacted), { now })).toEqual(analyzeEvidence(evidenceFromBundle(bundle), { now }));
  });
});

describe('redactBundleEvent', () => {
  it('masks a task state change: stop reason, container reasons, override environment values', () => {
    const event = {
      version: '0',
      id: 'e-1',
      'detail-type': 'ECS Task State Change',
      source: 'aws.ecs',
      detail: {
        taskArn: TASK_ARN,
        stoppedReason: `exited: password=${PASSWORD}`,
        containers: [{ name: 'app', reason: `token=${PASSWORD}` }],
        overrides: { containerOverrides: [{ name: 'app', environment: [{ name: 'DB_PASSWORD', value: PASSWORD }] }] },
      },
    };
    const before = structuredClone(event);
    const { event: redacted, redactions } = redactBundleEvent(event);
    expect(JSON.stringify(redacted)).not.toContain(PASSWORD);
    expect(redactions).toBe(3);
    expect((redacted as typeof event).detail.overrides.containerOverrides[0]?.environment).toEqual([{ name: 'DB_PASSWORD', value: '[REDACTED:environment-value]' }]);
    expect({ ...(redacted as typeof event), detail: undefined }).toEqual({ ...event, detail: undefined });
    expect(event).toEqual(before);
  });

  it('masks a deployment event reason and an alarm state reason; leaves other values alone', () => {
    const deployment = { detail: { eventName: 'SERVICE_DEPLOYMENT_FAILED', reason: `failed: token=${PASSWORD}` } };
    expect(redactBundleEvent(deployment)).toEqual({ event: { detail: { eventName: 'SERVICE_DEPLOYMENT_FAILED', reason: 'failed: token=[REDACTED:secret-value]' } }, redactions: 1 });
    const alarm = { detail: { alarmName: 'a', state: { value: 'ALARM', reason: `x api_key=${PASSWORD}` } } };
    expect(redactBundleEvent(alarm).event).toEqual({ detail: { alarmName: 'a', state: { value: 'ALARM', reason: 'x api_key=[REDACTED:secret-value]' } } });
    expect(redactBundleEvent('not an event')).toEqual({ event: 'not an event', redactions: 0 });
  });
});

describe('redactBundleEvidence on every string of the bundle', () => {
  it('masks dockerLabels, volume driverOpts, health-check commands and fields it has no rule for', () => {
    const secrets = ['LabelPassEXAMPLE1', 'DriverPwEXAMPLE2', 'CurlPwEXAMPLE3', 'glpat-EXAMPLEzzzz9999yyyy8888', 'sk-proj-EXAMPLEabc123DEF456ghi789JKL0'];
    const { evidence } = redactBundleEvidence({
      taskDefinition: {
        containerDefinitions: [
          {
            name: 'app',
            dockerLabels: { 'com.example.db-password': secrets[0], traefik: 'enable' },
            healthCheck: { command: ['CMD-SHELL', `curl -f -u admin:${secrets[2]} http://localhost/health || exit 1`] },
          },
        ],
        volumes: [{ name: 'data', dockerVolumeConfiguration: { driver: 'local', driverOpts: { type: 'cifs', password: secrets[1], o: 'vers=3.0' } } }],
        somethingNew: { note: `token ${secrets[3]}` },
      } as never,
      alarms: [{ AlarmDescription: `OpenAI key ${secrets[4]}` } as never],
    });
    const json = JSON.stringify(evidence);
    for (const secret of secrets) expect(json).not.toContain(secret);
    expect(json).toContain('"traefik":"enable"');
    expect(json).toContain('"o":"vers=3.0"');
  });
});
