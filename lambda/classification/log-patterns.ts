import type { Evidence } from '../evidence/types';
import { analysedTasks, logLines, matchText, serviceEvents, stoppedReasons, targetHealthTexts, type TextMatch, type TextSource } from './evidence-text';
import { eachCandidate, registerSlice } from './line-scan';
import { scanContext } from './scan-context';
import { requiredLiterals } from './required-literals';
import { nameToken } from './own-words';
import { escapeRegExp } from '../shared/text';

/**
 * Pure helpers for reading container log lines: splitting multi-line log events, recognising stack
 * frames, severity, "server listening" lines and load-balancer health-check access-log lines.
 *
 * Every helper works on one physical line at a time with anchored or bounded patterns, so each stays
 * linear-time on 100 KB lines.
 */

/**
 * Splits texts that hold several physical lines (a multi-line log event, e.g. from an awslogs
 * `multiline-pattern` or a JSON log with an embedded stack) into one `TextSource` per non-empty line.
 * Each resulting `text` is a literal substring of the event, so it can be cited as read; the other
 * fields (stream, timestamp, `lineIndex`) are the event's. When no text holds a line break the
 * result is `sources` itself.
 */
export function physicalLines(sources: readonly TextSource[]): readonly TextSource[] {
  let out: TextSource[] | undefined;
  for (let i = 0; i < sources.length; i += 1) {
    const item = sources[i] as TextSource;
    if (!item.text.includes('\n')) {
      out?.push(item);
      continue;
    }
    out ??= sources.slice(0, i);
    for (const line of item.text.split(/\r?\n/)) {
      if (line.trim() !== '') out.push({ ...item, text: line });
    }
  }
  return out ?? sources;
}

/** The physical lines of `logLines(evidence)`, read once per analysis (shared: never modify it). */
export function physicalLogLines(evidence: Evidence): readonly TextSource[] {
  const context = scanContext(evidence);
  if (!context.physical) {
    const lines = logLines(evidence);
    context.physical = physicalLines(lines);
    if (context.physical !== lines) context.scan?.register(context.physical);
  }
  return context.physical;
}

/** Groups physical lines by log stream: runs of consecutive lines of one stream, joined per stream. */
function groupByStream(physical: readonly TextSource[]): readonly (readonly TextSource[])[] {
  // Runs of consecutive lines from one stream (a stream's lines come together, from one evidence.logs entry).
  const runs: { key: string; start: number; end: number }[] = [];
  for (let i = 0; i < physical.length; i += 1) {
    const line = physical[i] as TextSource;
    const previous = i > 0 ? (physical[i - 1] as TextSource) : undefined;
    if (previous && previous.logGroupName === line.logGroupName && previous.logStreamName === line.logStreamName) continue;
    const run = runs[runs.length - 1];
    if (run) run.end = i;
    runs.push({ key: `${line.logGroupName ?? ''}\u0000${line.logStreamName ?? ''}`, start: i, end: physical.length });
  }
  const byStream = new Map<string, { start: number; end: number }[]>();
  for (const run of runs) byStream.set(run.key, [...(byStream.get(run.key) ?? []), run]);
  return [...byStream.values()].map((parts): readonly TextSource[] => {
    const only = parts.length === 1 ? parts[0] : undefined;
    if (!only) return parts.flatMap((part) => physical.slice(part.start, part.end)); // the same stream appears twice in evidence.logs
    if (only.start === 0 && only.end === physical.length) return physical;
    const lines = physical.slice(only.start, only.end);
    registerSlice(lines, physical, only.start);
    return lines;
  });
}

/**
 * The analysed evidence's log lines as physical lines, grouped by log stream (oldest first within a
 * stream), so a rule can look at the lines that follow a match in the same stream. Read once per
 * analysis like `logLines`: the arrays are shared, never modify them.
 */
export function logStreams(evidence: Evidence): readonly (readonly TextSource[])[] {
  const context = scanContext(evidence);
  context.streams ??= groupByStream(physicalLogLines(evidence));
  return context.streams;
}

/**
 * `logStreams(evidence).flat()`, read once per analysis: every stream's physical lines, stream after
 * stream. Rules that read all lines at once use this rather than flattening the streams themselves,
 * which copies every line for every rule. Shared: never modify it.
 */
export function streamLines(evidence: Evidence): readonly TextSource[] {
  const context = scanContext(evidence);
  if (!context.streamLines) {
    const streams = logStreams(evidence);
    const physical = physicalLogLines(evidence);
    const flat = streams.length === 1 ? (streams[0] as readonly TextSource[]) : streams.flat();
    // Streams are grouped in order of first appearance, so when each is one run the result is `physical`.
    const lines = flat === physical || (flat.length === physical.length && flat.every((line, i) => line === physical[i])) ? physical : flat;
    if (lines !== physical) context.scan?.register(lines);
    context.streamLines = lines;
  }
  return context.streamLines;
}

/** A match in a log stream, with the stream's lines and the matched line's position in them. */
export interface StreamMatch extends TextMatch {
  /** The physical lines of the stream the match is in. */
  lines: readonly TextSource[];
  /** Index of the matched line in `lines`. */
  at: number;
}

/**
 * Every line of every stream that matches `pattern` (non-global), stream by stream, oldest first.
 * On the streams of `logStreams` the pattern only runs on lines holding one of its required literals
 * (see `line-scan.ts`; a rule declares the patterns it runs over log lines in `logPatterns`).
 */
export function findInStreams(streams: readonly (readonly TextSource[])[], pattern: RegExp): StreamMatch[] {
  const matches: StreamMatch[] = [];
  for (const lines of streams) {
    eachCandidate(lines, pattern, (item, at) => {
      const m = matchText(item.text, pattern);
      if (m) matches.push({ item, ...m, lines, at });
      return false;
    });
  }
  return matches;
}

// Node/JS, Java, .NET (`   at X.Y() in /src/a.cs:line 3`) frames; Python `File "...", line N`; Ruby
// `\tfrom x.rb:3:in`; Go `\t/path/file.go:64 +0x45`; Java `Caused by:` and `... 12 more`.
const FRAME = [
  /^\s+at\s+\S/,
  /^\s*File "[^"\n]{1,1000}", line \d+/,
  /^\s+from\s+\S+:\d+:in\s/,
  /^\s+\S+\.go:\d+(?:\s|$)/,
  /^\s*Caused by:\s/,
  /^\s+\.\.\. \d+ (?:more|common frames omitted)/,
];

/** Whether a line is a stack frame of a Node, Java, .NET, Python, Ruby or Go stack trace. */
export function isStackFrame(line: string): boolean {
  return FRAME.some((pattern) => pattern.test(line));
}

/**
 * Whether any of the `window` lines after `index` in `lines` is a stack frame (blank lines and the
 * `^`/source-excerpt lines Node prints are skipped over by the window).
 */
export function framesFollow(lines: readonly TextSource[], index: number, window = 3): boolean {
  for (let i = index + 1; i <= index + window && i < lines.length; i += 1) {
    const line = lines[i];
    if (line && isStackFrame(line.text)) return true;
  }
  return false;
}

// A level word near the start of a text line (`INFO`, `[info]`, uvicorn's `INFO:`, Ruby Logger's `I, [`).
// Only the first 80 characters are looked at: a message may quote a level further on.
const TEXT_LOW_LEVEL = [/(?:^|[^A-Za-z])(?:INFO|DEBUG|TRACE|NOTICE)(?![A-Za-z])/, /\[(?:info|debug|trace|notice)\]/i, /^[ID], \[/];
const FIELD_LOW_LEVEL = /"(?:level|severity|levelname|log\.level|lvl)"\s*:\s*"(?:info|debug|trace|notice)"|\blevel=(?:info|debug|trace|notice)\b/i;
const FIELD_HIGH_LEVEL = /"(?:level|severity|levelname|log\.level|lvl)"\s*:\s*"(?:err|error|fatal|critical|crit|alert|emerg|panic|warn|warning)"|\blevel=(?:err|error|fatal|critical|warn|warning|panic)\b/i;

/**
 * Whether a log line declares itself informational (INFO, DEBUG, TRACE, NOTICE), in which case a
 * mention of an error in it is not a failure by itself. A line with an explicit error level is never
 * low-severity, whatever else it says.
 */
export function isLowSeverity(line: string): boolean {
  if (FIELD_HIGH_LEVEL.test(line)) return false;
  if (FIELD_LOW_LEVEL.test(line)) return true;
  const head = line.slice(0, 80);
  return TEXT_LOW_LEVEL.some((pattern) => pattern.test(head));
}

// An error level near the start of a text line (`ERROR`, `[error]`, `[ error]`, `E0101`-less forms only).
const TEXT_ERROR_LEVEL = [/(?:^|[^A-Za-z])(?:ERROR|FATAL|CRITICAL|CRIT|EMERG|ALERT|PANIC)(?![A-Za-z])/, /\[\s?(?:error|fatal|crit|critical|emerg|alert)\s?\]/i];
const FIELD_ERROR_LEVEL = /"(?:level|severity|levelname|log\.level|lvl)"\s*:\s*"(?:err|error|fatal|critical|crit|alert|emerg|panic)"|\blevel=(?:err|error|fatal|critical|panic)\b/i;

/**
 * Whether a log line declares an error level (ERROR, FATAL, CRITICAL, `[error]`, `level=error`,
 * `"level":"error"`), looking at the first 80 characters of a text line as `isLowSeverity` does.
 */
export function isErrorSeverity(line: string): boolean {
  if (FIELD_ERROR_LEVEL.test(line)) return true;
  const head = line.slice(0, 80);
  return TEXT_ERROR_LEVEL.some((pattern) => pattern.test(head));
}

/** Where a server said it listens. Fields are absent when the line does not name them. */
export interface ListeningAddress {
  /** Host or IP as printed, e.g. `0.0.0.0`, `127.0.0.1`, `localhost`, `[::]`. */
  host?: string;
  port?: number;
  /** Start-up time the line reports, in seconds (Spring Boot `Started X in 12.3 seconds`). */
  startupSeconds?: number;
}

// "The server is up" lines of common runtimes and frameworks: uvicorn, gunicorn, Flask/werkzeug,
// Node/Express, Next.js, Puma, Kestrel (.NET), Gin, Spring Boot (Tomcat/Netty/Jetty/Undertow),
// php-fpm, Redis, generic "server started on".
const LISTENING = [
  /\bUvicorn running on\b/i,
  /\bListening (?:at|on)\b/i,
  /\bListening and serving HTTPS? on\b/i,
  /\bRunning on (?:https?:\/\/|port\b|\S{0,60}:\d{2,5}\b)/i,
  /\b(?:server|app|application|api|http server)\s(?:is\s)?(?:running|listening|started|ready)\s(?:at|on)\b/i,
  /\bready on (?:https?:\/\/|port\b|\S{0,60}[:,]\s?(?:port\s)?\d{2,5}\b)/i,
  /\bstarted (?:server )?on (?:https?:\/\/|port\b|\S{0,60}:\d{2,5}\b)/i,
  /\b(?:Tomcat|Netty|Jetty|Undertow) started on port/i,
  /\bStarted \S{1,200} in \d+(?:\.\d+)? seconds\b/,
  /\bready to (?:handle|accept) connections\b/i,
  /\bApplication startup complete\b/,
];

/**
 * The literals the LISTENING patterns require (`required-literals.ts`), as one regex: one test instead
 * of eleven on the many lines that hold none of them. Null when one pattern has none.
 */
function listeningGate(): RegExp | null {
  const literals = LISTENING.map((pattern) => requiredLiterals(pattern));
  return literals.every((l) => l !== undefined)
    ? new RegExp(literals.flatMap((l) => l ?? []).map(escapeRegExp).join('|'), 'i')
    : null;
}

const LISTENING_GATE = listeningGate();

const URL_ADDRESS = /(?:https?|tcp):\/\/(\[[^\]\s]{1,60}\]|[^\s/:'"]{1,253}):(\d{2,5})\b/i;
const HOST_PORT = /(?:^|[\s(=])((?:\d{1,3}\.){3}\d{1,3}|localhost|\[::1?\]|::):(\d{2,5})\b/;
const PORT_WORD = /\bport(?:\(s\))?:?\s*(\d{2,5})\b/i;
const BARE_PORT = /(?:^|\s)(?:on|at)\s:(\d{2,5})\b/i;
const STARTED_IN = /\bStarted \S{1,200} in (\d+(?:\.\d+)?) seconds\b/;

/**
 * Recognises a line saying the server started listening or is ready, and the address and port it
 * names. Returns undefined for other lines.
 */
export function serverListening(line: string): ListeningAddress | undefined {
  if ((LISTENING_GATE && !LISTENING_GATE.test(line)) || !LISTENING.some((pattern) => pattern.test(line))) return undefined;
  const result: ListeningAddress = {};
  // Prefer an explicit address: Next.js prints `started server on 0.0.0.0:3000, url: http://localhost:3000`.
  const candidates = [URL_ADDRESS.exec(line), HOST_PORT.exec(line)].filter((m): m is RegExpExecArray => m !== null);
  const url = candidates.find((m) => m[1]?.toLowerCase() !== 'localhost') ?? candidates[0];
  if (url) {
    result.host = url[1];
    result.port = Number(url[2]);
  } else {
    const port = PORT_WORD.exec(line) ?? BARE_PORT.exec(line);
    if (port) result.port = Number(port[1]);
  }
  const started = STARTED_IN.exec(line);
  if (started) result.startupSeconds = Number(started[1]);
  return result;
}

/** Whether a printed listen host accepts only connections from inside the container. */
export function isLoopbackHost(host: string | undefined): boolean {
  return host !== undefined && /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\]|::1)$/i.test(host);
}

/** One HTTP request as an access-log line shows it. */
export interface AccessLogRequest {
  /** Request path, when the line shows it. */
  path?: string;
  /** HTTP status code of the response. */
  status: number;
  /** True when the User-Agent is the Elastic Load Balancing health checker (`ELB-HealthChecker/2.0`). */
  fromHealthChecker: boolean;
}

// `"GET /health HTTP/1.1" 404`, `GET /x HTTP/1.1 400 26`, uvicorn's `"GET /health HTTP/1.1" 404 Not Found`.
const REQUEST_LINE = /\b(?:GET|HEAD|POST|PUT|OPTIONS) (\S{1,2000}) HTTP\/\d(?:\.\d)?"?\s{1,10}(\d{3})\b/;
const JSON_STATUS = /"(?:status|status_code|statusCode|response_code|responseCode|http_status)"\s*:\s*"?(\d{3})\b/;
const JSON_PATH = /"(?:path|uri|url|request_uri|requestPath)"\s*:\s*"([^"\s]{1,2000})"/;
const LOGFMT_STATUS = /\bstatus=(\d{3})\b/;
const HEALTH_CHECKER = /ELB-HealthChecker\//;

/**
 * Parses an access-log line: the request path, the response status and whether the ELB health
 * checker sent it. The ALB health checker identifies itself with the User-Agent `ELB-HealthChecker/2.0`
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/target-group-health-checks.html).
 * Returns undefined when the line shows no HTTP status.
 */
export function accessLogRequest(line: string): AccessLogRequest | undefined {
  // Rules call this on every line: each regex runs only when the literal it needs is present.
  const request = line.includes(' HTTP/') ? REQUEST_LINE.exec(line) : null;
  if (request) return { path: request[1], status: Number(request[2]), fromHealthChecker: HEALTH_CHECKER.test(line) };
  if (!line.includes('tatus') && !line.includes('esponse')) return undefined; // every JSON_STATUS / LOGFMT_STATUS key
  const status = JSON_STATUS.exec(line) ?? LOGFMT_STATUS.exec(line);
  if (!status) return undefined;
  const path = JSON_PATH.exec(line)?.[1];
  return { ...(path ? { path } : {}), status: Number(status[1]), fromHealthChecker: HEALTH_CHECKER.test(line) };
}

/**
 * Whether a status code is accepted by a target group's `Matcher.HttpCode` (`200`, `200,202`,
 * `200-399`). Without a matcher, the ALB default `200` applies.
 */
export function statusMatches(status: number, matcher: string | undefined): boolean {
  const spec = matcher?.trim() || '200';
  return spec.split(',').some((part) => {
    const [low, high] = part.trim().split('-').map(Number);
    if (low === undefined || Number.isNaN(low)) return false;
    return high === undefined ? status === low : status >= low && status <= (Number.isNaN(high) ? low : high);
  });
}

/** A network peer named in an error line. */
export interface PeerAddress {
  host?: string;
  port?: number;
}

// Forms runtimes print the peer in: Node `connect ECONNREFUSED 127.0.0.1:27017` / `getaddrinfo ENOTFOUND db`,
// Go `dial tcp 10.0.0.5:5432:` / `lookup db on 10.0.0.2:53`, libpq `connection to server at "db" (10.0.0.5),
// port 5432`, `could not translate host name "db"`, MySQL `on 'db:3306'`/`host 'db'`, nginx `upstream "php-fpm:9000"`,
// Java `UnknownHostException: db`, redis-py `connecting to redis:6379`.
const PEER_FORMS: readonly RegExp[] = [
  /\b(?:ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH) (\[[^\]\s]{1,60}\]|[^\s,'"]{1,300}):(\d{1,5})\b/,
  /\b(?:ENOTFOUND|EAI_AGAIN) ([^\s,'":]{1,300})/,
  /\bdial tcp (\[[^\]\s]{1,60}\]|[^\s:]{1,300}):(\d{1,5})\b/,
  /\blookup ([^\s:]{1,300})(?: on \S{1,100})?: no such host/,
  /\bconnection to server at "([^"]{1,300})"[^\n]{0,80}?, port (\d{1,5})/,
  /\bcould not translate host name "([^"]{1,300})"/,
  /\bMySQL server (?:host )?(?:on )?'([^':]{1,300})(?::(\d{1,5}))?'/,
  /\bupstream "([^":]{1,300})(?::(\d{1,5}))?"/,
  /\bUnknownHostException: ([^\s:]{1,300})/,
  /\bconnecting to ([\w.-]{1,300}):(\d{1,5})\b/i,
  /\bconnect(?:ion)? to ([\w.-]{1,300}):(\d{2,5})\b/i,
  /(?:^|[\s(/@'"])((?:\d{1,3}\.){3}\d{1,3}|localhost):(\d{2,5})\b/,
];

/** The host and port an error line names as its peer, as printed; `{}` when none is recognised. */
export function peerAddress(text: string): PeerAddress {
  for (const pattern of PEER_FORMS) {
    const m = pattern.exec(text);
    // Only a host-shaped token is a peer: titles and steps name it (see `nameToken`).
    const host = nameToken(m?.[1]);
    if (!m || !host) continue;
    // Node prints IPv6 peers unbracketed (`::1:5432`); the greedy host capture keeps the address whole.
    return { host, ...(m[2] ? { port: Number(m[2]) } : {}) };
  }
  return {};
}

/** Whether a host is the task itself: loopback addresses, `localhost`, or IPv6 `::1`. */
export function isLocalPeer(host: string | undefined): boolean {
  return host !== undefined && (isLoopbackHost(host) || /^(?:::1|\[::1\]|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/i.test(host));
}

const WELL_KNOWN_PORTS: Readonly<Record<number, string>> = {
  1433: 'SQL Server',
  1521: 'Oracle',
  3306: 'MySQL',
  5432: 'PostgreSQL',
  5672: 'RabbitMQ',
  6379: 'Redis',
  9000: 'PHP-FPM',
  9092: 'Kafka',
  9200: 'Elasticsearch/OpenSearch',
  11211: 'Memcached',
  27017: 'MongoDB',
};

/** The usual server behind a well-known port (e.g. 5432 → PostgreSQL), or undefined. */
export function serviceForPort(port: number | undefined): string | undefined {
  return port === undefined ? undefined : WELL_KNOWN_PORTS[port];
}

// Data stores AWS hosts under amazonaws.com are dependencies of the program, not AWS API endpoints.
const AWS_DATA_STORE = /\.(?:rds|cache|docdb|es|aoss|mq|kafka|redshift|neptune|dax|elb)\.|\.(?:rds|cache)\.amazonaws\.com/i;

/**
 * Whether a host is an AWS service API endpoint (`sqs.us-east-1.amazonaws.com`, `bucket.s3.amazonaws.com`),
 * which a task reaches through NAT, a public IP or a VPC endpoint — as opposed to a database endpoint such
 * as `x.cluster-y.us-east-1.rds.amazonaws.com`.
 */
export function isAwsApiEndpoint(host: string | undefined): boolean {
  return host !== undefined && /\.amazonaws\.com(?:\.cn)?\.?$/i.test(host) && !AWS_DATA_STORE.test(host);
}

/** What a load-balancer health-check failure text says went wrong. */
export type ElbFailureKind = 'timeout' | 'bad_status' | 'connection_failed';

/** One target-health text or service event that reports a failed load-balancer health check. */
export interface ElbHealthSignal {
  kind: ElbFailureKind;
  item: TextSource;
  /** HTTP codes from `Health checks failed with these codes: [404]`. */
  codes: number[];
  /** Task id named by a service event (`(task 0123…)`), when present. */
  taskId?: string;
}

// ELBv2 `TargetHealth.Reason` codes and `Description` texts
// (https://docs.aws.amazon.com/elasticloadbalancing/latest/APIReference/API_TargetHealth.html), and the
// same description inside the ECS service event `… is unhealthy in (target-group …) due to (reason X).`
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-unhealthy-event-messages.html).
// `(service web) (task ID) (port 8080) is unhealthy in (target-group ARN) due to (reason …)`; a Classic
// Load Balancer's: `(service web) (instance ID) is unhealthy in (elb NAME) due to (reason Instance has failed
// at least the UnhealthyThreshold number of health checks consecutively.)`
// (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/service-event-messages-list.html).
const SERVICE_EVENT_REASON = /\bis unhealthy in \((?:target-group|elb) [^)\s]{1,400}\) due to \(reason ([^)]{1,400})\)/i;
const EVENT_TASK = /\(task ([0-9a-f]{32}|[\w-]{1,64})\)/;
const CODES = /Health checks failed with these codes: \[([\d, ]{1,200})\]/i;

function kindOf(text: string): ElbFailureKind | undefined {
  if (/^Target\.Timeout$|\bRequest timed out\b/i.test(text)) return 'timeout';
  if (/^Target\.ResponseCodeMismatch$/i.test(text) || CODES.test(text)) return 'bad_status';
  if (/^Target\.FailedHealthChecks$|^Health checks failed\.?$|^Instance has failed at least the UnhealthyThreshold number of health checks consecutively\.?$/i.test(text.trim())) return 'connection_failed';
  return undefined;
}

function codesOf(text: string): number[] {
  const m = CODES.exec(text);
  return m?.[1] ? m[1].split(',').map((c) => Number(c.trim())).filter((c) => Number.isInteger(c)) : [];
}

/**
 * Every failed load-balancer health check reported by target health (`TargetHealth.Reason` and
 * `Description` of unhealthy targets) or by service events (`is unhealthy in (target-group …) due to
 * (reason …)`), classified as timeout, bad status or connection failure. Target health first.
 */
export function elbHealthSignals(evidence: Evidence): ElbHealthSignal[] {
  const signals: ElbHealthSignal[] = [];
  for (const item of targetHealthTexts(evidence)) {
    const kind = kindOf(item.text);
    if (kind) signals.push({ kind, item, codes: codesOf(item.text) });
  }
  for (const item of serviceEvents(evidence)) {
    const reason = SERVICE_EVENT_REASON.exec(item.text)?.[1];
    const kind = reason ? kindOf(reason) : undefined;
    if (!kind || !reason) continue;
    const taskId = EVENT_TASK.exec(item.text)?.[1];
    signals.push({ kind, item, codes: codesOf(reason), ...(taskId ? { taskId } : {}) });
  }
  return signals;
}

/** The analysed tasks' stop reasons saying ECS stopped them for failing ELB health checks. */
export function elbStopReasons(evidence: Evidence): TextSource[] {
  return stoppedReasons(evidence).filter((item) => item.scope === 'task' && /\bTask failed ELB health checks\b/i.test(item.text));
}

/** The analysed task a service event names by id, when it names one. */
export function analysedTaskArnById(evidence: Evidence, taskId: string | undefined): string | undefined {
  return taskId ? analysedTasks(evidence).find((t) => t.taskId === taskId)?.taskArn : undefined;
}

const PORT_AFTER = /(?::|, |\bport\s)(\d{2,5})\b/i;
const PORTS_BEFORE = /(?::|, |\bport\s)(\d{2,5})\b/gi;

/**
 * The port a bind/listen error names near index `at` of `text`: the first one within 200 characters after
 * it, else the last one within 120 characters before it (Go prints `listen tcp :80: bind: …`). Looking
 * after first keeps a log timestamp (`10:22:33`) before the message from being taken for a port.
 */
export function portNear(text: string, at: number): number | undefined {
  const found = PORT_AFTER.exec(text.slice(at, at + 200))?.[1] ?? [...text.slice(Math.max(0, at - 120), at).matchAll(PORTS_BEFORE)].pop()?.[1];
  return found === undefined ? undefined : Number(found);
}

// Agents a program sends telemetry to: AWS X-Ray daemon (2000/udp+tcp), OTLP collector (4317, 4318),
// StatsD (8125), Datadog APM (8126), Fluentd forward (24224), Zipkin (9411). A refused or slow connection
// to them is logged but rarely stops the program.
const TELEMETRY_PORTS: ReadonlySet<number> = new Set([2000, 4317, 4318, 8125, 8126, 9411, 24224]);

/** Whether a port is a well-known telemetry agent's, whose unavailability is usually not fatal. */
export function isTelemetryPort(port: number | undefined): boolean {
  return port !== undefined && TELEMETRY_PORTS.has(port);
}

// Metrics, tracing and error-reporting clients that log their own send failures and carry on: StatsD
// clients (hot-shots, node-statsd, dogstatsd, statsd-client), the Datadog tracer, OpenTelemetry exporters,
// the X-Ray SDK and daemon emitter, Zipkin/Jaeger reporters, Sentry, New Relic, Elastic APM.
// https://github.com/brightcove/hot-shots#errors, https://opentelemetry.io/docs/specs/otel/error-handling/
// ("OpenTelemetry implementations MUST NOT throw unhandled exceptions at run time").
const TELEMETRY_CLIENT =
  /\bhot-shots\b|\b(?:dog)?statsd\b|\bstatsd[ -]client\b|\bdd-trace\b|\bDATADOG TRACER\b|\bdatadog-agent\b|\b(?:OTLP|otlp)[\w ]{0,20}[Ee]xporter\b|\bopentelemetry\b|\b[Oo]tel[A-Z]?\w{0,30}[Ee]xporter\b|\bX-?Ray (?:SDK|daemon|segment|emitter)\b|\baws-xray-sdk\b|\bzipkin\b|\bjaeger\b|\bsentry(?:[_.-]sdk)?\b|\bnewrelic\b|\bNew Relic\b|\belastic-apm\b|\bAPM (?:Server|agent)\b|\bmetrics? (?:exporter|reporter|push(?:er)?|emitter)\b/i;

/**
 * Whether a line is a telemetry client reporting that it could not send (metrics, traces, error
 * reports): noise beside the program's own failure, never the root-cause line of a dependency failure.
 */
export function isTelemetryNoise(line: string): boolean {
  return TELEMETRY_CLIENT.test(line);
}

// The program could not resolve the task's own host name: the JVM's `InetAddress.getLocalHost()` fails with
// `UnknownHostException: HOST: HOST: Name or service not known` (the name twice), which JMX/debug agents
// wrap as `Local host name unknown`; `hostname -f`/`-i` print `hostname: Name or service not known`; sudo
// prints `unable to resolve host HOST`.
// https://docs.oracle.com/en/java/javase/21/docs/api/java.base/java/net/InetAddress.html#getLocalHost(),
// https://man7.org/linux/man-pages/man1/hostname.1.html
const OWN_HOSTNAME = /\bLocal host name unknown\b|^hostname: (?:Name or service not known|Temporary failure in name resolution)|^sudo: unable to resolve host \S/;
const LOCALHOST_TWICE = /\bUnknownHostException: ([^\s:]{1,253}): ([^\s:]{1,253}):/;

/** Whether a line says the task's own host name does not resolve (a configuration of the host, not a dependency). */
export function isOwnHostnameFailure(line: string): boolean {
  if (OWN_HOSTNAME.test(line)) return true;
  const twice = LOCALHOST_TWICE.exec(line);
  return twice !== null && twice[1] === twice[2];
}
