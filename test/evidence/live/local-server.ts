import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

/** A request the local server received. */
export interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** `X-Amz-Target` (JSON protocols) or the `Action` form field (query protocols). */
  operation: string;
}

/** A local HTTP server on 127.0.0.1 standing in for an AWS endpoint. */
export interface LocalServer {
  url: string;
  requests: ReceivedRequest[];
  close(): Promise<void>;
}

type Reply = (request: ReceivedRequest, res: ServerResponse) => void;

/** Starts an HTTP server on 127.0.0.1 (an IP, so clients never try virtual-host names). */
export async function startHttpServer(reply: Reply): Promise<LocalServer> {
  const requests: ReceivedRequest[] = [];
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const target = req.headers['x-amz-target'];
      const action = new URLSearchParams(body).get('Action');
      const received: ReceivedRequest = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body,
        operation: (typeof target === 'string' ? target.split('.').pop() : undefined) ?? action ?? '',
      };
      requests.push(received);
      reply(received, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Answers an AWS JSON 1.1 call (ECS, CloudWatch Logs). */
export function jsonReply(res: ServerResponse, status: number, body: unknown, errorType?: string): void {
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.1',
    'x-amzn-requestid': 'req-1',
    ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
  });
  res.end(JSON.stringify(body));
}

/** A TCP server that accepts connections and never answers: a hung AWS call. */
export interface HungServer {
  url: string;
  /** Sockets accepted so far, with whether the client has closed them. */
  sockets: { socket: Socket; closed: boolean }[];
  close(): Promise<void>;
}

export async function startHungServer(): Promise<HungServer> {
  const sockets: HungServer['sockets'] = [];
  const server = createTcpServer((socket) => {
    const entry = { socket, closed: false };
    sockets.push(entry);
    socket.on('close', () => {
      entry.closed = true;
    });
    socket.on('error', () => undefined);
    // Read and ignore the request; never write a byte back.
    socket.resume();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sockets,
    close: () =>
      new Promise<void>((resolve) => {
        for (const { socket } of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Resolves when `predicate` holds, polling every 10 ms, or rejects after `ms`. */
export async function waitFor(predicate: () => boolean, ms = 2000): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Fake credentials: the SDK signs requests, the local servers ignore the signature. */
export const TEST_CREDENTIALS = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };
