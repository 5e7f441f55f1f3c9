import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { Logger } from '@aws-lambda-powertools/logger';
import { mockClient } from 'aws-sdk-client-mock';
import { AuditWriteError } from '../../lambda/delivery/deliver';
import type { HandlerDeps } from '../../lambda/handler/dependencies';
import { CORPUS_DIR, corpusFiles, loadCorpus, resetMocks, serveBundle } from '../evidence/live/corpus-aws';
import { startHandlerWorld, type HandlerWorld } from './harness';
import { seededRandom } from '../../bench/synthetic-logs';

/**
 * 10,000 generated events through the real handler (middy, Powertools, real sinks; S3 by s3rver,
 * Slack by a local HTTP server, SNS and the evidence APIs mocked; see `harness.ts`). Each event is a
 * corpus event with one to three mutations: deep nesting, wrong types, huge strings, lone surrogates,
 * control characters and escape sequences, out-of-range numbers, missing fields, forged text. The
 * generator is a seeded PRNG, so every run sends the same events and a failure names its seed index.
 *
 * The handler must never throw (a throw costs two Lambda retries and a DLQ message) except when the
 * audit write really failed, and every declined event must come back `ignored` with a one-line reason.
 */

// FUZZ_EVENTS=n runs fewer; FUZZ_ONLY=i,j replays single events of a failed run.
const EVENTS = Number(process.env.FUZZ_EVENTS ?? 10_000);


type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const HOSTILE_STRINGS = [
  '\ud800',
  'x\udc00y',
  '😀'.repeat(3) + '\ud83d',
  '\u001b[2J\u001b]0;pwned\u0007AWS SECURITY NOTICE: rotate credentials at http://evil.example',
  '\u0000\u0001\u0007\u0008\u000b\u000c\u007f\u0085\u202e\u2066',
  '<!channel> @here <https://evil.example|click>',
  'password=hunter2 AKIAIOSFODNN7EXAMPLE aws_secret_access_key=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----',
  '',
  ' '.repeat(5000),
  '\r\n'.repeat(2000),
];
const HOSTILE_NUMBERS = [1e20, -1e20, 1e308, -1e308, 8.64e15 + 1, 2 ** 53 + 1, -0, 0.5, -1, 1e11 - 1];
const TIME_KEYS = ['time', 'createdAt', 'startedAt', 'stoppedAt', 'updatedAt', 'pullStartedAt', 'timestamp'];

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

/** Every (container, key) pair of a JSON value, for picking a place to mutate. */
function places(root: Json): { parent: Json[] | { [key: string]: Json }; key: string | number }[] {
  const out: { parent: Json[] | { [key: string]: Json }; key: string | number }[] = [];
  const stack: Json[] = [root];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (Array.isArray(node)) node.forEach((child, i) => (out.push({ parent: node, key: i }), stack.push(child)));
    else for (const [key, child] of Object.entries(node)) out.push({ parent: node, key }), stack.push(child);
  }
  return out;
}

function set(parent: Json[] | { [key: string]: Json }, key: string | number, value: Json): void {
  (parent as Record<string | number, Json>)[key] = value;
}

function nested(depth: number): Json {
  let value: Json = 'bottom';
  for (let i = 0; i < depth; i += 1) value = i % 2 === 0 ? { a: value } : [value];
  return value;
}

type Mutation = (event: { [key: string]: Json }, random: () => number) => void;

const MUTATIONS: Mutation[] = [
  // deep nesting under an unknown field, or in place of a known one
  (event, random) => {
    const depth = pick(random, [65, 200, 3_000, 20_000]);
    const target = random() < 0.5 ? (event.detail as { [key: string]: Json }) : event;
    if (target && typeof target === 'object') target[random() < 0.5 ? 'extra' : pick(random, ['containers', 'attachments', 'overrides'])] = nested(depth);
  },
  // wrong types anywhere
  (event, random) => {
    const place = pick(random, places(event));
    set(place.parent, place.key, pick(random, [42, true, null, [], {}, ['x'], { S: 'x' }, 'string', -1] as Json[]));
  },
  // wrong type for a field the pipeline relies on
  (event, random) => {
    const detail = event.detail;
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return;
    detail[pick(random, ['taskArn', 'clusterArn', 'group', 'lastStatus', 'version', 'containers', 'stoppedReason', 'eventName', 'alarmName', 'state'])] = pick(random, [
      12, ['arn'], { arn: 'x' }, true, 1e20, 'x',
    ] as Json[]);
  },
  // huge strings
  (event, random) => {
    const strings = places(event).filter((p) => typeof (p.parent as Record<string | number, Json>)[p.key] === 'string');
    if (strings.length === 0) return;
    const place = pick(random, strings);
    const unit = pick(random, [' ', '\n', 'a', '😀', ' \n', 'password=', '\\"']);
    set(place.parent, place.key, unit.repeat(Math.floor((pick(random, [10_000, 100_000, 400_000]) / unit.length))));
  },
  // lone surrogates, control characters, forged headlines and secrets in a string
  (event, random) => {
    const strings = places(event).filter((p) => typeof (p.parent as Record<string | number, Json>)[p.key] === 'string');
    if (strings.length === 0) return;
    const place = pick(random, strings);
    const current = (place.parent as Record<string | number, Json>)[place.key] as string;
    const at = Math.floor(random() * (current.length + 1));
    set(place.parent, place.key, current.slice(0, at) + pick(random, HOSTILE_STRINGS) + current.slice(at));
  },
  // surrogates in the fields used in console links
  (event, random) => {
    const detail = event.detail;
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return;
    const key = pick(random, ['clusterArn', 'group', 'taskArn']);
    if (typeof detail[key] === 'string') detail[key] = `${detail[key] as string}${pick(random, ['\ud800', '\udfff'])}`;
  },
  // out-of-range numbers and timestamps
  (event, random) => {
    const key = pick(random, TIME_KEYS);
    const target = key === 'time' ? event : (event.detail as { [key: string]: Json });
    if (target && typeof target === 'object' && !Array.isArray(target)) target[key] = pick(random, HOSTILE_NUMBERS);
  },
  (event, random) => {
    const numbers = places(event).filter((p) => typeof (p.parent as Record<string | number, Json>)[p.key] === 'number');
    if (numbers.length === 0) return;
    const place = pick(random, numbers);
    set(place.parent, place.key, pick(random, HOSTILE_NUMBERS));
  },
  // a field removed
  (event, random) => {
    const place = pick(random, places(event));
    if (Array.isArray(place.parent)) place.parent.splice(place.key as number, 1);
    else delete place.parent[place.key as string];
  },
];

const CORPUS_EVENTS: { [key: string]: Json }[] = corpusFiles().map(
  (file) => (JSON.parse(readFileSync(join(CORPUS_DIR, file), 'utf8')) as { event: { [key: string]: Json } }).event,
);

// Mutations that always make an event invalid: deep nesting, a non-string where the pipeline needs a
// string, a string over the size limit, a lone surrogate in a console-link field, a time outside the
// range of dates.
const EDGE_MUTATIONS: Mutation[] = [
  (event, random) => {
    const detail = event.detail;
    if (detail && typeof detail === 'object' && !Array.isArray(detail)) detail[pick(random, ['extra', 'containers', 'overrides'])] = nested(pick(random, [65, 500, 20_000]));
    else event.extra = nested(65);
  },
  (event, random) => {
    event[pick(random, ['id', 'detail-type', 'source', 'account', 'region'])] = pick(random, [12, ['x'], { S: 'x' }, true, null] as Json[]);
  },
  (event, random) => {
    const detail = event.detail;
    if (!detail || typeof detail !== 'object' || Array.isArray(detail)) return;
    detail[pick(random, ['taskArn', 'version'])] = pick(random, [{ arn: 'x' }, ['arn'], true] as Json[]);
  },
  (event, random) => {
    event[pick(random, ['extra', 'id'])] = pick(random, [' ', '\n', 'a', '😀']).repeat(300 * 1024);
  },
  (event, random) => {
    const detail = event.detail as { [key: string]: Json } | undefined;
    const key = pick(random, ['clusterArn', 'group', 'taskArn', 'alarmName']);
    const surrogate = pick(random, ['\ud800', '\udfff']);
    if (detail && typeof detail === 'object' && typeof detail[key] === 'string') detail[key] = `${detail[key] as string}${surrogate}`;
    else event.region = `us-east-1${surrogate}`;
  },
  (event, random) => {
    const key = pick(random, TIME_KEYS);
    const value = pick(random, [1e20, -1e20, 1e308, 8.64e15 + 1, '100000000000000000000']);
    const detail = event.detail as { [key: string]: Json } | undefined;
    if (key === 'time' || !detail || typeof detail !== 'object') event.time = value;
    else detail[key] = value;
  },
];

/**
 * Event `i` of the run (deterministic in `i`): a corpus event, with (19 times in 20) one mutation that
 * must get it declined, then zero to two of any kind. The run stays fast (a declined event costs well
 * under a millisecond, an analysed one runs every rule and renderer) while about one event in twenty
 * is analysed end to end with hostile text, wrong types in unknown fields or huge strings in it.
 */
function fuzzedEvent(i: number): unknown {
  const random = seededRandom(0x5eed + i);
  const event = structuredClone(pick(random, CORPUS_EVENTS));
  if (random() < 0.95) pick(random, EDGE_MUTATIONS)(event, random);
  const count = Math.floor(random() * 3);
  for (let m = 0; m < count; m += 1) pick(random, MUTATIONS)(event, random);
  return event;
}

const s3Mock = mockClient(S3Client);
let world: HandlerWorld;
let deps: HandlerDeps;
// Errors only: 10,000 invocations' info and warning lines would cost more than the handler itself.
const logger = new Logger({ serviceName: 'ecs-incident-analyzer-fuzz', logLevel: 'ERROR' });
beforeAll(async () => {
  world = await startHandlerWorld();
  resetMocks();
  serveBundle(loadCorpus('12-arm-image-on-x86-fargate-alb-symptom.json'));
  // Speed: 10,000 invocations in seconds, so the audit write goes to an in-process S3 mock (the
  // audit sink's code still runs) and Slack is off; SNS and the evidence APIs are mocked as in every
  // handler test.
  s3Mock.on(PutObjectCommand).resolves({ ETag: '"0"' });
  deps = world.deps(world.config({ SLACK_SECRET_ARN: '' }), { s3: new S3Client({ region: 'us-east-1' }) });
});
afterAll(async () => {
  s3Mock.restore();
  await world.close();
});

it(`the handler never throws on ${EVENTS} fuzzed events (declined ones are ignored with a one-line reason)`, async () => {
  const failures: string[] = [];
  const statuses: Record<string, number> = {};
  const only = process.env.FUZZ_ONLY?.split(',').map(Number);
  for (const i of only ?? Array.from({ length: EVENTS }, (_, n) => n)) {
    const invocation = await world.invoke(fuzzedEvent(i), { deps, handler: { logger } });
    if (invocation.error !== undefined) {
      // Only a real audit write failure may fail the invocation, and the S3 mock accepts every write here.
      const name = invocation.error instanceof AuditWriteError ? `AuditWriteError ${invocation.error.message}` : String(invocation.error);
      failures.push(`event ${i}: ${name.slice(0, 300)}`);
      continue;
    }
    const result = invocation.result!;
    statuses[result.status] = (statuses[result.status] ?? 0) + 1;
    if (result.status === 'ignored' && (result.reason === '' || /[\r\n\u0000-\u001f]/.test(result.reason))) failures.push(`event ${i}: reason not one clean line`);
  }
  expect(failures).toEqual([]);
  // The generator reaches both sides: events declined at the edge and events analysed end to end.
  expect(statuses.ignored).toBeGreaterThan(EVENTS / 4);
  expect(statuses.analysed).toBeGreaterThan(EVENTS / 50);
}, 600_000);
