import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SNSClient } from '@aws-sdk/client-sns';
import { SnsSink } from '../../lambda/delivery/sns-sink';
import { sampleFinding, sampleReport } from '../helpers/report';

/**
 * A publish never fails on text: the real SNS client (query protocol, `encodeURIComponent` on every
 * parameter) against a local HTTP server that answers like SNS. Before the shared code-point-safe cut,
 * an emoji at the cut left half a surrogate pair and the client threw `URIError: URI malformed`.
 */

let server: Server;
let bodies: string[] = [];
let client: SNSClient;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      bodies.push(body);
      res.writeHead(200, { 'content-type': 'text/xml' });
      res.end(
        '<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>00000000-0000-4000-8000-000000000001</MessageId></PublishResult>' +
          '<ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>',
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new SNSClient({
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'example' },
    maxAttempts: 1,
  });
});
afterAll(async () => {
  client.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(() => {
  bodies = [];
});

const sink = (format: 'text' | 'chatbot') => new SnsSink({ client, topicArn: 'arn:aws:sns:us-east-1:111122223333:ecs-incidents', format });

describe('SNS publish with hostile text', () => {
  // Emoji at every offset around the cuts of subject, attribute values, evidence lines and the body.
  const emojiRuns = Array.from({ length: 12 }, (_, shift) => `${'x'.repeat(shift)}${'😀'.repeat(400)}`);

  it.each(['text', 'chatbot'] as const)('publishes (%s) when an emoji falls on every cut', async (format) => {
    for (const run of emojiRuns) {
      const report = sampleReport({
        rootCause: sampleFinding({ title: `Crash ${run}`, evidence: [{ source: 'log', text: run }, { source: 'log', text: `${run}\ud83d` }] }),
      });
      const outcome = await sink(format).deliver(report, { deadline: Date.now() + 10_000 });
      expect(outcome.error).toBeUndefined();
      expect(outcome.ok).toBe(true);
    }
    expect(bodies).toHaveLength(emojiRuns.length);
  });

  it('replaces a lone surrogate from a log line instead of failing', async () => {
    const report = sampleReport({ rootCause: sampleFinding({ evidence: [{ source: 'log', text: 'broken \udc00 half \ud800 emoji' }] }) });
    const outcome = await sink('text').deliver(report, { deadline: Date.now() + 10_000 });
    expect(outcome.ok).toBe(true);
    const message = new URLSearchParams(bodies[0]).get('Message') ?? '';
    expect(message).toContain('broken \ufffd half \ufffd emoji');
  });
});
