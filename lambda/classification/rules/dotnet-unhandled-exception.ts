import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';
import { DOTNET_UNHANDLED } from '../runtime-patterns';

/** A .NET program died of an unhandled exception. */
export const dotnetUnhandledException: Rule = {
  id: 'dotnet-unhandled-exception',
  logPatterns: [DOTNET_UNHANDLED],
  category: 'app_crash',
  title: '.NET unhandled exception',
  remediation: ['Read the stack trace after the exception (the first frame in your own namespace) and the inner exceptions (`--->`); fix the failing code or its input.'],
  sources: ['https://learn.microsoft.com/en-us/dotnet/standard/exceptions/'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, DOTNET_UNHANDLED);
    if (!hit) return NO_MATCH;
    const exception = hit.groups[0] ?? 'an exception';
    return resultOf(
      hitFinding(hit, {
        title: `.NET unhandled ${exception}`,
        explanation: `The .NET program raised \`${exception}\` and nothing handled it, so the runtime terminated the process.`,
        confidence: 0.85,
      }),
    );
  },
};
