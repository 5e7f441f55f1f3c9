import type { TextSource } from './evidence-text';

/**
 * The lines language runtimes print when a program dies, shared by the runtime rules (which explain
 * one runtime each) and the fatal-line reader (`fatal-lines.ts`, which finds the line that ended any
 * program). Names are matched with Unicode letters (`\p{L}`): Python, Java, .NET and Ruby identifiers
 * may be non-ASCII, and a name must be cited whole (`café_模块`, not `caf`).
 */

/** A letter, digit or underscore in any script: the characters of an identifier. */
const ID = String.raw`\p{L}\p{N}_`;

// Python: the traceback header, and the unindented `pkg.ExceptionName: message` (or a bare name) ending it.
// https://docs.python.org/3/tutorial/errors.html#exceptions
export const PY_TRACEBACK = /Traceback \(most recent call last\):/;
export const PY_EXCEPTION_LINE = new RegExp(
  String.raw`^([\p{L}_][${ID}.]{0,200}(?:Error|Exception|Exit|Warning|Fault|Failure|Interrupt)|[\p{L}_][${ID}.]{0,200}\.[\p{Lu}][${ID}]{0,100})(?::\s|$)`,
  'u',
);

/** The exception line that ends the Python traceback starting at `at` in `lines`, if found within 300 lines. */
export function pythonExceptionLine(lines: readonly TextSource[], at: number): TextSource | undefined {
  for (let i = at + 1; i < Math.min(lines.length, at + 300); i += 1) {
    const line = lines[i];
    if (!line) continue;
    if (/^\s/.test(line.text) || line.text.trim() === '') continue; // frames and source lines are indented
    if (PY_EXCEPTION_LINE.test(line.text)) return line;
    if (PY_TRACEBACK.test(line.text)) return undefined;
  }
  return undefined;
}

// Node.js: an error header (`TypeError: x`, `Error [ERR_X]: x`, util.inspect's `{ Error: x`) that counts
// when V8 stack frames follow it, and Node's own reports of an unhandled rejection.
// https://nodejs.org/api/process.html#event-uncaughtexception
export const NODE_ERROR_HEADER = /^\s{0,4}(?:\{\s{0,4})?(?:Uncaught\s)?((?:[A-Z][A-Za-z0-9]{0,60})?Error)(?: \[[A-Z0-9_]{1,80}\])?: \S/;
export const NODE_UNHANDLED_REJECTION = /\[UnhandledPromiseRejection: |\bUnhandledPromiseRejectionWarning: |\bUnhandled promise rejection\b/;

// JVM: the default handler's `Exception in thread "main" java.lang.X: msg`, Spring Boot's start-up failure
// banner, a fully qualified exception line (followed by `\tat` frames) and the `Caused by:` chain.
// https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Thread.UncaughtExceptionHandler.html
export const JVM_THREAD_DEATH = new RegExp(String.raw`\bException in thread "([^"]{1,200})" ([${ID}$.]{1,300})(?::\s?([^\n]{0,300}))?`, 'u');
export const SPRING_FAILED = /\bAPPLICATION FAILED TO START\b|\bApplication run failed\b/;
export const JVM_QUALIFIED_EXCEPTION = new RegExp(String.raw`^(?:Caused by: )?((?:[\p{Ll}_$][${ID}$]{0,60}\.){1,20}[\p{Lu}][${ID}$]{0,100}(?:Exception|Error))(?::\s|$)`, 'u');
export const JVM_CAUSED_BY = new RegExp(String.raw`^\s{0,8}Caused by: ([${ID}$.]{1,300})`, 'u');
export const JAVA_FRAME = /^\s+at [\w$.<>/]{1,400}\(/;

// .NET: `Unhandled exception. System.InvalidOperationException: msg` (.NET Core 3+) or `Unhandled Exception:`.
// https://learn.microsoft.com/en-us/dotnet/standard/exceptions/
export const DOTNET_UNHANDLED = new RegExp(String.raw`\bUnhandled [Ee]xception[.:] ([${ID}.${'`'}]{1,300}(?:Exception|Error))(?::\s?([^\n]{0,300}))?`, 'u');

// Go: the runtime prints `panic: <value>` or `fatal error: <msg>` at the start of a line.
// https://go.dev/blog/defer-panic-and-recover
export const GO_PANIC = /^(?:panic|fatal error): (\S[^\n]{0,500})/;

// Ruby's top-level handler: `/app/x.rb:10:in 'method': message (ExceptionClass)`.
// https://docs.ruby-lang.org/en/master/Exception.html
export const RUBY_EXCEPTION = new RegExp(String.raw`:\d+:in [${'`'}'][^'\n]{1,300}': [^\n]{0,1000}? \(([\p{Lu}][${ID}]{0,100}(?:::[\p{Lu}][${ID}]{0,100}){0,5})\)\s*$`, 'u');

// Rake (and `bin/rails`, which runs Rake tasks) reports an uncaught exception as `<name> aborted!`, then
// `Class::Name: message` (or the bare message of a RuntimeError), then the backtrace frames unindented.
// https://github.com/ruby/rake/blob/master/lib/rake/application.rb (display_error_message)
export const RAKE_ABORTED = /^[\w./-]{1,160} aborted!\s*$/;
/** A Ruby exception header on a line of its own: `ActiveRecord::ConcurrentMigrationError: message`. */
export const RUBY_CLASS_HEADER = new RegExp(String.raw`^([\p{Lu}][${ID}]{0,100}(?:::[\p{Lu}][${ID}]{0,100}){0,8}):(?:\s([^\n]{0,1000}))?$`, 'u');
/** A Ruby backtrace frame as Rake prints it or the interpreter's `\tfrom` continuation: `/app/x.rb:12:in 'm'`. */
export const RUBY_FRAME = /^\s{0,8}(?:from\s)?\S{0,500}(?:\.rb|\.rake|Rakefile|Gemfile):\d{1,7}:in [`']/;

// Process-level crashes: `Segmentation fault (core dumped)`, CPython's `Fatal Python error:`, the JVM's
// `A fatal error has been detected by the Java Runtime Environment` / `# SIGSEGV (0x`, C++ `terminate
// called after throwing an instance of`, glibc heap-corruption aborts, `Aborted (core dumped)`.
// The shell reports a child killed by a signal with the signal's strsignal(3) text, alone or after the
// job (`/entrypoint.sh: line 3:  7 Illegal instruction (core dumped) bun run …`): SIGILL `Illegal instruction`,
// SIGBUS `Bus error`, SIGFPE `Floating point exception`. Go's runtime prints `SIGILL: illegal instruction`,
// `SIGSEGV: segmentation violation`, `SIGBUS: bus error`, `SIGFPE: floating-point exception` after
// `fatal error: unexpected signal`; Fluent Bit's engine `[engine] caught signal (SIGSEGV)`.
// https://man7.org/linux/man-pages/man7/signal.7.html, https://man7.org/linux/man-pages/man3/strsignal.3.html,
// https://pkg.go.dev/runtime (signal handling), https://docs.fluentbit.io/manual/administration/troubleshooting
export const NATIVE_CRASH = /\bSegmentation fault\b|(?:^|: )(?:Illegal instruction|Bus error|Floating point exception)(?: \(core dumped\))?\s*$|\d\s{1,8}(?:Illegal instruction|Bus error|Floating point exception)\s|^SIG(?:ILL: illegal instruction|SEGV: segmentation violation|BUS: bus error|FPE: floating-point exception)\b|\[engine\] caught signal \(SIG(?:SEGV|BUS|ILL|FPE|ABRT)\)|\bFatal Python error: |\bA fatal error has been detected by the Java Runtime Environment\b|^#\s+SIG(?:SEGV|BUS|ILL|FPE) \(0x|\bterminate called after throwing an instance of\b|\b(?:double free or corruption|malloc\(\): corrupted|free\(\): invalid pointer)\b|\bAborted \(core dumped\)/;
