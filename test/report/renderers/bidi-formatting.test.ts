import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RENDER_FORMATS } from '../../../lambda/report/renderers';
import { withoutControls } from '../../../lambda/shared/text';
import { CORPUS, runCli, stdinOf } from '../../cli/harness';

/**
 * Every Unicode bidirectional formatting character (UAX #9 Table 1,
 * https://www.unicode.org/reports/tr9/#Directional_Formatting_Characters): embeddings and overrides
 * LRE RLE PDF LRO RLO, isolates LRI RLI FSI PDI, implicit marks LRM RLM ALM.
 */
const BIDI = ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const BIDI_PATTERN = new RegExp(`[${BIDI.join('')}]`);

describe('bidi formatting characters', () => {
  it('are all removed by withoutControls, the text around them kept', () => {
    for (const c of BIDI) expect(withoutControls(`exec${c} format error`)).toBe('exec format error');
  });

  it.each([...RENDER_FORMATS])('never reach the %s format from a log line', async (format) => {
    const bundle = JSON.parse(readFileSync(join(CORPUS, '12-arm-image-on-x86-fargate-alb-symptom.json'), 'utf8')) as { evidence: { logs: { events: { message: string }[] }[] } };
    for (const stream of bundle.evidence.logs) for (const event of stream.events) event.message = `${BIDI.join('')}${event.message}${BIDI.join('')}`;
    const result = await runCli(['analyze', '-', '--format', format], { readStdin: stdinOf(JSON.stringify(bundle)) });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/exec format error/);
    expect(result.stdout).not.toMatch(BIDI_PATTERN);
  });
});
