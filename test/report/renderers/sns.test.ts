import {
  chatbotNotification,
  renderSns,
  SNS_MAX_PUBLISH_BYTES,
  SNS_SUBJECT_MAX_CHARS,
  utf8Bytes,
  type SnsRendering,
} from '../../../lambda/report/renderers/sns';
import { sampleFinding, sampleReport } from '../../helpers/report';

/** Total bytes SNS counts for one Publish (message, subject, attributes). */
function publishBytes(r: SnsRendering): number {
  const attributes = Object.entries(r.messageAttributes).reduce((n, [k, v]) => n + utf8Bytes(k) + utf8Bytes(v.DataType) + utf8Bytes(v.StringValue), 0);
  return utf8Bytes(r.message) + utf8Bytes(r.subject) + attributes;
}

function expectValidSubject(subject: string): void {
  expect(subject.length).toBeLessThanOrEqual(SNS_SUBJECT_MAX_CHARS);
  expect(subject).toMatch(/^[\x21-\x7e][\x20-\x7e]*$/); // printable ASCII, starts with a letter, digit or punctuation
}

describe('renderSns text', () => {
  it('puts the verdict first: severity, service, category and root-cause title', () => {
    const { subject, message } = renderSns(sampleReport(), { format: 'text' });
    expectValidSubject(subject);
    // The analyzer's own words: severity, service, category and its meaning (never the title, which may quote a log).
    expect(subject).toBe('HIGH web: app_import_error - the program cannot load a module, package, class or dependency');
    const [first, second] = message.split('\n');
    expect(first).toBe('HIGH: app_import_error in web (cluster app-prod)');
    expect(second).toBe("Root cause: Python cannot import module 'app.handlers'");
  });

  it('reads as explanation, fix, evidence, contributing, symptoms, ruled out with reasons, gaps, links', () => {
    const { message } = renderSns(sampleReport(), { format: 'text' });
    const order = ['What happened:', 'How to fix:', 'Evidence:', 'Contributing causes:', 'Symptoms:', 'Ruled out:', 'Evidence gaps:', 'Links:', 'Details:'];
    const positions = order.map((heading) => message.indexOf(`\n${heading}\n`));
    expect(positions.every((p) => p > 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(message).toContain('  1. Add an `__init__.py`');
    expect(message).toContain("ModuleNotFoundError: No module named 'app.handlers'");
    expect(message).toContain('Why ruled out: The image was pulled and the program started after that message.');
    expect(message).toContain('Log group /ecs/sidecar does not exist');
    expect(message).toContain('Task: https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/app-prod/tasks/');
    expect(message).toContain('Target group: https://');
  });

  it('sets String message attributes for subscription filter policies', () => {
    const { messageAttributes } = renderSns(sampleReport(), { format: 'text' });
    expect(messageAttributes).toEqual({
      category: { DataType: 'String', StringValue: 'app_import_error' },
      severity: { DataType: 'String', StringValue: 'high' },
      alert: { DataType: 'String', StringValue: 'true' },
      cluster: { DataType: 'String', StringValue: 'app-prod' },
      service: { DataType: 'String', StringValue: 'web' },
    });
  });

  it('omits unknown attributes instead of sending empty values, and labels standalone tasks by family', () => {
    const report = sampleReport();
    const { serviceName: _s, clusterArn: _c, ...resource } = report.resource;
    const rendering = renderSns({ ...report, resource, alert: false }, { format: 'text' });
    expect(Object.keys(rendering.messageAttributes).sort()).toEqual(['alert', 'category', 'severity']);
    expect(rendering.messageAttributes.alert?.StringValue).toBe('false');
    expect(rendering.subject).toContain('task family web');
  });

  it('keeps the subject ASCII, on one line and free of the title, whatever the title holds', () => {
    const title = '\u0007 Ünïcode — “quoted” 日本語 ☃\nsecond line\r\n\tand a very long tail '.repeat(6);
    const { subject } = renderSns(sampleReport({ rootCause: sampleFinding({ title }) }), { format: 'text' });
    expectValidSubject(subject);
    expect(subject).not.toContain('quoted');
  });

  it('never lets log text write the subject (a forged security notice stays in the body)', () => {
    const forged = 'AWS SECURITY NOTICE: credentials leaked, rotate at http://evil.example/rotate';
    const report = sampleReport({
      rootCause: sampleFinding({ title: `Program crashed: ${forged}`, remediation: [forged], evidence: [{ source: 'log', text: forged }] }),
    });
    for (const format of ['text', 'chatbot'] as const) {
      const { subject, message } = renderSns(report, { format });
      expect(subject).not.toMatch(/SECURITY|evil/);
      if (format === 'chatbot') expect((JSON.parse(message) as { content: { title: string } }).content.title).not.toMatch(/SECURITY|evil/);
    }
  });

  it('cuts evidence progressively to stay within 256 KB, keeping the verdict and the fix', () => {
    const line = 'Traceback 🙂 ünïcode 日本語 '.repeat(400); // ~12 KB of multi-byte text
    const evidence = Array.from({ length: 40 }, (_, i) => ({ source: 'log' as const, text: `${i}: ${line}` }));
    const report = sampleReport({ rootCause: sampleFinding({ evidence }), contributing: [sampleFinding({ category: 'app_crash', evidence })] });
    const rendering = renderSns(report, { format: 'text' });
    expect(publishBytes(rendering)).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES);
    expect(publishBytes(rendering)).toBeGreaterThan(100_000); // it cut evidence, not everything
    expect(rendering.message.startsWith('HIGH: app_import_error in web')).toBe(true);
    expect(rendering.message).toContain('How to fix:');
    expect(rendering.message).toContain('more evidence item(s) in the S3 audit record');
    expect(rendering.message).not.toContain('\uFFFD');
  });

  it('hard-cuts at a character boundary with a note when even no evidence is too big', () => {
    const explanation = '€'.repeat(200_000); // 600 KB of 3-byte characters
    const rendering = renderSns(sampleReport({ rootCause: sampleFinding({ explanation }) }), { format: 'text' });
    expect(publishBytes(rendering)).toBeLessThanOrEqual(SNS_MAX_PUBLISH_BYTES);
    expect(rendering.message).toMatch(/Message truncated to fit the SNS size limit/);
    expect(Buffer.from(rendering.message, 'utf8').toString('utf8')).toBe(rendering.message);
    expect(rendering.message).not.toContain('\uFFFD');
  });

  it('drops ANSI colour codes and control characters from log lines', () => {
    const evidence = [{ source: 'log' as const, text: '\u001b[31mERROR\u001b[0m boom\u0000\u0008 done' }];
    const { message } = renderSns(sampleReport({ rootCause: sampleFinding({ evidence }) }), { format: 'text' });
    expect(message).toContain('ERROR boom done');
    expect(message).not.toMatch(/[\u0000-\u0008\u001b]/);
  });
});

describe('renderSns chatbot', () => {
  it('emits the Amazon Q Developer custom notification schema', () => {
    const rendering = renderSns(sampleReport(), { format: 'chatbot' });
    const body = JSON.parse(rendering.message) as ReturnType<typeof chatbotNotification>;
    expect(body.version).toBe('1.0');
    expect(body.source).toBe('custom');
    expect(body.id).toBe('f04e1a95-29da-79cb-a1ac-ba8b81c322f4');
    expect(body.content.textType).toBe('client-markdown');
    expect(body.content.title).toBe(':red_circle: web: the program cannot load a module, package, class or dependency (app_import_error)');
    expect(body.content.description).toContain('*Root cause* (`app_import_error`, high, confidence 92%)');
    expect(body.content.description).toContain('Ruled out');
    expect(body.content.nextSteps).toEqual(sampleReport().rootCause.remediation);
    expect(body.content.keywords).toEqual(['high', 'app_import_error', 'app-prod', 'web']);
    expect(body.metadata.threadId).toBe(sampleReport().incidentKey);
    expect(body.metadata.summary).toBe(rendering.subject);
    expect(body.metadata.relatedResources).toContain(sampleReport().resource.taskArn);
    expect(body.metadata.additionalContext).toMatchObject({ category: 'app_import_error', severity: 'high', cluster: 'app-prod', service: 'web' });
    expect(rendering.messageAttributes.category?.StringValue).toBe('app_import_error');
  });

  it('stays small, escaped and with balanced code fences for hostile input', () => {
    const nasty = '<!channel> & ````` `code` <https://evil|click> \u001b[1m'.repeat(501);
    const many = Array.from({ length: 200 }, (_, i) => sampleFinding({ category: 'app_crash', title: `${i} ${nasty}`, reason: nasty }));
    const report = sampleReport({
      rootCause: sampleFinding({ title: nasty, explanation: nasty, remediation: Array(50).fill(nasty), evidence: Array(50).fill({ source: 'log', text: nasty }) }),
      contributing: many,
      symptoms: many,
      dismissed: many,
      evidenceGaps: Array(100).fill(nasty),
    });
    const rendering = renderSns(report, { format: 'chatbot' });
    expect(publishBytes(rendering)).toBeLessThan(64 * 1024);
    const body = JSON.parse(rendering.message) as ReturnType<typeof chatbotNotification>;
    expect(body.content.description.length).toBeLessThanOrEqual(4000);
    expect(body.content.title.length).toBeLessThanOrEqual(250);
    expect(body.content.nextSteps.length).toBeLessThanOrEqual(5);
    for (const text of [body.content.title, body.content.description, ...body.content.nextSteps]) {
      expect(text).not.toMatch(/<!channel>|<https:\/\/evil/);
      expect(text).not.toMatch(/&(?!amp;|lt;|gt;)/);
      expect((text.match(/```/g) ?? []).length % 2).toBe(0);
    }
  });
});
