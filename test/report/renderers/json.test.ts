import { RcaReportSchema } from '../../../lambda/report/report-schema';
import { RENDER_FORMATS, isRenderFormat, render } from '../../../lambda/report/renderers/index';
import { renderJson } from '../../../lambda/report/renderers/json';
import { sampleReport } from './sample-report';

describe('renderJson', () => {
  it('is the report itself, pretty-printed, with nothing around it', () => {
    const out = renderJson(sampleReport);
    expect(out).toBe(JSON.stringify(sampleReport, null, 2));
    expect(RcaReportSchema.parse(JSON.parse(out))).toEqual(sampleReport);
  });
});

describe('render', () => {
  it('dispatches every format to its renderer', () => {
    expect(RENDER_FORMATS).toEqual(['text', 'json', 'markdown', 'slack', 'sns']);
    expect(render(sampleReport, 'json')).toBe(renderJson(sampleReport));
    expect(render(sampleReport, 'markdown').startsWith('# ')).toBe(true);
    expect(render(sampleReport, 'text').startsWith('HIGH')).toBe(true);
    expect(render(sampleReport, 'text', { color: true })).toContain('\u001b[');
    expect(JSON.parse(render(sampleReport, 'slack'))).toHaveProperty('blocks');
    const sns = render(sampleReport, 'sns').split('\n');
    expect(sns[0]).toMatch(/^Subject: \S/);
    expect(sns).toContain('Attribute severity: high');
  });

  it('tells format names from other strings', () => {
    expect(isRenderFormat('markdown')).toBe(true);
    expect(isRenderFormat('yaml')).toBe(false);
    expect(isRenderFormat('toString')).toBe(false);
  });
});
