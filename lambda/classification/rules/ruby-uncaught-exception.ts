import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';
import { RUBY_EXCEPTION } from '../runtime-patterns';

/** A Ruby program died of an uncaught exception. */
export const rubyUncaughtException: Rule = {
  id: 'ruby-uncaught-exception',
  logPatterns: [RUBY_EXCEPTION],
  category: 'app_crash',
  title: 'Ruby uncaught exception',
  remediation: ['Read the first `from` frame in your application code and fix the failing call or its input.'],
  sources: ['https://docs.ruby-lang.org/en/master/Exception.html'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, RUBY_EXCEPTION);
    if (!hit) return NO_MATCH;
    const exception = hit.groups[0] ?? 'an exception';
    return resultOf(
      hitFinding(hit, {
        title: `Ruby uncaught ${exception}`,
        explanation: `The Ruby program raised \`${exception}\` and nothing rescued it, so the interpreter exited.`,
        confidence: 0.85,
      }),
    );
  },
};
