import { NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { resultOf } from '../finding';
import { cite, findAll, type TextSource } from '../evidence-text';
import { findInStreams, framesFollow, isLowSeverity, logStreams, streamLines } from '../log-patterns';
import { NODE_ERROR_HEADER, NODE_UNHANDLED_REJECTION } from '../runtime-patterns';

// A JavaScript error header (`Error: x`, `TypeError: x`, `Error [ERR_X]: x`, util.inspect's `{ Error: x`)
// counts only when V8 stack frames (`    at …`) follow it: a bare `Error: Exiting due to an error.` is a
// consequence line, not an uncaught exception.
// The same header serialised into one JSON string: `"stack":"TypeError: x\n    at f (/app/a.js:1:2)"`.
const ESCAPED_STACK = /((?:[A-Z][A-Za-z0-9]{0,60})?Error)(?: \[[A-Z0-9_]{1,80}\])?: [^"\\\n]{1,300}\\n\s{1,8}at /;

/** Node.js died of an uncaught exception or unhandled promise rejection (error line with stack frames). */
export const nodeUncaughtException: Rule = {
  id: 'node-uncaught-exception',
  logPatterns: [NODE_ERROR_HEADER, NODE_UNHANDLED_REJECTION, ESCAPED_STACK],
  category: 'app_crash',
  title: 'Node.js uncaught exception or unhandled promise rejection',
  remediation: [
    'Read the first stack frame that is in your code (not node_modules or node:internal) and fix the failing call or the input it received.',
    'Handle promise rejections (`await` inside try/catch, `.catch()`): since Node.js 15 an unhandled rejection terminates the process.',
  ],
  sources: ['https://nodejs.org/api/process.html#event-uncaughtexception', 'https://nodejs.org/api/cli.html#--unhandled-rejectionsmode'],
  match(evidence) {
    const streams = logStreams(evidence);
    if (streams.length === 0) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    const seen = new Set<string>();
    const add = (name: string, item: TextSource, at: number, rejection: boolean): void => {
      if (seen.has(item.text) || findings.length >= 3 || isLowSeverity(item.text)) return;
      seen.add(item.text);
      findings.push({
        title: rejection ? 'Node.js unhandled promise rejection' : `Node.js uncaught ${name}`,
        explanation: rejection
          ? 'A promise was rejected and nothing handled the rejection; Node.js terminates the process on an unhandled rejection by default (since v15).'
          : `The program threw \`${name}\` and nothing caught it; the stack frames after it show where. An uncaught exception terminates the Node.js process.`,
        confidence: 0.85,
        evidence: [cite(item, at)],
        scope: item.scope,
        taskArn: item.taskArn,
      });
    };
    for (const hit of findInStreams(streams, NODE_ERROR_HEADER)) {
      if (framesFollow(hit.lines, hit.at)) add(hit.groups[0] ?? 'Error', hit.item, hit.index, false);
    }
    const lines = streamLines(evidence);
    for (const hit of findAll(lines, ESCAPED_STACK)) add(hit.groups[0] ?? 'Error', hit.item, hit.index, false);
    for (const hit of findAll(lines, NODE_UNHANDLED_REJECTION)) add('rejection', hit.item, hit.index, true);
    return resultOf(findings);
  },
};
