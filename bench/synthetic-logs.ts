import { createWriteStream, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Deterministic synthetic container logs for the throughput benchmark: the mix a busy web service
 * writes to its awslogs stream — structured JSON request logs, plain-text framework logs, nginx-style
 * access logs (a share of them from the ALB health checker, `ELB-HealthChecker/2.0`), handled Python,
 * Java and Node stack traces, and, rarely, literal error lines taken from the corpus bundles' logs.
 *
 * The same seed always writes the same bytes, so grep and the analyzer read identical input run after
 * run and figures are comparable between machines.
 */

/** A seeded PRNG (mulberry32): uniform in [0, 1). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Every log message recorded in the corpus bundles (real error lines, literal). */
export function corpusLogLines(corpusDir: string): string[] {
  const lines: string[] = [];
  for (const file of readdirSync(corpusDir).filter((f) => f.endsWith('.json')).sort()) {
    const bundle = JSON.parse(readFileSync(join(corpusDir, file), 'utf8')) as { evidence?: { logs?: { events?: { message?: string }[] }[] } };
    for (const stream of bundle.evidence?.logs ?? []) {
      for (const event of stream.events ?? []) {
        // One physical line per log event, as the awslogs driver writes without a multiline pattern.
        for (const line of (event.message ?? '').split(/\r?\n/)) if (line.trim() !== '') lines.push(line);
      }
    }
  }
  return lines;
}

const PATHS = ['/api/orders', '/api/orders/{id}', '/api/users/{id}', '/api/cart', '/api/search?q=shoes', '/static/app.js', '/login', '/api/payments/{id}/capture'];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = [200, 200, 200, 200, 200, 201, 204, 301, 304, 400, 401, 404, 500];
const AGENTS = [
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
  'okhttp/4.12.0',
  'python-requests/2.31.0',
];
const LOGGERS = ['com.example.orders.OrderService', 'com.example.web.RequestFilter', 'org.hibernate.SQL', 'io.netty.channel.DefaultChannelPipeline'];
const WORDS = ['cache', 'warm', 'batch', 'flushed', 'session', 'refreshed', 'token', 'queue', 'drained', 'checkpoint', 'written', 'metrics', 'exported'];

/** Generates log lines one at a time; `next()` returns one physical line (no newline). */
export class LogLineGenerator {
  private readonly random: () => number;
  private readonly corpus: readonly string[];
  private pending: string[] = [];
  private clock = Date.UTC(2025, 0, 15, 10, 0, 0);

  constructor(seed: number, corpusLines: readonly string[]) {
    this.random = seededRandom(seed);
    this.corpus = corpusLines;
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T;
  }

  private int(max: number): number {
    return Math.floor(this.random() * max);
  }

  private iso(): string {
    this.clock += this.int(40);
    return new Date(this.clock).toISOString();
  }

  private path(): string {
    return this.pick(PATHS).replace('{id}', String(10_000 + this.int(90_000)));
  }

  private jsonLine(): string {
    const status = this.pick(STATUSES);
    const level = status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info';
    return JSON.stringify({
      level,
      time: this.iso(),
      logger: 'http',
      msg: 'request completed',
      method: this.pick(METHODS),
      path: this.path(),
      status,
      duration_ms: this.int(900),
      request_id: `${this.int(2 ** 30).toString(16).padStart(8, '0')}${this.int(2 ** 30).toString(16).padStart(8, '0')}`,
    });
  }

  private accessLine(healthCheck: boolean): string {
    const ip = `10.0.${this.int(4)}.${1 + this.int(250)}`;
    const date = new Date(this.clock).toUTCString().replace(/^\w+, (\d+) (\w+) (\d+) ([\d:]+) GMT$/, '$1/$2/$3:$4 +0000');
    if (healthCheck) return `${ip} - - [${date}] "GET /health HTTP/1.1" 200 2 "-" "ELB-HealthChecker/2.0" "-"`;
    return `${ip} - - [${date}] "${this.pick(METHODS)} ${this.path()} HTTP/1.1" ${this.pick(STATUSES)} ${this.int(40_000)} "-" "${this.pick(AGENTS)}" "-"`;
  }

  private textLine(): string {
    const level = this.random() < 0.9 ? 'INFO' : 'DEBUG';
    return `${this.iso().replace('T', ' ').replace('Z', '')} ${level} [worker-${this.int(8)}] ${this.pick(LOGGERS)} - ${this.pick(WORDS)} ${this.pick(WORDS)} in ${this.int(500)} ms (${this.int(1000)} items)`;
  }

  private pythonTraceback(): string[] {
    const n = this.int(90_000);
    return [
      `${this.iso()} ERROR [app.views] Exception while handling request ${n}`,
      'Traceback (most recent call last):',
      '  File "/usr/local/lib/python3.12/site-packages/django/core/handlers/exception.py", line 55, in inner',
      '    response = get_response(request)',
      `  File "/app/orders/views.py", line ${20 + this.int(300)}, in order_detail`,
      '    total = sum(line.price * line.qty for line in order.lines)',
      "TypeError: unsupported operand type(s) for *: 'NoneType' and 'int'",
    ];
  }

  private javaTrace(): string[] {
    return [
      `${this.iso().replace('T', ' ').replace('Z', '')} WARN [http-nio-8080-exec-${this.int(20)}] com.example.orders.OrderService - Retrying after transient failure`,
      'java.lang.IllegalStateException: Order 4711 is already being processed',
      '\tat com.example.orders.OrderService.lock(OrderService.java:88)',
      '\tat com.example.orders.OrderService.process(OrderService.java:42)',
      '\tat org.springframework.aop.framework.ReflectiveMethodInvocation.proceed(ReflectiveMethodInvocation.java:184)',
      '\t... 87 common frames omitted',
    ];
  }

  private nodeTrace(): string[] {
    return [
      `[${this.iso()}] warn: handled error in GET ${this.path()}`,
      "TypeError: Cannot read properties of undefined (reading 'sku')",
      '    at priceOf (/usr/src/app/dist/cart.js:41:27)',
      '    at Array.map (<anonymous>)',
      '    at CartController.total (/usr/src/app/dist/cart.js:58:30)',
    ];
  }

  /** The next physical line. */
  next(): string {
    const queued = this.pending.shift();
    if (queued !== undefined) return queued;
    const r = this.random();
    if (r < 0.4) return this.jsonLine();
    if (r < 0.6) return this.accessLine(false);
    if (r < 0.75) return this.accessLine(true);
    if (r < 0.985) return this.textLine();
    if (r < 0.99) this.pending = this.pythonTraceback();
    else if (r < 0.995) this.pending = this.javaTrace();
    else if (r < 0.9995) this.pending = this.nodeTrace();
    else if (this.corpus.length > 0) return this.pick(this.corpus);
    return this.pending.shift() ?? this.textLine();
  }
}

/** Writes `count` lines (newline-terminated) to `file`; resolves with the bytes written. */
export async function writeSyntheticLog(file: string, count: number, seed: number, corpusLines: readonly string[]): Promise<number> {
  const generator = new LogLineGenerator(seed, corpusLines);
  const out = createWriteStream(file);
  let bytes = 0;
  let chunk: string[] = [];
  const flush = async (): Promise<void> => {
    const text = chunk.join('');
    chunk = [];
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  for (let i = 0; i < count; i += 1) {
    chunk.push(`${generator.next()}\n`);
    if (chunk.length >= 10_000) await flush();
  }
  await flush();
  await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
  return bytes;
}
