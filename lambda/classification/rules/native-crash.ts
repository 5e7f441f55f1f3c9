import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst, type TextMatch } from '../evidence-text';
import { className } from '../own-words';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';
import { NATIVE_CRASH } from '../runtime-patterns';

// The signal names Python's faulthandler prints after `Fatal Python error: `
// (https://docs.python.org/3/library/faulthandler.html): the runtime's fixed words, not the program's.
const FAULTHANDLER_SIGNAL = /^\s?(Segmentation fault|Bus error|Floating-point exception|Floating point exception|Aborted|Illegal instruction)\b/;

/**
 * The kind of crash in the runtime's own fixed words (`Segmentation fault`, `Fatal Python error:
 * Bus error`, `SIGSEGV`), plus the thrown type for C++ `terminate called after throwing an instance of
 * 'T'` when it is a class name. Any other text after the words is the program's: it stays in the cited line.
 */
function crashTitle(hit: TextMatch): string {
  const words = hit.matched.trim().replace(/^#\s+/, '').replace(/ \(0x$/, '').replace(/:$/, '');
  const rest = hit.item.text.slice(hit.index + hit.matched.length);
  if (words === 'Fatal Python error') {
    const signal = FAULTHANDLER_SIGNAL.exec(rest)?.[1];
    return signal ? `${words}: ${signal}` : words;
  }
  if (!words.endsWith('instance of')) return words;
  const thrown = className(/^\s?'([^'\n]{1,200})'/.exec(rest)?.[1]);
  return thrown ? `${words} ${thrown}` : words;
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
        title: `The process crashed: ${crashTitle(hit)}`,
        explanation: 'The program was terminated by a native fault (memory access violation, abort or fatal runtime error), not by an exception the language runtime could report.',
        confidence: 0.85,
      }),
    );
  },
};
