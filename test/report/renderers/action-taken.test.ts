import { renderMarkdown } from '../../../lambda/report/renderers/markdown';
import { renderSlack } from '../../../lambda/report/renderers/slack';
import { renderSns } from '../../../lambda/report/renderers/sns';
import { renderText } from '../../../lambda/report/renderers/text';
import { RcaReportSchema, type RcaReport } from '../../../lambda/report/report-schema';
import { blockKitViolations } from '../../helpers/slack-server';
import { sampleReport } from './sample-report';

const rolledBack: RcaReport = {
  ...sampleReport,
  actionTaken: { kind: 'deployment_rolled_back', summary: 'deployment rolled back by the hook at POST_SCALE_UP', lifecycleStage: 'POST_SCALE_UP' },
};

describe('a report whose deployment the lifecycle hook rolled back', () => {
  it('is a valid rca-report.v1', () => {
    expect(RcaReportSchema.safeParse(rolledBack).success).toBe(true);
  });

  it('says so in every channel, first among the facts', () => {
    expect(renderText(rolledBack)).toMatch(/Action: deployment rolled back by the hook at POST_SCALE_UP/);
    expect(renderMarkdown(rolledBack)).toContain('- **Action:** `deployment rolled back by the hook at POST_SCALE_UP`');
    const slack = renderSlack(rolledBack);
    expect(JSON.stringify(slack.blocks)).toContain('*Action*\\ndeployment rolled back by the hook at POST_SCALE_UP');
    expect(blockKitViolations(slack)).toEqual([]);
    expect(renderSns(rolledBack).message).toContain('  Action: deployment rolled back by the hook at POST_SCALE_UP');
  });

  it('and a report without an action says nothing of one', () => {
    expect(renderText(sampleReport)).not.toContain('Action:');
    expect(renderMarkdown(sampleReport)).not.toContain('**Action:**');
  });
});
