import { logLines, serviceEvents, stopTexts, targetHealthTexts, cite } from '../../lambda/classification/evidence-text';
import { RULES } from '../../lambda/classification/rules/index';
import type { Rule } from '../../lambda/classification/types';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { redactReport } from '../../lambda/report/redact-report';
import { RENDER_FORMATS, render } from '../../lambda/report/renderers/index';
import { RcaReportSchema } from '../../lambda/report/report-schema';
import { appLogs, serviceEvents as serviceEventsOf, taskStopped, unhealthyTarget } from '../helpers/evidence';
import { sampleFinding, sampleReport } from '../helpers/report';
import { secretCases } from '../shared/secret-fixtures';

const PASSWORD = 'hunter2-EXAMPLE';
const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';

describe('redactReport', () => {
  it('masks every free text of the report and counts each secret', () => {
    const leaky = sampleFinding({
      title: `Cannot connect with DB_PASSWORD=${PASSWORD}`,
      explanation: `The client used postgres://app:${PASSWORD}@db:5432/app.`,
      evidence: [{ source: 'log', text: `error password=${PASSWORD}` }, { source: 'exitCode', text: '1' }],
      remediation: [`Rotate ${KEY_ID}.`, 'Redeploy the service.'],
    });
    const report = sampleReport({
      rootCause: leaky,
      contributing: [sampleFinding({ evidence: [{ source: 'log', text: `aws_access_key_id=${KEY_ID}` }] })],
      symptoms: [],
      dismissed: [sampleFinding({ reason: `Seen before token=${PASSWORD}`, evidence: [{ source: 'serviceEvent', text: 'plain' }] })],
      evidenceGaps: [`GetLogEvents failed for ?X-Amz-Security-Token=IQoJb3JpZ2luX2VjEXAMPLE00`],
      resource: { ...sampleReport().resource, containers: [{ name: 'app', exitCode: 1, reason: `CannotStartContainerError: bad env password=${PASSWORD}` }] },
      ruleErrors: [{ ruleId: 'x', message: `failed on ${KEY_ID}` }],
    });
    const before = structuredClone(report);

    const redacted = redactReport(report);

    const json = JSON.stringify(redacted);
    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(KEY_ID);
    expect(json).not.toContain('IQoJb3JpZ2luX2VjEXAMPLE00');
    // title, explanation, evidence, remediation, contributing evidence, reason, gap, container reason, rule error
    expect(redacted.redactions).toBe(9);
    expect(redacted.rootCause.title).toBe('Cannot connect with DB_PASSWORD=[REDACTED:secret-value]');
    expect(redacted.rootCause.evidence[0]).toEqual({ source: 'log', text: 'error password=[REDACTED:secret-value]' });
    expect(redacted.rootCause.remediation).toEqual(['Rotate [REDACTED:aws-access-key-id].', 'Redeploy the service.']);
    expect(() => RcaReportSchema.parse(redacted)).not.toThrow();
    // Pure: the input is untouched, and identifiers are not rewritten.
    expect(report).toEqual(before);
    expect({ ...redacted, rootCause: undefined, contributing: undefined, dismissed: undefined, evidenceGaps: undefined, resource: undefined, ruleErrors: undefined, redactions: undefined }).toEqual({
      ...report,
      rootCause: undefined,
      contributing: undefined,
      dismissed: undefined,
      evidenceGaps: undefined,
      resource: undefined,
      ruleErrors: undefined,
    });
  });

  it('returns an equal report with redactions 0 when nothing is secret', () => {
    const report = sampleReport();
    expect(redactReport(report)).toEqual({ ...report, redactions: 0 });
  });

  it('keeps the count of a report redacted before', () => {
    const once = redactReport(sampleReport({ evidenceGaps: [`token=${PASSWORD}`] }));
    expect(once.redactions).toBe(1);
    expect(redactReport(once)).toEqual(once);
  });
});

/** A test-only rule that cites every text it can read and quotes it in title, explanation and remediation. */
const citeEverything: Rule = {
  id: 'cite-everything',
  category: 'unknown',
  title: 'Cites every text (test only)',
  remediation: ['Nothing.'],
  match(evidence) {
    const items = [...stopTexts(evidence), ...logLines(evidence), ...serviceEvents(evidence), ...targetHealthTexts(evidence)];
    return {
      status: 'match',
      findings: items.map((item) => ({
        title: item.text.split('\n')[0] ?? '',
        explanation: `Read: ${item.text}`,
        confidence: 0.99,
        evidence: [cite(item)],
        remediation: [`Look at ${item.text}`],
        scope: item.scope,
        ...(item.taskArn ? { taskArn: item.taskArn } : {}),
      })),
    };
  },
};

describe('the seeded-secret corpus through the whole analysis', () => {
  const cases = secretCases().flatMap(({ cases }) => cases);
  const texts = cases.map((c) => c.text);
  const secrets = cases.flatMap((c) => c.secrets);
  const evidence = taskStopped(
    {
      stopCode: 'EssentialContainerExited',
      stoppedReason: `Essential container in task exited: ${texts[0] ?? ''}`,
      containers: [{ name: 'app', exitCode: 1, reason: texts[1] ?? '' }],
    },
    { logs: appLogs(...texts), services: serviceEventsOf(...texts.slice(0, 5)), targetHealth: unhealthyTarget('Target.ResponseCodeMismatch', texts[2]) },
  );

  it.each([
    ['every rule', RULES],
    ['every rule plus one citing every text', [...RULES, citeEverything]],
  ] as const)('leaves no secret in any rendered output (%s)', (_name, rules) => {
    const report = analyzeEvidence(evidence, { now: new Date('2026-01-15T10:00:00Z'), rules });
    expect(report.redactions).toBeGreaterThan(0);
    const outputs = [JSON.stringify(report), ...RENDER_FORMATS.map((format) => render(report, format))];
    for (const output of outputs) {
      for (const secret of secrets) expect(output).not.toContain(secret);
    }
  });

  it('quotes the texts with only their secrets masked', () => {
    const report = analyzeEvidence(evidence, { now: new Date('2026-01-15T10:00:00Z'), rules: [citeEverything] });
    const cited = [report.rootCause, ...report.contributing, ...report.symptoms, ...report.dismissed].flatMap((f) => f.evidence.map((e) => e.text));
    expect(cited).toContain("{'client_id': 'web', 'client_secret': '[REDACTED:secret-value]', 'grant_type': 'client_credentials'}");
    // Around the markers, every citation is still literally what was read.
    const read = [evidence.tasks[0]?.stoppedReason ?? '', ...texts].join('\n');
    for (const text of cited) {
      expect(text).toMatch(/\[REDACTED:[a-z0-9-]+\]/);
      for (const piece of text.split(/\[REDACTED:[a-z0-9-]+\]/)) expect(read).toContain(piece);
    }
  });
});
