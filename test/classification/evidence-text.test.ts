import { cite, MAX_EVIDENCE_CHARS, type TextSource } from '../../lambda/classification/evidence-text';
import { redactText } from '../../lambda/shared/redaction';

const line = (text: string): TextSource => ({ source: 'log', text, scope: 'task' });

describe('cite', () => {
  it('keeps a short text whole', () => {
    expect(cite(line('  Error: boom  ')).text).toBe('Error: boom');
  });

  it('cuts a long text to a window around the match that is a literal substring', () => {
    const text = `${'x'.repeat(2000)} Error: boom ${'y'.repeat(2000)}`;
    const cited = cite(line(text), text.indexOf('Error'));
    expect(cited.text.length).toBe(MAX_EVIDENCE_CHARS);
    expect(text).toContain(cited.text);
    expect(cited.text).toContain('Error: boom');
  });

  it('never cuts through a secret, so redaction still recognises it', () => {
    const jwt = 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c';
    const text = `Error: request failed ${'z'.repeat(520)} Authorization: Bearer ${jwt} ${'q'.repeat(3000)}`;
    const cited = cite(line(text), text.indexOf('Error'));
    expect(text).toContain(cited.text);
    expect(cited.text).toContain(jwt);
    expect(redactText(cited.text).text).not.toContain(jwt.slice(40));
  });
});
