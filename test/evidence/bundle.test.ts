import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildEvidence, evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundle, parseBundleText, readBundle } from '../../lambda/evidence/bundle/read-bundle';
import { parseTriggerEvent } from '../../lambda/evidence/events';
import { BadInputError, UnsupportedEventError } from '../../lambda/shared/errors';

const TASK_ID = '0123456789abcdef0123456789abcdef';
const TASK_ARN = `arn:aws:ecs:eu-west-1:111122223333:task/web/${TASK_ID}`;
const OTHER_ARN = 'arn:aws:ecs:eu-west-1:111122223333:task/web/fedcba9876543210fedcba9876543210';
const TD_ARN = 'arn:aws:ecs:eu-west-1:111122223333:task-definition/web:7';

const taskEvent = (detail: Record<string, unknown> = {}) => ({
  version: '0',
  id: 'e-1',
  'detail-type': 'ECS Task State Change',
  source: 'aws.ecs',
  account: '111122223333',
  time: '2024-03-22T17:01:55Z',
  region: 'eu-west-1',
  resources: [TASK_ARN],
  detail: {
    taskArn: TASK_ARN,
    clusterArn: 'arn:aws:ecs:eu-west-1:111122223333:cluster/web',
    taskDefinitionArn: TD_ARN,
    group: 'service:web',
    lastStatus: 'STOPPED',
    stopCode: 'EssentialContainerExited',
    stoppedReason: 'Essential container in task exited',
    stoppedAt: '2024-03-22T17:01:55Z',
    version: 5,
    containers: [{ name: 'app', lastStatus: 'STOPPED', exitCode: 1 }],
    ...detail,
  },
});

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected an error');
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a rejection');
}

describe('readBundle', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'bundle-test-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, text: string): string => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };

  it('reads a bundle file', async () => {
    const path = write('ok.json', JSON.stringify({ schema: 'incident-bundle.v1', event: taskEvent(), evidence: {} }));
    const bundle = await readBundle(path);
    expect(bundle.trigger.kind).toBe('task_stopped');
    expect(bundle.evidence).toEqual({});
  });

  it('accepts a byte-order mark and a bundle without "schema" or "evidence"', async () => {
    const path = write('bom.json', `\uFEFF${JSON.stringify({ event: taskEvent() })}`);
    const bundle = await readBundle(path);
    expect(bundle.schema).toBe('incident-bundle.v1');
    expect(bundle.evidence).toEqual({});
  });

  it('names a missing file', async () => {
    const path = join(dir, 'x.json');
    const error = await rejection(readBundle(path));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(`${path}: file not found`);
  });

  it('names a directory given as a file', async () => {
    const path = join(dir, 'sub');
    mkdirSync(path);
    await expect(readBundle(path)).rejects.toThrow(`${path}: is a directory; give the path of a bundle .json file`);
  });

  it('reports invalid JSON on one line with the position', async () => {
    const path = write('bad.json', '{\n  "event": {\n    "id": 1,,\n  }\n}');
    const error = await rejection(readBundle(path));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(`${path}: not valid JSON (Expected double-quoted property name at line 3 column 13)`);
  });
});

describe('parseBundleText', () => {
  it.each([
    ['{"a": 1,}', 'bundle.json: not valid JSON (Expected double-quoted property name at line 1 column 9)'],
    ['{"event": {}\n"x": 1}', "bundle.json: not valid JSON (Expected ',' or '}' after property value at line 2 column 1)"],
    ['', 'bundle.json: not valid JSON (the file is empty)'],
    ['{"event": {}} trailing', 'bundle.json: not valid JSON (Unexpected non-whitespace character after JSON at line 1 column 15)'],
  ])('reports %p as one line', (text, message) => {
    const error = thrown(() => parseBundleText(text, 'bundle.json'));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error.message).toBe(message);
  });

  it('keeps an unexpected-token message to one line without the quoted input', () => {
    const error = thrown(() => parseBundleText('{"a": }', 'bundle.json'));
    expect(error.message).toMatch(/^bundle\.json: not valid JSON \([^\n]+\)$/);
    expect(error.message).toBe('bundle.json: not valid JSON (Unexpected character at line 1 column 7)');
  });
});

describe('parseBundle', () => {
  it.each([
    [[], 'x.json: not an incident bundle: expected a JSON object at the top level, got an array'],
    [null, 'x.json: not an incident bundle: expected a JSON object at the top level, got null'],
    ['text', 'x.json: not an incident bundle: expected a JSON object at the top level, got a string'],
    [
      { schema: 'incident-bundle.v2', event: taskEvent() },
      'x.json: "schema" is "incident-bundle.v2", but this analyzer reads incident-bundle.v1; set "schema": "incident-bundle.v1" or remove it',
    ],
    [{ schema: 'incident-bundle.v1' }, 'x.json: no "event" key — an incident-bundle.v1 needs the EventBridge event that triggered the incident'],
    [
      taskEvent(),
      'x.json: no "event" key — an incident-bundle.v1 needs the EventBridge event that triggered the incident (this file looks like a bare EventBridge event: put it under "event" in {"schema": "incident-bundle.v1", "event": …})',
    ],
    [{ event: { hello: 'world' } }, 'x.json: not an EventBridge event: id: missing (expected string); detail-type: missing (expected string); source: missing (expected string) (+4 more)'],
    [
      { event: taskEvent(), evidence: { tasks: [{ lastStatus: 'STOPPED' }] } },
      'x.json: invalid incident-bundle.v1: evidence.tasks[0].taskArn: missing (expected string)',
    ],
    [
      { event: taskEvent(), evidence: { services: [{ events: [] }] } },
      'x.json: invalid incident-bundle.v1: evidence.services[0]: needs serviceName or serviceArn',
    ],
    [
      { event: taskEvent(), evidence: { logs: [{ logGroupName: 'g', logStreamName: 's', events: [{ timestamp: 1 }] }] } },
      'x.json: invalid incident-bundle.v1: evidence.logs[0].events[0].message: missing (expected string)',
    ],
    [{ event: taskEvent(), evidence: [] }, 'x.json: invalid incident-bundle.v1: evidence: expected object, got array'],
    [{ event: taskEvent(), expected: { categories: 'oom_killed' } }, 'x.json: invalid incident-bundle.v1: expected.categories: expected array, got string'],
  ])('refuses bad input %#', (json, message) => {
    const error = thrown(() => parseBundle(json, 'x.json'));
    expect(error).toBeInstanceOf(BadInputError);
    expect(error).not.toBeInstanceOf(UnsupportedEventError);
    expect(error.message).toBe(message);
    expect(error.message).not.toContain('\n');
  });

  it('refuses an event type it does not analyse with UnsupportedEventError naming the file', () => {
    const event = { ...taskEvent(), 'detail-type': 'EC2 Instance State-change Notification', source: 'aws.ec2', detail: { 'instance-id': 'i-1', state: 'terminated' } };
    const error = thrown(() => parseBundle({ event }, 'x.json'));
    expect(error).toBeInstanceOf(UnsupportedEventError);
    expect(error.message).toMatch(/^x\.json: event type 'EC2 Instance State-change Notification' is not analysed yet; supported: /);
  });

  it('reads a bundle of an informational event, whose trigger says what it reports', () => {
    const bundle = parseBundle({ event: taskEvent({ lastStatus: 'RUNNING' }) }, 'x.json');
    expect(bundle.trigger.informational).toBe('The task is RUNNING, not STOPPED: a task state change that reports no failure.');
    expect(evidenceFromBundle(bundle).trigger.informational).toBe(bundle.trigger.informational);
  });

  it('ignores unknown keys, tolerates nulls and types the expected block', () => {
    const bundle = parseBundle(
      {
        schema: 'incident-bundle.v1',
        capturedBy: 'someone',
        event: taskEvent(),
        evidence: { tasks: null, services: [{ serviceName: 'web', clusterArn: null, futureField: 1 }], somethingNew: [] },
        expected: { categories: ['app_exit_nonzero'], primaryEvidence: 'exited', redHerrings: null, alert: true, note: 'x' },
      },
      'x.json',
    );
    expect(bundle.evidence.tasks).toBeUndefined();
    expect(bundle.evidence.services).toHaveLength(1);
    expect(bundle.expected).toMatchObject({ categories: ['app_exit_nonzero'], primaryEvidence: 'exited', alert: true });
    expect(bundle.expected?.redHerrings).toBeUndefined();
  });
});

describe('evidenceFromBundle', () => {
  it('puts the event task first, merged with its DescribeTasks entry, then the other tasks', () => {
    const bundle = parseBundle(
      {
        event: taskEvent(),
        evidence: {
          tasks: [
            { taskArn: OTHER_ARN, lastStatus: 'STOPPED', stoppedReason: 'Scaling activity initiated by (deployment ecs-svc/1)' },
            {
              taskArn: TASK_ARN,
              lastStatus: 'STOPPED',
              pullStartedAt: '2024-03-22T17:01:10Z',
              healthStatus: 'UNHEALTHY',
              version: 6,
              containers: [
                { name: 'app', exitCode: 1, healthStatus: 'UNHEALTHY', image: 'app:1' },
                { name: 'sidecar', lastStatus: 'STOPPED', exitCode: 0 },
              ],
            },
          ],
          taskDefinition: {
            taskDefinitionArn: TD_ARN,
            containerDefinitions: [
              { name: 'app', essential: true },
              { name: 'sidecar', essential: false },
            ],
          },
        },
      },
      'x.json',
    );
    const evidence = evidenceFromBundle(bundle);
    expect(evidence.tasks.map((t) => t.taskArn)).toEqual([TASK_ARN, OTHER_ARN]);
    const primary = evidence.tasks[0];
    expect(primary).toMatchObject({
      stoppedReason: 'Essential container in task exited',
      stopCode: 'EssentialContainerExited',
      healthStatus: 'UNHEALTHY',
      pullStartedAt: Date.parse('2024-03-22T17:01:10Z'),
      version: 6,
    });
    expect(primary?.containers).toEqual([
      { name: 'app', lastStatus: 'STOPPED', exitCode: 1, healthStatus: 'UNHEALTHY', image: 'app:1', essential: true },
      { name: 'sidecar', lastStatus: 'STOPPED', exitCode: 0, essential: false },
    ]);
    expect(evidence.taskDefinition?.taskDefinitionArn).toBe(TD_ARN);
    expect(evidence.gaps).toEqual([]);
  });

  it('uses the event task alone when the bundle has no tasks', () => {
    const evidence = evidenceFromBundle(parseBundle({ event: taskEvent() }, 'x.json'));
    expect(evidence.tasks).toHaveLength(1);
    expect(evidence.tasks[0]).toMatchObject({ taskArn: TASK_ARN, taskId: TASK_ID, containers: [{ name: 'app', exitCode: 1 }] });
    expect(evidence).toMatchObject({ services: [], logs: [], targetHealth: [], alarms: [], gaps: [] });
  });

  it('does not set essential from a different task definition', () => {
    const evidence = evidenceFromBundle(
      parseBundle(
        { event: taskEvent(), evidence: { taskDefinition: { taskDefinitionArn: `${TD_ARN}0`, containerDefinitions: [{ name: 'app', essential: false }] } } },
        'x.json',
      ),
    );
    expect(evidence.tasks[0]?.containers[0]?.essential).toBeUndefined();
  });

  it('takes alarms from the evidence, else from the alarm event, and finds the service of the target group', () => {
    const tg = 'targetgroup/web-tg/0a1b2c3d4e5f6a7b';
    const event = {
      version: '0',
      id: 'a-1',
      'detail-type': 'CloudWatch Alarm State Change',
      source: 'aws.cloudwatch',
      account: '111122223333',
      time: '2021-08-30T09:15:12Z',
      region: 'eu-west-1',
      resources: ['arn:aws:cloudwatch:eu-west-1:111122223333:alarm:web-unhealthy-hosts'],
      detail: {
        alarmName: 'web-unhealthy-hosts',
        state: { value: 'ALARM', reason: 'Threshold Crossed' },
        configuration: { namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensions: { TargetGroup: tg } },
      },
    };
    const services = [
      { serviceName: 'api', loadBalancers: [{ targetGroupArn: 'arn:aws:elasticloadbalancing:eu-west-1:111122223333:targetgroup/api/1' }] },
      { serviceName: 'web', serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web', loadBalancers: [{ targetGroupArn: `arn:aws:elasticloadbalancing:eu-west-1:111122223333:${tg}` }] },
    ];
    const fromEvent = evidenceFromBundle(parseBundle({ event, evidence: { services } }, 'x.json'));
    expect(fromEvent.alarms).toEqual([
      { alarmName: 'web-unhealthy-hosts', stateValue: 'ALARM', stateReason: 'Threshold Crossed', namespace: 'AWS/ApplicationELB', metricName: 'UnHealthyHostCount', dimensions: { TargetGroup: tg } },
    ]);
    expect(fromEvent.trigger).toMatchObject({ serviceName: 'web', serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/prod/web' });

    const recorded = evidenceFromBundle(
      parseBundle({ event, evidence: { alarms: [{ AlarmName: 'web-unhealthy-hosts', StateValue: 'ALARM', StateReason: 'from DescribeAlarms' }] } }, 'x.json'),
    );
    expect(recorded.alarms).toEqual([{ alarmName: 'web-unhealthy-hosts', stateValue: 'ALARM', stateReason: 'from DescribeAlarms', dimensions: {} }]);
    expect(recorded.trigger.serviceName).toBeUndefined();
  });
});

describe('buildEvidence', () => {
  it('ties a log stream to a task with an old UUID id and keeps the gaps it is given', () => {
    const uuid = '1dc5c17a-422b-4dc4-b493-371970c6c4d6';
    const arn = `arn:aws:ecs:us-east-1:111122223333:task/${uuid}`;
    const parsed = parseTriggerEvent({ ...taskEvent({ taskArn: arn }), resources: [arn] }, 'event');
    const evidence = buildEvidence(parsed, {
      logs: [{ logGroupName: '/ecs/web', logStreamName: `web/app/${uuid}`, events: [{ message: 'boom' }] }],
      gaps: ['CloudWatch Logs: access denied to /ecs/other.'],
    });
    expect(evidence.logs[0]).toMatchObject({ taskId: uuid, containerName: 'app' });
    expect(evidence.gaps).toEqual(['CloudWatch Logs: access denied to /ecs/other.']);
    expect(evidence.tasks[0]?.taskId).toBe(uuid);
  });
});
