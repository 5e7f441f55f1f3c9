import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { keepIdleConnections } from './idle-connections';

/**
 * A real local HTTP server standing in for Slack: an incoming webhook, and the two Web API methods
 * the bot-token channel calls (`/api/chat.postMessage`, `/api/chat.update`). It records every POST,
 * checks the payload against the Block Kit limits independently of our renderer, and answers as
 * scripted (by default 200 `ok` for the webhook, and for the Web API `{"ok": true, "channel", "ts"}`
 * as Slack documents, https://docs.slack.dev/reference/methods/chat.postMessage; a status with
 * headers; or never — to prove client timeouts).
 */

/** How the server answers one request. `hang` never answers (the socket stays open until close). */
export type SlackServerReply = { status: number; body?: string; headers?: Record<string, string> } | 'hang';

/** One received POST. */
export interface ReceivedPost {
  path: string;
  headers: IncomingHttpHeaders;
  /** Parsed JSON body (undefined when it was not JSON). */
  payload: unknown;
  /** Block Kit violations found in `payload` (empty = valid). */
  violations: string[];
  /** Epoch ms when the request arrived. */
  at: number;
}

/** A running server. */
export interface SlackTestServer {
  /** The webhook URL to post to (a Slack-shaped path on 127.0.0.1). */
  url: string;
  /** The Web API base URL (`http://127.0.0.1:<port>/api/`). */
  apiUrl: string;
  requests: ReceivedPost[];
  /** Queues replies for the next requests, in order; once used up, requests get 200 `ok`. */
  reply(...replies: SlackServerReply[]): void;
  /** Closes every connection (including hung ones) and the server. */
  close(): Promise<void>;
}

/** Starts the server on 127.0.0.1 and a random free port. */
export async function startSlackServer(): Promise<SlackTestServer> {
  const queue: SlackServerReply[] = [];
  const requests: ReceivedPost[] = [];
  const sockets = new Set<Socket>();
  let messages = 0;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let payload: unknown;
      try {
        payload = JSON.parse(raw);
      } catch {
        payload = undefined;
      }
      const violations = payload === undefined ? ['body is not JSON'] : blockKitViolations(payload);
      const path = req.url ?? '';
      requests.push({ path, headers: req.headers, payload, violations, at: Date.now() });
      const next = queue.shift() ?? (path.startsWith('/api/') ? webApiReply(path, req.headers.authorization, payload, violations, (messages += 1)) : { status: violations.length ? 400 : 200, body: violations.length ? 'invalid_blocks' : 'ok' });
      if (next === 'hang') return;
      res.writeHead(next.status, { 'content-type': 'text/plain', ...next.headers });
      res.end(next.body ?? '');
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => keepIdleConnections(server).listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX`,
    apiUrl: `http://127.0.0.1:${port}/api/`,
    requests,
    reply: (...replies) => queue.push(...replies),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const socket of sockets) socket.destroy();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/**
 * The Web API's answer: `{"ok": true, "channel", "ts"}` (HTTP 200) for a valid call; `{"ok": false,
 * "error"}` (also HTTP 200, as Slack does) without a bearer token, without a channel, or with invalid
 * blocks. `chat.update` answers with the `ts` it was given.
 */
function webApiReply(path: string, authorization: string | undefined, payload: unknown, violations: string[], sequence: number): SlackServerReply {
  const json = (body: Record<string, unknown>): SlackServerReply => ({ status: 200, body: JSON.stringify(body), headers: { 'content-type': 'application/json; charset=utf-8' } });
  if (!/^Bearer xox[a-z]-\S+$/.test(authorization ?? '')) return json({ ok: false, error: 'not_authed' });
  const body = isRecord(payload) ? payload : {};
  if (typeof body.channel !== 'string' || body.channel === '') return json({ ok: false, error: 'channel_not_found' });
  if (violations.length) return json({ ok: false, error: 'invalid_blocks' });
  const channel = body.channel.startsWith('#') ? 'C0NAMED000' : body.channel;
  if (path === '/api/chat.update') {
    return typeof body.ts === 'string' ? json({ ok: true, channel, ts: body.ts, text: body.text }) : json({ ok: false, error: 'message_not_found' });
  }
  if (path === '/api/chat.postMessage') {
    return json({ ok: true, channel, ts: `1767225600.${String(sequence).padStart(6, '0')}`, message: { text: body.text } });
  }
  return json({ ok: false, error: 'unknown_method' });
}

const LIMITS = { blocks: 50, header: 150, section: 3000, fields: 10, field: 2000, context: 10, contextText: 3000, actions: 25, buttonText: 75, url: 3000 };

/**
 * Block Kit problems in a message payload, as Slack documents them
 * (https://docs.slack.dev/reference/block-kit/blocks): block count, text lengths, element counts,
 * unescaped `&`, `<`, `>` in mrkdwn (links `<http…|label>` excepted) and unbalanced code fences.
 */
export function blockKitViolations(payload: unknown): string[] {
  const problems: string[] = [];
  if (!isRecord(payload)) return ['payload is not an object'];
  if (typeof payload.text !== 'string' || payload.text.trim() === '') problems.push('text fallback missing');
  else problems.push(...mrkdwnProblems('text', payload.text));
  const blocks = payload.blocks;
  if (!Array.isArray(blocks)) return [...problems, 'blocks is not an array'];
  if (blocks.length > LIMITS.blocks) problems.push(`${blocks.length} blocks > ${LIMITS.blocks}`);
  blocks.forEach((block: unknown, i) => {
    const at = `blocks[${i}]`;
    if (!isRecord(block)) return problems.push(`${at} is not an object`);
    const text = isRecord(block.text) ? block.text : undefined;
    switch (block.type) {
      case 'header':
        if (text?.type !== 'plain_text' || typeof text.text !== 'string') problems.push(`${at} header needs plain_text`);
        else if (text.text.length > LIMITS.header || text.text.length === 0) problems.push(`${at} header length ${text.text.length}`);
        break;
      case 'section': {
        if (text) problems.push(...textProblems(`${at}.text`, text, LIMITS.section));
        const fields = block.fields;
        if (fields !== undefined) {
          if (!Array.isArray(fields) || fields.length > LIMITS.fields) problems.push(`${at}.fields count`);
          else fields.forEach((f: unknown, j) => problems.push(...textProblems(`${at}.fields[${j}]`, f, LIMITS.field)));
        }
        if (!text && fields === undefined) problems.push(`${at} section without text or fields`);
        break;
      }
      case 'context': {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > LIMITS.context) problems.push(`${at}.elements count`);
        else elements.forEach((e: unknown, j) => problems.push(...textProblems(`${at}.elements[${j}]`, e, LIMITS.contextText)));
        break;
      }
      case 'actions': {
        const elements = block.elements;
        if (!Array.isArray(elements) || elements.length === 0 || elements.length > LIMITS.actions) problems.push(`${at}.elements count`);
        else
          elements.forEach((e: unknown, j) => {
            if (!isRecord(e) || !isRecord(e.text) || typeof e.text.text !== 'string') return problems.push(`${at}.elements[${j}] malformed`);
            if (e.text.text.length > LIMITS.buttonText) problems.push(`${at}.elements[${j}] button text ${e.text.text.length}`);
            if (typeof e.url === 'string' && e.url.length > LIMITS.url) problems.push(`${at}.elements[${j}] url ${e.url.length}`);
            return undefined;
          });
        break;
      }
      case 'divider':
        break;
      default:
        problems.push(`${at} unknown block type ${String(block.type)}`);
    }
    return undefined;
  });
  return problems;
}

function textProblems(at: string, value: unknown, max: number): string[] {
  if (!isRecord(value) || typeof value.text !== 'string' || (value.type !== 'mrkdwn' && value.type !== 'plain_text')) return [`${at} is not a text object`];
  const problems = value.text.length > max ? [`${at} length ${value.text.length} > ${max}`] : [];
  if (value.text.length === 0) problems.push(`${at} is empty`);
  if (value.type === 'mrkdwn') problems.push(...mrkdwnProblems(at, value.text));
  return problems;
}

function mrkdwnProblems(at: string, text: string): string[] {
  const problems: string[] = [];
  const withoutLinks = text.replace(/<(https?:\/\/[^<>|\s]+)\|[^<>]*>/g, '');
  if (/[<>]/.test(withoutLinks)) problems.push(`${at} has an unescaped < or >`);
  if (/&(?!amp;|lt;|gt;)/.test(text)) problems.push(`${at} has an unescaped &`);
  if ((text.match(/```/g) ?? []).length % 2 !== 0) problems.push(`${at} has an unbalanced code fence`);
  return problems;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
