import { NO_MATCH, NOT_APPLICABLE, type Rule } from '../types';
import { findFirst, logPattern } from '../evidence-text';
import { hitFinding, resultOf } from '../finding';
import { streamLines } from '../log-patterns';

// .NET's default handler: `Unhandled exception. System.InvalidOperationException: msg` (.NET Core 3+)
// or `Unhandled Exception: System.X: msg` (older runtimes).
const UNHANDLED = logPattern(/\bUnhandled [Ee]xception[.:] ([\w.`]{1,300}(?:Exception|Error))(?::\s?([^\n]{0,300}))?/);

/** A .NET program died of an unhandled exception. */
export const dotnetUnhandledException: Rule = {
  id: 'dotnet-unhandled-exception',
  category: 'app_crash',
  title: '.NET unhandled exception',
  remediation: ['Read the stack trace after the exception (the first frame in your own namespace) and the inner exceptions (`--->`); fix the failing code or its input.'],
  sources: ['https://learn.microsoft.com/en-us/dotnet/standard/exceptions/'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const hit = findFirst(lines, UNHANDLED);
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
