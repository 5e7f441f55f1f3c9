import { NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { resultOf } from '../finding';
import { cite, type TextSource } from '../evidence-text';
import { findInStreams, logStreams } from '../log-patterns';
import { PY_EXCEPTION_LINE, PY_TRACEBACK, pythonExceptionLine } from '../runtime-patterns';

// A traceback serialised into one JSON string (`"exc_info": "Traceback …\n  File …\nValueError: x"`).
const ESCAPED_EXCEPTION = /\\n([\p{L}_][\p{L}\p{N}_.]{0,200}(?:Error|Exception|Exit|Fault|Failure)): /gu;
// Exits that are not crashes: a clean `sys.exit(0)` and Ctrl-C/SIGINT on stop.
const NOT_A_CRASH = /^(?:SystemExit: 0\b|SystemExit$|KeyboardInterrupt\b)/;

/** A Python exception escaped with a traceback: the exception line is the finding. */
export const pythonTraceback: Rule = {
  id: 'python-traceback',
  logPatterns: [PY_TRACEBACK],
  category: 'app_crash',
  title: 'Python raised an uncaught exception (Traceback)',
  remediation: [
    'Read the exception line and the last frames of the traceback that belong to your code; fix the code or the input it failed on.',
    'Reproduce with the same image and environment: `docker run --rm --env-file ENVFILE IMAGE`.',
  ],
  sources: ['https://docs.python.org/3/tutorial/errors.html#exceptions'],
  match(evidence) {
    const streams = logStreams(evidence);
    if (streams.length === 0) return NOT_APPLICABLE;
    const seen = new Set<string>();
    const findings: RuleFinding[] = [];
    for (const hit of findInStreams(streams, PY_TRACEBACK)) {
      let line: TextSource | undefined;
      let at = 0;
      let name: string | undefined;
      const escaped = [...hit.item.text.matchAll(ESCAPED_EXCEPTION)].pop();
      if (escaped?.index !== undefined) {
        line = hit.item;
        at = escaped.index + 2;
        name = escaped[1];
      } else {
        line = pythonExceptionLine(hit.lines, hit.at);
        name = line ? PY_EXCEPTION_LINE.exec(line.text)?.[1] : undefined;
      }
      if (!line || !name || NOT_A_CRASH.test(line.text.slice(at)) || seen.has(line.text) || findings.length >= 3) continue;
      seen.add(line.text);
      findings.push({
        title: `Python raised ${name}`,
        explanation: `The program raised \`${name}\` and did not handle it; the traceback before it shows where. An uncaught exception at start-up stops the container; later, it fails the request or worker that raised it.`,
        confidence: 0.9,
        evidence: [cite(line, at)],
        scope: line.scope,
        taskArn: line.taskArn,
      });
    }
    return resultOf(findings);
  },
};
