import { PublishCommand } from '@aws-sdk/client-sns';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundle } from '../../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { renderSlack } from '../../lambda/report/renderers/slack';
import { RcaReportSchema } from '../../lambda/report/report-schema';
import { corpusFiles, loadCorpus, serveBundle } from '../evidence/live/corpus-aws';
import { analysed, emittedMetrics, logLines, partitionOf, snsMock, useHandlerWorld } from './harness';

const world = useHandlerWorld();

describe('the handler on every shared corpus event, with AWS serving the bundle’s recorded evidence', () => {
  it.each(corpusFiles())('%s: same root cause as the CLI, audit object in S3, Slack and SNS notified when alerting', async (file) => {
    const bundle = loadCorpus(file);
    serveBundle(bundle);
    const cli = analyzeEvidence(evidenceFromBundle(bundle));

    const invocation = await world.invoke(bundle.event);
    const result = analysed(invocation);

    // Same verdict as `ecs-rca analyze FILE` on the recorded bundle.
    expect(result.category).toBe(cli.rootCause.category);
    expect(result.alert).toBe(cli.alert);
    expect(result.eventId).toBe(bundle.event.id);

    // The audit record, read back from the local S3 server under its Athena partition.
    const key = `${partitionOf(String(bundle.event.time))}${result.incidentKey}-${bundle.event.id}.json`;
    expect(result.deliveries[0]).toEqual({ sink: 's3-audit', ok: true, detail: `s3://${world.s3.bucket}/${key}` });
    const record = await world.readAudit(key);
    expect(RcaReportSchema.parse(record.report).rootCause.category).toBe(cli.rootCause.category);
    // The archived capture replays to the same root cause.
    const replayed = analyzeEvidence(evidenceFromBundle(parseBundle(JSON.parse(JSON.stringify(record.bundle)), `${file} (captured)`)));
    expect(replayed.rootCause.category).toBe(cli.rootCause.category);

    if (cli.alert) {
      expect(world.slack.requests).toHaveLength(1);
      const post = world.slack.requests[0]!;
      expect(post.violations).toEqual([]);
      expect(post.payload).toEqual(renderSlack(record.report));
      expect(snsMock.commandCalls(PublishCommand)).toHaveLength(1);
      expect(record.deliveries?.map((d) => [d.sink, d.ok])).toEqual([
        ['sns', true],
        ['slack', true],
      ]);
    } else {
      expect(world.slack.requests).toHaveLength(0);
      expect(snsMock.commandCalls(PublishCommand)).toHaveLength(0);
      expect(record.deliveries).toBeUndefined();
    }

    // Metrics and the structured log line, with the event id as correlation id.
    const metrics = emittedMetrics(invocation.output);
    expect(metrics).toContainEqual(expect.objectContaining({ name: 'IncidentsAnalyzed', value: 1, dimensions: expect.objectContaining({ category: cli.rootCause.category }) }));
    expect(metrics.find((m) => m.name === 'EvidenceGaps')?.value).toBe(result.evidenceGaps.length);
    expect(metrics.filter((m) => m.name === 'SinkFailures')).toEqual([]);
    const done = logLines(invocation.output).find((l) => l.message === 'Incident analysed');
    expect(done).toMatchObject({ level: 'INFO', correlation_id: bundle.event.id, category: cli.rootCause.category, function_request_id: expect.any(String) });
  });
});
