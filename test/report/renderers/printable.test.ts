import { renderSlack } from '../../../lambda/report/renderers/slack';
import { renderSns } from '../../../lambda/report/renderers/sns';
import { oneLine, printable } from '../../../lambda/report/renderers/summary';
import { sampleReport } from '../../helpers/report';

const HOSTILE = 'ERROR \u001b]0;pwned\u0007boom \u001b[31mred\u001b[0m \u202Eevil\u202C done';

describe('printable', () => {
  it('drops CSI and OSC escape sequences, controls and bidi overrides, keeping the words', () => {
    expect(printable(HOSTILE)).toBe('ERROR boom red evil done');
    expect(oneLine('a\r\n\tb')).toBe('a b');
  });

  it('is what the Slack and SNS renderings show of a hostile log line', () => {
    const report = sampleReport();
    report.rootCause.evidence = [{ source: 'log', text: HOSTILE }];
    for (const out of [JSON.stringify(renderSlack(report)), renderSns(report).message]) {
      expect(out).not.toContain('pwned');
      expect(out).not.toMatch(/[\u001b\u0007\u202e]/);
      expect(out).toContain('ERROR boom red evil done');
    }
  });
});
