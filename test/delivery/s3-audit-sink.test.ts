import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { auditObjectKey, S3AuditSink, type AuditRecord } from '../../lambda/delivery/s3-audit-sink';
import { sampleReport } from '../helpers/report';
import { startS3rver, type LocalS3 } from '../helpers/s3rver';

const soon = (ms = 10_000): number => Date.now() + ms;

describe('auditObjectKey', () => {
  it('partitions by the event date for Athena and names the object after the incident and event', () => {
    expect(auditObjectKey(sampleReport())).toBe(
      'incidents/year=2026/month=01/day=15/111122223333-app-prod-web-ecs-svc-456791769860841487-app_import_error-f04e1a95-29da-79cb-a1ac-ba8b81c322f4.json',
    );
  });

  it('uses UTC, normalises the prefix and falls back to analyzedAt when the event time is unreadable', () => {
    const report = sampleReport({ trigger: { ...sampleReport().trigger, time: '2026-12-31T23:30:00-02:00' } });
    expect(auditObjectKey(report, 'audit')).toMatch(/^audit\/year=2027\/month=01\/day=01\//);
    expect(auditObjectKey(report, '')).toMatch(/^year=2027\/month=01\/day=01\//);
    const bad = sampleReport({ trigger: { ...sampleReport().trigger, time: 'yesterday' } });
    expect(auditObjectKey(bad)).toMatch(/^incidents\/year=2026\/month=01\/day=15\//);
  });

  it('keeps keys safe and bounded, and different long keys different', () => {
    const long = (tail: string): string => `${'x/'.repeat(500)}${tail}`;
    const a = auditObjectKey(sampleReport({ incidentKey: long('a') }));
    const b = auditObjectKey(sampleReport({ incidentKey: long('b') }));
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThan(300);
    const odd = sampleReport({ incidentKey: '../../é €/..', trigger: { ...sampleReport().trigger, eventId: 'a b/c' } });
    expect(auditObjectKey(odd)).toBe('incidents/year=2026/month=01/day=15/unknown-a-b-c.json');
  });
});

describe('S3AuditSink against a local S3 server (s3rver)', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startS3rver();
  });
  afterAll(async () => {
    await s3.close();
  });

  async function readBack(key: string): Promise<{ contentType?: string; record: AuditRecord }> {
    const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
    const record = JSON.parse(await object.Body!.transformToString()) as AuditRecord;
    return { contentType: object.ContentType, record };
  }

  it('writes the report and bundle as JSON under the partitioned key, and reads back identical', async () => {
    const report = sampleReport();
    const bundle = { schema: 'incident-bundle.v1', event: { id: report.trigger.eventId }, evidence: { logs: [{ message: 'é 日本 😀' }] } };
    const sink = new S3AuditSink({ client: s3.client, bucket: s3.bucket });
    const outcome = await sink.deliver(report, { deadline: soon(), bundle });
    const key = auditObjectKey(report);
    expect(outcome).toEqual({ sink: 's3-audit', ok: true, detail: `s3://${s3.bucket}/${key}` });
    const { contentType, record } = await readBack(key);
    expect(contentType).toBe('application/json');
    expect(record).toEqual({ report, bundle });
  });

  it('rewrites the same key with the delivery outcomes', async () => {
    const report = sampleReport({ incidentKey: 'rewrite' });
    const sink = new S3AuditSink({ client: s3.client, bucket: s3.bucket, prefix: 'audit/' });
    await sink.deliver(report, { deadline: soon() });
    const deliveries = [{ sink: 'slack', ok: false, error: 'Slack webhook failed: HTTP 500' }];
    await sink.deliver(report, { deadline: soon(), deliveries });
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'audit/' }));
    expect(listed.Contents?.map((o) => o.Key)).toEqual([auditObjectKey(report, 'audit/')]);
    expect((await readBack(auditObjectKey(report, 'audit/'))).record.deliveries).toEqual(deliveries);
  });

  it('refuses a report that is not rca-report.v1 and writes nothing', async () => {
    const report = { ...sampleReport({ incidentKey: 'invalid' }), severity: 'urgent' } as unknown as ReturnType<typeof sampleReport>;
    const outcome = await new S3AuditSink({ client: s3.client, bucket: s3.bucket, prefix: 'invalid/' }).deliver(report, { deadline: soon() });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/report does not match rca-report\.v1: severity/);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: 'invalid/' }));
    expect(listed.Contents ?? []).toEqual([]);
  });

  it('reports an S3 error (missing bucket) as a failed outcome', async () => {
    const outcome = await new S3AuditSink({ client: s3.client, bucket: 'no-such-bucket' }).deliver(sampleReport(), { deadline: soon() });
    expect(outcome).toMatchObject({ sink: 's3-audit', ok: false });
    expect(outcome.error).toBe('NoSuchBucket: The specified bucket does not exist');
  });
});

describe('S3AuditSink timeouts', () => {
  let server: Server;
  let client: S3Client;
  const sockets = new Set<Socket>();
  beforeAll(async () => {
    // An endpoint that accepts the connection and never answers.
    server = createServer(() => undefined);
    server.on('connection', (s) => {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    client = new S3Client({
      region: 'us-east-1',
      endpoint: `http://127.0.0.1:${port}`,
      forcePathStyle: true,
      maxAttempts: 1,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });
  afterAll(async () => {
    client.destroy();
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a hung PutObject after its timeout', async () => {
    const outcome = await new S3AuditSink({ client, bucket: 'b', timeoutMs: 300 }).deliver(sampleReport(), { deadline: soon() });
    expect(outcome).toMatchObject({ ok: false, error: 'S3 PutObject timed out after 300 ms' });
    // The SDK really aborted the request (abortSignal), rather than leaving it running: the socket closes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sockets.size).toBe(0);
  });

  it('honours the delivery deadline when it comes before the timeout', async () => {
    const outcome = await new S3AuditSink({ client, bucket: 'b', timeoutMs: 10_000 }).deliver(sampleReport(), { deadline: Date.now() + 250 });
    expect(outcome.ok).toBe(false);
    expect(outcome.error).toMatch(/S3 PutObject timed out after (2[0-5]\d) ms/);
  });
});
