import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst, type TextMatch, type TextSource } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';
import { NATIVE_CRASH } from '../runtime-patterns';

const TITLE_CHARS = 120;

/**
 * What the crash line says, ending with content: a match that ends with a colon (`Fatal Python error: `)
 * takes the message after it on the line, else the next line of the same stream.
 */
function crashTitle(lines: readonly TextSource[], hit: TextMatch): string {
  const matched = hit.matched.trim().replace(/^#\s+/, '');
  if (!matched.endsWith(':')) return matched;
  const rest = hit.item.text.slice(hit.index + hit.matched.length).trim();
  const next = lines[lines.indexOf(hit.item) + 1];
  const more = rest || (next && next.logStreamName === hit.item.logStreamName ? next.text.trim() : '');
  return more ? `${matched} ${[...more].slice(0, TITLE_CHARS).join('')}` : matched.slice(0, -1);
}

/** The process crashed natively (segmentation fault, fatal runtime error, abort). */
export const nativeCrash: Rule = {
  id: 'native-crash',
  logPatterns: [NATIVE_CRASH],
  category: 'app_crash',
  title: 'The process crashed natively (Segmentation fault, Fatal Python error, SIGSEGV)',
  remediation: [
    'Native crashes usually come from a compiled extension or library (database drivers, image/ML libraries): check that wheels or native modules were built for this image\'s OS, libc (glibc vs musl/Alpine) and CPU architecture, and upgrade or pin the library.',
    'For Python, set `PYTHONFAULTHANDLER=1` in the container environment to log the Python stack at the crash.',
  ],
  sources: ['https://docs.python.org/3/library/faulthandler.html', 'https://man7.org/linux/man-pages/man7/signal.7.html'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, NATIVE_CRASH);
    if (!hit) return NO_MATCH;
    return resultOf(
      hitFinding(hit, {
        title: `The process crashed: ${crashTitle(lines, hit)}`,
        explanation: 'The program was terminated by a native fault (memory access violation, abort or fatal runtime error), not by an exception the language runtime could report.',
        confidence: 0.85,
      }),
    );
  },
};
