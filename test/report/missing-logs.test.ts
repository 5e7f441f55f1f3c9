import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { evidenceFromBundle } from '../../lambda/evidence/bundle/bundle-evidence';
import { parseBundleText } from '../../lambda/evidence/bundle/read-bundle';
import { analyzeEvidence } from '../../lambda/pipeline/run-analysis';
import { renderMarkdown } from '../../lambda/report/renderers/markdown';
import { renderSlack } from '../../lambda/report/renderers/slack';
import { renderSns } from '../../lambda/report/renderers/sns';
import { renderText } from '../../lambda/report/renderers/text';
import { RcaReportSchema } from '../../lambda/report/report-schema';

const SEED = join(__dirname, '../../examples/seed-incident.json');

/** The seed incident with its `logs` removed: the trap of "CloudWatch logs completely empty (initially)". */
function seedWithoutLogs() {
  const bundle = JSON.parse(readFileSync(SEED, 'utf8')) as { evidence: Record<string, unknown> };
  delete bundle.evidence.logs;
  return analyzeEvidence(evidenceFromBundle(parseBundleText(JSON.stringify(bundle), 'seed-without-logs.json')), { now: new Date('2026-01-01T00:00:00Z') });
}

describe('a report without the application logs', () => {
  const report = seedWithoutLogs();

  it('keeps the health-check timeout at low confidence and says where the logs should be', () => {
    expect(RcaReportSchema.parse(report)).toBeTruthy();
    expect(report.rootCause.category).toBe('health_check_timeout');
    expect(report.rootCause.confidence).toBeLessThan(0.5);
    expect(report.applicationLogs?.status).toBe('missing');
    const stream = report.applicationLogs?.streams[0];
    expect(stream).toMatchObject({
      containerName: 'web',
      logDriver: 'awslogs',
      logGroupName: 'CourtCaseManagementStack-BackendServiceTaskDefwebLogGroup614D1BFF-CfDxea6N1jt3',
      logStreamName: 'backend/web/1c86b12c243049b4b9da8c843a208949',
    });
    expect(report.applicationLogs?.executionRoleArn).toContain('role/CourtCaseManagementStack-BackendServiceTaskDefExecut');
    expect(report.applicationLogs?.message).toContain('logs:CreateLogStream');
  });

  it('says first, in every format, that the application logs are missing and where to find them', () => {
    const first = (text: string, lines: number): string => text.split('\n').slice(0, lines).join('\n');
    expect(first(renderText(report), 3)).toContain('Application logs missing');
    expect(first(renderText(report), 3)).toContain('backend/web/1c86b12c243049b4b9da8c843a208949');
    expect(first(renderMarkdown(report), 5)).toContain('Application logs missing');
    const slack = renderSlack(report);
    const section = slack.blocks[1];
    expect(section?.type === 'section' ? section.text.text.split('\n')[0] : '').toContain('Application logs missing');
    expect(first(renderSns(report).message, 4)).toContain('Application logs missing');
    expect(JSON.parse(renderSns(report, { format: 'chatbot' }).message).content.description.split('\n')[0]).toContain('Application logs missing');
  });

  it('is not said when the logs were read', () => {
    const bundle = parseBundleText(readFileSync(SEED, 'utf8'), 'seed-incident.json');
    const full = analyzeEvidence(evidenceFromBundle(bundle), { now: new Date('2026-01-01T00:00:00Z') });
    expect(full.applicationLogs).toBeUndefined();
    expect(renderText(full)).not.toContain('Application logs missing');
  });
});
