import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AccessDeniedException, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { PublishCommand } from '@aws-sdk/client-sns';
import { parseBundle, type IncidentBundle } from '../../lambda/evidence/bundle/read-bundle';
import type { RcaReport } from '../../lambda/report/report-schema';
import { runCli } from '../cli/harness';
import { cloudtrailMock, resetMocks, serveBundle } from '../evidence/live/corpus-aws';
import { analysed, partitionOf, snsMock, useHandlerWorld } from '../handler/harness';

/**
 * The change fixtures (`test/fixtures/changes/`, our own bundles in AWS's documented response shapes):
 * each one's `expected.changes` block says which baseline is found, which change kinds the diff lists,
 * which items the root cause is attributed to, whether "nothing changed", and who made the change.
 * Every fixture is checked through the CLI (`ecs-rca analyze`) and through the handler (AWS answering
 * from the bundle via aws-sdk-client-mock, S3 on s3rver, Slack on a local server). Every seeded
 * environment value and secret reference holds `SEEDVALUE`: no output may contain it.
 */

const DIR = join(__dirname, '..', 'fixtures', 'changes');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const SEED = /SEEDVALUE|dbpass/;

interface ExpectedChanges {
  baselineSource: string;
  kinds: string[];
  rootCauseRefs: string[];
  unchanged: boolean;
  actor?: string;
}

function load(file: string): { bundle: IncidentBundle; expected: ExpectedChanges; text: string } {
  const text = readFileSync(join(DIR, file), 'utf8');
  const bundle = parseBundle(JSON.parse(text), file);
  return { bundle, expected: (bundle.expected as unknown as { changes: ExpectedChanges }).changes, text };
}

function expectChanges(report: RcaReport, bundle: IncidentBundle, expected: ExpectedChanges, actor = true): void {
  expect(bundle.expected?.categories).toContain(report.rootCause.category);
  expect(report.rootCause.evidence.map((e) => e.text).join('\n')).toContain(bundle.expected?.primaryEvidence);
  const changes = report.changes;
  expect(changes).toBeDefined();
  expect(changes?.baseline.source).toBe(expected.baselineSource);
  expect([...new Set(changes?.items.map((i) => i.kind))].sort()).toEqual([...expected.kinds].sort());
  expect(report.rootCause.changeRefs ?? []).toEqual(expected.rootCauseRefs);
  expect(changes?.unchanged).toBe(expected.unchanged);
  // The link is lifted into the verdict: the root cause's explanation names the change, or says none.
  if (expected.unchanged) expect(report.rootCause.explanation).toContain('task definition and image digests are the same');
  for (const id of expected.rootCauseRefs) {
    const item = changes?.items.find((i) => i.id === id);
    expect(report.rootCause.explanation).toContain(item?.summary);
  }
  if (expected.actor && actor) expect(changes?.actor?.principal).toBe(expected.actor);
  else expect(changes?.actor).toBeUndefined();
}

describe('change fixtures through the CLI', () => {
  it.each(FILES)('%s: category, baseline, diff, attribution; no seeded value in any format', async (file) => {
    const { bundle, expected, text } = load(file);
    expect(text).toMatch(SEED); // the fixture does seed values
    const json = await runCli(['analyze', join(DIR, file), '--format', 'json']);
    expect(json.code).toBe(0);
    expectChanges(JSON.parse(json.stdout) as RcaReport, bundle, expected);
    for (const format of ['text', 'markdown', 'json']) {
      const out = await runCli(['analyze', join(DIR, file), '--format', format]);
      expect(out.stdout).not.toMatch(SEED);
      expect(out.stderr).not.toMatch(SEED);
      expect(out.stdout).toContain(format === 'json' ? '"changes"' : 'What changed');
    }
  });
});

describe('change fixtures through the handler', () => {
  const world = useHandlerWorld();

  async function invoke(bundle: IncidentBundle, env: Record<string, string>) {
    serveBundle(bundle);
    const invocation = await world.invoke(bundle.event, { deps: world.deps(world.config(env)) });
    const result = analysed(invocation);
    const key = `${partitionOf(String(bundle.event.time))}${result.incidentKey}-${bundle.event.id}.json`;
    const record = await world.readAudit(key);
    return { invocation, result, record };
  }

  it.each(FILES)('%s: same verdict and changes live, with the actor lookup on; nothing seeded leaves', async (file) => {
    const { bundle, expected } = load(file);
    const { invocation, record } = await invoke(bundle, { LOOKUP_CHANGE_ACTOR: 'true' });
    const report = record.report as RcaReport;
    expectChanges(report, bundle, expected);
    // The change calls all answered (a fixture without a log line may leave a log gap, unrelated).
    expect(report.evidenceGaps.filter((g) => /Service(Deployments|Revisions)|DescribeTaskDefinition|cloudtrail/.test(g))).toEqual([]);

    // The archived capture holds keyed hashes in place of values, and replays to the same changes.
    const archived = join(tmpdir(), `ecs-rca-archived-${process.pid}-${file}`);
    writeFileSync(archived, JSON.stringify(record.bundle));
    try {
      expect(readFileSync(archived, 'utf8')).toMatch(/hmac-sha256:[0-9a-f]{64}/);
      const replay = await runCli(['analyze', archived, '--format', 'json']);
      expectChanges(JSON.parse(replay.stdout) as RcaReport, bundle, expected);
    } finally {
      rmSync(archived, { force: true });
    }

    // Every output: the audit record (report and bundle), Slack, SNS, the handler's logs.
    const slack = JSON.stringify(world.slack.requests.map((r) => r.payload));
    const sns = JSON.stringify(snsMock.commandCalls(PublishCommand).map((c) => c.args[0].input));
    for (const out of [JSON.stringify(record), slack, sns, JSON.stringify(invocation.output)]) expect(out).not.toMatch(SEED);
    expect(slack).toContain('What changed');
    expect(sns).toContain('What changed');
    if (report.links.serviceRevisions) expect(slack).toContain('/deployments?region=');
  });

  it('without the opt-in setting, CloudTrail is not called and no actor is reported', async () => {
    const { bundle, expected } = load('env-removed-config-missing.json');
    const { record } = await invoke(bundle, {});
    expect(cloudtrailMock.commandCalls(LookupEventsCommand)).toHaveLength(0);
    expectChanges(record.report as RcaReport, bundle, expected, false);
  });

  it('a denied CloudTrail lookup is an evidence gap; the diff and attribution stand', async () => {
    const { bundle, expected } = load('env-removed-config-missing.json');
    serveBundle(bundle);
    cloudtrailMock.on(LookupEventsCommand).rejects(new AccessDeniedException({ message: 'User is not authorized to perform: cloudtrail:LookupEvents', $metadata: {} }));
    const invocation = await world.invoke(bundle.event, { deps: world.deps(world.config({ LOOKUP_CHANGE_ACTOR: 'true' })) });
    const result = analysed(invocation);
    const record = await world.readAudit(`${partitionOf(String(bundle.event.time))}${result.incidentKey}-${bundle.event.id}.json`);
    const report = record.report as RcaReport;
    expectChanges(report, bundle, expected, false);
    expect(report.evidenceGaps).toEqual([expect.stringMatching(/^cloudtrail:LookupEvents for changes to service web and task-definition family web failed: access denied/)]);
  });
});

describe('capture → replay keeps the diff', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ecs-rca-changes-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(FILES.filter((f) => !f.startsWith('health-check')))('%s: ecs-rca capture, then analyze the file', async (file) => {
    const { bundle, expected } = load(file);
    resetMocks();
    serveBundle(bundle);
    const taskArn = (bundle.event.detail as { taskArn: string }).taskArn;
    const out = join(dir, file);
    const captured = await runCli(['capture', '--task', taskArn, '-o', out], { env: { LOOKUP_CHANGE_ACTOR: 'true' } });
    expect(captured.code).toBe(0);
    const text = readFileSync(out, 'utf8');
    expect(text).not.toMatch(SEED);
    const replay = await runCli(['analyze', out, '--format', 'json']);
    expect(replay.code).toBe(0);
    expectChanges(JSON.parse(replay.stdout) as RcaReport, bundle, expected);
  });
});
