import { NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { hitFinding, resultOf } from '../finding';
import { findAll } from '../evidence-text';
import { isLowSeverity, streamLines } from '../log-patterns';

// CPython's TypeError texts for a call that does not fit the signature. Apps often log `str(exc)` without
// the `TypeError:` prefix (`{"error": "… failed: X.__init__() missing 2 required positional arguments: …"}`),
// so the texts themselves are matched.
const CALL_MISMATCH =
  /(?<![\p{L}\p{N}_.])([\p{L}_][\p{L}\p{N}_.]{0,200})\(\) (missing \d+ required (?:positional|keyword-only) arguments?: [^\n"]{1,300}|takes (?:from )?\d+ (?:to \d+ )?positional arguments? but \d+ (?:were|was) given|got an unexpected keyword argument '[\p{L}\p{N}_]{1,100}'|got multiple values for argument '[\p{L}\p{N}_]{1,100}')/u;

// CPython's list of missing arguments: `'a'`, `'a' and 'b'`, `'a', 'b', and 'c'`. Any other text after
// the colon is the program's, and stays in the cited line.
const ARGUMENT_LIST = /^'[\p{L}_][\p{L}\p{N}_]{0,100}'(?:(?:, |,? and )'[\p{L}_][\p{L}\p{N}_]{0,100}'){0,30}$/u;

/** `problem` when its argument list (after `: `) is CPython's, else its fixed part alone. */
function ownProblem(problem: string): string {
  const colon = problem.indexOf(': ');
  return colon < 0 || ARGUMENT_LIST.test(problem.slice(colon + 2).trim()) ? problem : problem.slice(0, colon);
}

/** A Python call did not match the callee's signature (`X.__init__() missing 2 required positional arguments`). */
export const pythonTypeError: Rule = {
  id: 'python-type-error',
  logPatterns: [CALL_MISMATCH],
  category: 'app_crash',
  title: 'A Python call does not match the signature it calls (TypeError: missing/unexpected arguments)',
  remediation: [
    'Make the call site and the signature agree: pass the missing arguments (or give them defaults), or remove the unexpected ones.',
    'Run a type checker (mypy, pyright) or the unit tests in CI to catch signature mismatches before the image is built.',
  ],
  sources: ['https://docs.python.org/3/library/exceptions.html#TypeError'],
  match(evidence) {
    const lines = streamLines(evidence);
    if (lines.length === 0) return NOT_APPLICABLE;
    const seen = new Set<string>();
    const findings: RuleFinding[] = [];
    for (const hit of findAll(lines, CALL_MISMATCH)) {
      const callable = hit.groups[0] ?? '?';
      const problem = ownProblem(hit.groups[1] ?? '');
      const key = `${callable}|${problem}`;
      if (seen.has(key) || isLowSeverity(hit.item.text) || findings.length >= 3) continue;
      seen.add(key);
      const constructor = callable.endsWith('.__init__');
      const owner = constructor ? callable.slice(0, -'.__init__'.length) : callable;
      findings.push(
        hitFinding(hit, {
          title: `${callable}() ${problem.replace(/: .*$/, '')}${constructor ? ` (constructor of ${owner})` : ''}`,
          explanation: `\`${callable}()\` was called with arguments that do not fit its signature (${problem}), so Python raised TypeError. ${constructor ? `The code that creates \`${owner}\` does not pass what its constructor requires — typically after the constructor gained parameters (e.g. injected dependencies) and a factory or service registry was not updated.` : 'The caller and the callee disagree, typically after one of them changed.'}`,
          confidence: 0.85,
          remediation: [
            constructor
              ? `Find where \`${owner}(...)\` is instantiated and pass the required arguments (${problem}), or give those parameters defaults.`
              : `Find the calls to \`${callable}()\` and make them match its signature (${problem}).`,
          ],
        }),
      );
    }
    return resultOf(findings);
  },
};
