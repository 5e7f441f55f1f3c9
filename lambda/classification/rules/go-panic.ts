import { NOT_APPLICABLE, type Rule, type RuleFinding } from '../types';
import { hitFinding, resultOf } from '../finding';
import { findInStreams, logStreams } from '../log-patterns';
import { GO_PANIC } from '../runtime-patterns';
import { nameToken } from '../own-words';

// The Go runtime prints `panic: <value>` (or `fatal error: <msg>`) at the start of a line, then
// `[signal SIGSEGV: …]` for faults and `goroutine N [running]:` with `\t/path/file.go:N +0x..` frames.
const GO_TRACE = /^goroutine \d+ \[|^\[signal SIG|^\s+\S+\.go:\d+(?:\s|$)/;
// A frame inside a downloaded module: `/go/pkg/mod/github.com/org/mod@v1.1.1/…`.
const MODULE_FRAME = /\/pkg\/mod\/([^@\s]{1,300})@(v[^/\s]{1,100})\//;

/** A Go program panicked (`panic:` followed by the goroutine trace). */
export const goPanic: Rule = {
  id: 'go-panic',
  logPatterns: [GO_PANIC],
  category: 'app_crash',
  title: 'Go program panicked (panic: … goroutine N [running])',
  remediation: [
    'Read the first frames of the goroutine trace: the topmost frame in your own module is where the panic started; fix the nil value, index or failed assertion there.',
    'Rebuild with the race detector (`go test -race`) if the panic mentions concurrent map access.',
  ],
  sources: ['https://go.dev/blog/defer-panic-and-recover', 'https://pkg.go.dev/runtime'],
  match(evidence) {
    const streams = logStreams(evidence);
    if (streams.length === 0) return NOT_APPLICABLE;
    const findings: RuleFinding[] = [];
    for (const hit of findInStreams(streams, GO_PANIC)) {
      const trace = hit.lines.slice(hit.at + 1, hit.at + 12);
      if (!trace.some((line) => GO_TRACE.test(line.text))) continue;
      const module = trace.map((line) => MODULE_FRAME.exec(line.text)).find((m) => m !== null);
      const initPanic = trace.some((line) => /\.init(?:\.\d+)?\(\)/.test(line.text));
      // The panic value is the program's own text: it stays in the cited line, out of the title.
      const modulePath = nameToken(module?.[1]);
      const moduleVersion = nameToken(module?.[2]);
      const dependency = modulePath && moduleVersion ? { path: modulePath, version: moduleVersion } : undefined;
      const what = hit.matched.startsWith('fatal error') ? 'The Go runtime stopped the program (fatal error)' : `Go program panicked${hit.matched.startsWith('panic: runtime error:') ? ' on a runtime error' : ''}`;
      findings.push(
        hitFinding(hit, {
          title: `${what}${dependency ? ` in module ${dependency.path}` : ''}`,
          explanation: `The Go runtime stopped the program with a panic (the cited line gives its value).${dependency ? ` The top frames are inside the dependency \`${dependency.path}\` ${dependency.version}${initPanic ? ', in its package initialisation (init), so the program panics before main runs' : ''}.` : ''}`,
          confidence: 0.9,
          remediation: dependency
            ? [`The panic comes from the module \`${dependency.path}@${dependency.version}\`: check its issue tracker and release notes for this panic, upgrade or pin another version in go.mod, or remove the import if it is optional.`]
            : [],
        }),
      );
      if (findings.length >= 2) break;
    }
    return resultOf(findings);
  },
};
