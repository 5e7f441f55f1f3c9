import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessDeniedException, DescribeServiceDeploymentsCommand, ListServiceDeploymentsCommand, ServiceNotFoundException } from '@aws-sdk/client-ecs';
import type { RcaReport } from '../../lambda/report/report-schema';
import { defaultDeps } from '../../lambda/cli/context';
import { parseDuration } from '../../lambda/cli/commands/watch';
import { ecsMock, resetMocks } from '../evidence/live/corpus-aws';
import { deploymentFiles, loadDeployment, serveDeployment, type Player } from '../deployment/recorded-deployment';
import { expectOneLineError, runCli } from './harness';

beforeEach(resetMocks);

function watch(file: string, extra: string[] = [], env: Record<string, string> = {}): { player: Player; run: ReturnType<typeof runCli> } {
  const rec = loadDeployment(file);
  const player = serveDeployment(rec);
  const run = runCli(['watch', '--cluster', rec.cluster, '--service', rec.service, '--region', 'eu-west-1', ...extra], { env }, { ...defaultDeps, now: player.now, sleep: player.sleep });
  return { player, run };
}

describe('ecs-rca watch on recorded deployments', () => {
  it.each(deploymentFiles())('%s: exit code, verdict and root cause as recorded', async (file) => {
    const rec = loadDeployment(file);
    const { player, run } = watch(file, ['--format', 'json', '--timeout', '2m']);
    const result = await run;
    expect(result.code).toBe(rec.expected.exitCode);
    if (rec.expected.category) {
      const report = JSON.parse(result.stdout) as RcaReport;
      expect(report.rootCause.category).toBe(rec.expected.category);
      expect(report.trigger.kind).toBe('deployment_failed');
      expect(JSON.stringify(report.rootCause.evidence)).toContain(rec.expected.evidence);
      // Analysed on the poll where the first failed task appeared, not after the circuit breaker.
      expect(player.poll + 1).toBe(rec.expected.analysedAtPoll);
    } else {
      expect(result.stdout).toBe('');
    }
    if (rec.expected.sleeps) expect(player.sleeps).toEqual(rec.expected.sleeps);
  });

  it('prints progress once per change, not once per poll', async () => {
    const { run } = watch('fails-missing-env-var.json');
    const { stderr } = await run;
    const lines = stderr.trimEnd().split('\n');
    expect(lines).toEqual([
      'ecs-rca: deployment ecs-svc/7706151452090218831 PENDING: 0/2 running, 0 pending, 0 failed',
      'ecs-rca: deployment ecs-svc/7706151452090218831 IN_PROGRESS: 0/2 running, 2 pending, 0 failed',
      'ecs-rca: deployment ecs-svc/7706151452090218831 IN_PROGRESS: 0/2 running, 0 pending, 2 failed',
      'ecs-rca: analysing deployment ecs-svc/7706151452090218831: 2 failed tasks, status IN_PROGRESS',
    ]);
  });

  it('prints the text report on failure by default, naming the missing variable', async () => {
    const { run } = watch('fails-missing-env-var.json');
    const result = await run;
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('DATABASE_URL');
    expect(result.stdout).toMatch(/app_config_missing|configuration/i);
  });

  it('says it was throttled and backs off, then resumes at the base interval', async () => {
    const { player, run } = watch('throttled-mid-watch.json');
    const result = await run;
    expect(result.stderr).toContain('ecs-rca: ECS throttled the poll; polling every 30 s\n');
    expect(result.stderr.match(/throttled/g)).toHaveLength(2);
    expect(player.sleeps).toEqual([15_000, 30_000, 60_000]);
  });

  it('times out with exit 3 and says what it last saw', async () => {
    const { player, run } = watch('times-out.json', ['--timeout', '1m', '--poll-interval', '20s']);
    const result = await run;
    expect(result.code).toBe(3);
    expect(player.sleeps).toEqual([20_000, 20_000, 20_000]);
    expect(result.stderr).toMatch(/gave up after 1m: the deployment had not finished \(last seen IN_PROGRESS\)\n$/);
  });

  it('follows the deployment named with --deployment, taking the Region from its ARN', async () => {
    const rec = loadDeployment('succeeds.json');
    const player = serveDeployment(rec);
    const arn = rec.polls[0]?.serviceDeployment?.serviceDeploymentArn ?? '';
    const result = await runCli(['watch', '--cluster', 'shop', '--service', 'catalog', '--deployment', arn], {}, { ...defaultDeps, now: player.now, sleep: player.sleep });
    expect(result.code).toBe(0);
    expect(ecsMock.commandCalls(ListServiceDeploymentsCommand)).toHaveLength(0);
    expect(ecsMock.commandCalls(DescribeServiceDeploymentsCommand)[0]?.args[0].input).toEqual({ serviceDeploymentArns: [arn] });
    expect(result.stderr).toContain('completed: 2 tasks of the new revision running');
  });

  it('writes the GitHub job summary, outputs, annotation and report file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'watch-gh-'));
    const summary = join(dir, 'summary.md');
    const output = join(dir, 'output');
    writeFileSync(summary, '');
    writeFileSync(output, '');
    const reportFile = join(dir, 'report.json');
    const { run } = watch('fails-health-checks.json', ['--report-file', reportFile], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary, GITHUB_OUTPUT: output });
    const result = await run;
    expect(result.code).toBe(1);
    expect(readFileSync(summary, 'utf8')).toMatch(/^#+ .*\n[\s\S]*Health checks failed with these codes: \[404\]/);
    const outputs = readFileSync(output, 'utf8');
    expect(outputs).toMatch(/^verdict<<(ghadelimiter_[0-9a-f-]+)\nfailed\n\1\n/);
    expect(outputs).toMatch(/root-cause-category<<(ghadelimiter_[0-9a-f-]+)\nhealth_check_bad_status\n\1\n/);
    expect(outputs).toContain(`\n${reportFile}\n`);
    expect((JSON.parse(readFileSync(reportFile, 'utf8')) as RcaReport).rootCause.category).toBe('health_check_bad_status');
    expect(result.stdout).toMatch(/^::error title=[^\n]+::ECS deployment failed%3A|::error title=[^\n]+::ECS deployment failed: health_check_bad_status/m);
  });

  it('refuses access denied with exit 2 and one line naming the call', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).rejects(new AccessDeniedException({ message: 'User: arn:aws:iam::111122223333:user/ci is not authorized to perform: ecs:ListServiceDeployments', $metadata: {} }));
    const result = await runCli(['watch', '--cluster', 'shop', '--service', 'web', '--region', 'eu-west-1'], {}, { sleep: () => Promise.resolve() });
    expectOneLineError(result, /^ecs-rca: cannot watch service web in cluster shop: ecs:ListServiceDeployments for service web failed: access denied/);
  });

  it('refuses an unknown service with exit 2', async () => {
    ecsMock.on(ListServiceDeploymentsCommand).rejects(new ServiceNotFoundException({ message: 'Service not found.', $metadata: {} }));
    const result = await runCli(['watch', '--cluster', 'shop', '--service', 'nope', '--region', 'eu-west-1'], {}, { sleep: () => Promise.resolve() });
    expectOneLineError(result, /not found/);
  });

  it.each([
    [['--service', 'web'], /required option '--cluster <cluster>' not specified/],
    [['--cluster', 'shop', '--service', 'web', '--timeout', 'soon'], /^ecs-rca: --timeout soon: expected a positive duration/],
    [['--cluster', 'shop', '--service', 'web', '--deployment', 'ecs-svc/123'], /^ecs-rca: --deployment ecs-svc\/123: expected a service deployment ARN/],
    [['--cluster', 'shop', '--service', 'web', '--format', 'slack'], /argument 'slack' is invalid/],
  ])('refuses bad input %j with exit 2', async (args, message) => {
    expectOneLineError(await runCli(['watch', ...args]), message);
  });

  it('documents its exit codes in --help', async () => {
    const result = await runCli(['watch', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Exit codes: 0 deployment completed, 1 deployment failed (report printed), 2 bad input or credentials,\n3 timed out.');
  });
});

describe('parseDuration', () => {
  it.each([
    ['20m', 1_200_000],
    ['90s', 90_000],
    ['1h', 3_600_000],
    ['500ms', 500],
    ['45', 45_000],
  ])('%s is %d ms', (value, ms) => expect(parseDuration(value, '--timeout')).toBe(ms));
});
