import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetLogEventsCommand, ResourceNotFoundException } from '@aws-sdk/client-cloudwatch-logs';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundle } from '../../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import type { RcaReport } from '../../lambda/report/report-schema';
import { ecsMock, loadCorpus, logsMock, recordedTasks, resetMocks, serveBundle } from '../evidence/live/corpus-aws';
import { expectOneLineError, runCli } from './harness';

const C12 = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
const TASK_ARN = 'arn:aws:ecs:us-east-1:111122223333:task/prompt-demo/c38df9cd0cd46f2022a5718e83f08d41';
const TASK_ID = 'c38df9cd0cd46f2022a5718e83f08d41';
const LIVE = ['--cluster', 'prompt-demo', '--task', TASK_ID, '--region', 'us-east-1'];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ecs-rca-capture-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => {
  resetMocks();
  serveBundle(C12);
});

describe('ecs-rca capture --cluster C --task T -o FILE', () => {
  it('writes an incident-bundle.v1 with a synthesized stop event that replays to the same root cause', async () => {
    const file = join(dir, 'incident.json');
    const result = await runCli(['capture', ...LIVE, '-o', file]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr.split('\n')).toEqual([
      'ecs-rca: describing task c38df9cd0cd46f2022a5718e83f08d41 in cluster prompt-demo (us-east-1)',
      'ecs-rca: collecting evidence: task definition, service, container logs, target health',
      `ecs-rca: wrote ${file}: 1 task, task definition, 1 service, 1 log stream (1 line), 1 target group, 0 gaps`,
      '',
    ]);

    const text = readFileSync(file, 'utf8');
    const bundle = parseBundle(JSON.parse(text), file);
    const task = recordedTasks(C12)[0]!;
    expect(bundle.event).toMatchObject({
      'detail-type': 'ECS Task State Change',
      source: 'aws.ecs',
      account: '111122223333',
      region: 'us-east-1',
      resources: [TASK_ARN],
      time: task.stoppedAt!.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      detail: { taskArn: TASK_ARN, lastStatus: 'STOPPED', stoppedReason: task.stoppedReason },
    });
    expect(bundle.event.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(Object.keys(bundle.evidence).sort()).toEqual(['logs', 'services', 'targetHealth', 'taskDefinition', 'tasks']);
    expect(text).not.toContain('hunter2'); // environment values never leave the account

    // Replaying the file gives what analysing the recorded corpus bundle gives.
    const expected = analyzeEvidence(evidenceFromBundle(C12)).rootCause.category;
    expect(analyzeEvidence(evidenceFromBundle(bundle)).rootCause.category).toBe(expected);
    const replay = await runCli(['analyze', file, '--format', 'json']);
    expect((JSON.parse(replay.stdout) as RcaReport).rootCause.category).toBe(expected);

    // A second capture of the same stop gets the same event id.
    const again = join(dir, 'again.json');
    await runCli(['capture', ...LIVE, '-o', again]);
    expect((JSON.parse(readFileSync(again, 'utf8')) as { event: { id: string } }).event.id).toBe(bundle.event.id);
  });

  it("writes to standard output with -o -, and reports each gap on stderr", async () => {
    logsMock.on(GetLogEventsCommand).rejects(new ResourceNotFoundException({ message: 'The specified log group does not exist.', $metadata: {} }));
    const result = await runCli(['capture', '--task', TASK_ARN, '-o', '-']);
    expect(result.code).toBe(0);
    const bundle = parseBundle(JSON.parse(result.stdout), 'stdout');
    expect(bundle.evidence.logs).toBeUndefined();
    expect(result.stderr).toMatch(/\necs-rca: gap: logs:GetLogEvents for log stream .* failed: not found \(ResourceNotFoundException: The specified log group does not exist\)\.\n/);
    expect(result.stderr).toMatch(/\necs-rca: captured 1 task, task definition, 1 service, 0 log streams \(0 lines\), 1 target group, 1 gap\n$/);
  });

  it('refuses a file it cannot write, in one line, before reading the task', async () => {
    const result = await runCli(['capture', ...LIVE, '-o', join(dir, 'no-such-dir', 'x.json')]);
    expectOneLineError(result, /x\.json: cannot write the bundle there \(its directory does not exist\)$/m);
  });

  it.each([
    [['capture', '--cluster', 'prompt-demo', '-o', 'x.json'], /required option '--task <task>' not specified/],
    [['capture', ...LIVE], /required option '-o, --output <file>' not specified/],
  ])('refuses %j as a usage error', async (argv, message) => {
    const result = await runCli(argv);
    expectOneLineError(result, message);
    expect(ecsMock.calls()).toHaveLength(0);
  });
});
