import type { Category } from './taxonomy';
import type { TextSource } from './evidence-text';
import { framesFollow } from './log-patterns';
import {
  DOTNET_UNHANDLED,
  GO_PANIC,
  JAVA_FRAME,
  JVM_CAUSED_BY,
  JVM_QUALIFIED_EXCEPTION,
  JVM_THREAD_DEATH,
  NATIVE_CRASH,
  NODE_ERROR_HEADER,
  NODE_UNHANDLED_REJECTION,
  PY_EXCEPTION_LINE,
  PY_TRACEBACK,
  RAKE_ABORTED,
  RUBY_CLASS_HEADER,
  RUBY_EXCEPTION,
  RUBY_FRAME,
  SPRING_FAILED,
  pythonExceptionLine,
} from './runtime-patterns';

/**
 * The documented or well-known forms of the line that ends a program, per runtime and sidecar: what
 * the fatal-line reader (`fatal-lines.ts`) looks for. Each form names its source.
 *
 * `cause` lines say why the program died; `generic` lines are error lines a program's last words often
 * are (a CLI's `Error: …`); `exit` lines only say that it died (`Aborted (core dumped)`, Envoy's
 * `Exited with code [-1]`). The reader prefers the last cause, then the last generic line, then exit lines.
 */
export type FatalKind = 'cause' | 'generic' | 'exit';

/** What a form read from the lines around its match. `undefined` from `resolve` rejects the match. */
export interface Resolved {
  /** The line to cite, when not the matched one (Python's exception line after `Traceback`). */
  line?: TextSource;
  exceptionClass?: string;
  /** Words the category is read from, when not the cited line. */
  message?: string;
  /** Lines cited after the fatal one (the deepest `Caused by:`, Spring Boot's `Description:` text). */
  related?: TextSource[];
}

export interface FatalForm {
  runtime: string;
  pattern: RegExp;
  kind: FatalKind;
  /** The category when neither the exception class nor the line's words imply one. */
  fallback: Category;
  /** When true, the fallback is the category whatever the words say. */
  fixed?: boolean;
  /** Only the last line of a stream is tested (an unmarked last line, like Go's `log.Fatal`). */
  lastLineOnly?: boolean;
  /** The class a match names: a capture group (1-based, the first defined one of these) or a fixed name. */
  classGroups?: number[];
  className?: string;
  /** A remediation step specific to this form, shown first. */
  hint?: string;
  /** Reads the lines around a match at `lines[at]`; returns undefined when the match does not count. */
  resolve?: (lines: readonly TextSource[], at: number) => Resolved | undefined;
  sources: string[];
}

const CAUSED_BY_WINDOW = 300;

/** The deepest `Caused by:` of the JVM stack trace starting at `at`: the underlying exception. */
function deepestCause(lines: readonly TextSource[], at: number): Resolved {
  let cause: TextSource | undefined;
  for (let i = at + 1; i < Math.min(lines.length, at + CAUSED_BY_WINDOW); i += 1) {
    const text = (lines[i] as TextSource).text;
    if (JVM_CAUSED_BY.test(text)) cause = lines[i];
  }
  const exceptionClass = cause ? JVM_CAUSED_BY.exec(cause.text)?.[1] : undefined;
  return cause ? { exceptionClass, related: [cause] } : {};
}

/** Spring Boot's failure-analysis block: the text after `Description:`, else the exception that follows. */
function springDescription(lines: readonly TextSource[], at: number): Resolved {
  for (let i = at + 1; i < Math.min(lines.length, at + 15); i += 1) {
    if (!/^\s*Description:\s*$/.test((lines[i] as TextSource).text)) continue;
    const text = lines.slice(i + 1, i + 4).find((line) => line.text.trim() !== '');
    return text ? { message: text.text, related: [text] } : {};
  }
  const next = lines.slice(at + 1, at + 4).find((line) => JVM_QUALIFIED_EXCEPTION.test(line.text));
  if (!next) return {};
  const deeper = deepestCause(lines, lines.indexOf(next, at));
  return { exceptionClass: deeper.exceptionClass ?? JVM_QUALIFIED_EXCEPTION.exec(next.text)?.[1], related: [next, ...(deeper.related ?? [])] };
}

const RAKE_WINDOW = 40;
const blank = (line: TextSource | undefined): boolean => line === undefined || line.text.trim() === '';

/**
 * The exception Rake reports after `<name> aborted!` at `at`: its `Class: message` header (or the bare
 * message of a RuntimeError) and, when the header's message is empty, the message line after it.
 * Undefined unless a Ruby backtrace frame or Rake's `Tasks: TOP =>` follows: without them the line is
 * some other program's "aborted!".
 */
function rakeException(lines: readonly TextSource[], at: number): Resolved | undefined {
  const end = Math.min(lines.length, at + RAKE_WINDOW);
  let i = at + 1;
  while (i < end && blank(lines[i])) i += 1;
  const header = lines[i];
  if (!header || RUBY_FRAME.test(header.text)) return undefined;
  if (!lines.slice(i + 1, end).some((l) => RUBY_FRAME.test(l.text) || /^Tasks: TOP => /.test(l.text))) return undefined;
  const m = RUBY_CLASS_HEADER.exec(header.text);
  if (!m) return { line: header, exceptionClass: 'RuntimeError' };
  if (m[2]?.trim()) return { line: header, exceptionClass: m[1] };
  let j = i + 1;
  while (j < end && blank(lines[j])) j += 1;
  const message = lines[j];
  return message && !RUBY_FRAME.test(message.text) ? { line: header, exceptionClass: m[1], message: `${header.text}\n${message.text}`, related: [message] } : { line: header, exceptionClass: m[1] };
}

/** A Ruby `Namespace::Class: message` (or `…Error:`) header at `at` counts when Ruby backtrace frames follow it. */
function rubyHeader(lines: readonly TextSource[], at: number): Resolved | undefined {
  const name = RUBY_CLASS_HEADER.exec((lines[at] as TextSource).text)?.[1] ?? '';
  if (!name.includes('::') && !/(?:Error|Exception)$/.test(name)) return undefined;
  return lines.slice(at + 1, at + 8).some((l) => RUBY_FRAME.test(l.text)) ? {} : undefined;
}

// Clean exits Python reports like exceptions: `sys.exit(0)` and Ctrl-C/SIGINT on stop.
const PY_NOT_A_CRASH = /^(?:SystemExit: 0\b|SystemExit$|KeyboardInterrupt\b)/;

const SHELL = String.raw`^(?:/(?:[\w.-]{1,100}/){0,20})?(?:sh|bash|dash|ash|zsh|[\w.-]{1,100}\.sh)(?:: line \d{1,6}|: \d{1,6})?: (?:exec: )?`;

/** Every form, most specific first. */
export const FATAL_FORMS: readonly FatalForm[] = [
  {
    runtime: 'Python',
    pattern: PY_TRACEBACK,
    kind: 'cause',
    fallback: 'app_crash',
    resolve: (lines, at) => {
      const line = pythonExceptionLine(lines, at);
      if (!line || PY_NOT_A_CRASH.test(line.text)) return undefined;
      return { line, exceptionClass: PY_EXCEPTION_LINE.exec(line.text)?.[1] };
    },
    sources: ['https://docs.python.org/3/tutorial/errors.html#exceptions', 'https://docs.python.org/3/library/exceptions.html'],
  },
  {
    runtime: 'Node.js',
    pattern: NODE_ERROR_HEADER,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    resolve: (lines, at) => (framesFollow(lines, at) ? {} : undefined),
    sources: ['https://nodejs.org/api/process.html#event-uncaughtexception', 'https://nodejs.org/api/errors.html'],
  },
  {
    runtime: 'Node.js',
    pattern: NODE_UNHANDLED_REJECTION,
    kind: 'cause',
    fallback: 'app_crash',
    className: 'UnhandledPromiseRejection',
    sources: ['https://nodejs.org/api/cli.html#--unhandled-rejectionsmode'],
  },
  {
    runtime: 'JVM',
    pattern: JVM_THREAD_DEATH,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [2],
    resolve: deepestCause,
    sources: ['https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Thread.UncaughtExceptionHandler.html', 'https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Throwable.html#printStackTrace()'],
  },
  {
    runtime: 'Spring Boot',
    pattern: SPRING_FAILED,
    kind: 'cause',
    fallback: 'app_crash',
    resolve: springDescription,
    sources: ['https://docs.spring.io/spring-boot/reference/features/spring-application.html#features.spring-application.startup-failure'],
  },
  {
    runtime: 'JVM',
    pattern: JVM_QUALIFIED_EXCEPTION,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    resolve: (lines, at) => (!/^Caused by: /.test((lines[at] as TextSource).text) && JAVA_FRAME.test(lines[at + 1]?.text ?? '') ? deepestCause(lines, at) : undefined),
    sources: ['https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/lang/Throwable.html#printStackTrace()'],
  },
  {
    runtime: '.NET',
    pattern: DOTNET_UNHANDLED,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    sources: ['https://learn.microsoft.com/en-us/dotnet/standard/exceptions/'],
  },
  {
    runtime: '.NET host',
    pattern: /\bFailed to create CoreCLR, HRESULT: 0x[0-9A-Fa-f]{1,8}\b|\bFailed to initialize CoreCLR, HRESULT: 0x[0-9A-Fa-f]{1,8}\b/,
    kind: 'cause',
    fallback: 'app_crash',
    fixed: true,
    className: 'CoreCLR start-up failure',
    hint: 'HRESULT 0x80070008 in a container is known with old Docker engines whose seccomp profile blocks calls newer .NET images make: update the container instance (ECS-optimized AMI, Docker 20.10.10 or later) or run on Fargate; otherwise check the task\'s memory limit.',
    sources: ['https://learn.microsoft.com/en-us/dotnet/core/runtime-discovery/troubleshoot-app-launch', 'https://github.com/dotnet/dotnet-docker/issues/5219'],
  },
  {
    runtime: '.NET host',
    pattern: /\bYou must install (?:or update )?\.NET to run this application\b|\bThe library '[^'\n]{1,200}' required to execute the application was not found\b|\bIt was not possible to find any compatible framework version\b/,
    kind: 'cause',
    fallback: 'app_import_error',
    fixed: true,
    className: '.NET framework not found',
    hint: 'The image lacks the .NET runtime the app targets: build the final stage `FROM mcr.microsoft.com/dotnet/aspnet:<TargetFramework version>` (or `runtime:` for non-web apps), or publish self-contained.',
    sources: ['https://learn.microsoft.com/en-us/dotnet/core/runtime-discovery/troubleshoot-app-launch'],
  },
  {
    runtime: 'Go',
    pattern: GO_PANIC,
    kind: 'cause',
    fallback: 'app_crash',
    className: 'panic',
    sources: ['https://go.dev/blog/defer-panic-and-recover', 'https://pkg.go.dev/runtime'],
  },
  {
    runtime: 'Go (log.Fatal)',
    pattern: /^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}(?:\.\d{1,9})? \S[^\n]{0,1000}?\b(?:error|failed|fail|cannot|can't|unable|invalid|missing|not found|denied|refused|no such)\b/i,
    kind: 'generic',
    fallback: 'app_crash',
    lastLineOnly: true,
    hint: '`log.Fatal` logged the reason and called `os.Exit(1)`: the cited line is the whole story; fix what it names.',
    sources: ['https://pkg.go.dev/log#Fatal'],
  },
  {
    runtime: 'structured log',
    pattern: /\blevel=(?:fatal|panic)\b|"(?:level|severity|lvl)":\s?"(?:fatal|FATAL|Fatal|panic|PANIC)"/,
    kind: 'cause',
    fallback: 'app_crash',
    sources: ['https://pkg.go.dev/github.com/sirupsen/logrus#Fatal', 'https://pkg.go.dev/go.uber.org/zap#Logger.Fatal'],
  },
  {
    runtime: 'Ruby',
    pattern: RUBY_EXCEPTION,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    sources: ['https://docs.ruby-lang.org/en/master/Exception.html'],
  },
  {
    runtime: 'Ruby (Rake)',
    pattern: RAKE_ABORTED,
    kind: 'cause',
    fallback: 'app_crash',
    resolve: rakeException,
    sources: ['https://github.com/ruby/rake/blob/master/lib/rake/application.rb', 'https://docs.ruby-lang.org/en/master/Exception.html'],
  },
  {
    runtime: 'Ruby',
    pattern: RUBY_CLASS_HEADER,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    resolve: rubyHeader,
    sources: ['https://docs.ruby-lang.org/en/master/Exception.html#method-i-full_message'],
  },
  {
    runtime: 'PHP',
    pattern: /\bPHP (?:Fatal|Parse) error:\s{1,4}(?:Uncaught ([\p{L}\p{N}_\\]{1,300}))?|^(?:Fatal|Parse) error: Uncaught ([\p{L}\p{N}_\\]{1,300})/u,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1, 2],
    sources: ['https://www.php.net/manual/en/errorfunc.constants.php', 'https://www.php.net/manual/en/language.exceptions.php'],
  },
  {
    runtime: 'Rust',
    pattern: /^thread '[^'\n]{1,200}' panicked at /,
    kind: 'cause',
    fallback: 'app_crash',
    className: 'panic',
    // Since Rust 1.73 the panic message is on the next line.
    resolve: (lines, at) => {
      const next = lines[at + 1];
      return /:\s*$/.test((lines[at] as TextSource).text) && next && !/^note: /.test(next.text) ? { message: next.text, related: [next] } : {};
    },
    sources: ['https://doc.rust-lang.org/book/ch09-01-unrecoverable-errors-with-panic.html', 'https://doc.rust-lang.org/std/macro.panic.html'],
  },
  {
    runtime: 'Elixir/Erlang',
    pattern: /^\s{0,16}\*\* \(([\p{Lu}][\p{L}\p{N}_.]{0,200})\) |\bCould not start application [\p{L}\p{N}_]{1,100}: |\bApplication [\p{L}\p{N}_]{1,100} exited: /u,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    sources: ['https://hexdocs.pm/elixir/Application.html', 'https://www.erlang.org/doc/apps/kernel/application.html'],
  },
  {
    runtime: 'Erlang VM',
    pattern: /\bKernel pid terminated \([^)\n]{1,100}\)/,
    kind: 'exit',
    fallback: 'app_crash',
    sources: ['https://www.erlang.org/doc/apps/kernel/application.html', 'https://www.erlang.org/doc/system/applications.html'],
  },
  {
    runtime: 'C/C++',
    pattern: /: Assertion [`'][^\n]{1,500}' failed\.?|\bterminate called after throwing an instance of '([^'\n]{1,300})'/,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    className: 'assertion failure',
    sources: ['https://man7.org/linux/man-pages/man3/assert.3.html', 'https://en.cppreference.com/w/cpp/error/terminate'],
  },
  {
    runtime: 'native',
    pattern: NATIVE_CRASH,
    kind: 'cause',
    fallback: 'app_crash',
    fixed: true,
    resolve: (lines, at) => (/\bAborted \(core dumped\)/.test((lines[at] as TextSource).text) ? undefined : {}),
    sources: ['https://man7.org/linux/man-pages/man7/signal.7.html', 'https://docs.python.org/3/library/faulthandler.html'],
  },
  {
    runtime: 'native',
    pattern: /\bAborted \(core dumped\)|^Aborted\s*$/,
    kind: 'exit',
    fallback: 'app_crash',
    sources: ['https://man7.org/linux/man-pages/man3/abort.3.html'],
  },
  {
    runtime: 'shell',
    pattern: new RegExp(`${SHELL}([^:\\n]{1,300}): (?:command not found|not found|Permission denied|No such file or directory)\\s*$`),
    kind: 'cause',
    fallback: 'container_command_invalid',
    fixed: true,
    className: 'command cannot be executed',
    hint: 'The shell could not run a program: install it in the image, fix its path, or make the script executable (`RUN chmod +x …`) with Unix line endings.',
    sources: ['https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_09_01_01', 'https://pubs.opengroup.org/onlinepubs/9699919799/utilities/V3_chap02.html#tag_18_08_02'],
  },
  {
    runtime: 'nginx',
    pattern: /\[emerg\] \d{1,10}#\d{1,10}: |\bnginx: \[emerg\] /,
    kind: 'cause',
    fallback: 'app_config_missing',
    hint: 'Test the configuration with the same image before deploying: `docker run --rm IMAGE nginx -t`.',
    sources: ['https://nginx.org/en/docs/ngx_core_module.html#error_log', 'https://nginx.org/en/docs/beginners_guide.html#conf_structure'],
  },
  {
    runtime: 'Envoy',
    pattern: /\]\[critical\]\[(?!backtrace\])[\w-]{1,40}\] (?:[^\n]{0,400}?\b(assert failure): )?|\b(assert failure): \S/,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1, 2],
    hint: 'An Envoy assert or crash is a proxy bug or an unsupported configuration: upgrade the Envoy / App Mesh / Service Connect image and check its release notes for the assert text.',
    sources: ['https://www.envoyproxy.io/docs/envoy/latest/operations/cli', 'https://github.com/envoyproxy/envoy/issues/12488', 'https://github.com/aws/aws-app-mesh-roadmap/issues/130'],
  },
  {
    runtime: 'Envoy',
    pattern: /\[Envoy process \d{1,10}\] Exited with code \[-?\d{1,5}\]/,
    kind: 'exit',
    fallback: 'app_crash',
    sources: ['https://github.com/aws/amazon-ecs-agent/issues/4397', 'https://github.com/aws/amazon-ecs-service-connect-agent'],
  },
  {
    runtime: 'Fluent Bit',
    pattern: /\[engine\] caught signal \((SIG(?!TERM\))[A-Z]{2,8})\)|\[\s?error\] \[(?:config|engine|lib|plugins?|storage)\] /,
    kind: 'cause',
    fallback: 'app_crash',
    classGroups: [1],
    hint: 'Test the Fluent Bit configuration with the same image (`fluent-bit --dry-run -c CONFIG`), and upgrade aws-for-fluent-bit if the crash is a known issue of its version.',
    sources: ['https://docs.fluentbit.io/manual/administration/troubleshooting', 'https://github.com/fluent/fluent-bit/issues/7150'],
  },
  {
    runtime: 'OpenTelemetry Collector',
    pattern: /^Error: (?:failed to get config|invalid configuration|cannot (?:load|build|start|unmarshal|resolve)|failed to (?:build|start|resolve|create))[^:\n]{0,80}: /,
    kind: 'cause',
    fallback: 'app_config_missing',
    // The decoder's details follow on `* …` lines, or on an `error decoding 'exporters': unknown type: "x" for id: "x"`
    // line: that line names what is wrong, so it is the one cited, the wrapper after it.
    resolve: (lines, at) => {
      const details = lines.slice(at + 1, at + 6).filter((line) => /^\* \S|^error decoding '|\bunknown type: "|\bhas invalid keys: /.test(line.text));
      const specific = details.find((line) => /\bunknown type: "|\bhas invalid keys: /.test(line.text));
      return specific ? { line: specific, related: [lines[at] as TextSource] } : { related: details.slice(-2) };
    },
    hint: 'Validate the configuration with the same collector image: `otelcol validate --config=CONFIG` (or `otelcol-contrib validate`), and check that every component named is in that distribution.',
    sources: ['https://opentelemetry.io/docs/collector/configuration/', 'https://opentelemetry.io/docs/collector/troubleshooting/', 'https://github.com/open-telemetry/opentelemetry-collector/issues/5605'],
  },
  {
    runtime: 'OpenTelemetry Collector',
    pattern: /\b(?:collector server|application) run finished with error: /,
    kind: 'exit',
    fallback: 'app_config_missing',
    sources: ['https://github.com/open-telemetry/opentelemetry-collector/issues/5605'],
  },
  {
    runtime: 'Datadog Agent',
    pattern: /\bYou must set an? DD_API_KEY environment variable\b|^Error: unable to (?:set up|load|start)\b/,
    kind: 'cause',
    fallback: 'app_config_missing',
    hint: 'Give the agent `DD_API_KEY` (as a `secrets` entry from Secrets Manager) and, on Fargate, `ECS_FARGATE=true`.',
    sources: ['https://docs.datadoghq.com/containers/docker/', 'https://docs.datadoghq.com/agent/troubleshooting/', 'https://github.com/DataDog/datadog-agent/issues/11693'],
  },
  {
    runtime: 'Datadog Agent',
    pattern: /\| [A-Z][A-Z-]{1,20} \| (?:CRITICAL|ERROR) \| \(/,
    kind: 'generic',
    fallback: 'app_crash',
    sources: ['https://docs.datadoghq.com/agent/troubleshooting/'],
  },
  {
    runtime: 'AWS X-Ray daemon',
    pattern: /^\S{10,40} \[Error\] /,
    kind: 'cause',
    fallback: 'app_crash',
    hint: 'Give the daemon its region (`AWS_REGION` in the container environment, or `--region`), and a task role with `AWSXRayDaemonWriteAccess`.',
    sources: ['https://docs.aws.amazon.com/xray/latest/devguide/xray-daemon.html', 'https://github.com/aws/aws-xray-daemon/issues/191'],
  },
  {
    // Go CLIs built with cobra (the OpenTelemetry Collector, the Datadog Agent, many more) print `Error: …`.
    runtime: 'command-line program',
    pattern: /^Error: \S/,
    kind: 'generic',
    fallback: 'app_crash',
    sources: ['https://pkg.go.dev/github.com/spf13/cobra#Command'],
  },
];
