import { GetLogEventsCommand, AccessDeniedException as LogsAccessDenied } from '@aws-sdk/client-cloudwatch-logs';
import { AccessDeniedException, DescribeTasksCommand } from '@aws-sdk/client-ecs';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import type { IncidentBundle } from '../../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import type { RcaReport } from '../../lambda/report/report-schema';
import { corpusFiles, ecsMock, loadCorpus, logsMock, recordedTasks, resetMocks, serveBundle } from '../evidence/live/corpus-aws';
import { blockKitViolations } from '../helpers/slack-server';
import { expectOneLineError, runCli } from './harness';

beforeEach(resetMocks);

const C12 = loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json');
const C12_TASK = 'c38df9cd0cd46f2022a5718e83f08d41';

/** The stopped task of a task-stopped bundle, as DescribeTasks serves it. */
function stoppedTask(bundle: IncidentBundle): { arn: string; id: string; cluster: string } {
  const detail = bundle.trigger.kind === 'task_stopped' ? bundle.trigger.event.detail : undefined;
  const arn = detail?.taskArn ?? '';
  const described = recordedTasks(bundle).find((t) => t.taskArn === arn);
  return { arn, id: arn.split('/').pop() ?? '', cluster: (described?.clusterArn ?? detail?.clusterArn ?? 'default').split('/').pop() ?? 'default' };
}

const taskStoppedFiles = corpusFiles().filter((f) => loadCorpus(f).trigger.kind === 'task_stopped');

describe('ecs-rca analyze --cluster C --task T (live, AWS mocked with the recorded evidence)', () => {
  it.each(taskStoppedFiles)('%s: same root cause as analysing the recorded bundle', async (file) => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    const { id, cluster } = stoppedTask(bundle);
    const result = await runCli(['analyze', '--cluster', cluster, '--task', id, '--region', bundle.event.region, '--format', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as RcaReport;
    expect(report.rootCause.category).toBe(analyzeEvidence(evidenceFromBundle(bundle)).rootCause.category);
    expect(report.trigger).toMatchObject({ kind: 'task_stopped', detailType: 'ECS Task State Change', region: bundle.event.region, account: bundle.event.account });
  });

  it('takes cluster and Region from a task ARN', async () => {
    serveBundle(C12);
    const { arn } = stoppedTask(C12);
    const result = await runCli(['analyze', '--task', arn, '--format', 'json']);
    expect(result.code).toBe(0);
    expect(ecsMock.commandCalls(DescribeTasksCommand)[0]?.args[0].input).toEqual({ cluster: 'prompt-demo', tasks: [arn] });
    expect((JSON.parse(result.stdout) as RcaReport).rootCause.category).toBe('image_arch_mismatch');
  });

  it('describes the task once: the collector reuses the answer the stop event was built from', async () => {
    serveBundle(C12);
    const result = await runCli(['analyze', '--cluster', 'prompt-demo', '--task', C12_TASK, '--region', 'us-east-1', '--format', 'json']);
    expect(result.code).toBe(0);
    expect(ecsMock.commandCalls(DescribeTasksCommand)).toHaveLength(1);
    // The one answer still reaches the evidence: DescribeTasks fields the stop event lacks are in the report.
    expect((JSON.parse(result.stdout) as RcaReport).resource.taskArn).toBe(stoppedTask(C12).arn);
  });

  it('previews the Slack payload and the SNS message of a live task', async () => {
    serveBundle(C12);
    const slack = await runCli(['analyze', '--cluster', 'prompt-demo', '--task', C12_TASK, '--region', 'us-east-1', '--format', 'slack']);
    expect(slack.code).toBe(0);
    expect(blockKitViolations(JSON.parse(slack.stdout))).toEqual([]);
    const sns = await runCli(['analyze', '--cluster', 'prompt-demo', '--task', C12_TASK, '--region', 'us-east-1', '--format', 'sns']);
    expect(sns.code).toBe(0);
    expect(sns.stdout).toMatch(/^Subject: [^\n]{1,99}\nAttribute category: image_arch_mismatch\n/);
  });

  it('names what it could not read in the report and still exits 0', async () => {
    serveBundle(C12);
    logsMock.on(GetLogEventsCommand).rejects(new LogsAccessDenied({ message: 'not authorized to perform: logs:GetLogEvents', $metadata: {} }));
    const result = await runCli(['analyze', '--cluster', 'prompt-demo', '--task', C12_TASK, '--region', 'us-east-1', '--format', 'json']);
    expect(result.code).toBe(0);
    expect((JSON.parse(result.stdout) as RcaReport).evidenceGaps).toEqual([expect.stringMatching(/^logs:GetLogEvents for log stream .* failed: access denied/)]);
  });

  it('refuses a task ECS no longer knows, in one line', async () => {
    serveBundle(C12);
    const result = await runCli(['analyze', '--cluster', 'prompt-demo', '--task', '0123456789abcdef0123456789abcdef', '--region', 'us-east-1']);
    expectOneLineError(
      result,
      /^ecs-rca: cannot read task 0123456789abcdef0123456789abcdef in cluster prompt-demo \(us-east-1\): ecs:DescribeTasks did not find task 0123456789abcdef0123456789abcdef \(MISSING\): ECS returns stopped tasks for about an hour only/,
    );
  });

  it('refuses when DescribeTasks is denied, naming the permission', async () => {
    ecsMock.on(DescribeTasksCommand).rejects(new AccessDeniedException({ message: 'User: arn:aws:iam::111122223333:user/dev is not authorized to perform: ecs:DescribeTasks', $metadata: {} }));
    const result = await runCli(['analyze', '--cluster', 'prod', '--task', C12_TASK, '--region', 'us-east-1']);
    expectOneLineError(result, /cannot read task .* access denied.*ecs:DescribeTasks/);
  });

  it('refuses a task that has not stopped', async () => {
    const task = { ...recordedTasks(C12)[0], lastStatus: 'RUNNING', desiredStatus: 'RUNNING', stoppedAt: undefined, stopCode: undefined, stoppedReason: undefined };
    ecsMock.on(DescribeTasksCommand).resolves({ tasks: [task], failures: [] });
    const result = await runCli(['analyze', '--cluster', 'prompt-demo', '--task', C12_TASK, '--region', 'us-east-1']);
    expectOneLineError(result, /ECS Task State Change with lastStatus RUNNING is not analysed \(only STOPPED tasks\)/);
  });

  it.each([
    [['analyze', '--cluster', 'prod'], /--task is required with --cluster/],
    [['analyze', '--task', C12_TASK], /--cluster is required when --task is a task id/],
    [['analyze', '--task', 'not a task!', '--cluster', 'prod'], /--task not a task!: expected a task id/],
    [['analyze', 'incident.json', '--cluster', 'prod', '--task', C12_TASK], /give either FILE \(incident.json\) or --cluster\/--task, not both/],
    [['analyze', '--region', 'us-east-1'], /--region applies to a live task/],
  ])('refuses %j without calling AWS', async (argv, message) => {
    const result = await runCli(argv);
    expectOneLineError(result, message);
    expect(ecsMock.calls()).toHaveLength(0);
  });
});
