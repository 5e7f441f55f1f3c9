import { codeBlock, escapeMarkdown, inlineCode, renderMarkdown } from '../../../lambda/report/renderers/markdown';
import { sampleReport, withReport } from './sample-report';

describe('renderMarkdown', () => {
  it('starts with the verdict heading and facts', () => {
    const lines = renderMarkdown(sampleReport).split('\n');
    expect(lines[0]).toBe("# ECS incident: Python cannot import module 'core.aws\\_service'");
    expect(lines[2]).toBe('**Severity:** high · **Alert:** yes · **Category:** `app_import_error` · **Confidence:** 90%');
    expect(lines).toContain('- **Service:** `backend`');
    expect(lines).toContain('- **Task:** `0123456789abcdef0123456789abcdef`');
  });

  it('orders the sections like the text renderer', () => {
    const lines = renderMarkdown(sampleReport).split('\n');
    const order = ['## Evidence', '## Fix', '## Contributing causes', '## Symptoms', '## Dismissed', '## Evidence gaps', '## Links'].map((h) =>
      lines.indexOf(h),
    );
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
  });

  it('puts evidence verbatim in fenced code blocks after its origin', () => {
    const out = renderMarkdown(sampleReport);
    const text = sampleReport.rootCause.evidence[0]!.text;
    expect(out).toContain(
      `\`log\` · \`2026-01-15T10:00:02.000Z\` · \`/ecs/backend\` · \`web/app/0123456789abcdef0123456789abcdef\`\n\n\`\`\`text\n${text}\n\`\`\``,
    );
  });

  it('keeps rule-written code spans in the fix and numbers the steps', () => {
    expect(renderMarkdown(sampleReport)).toContain('1. Add an empty `__init__.py` to the `core/` folder and rebuild the image.\n2. ');
  });

  it('gives dismissed findings their reason', () => {
    expect(renderMarkdown(sampleReport)).toContain('**Why dismissed:** This task pulled its image and started; the rate limit hit an earlier task.');
  });

  it('percent-encodes characters that would end a link destination', () => {
    const out = renderMarkdown(withReport({ links: { task: 'https://example.com/a (b)' } }));
    expect(out).toContain('- [Task](https://example.com/a%20%28b%29)');
  });

  it('cannot be broken out of by backticks in evidence', () => {
    const hostile = 'before\n```\n# injected heading\n````\n[link](http://evil)';
    const block = codeBlock(hostile);
    const fence = block.split('\n')[0]!.replace('text', '');
    expect(fence).toBe('`````');
    // The block's body is the text unchanged, and no line inside is a fence as long as the opening one.
    const body = block.split('\n').slice(1, -1);
    expect(body.join('\n')).toBe(hostile);
    expect(body.some((line) => line.startsWith(fence))).toBe(false);
    expect(block.endsWith(`\n${fence}`)).toBe(true);
  });

  it('makes inline code spans safe for any backticks', () => {
    expect(inlineCode('plain')).toBe('`plain`');
    expect(inlineCode('a `b` c')).toBe('``a `b` c``');
    expect(inlineCode('`edge`')).toBe('`` `edge` ``');
    expect(inlineCode('two\nlines')).toBe('`two lines`');
  });

  it('escapes markdown in prose outside code spans', () => {
    expect(escapeMarkdown('use *this* and <b>that</b> [x](y) `keep *me*`')).toBe('use \\*this\\* and \\<b\\>that\\</b\\> \\[x\\](y) `keep *me*`');
    expect(escapeMarkdown('Q&A &amp; (notes)')).toBe('Q&A \\&amp; (notes)');
    expect(escapeMarkdown('# not a heading')).toBe('\\# not a heading');
    expect(escapeMarkdown('- not a list')).toBe('\\- not a list');
    expect(escapeMarkdown('1. not a list')).toBe('1\\. not a list');
  });

  it('says no alert for a benign stop', () => {
    const out = renderMarkdown(withReport({ alert: false, severity: 'info' }));
    expect(out.split('\n')[0]).toMatch(/^# ECS stop \(no alert\): /);
    expect(out).toContain('**Alert:** no');
  });

  it('strips terminal escape codes from evidence', () => {
    const out = renderMarkdown(withReport({ rootCause: { ...sampleReport.rootCause, evidence: [{ source: 'log', text: '\u001b[31mred\u001b[0m' }] } }));
    expect(out).toContain('```text\nred\n```');
    expect(out).not.toContain('\u001b');
  });
});
