import type { Server } from 'node:http';

/**
 * Keeps a local server's idle keep-alive connections open until the server closes (Node closes
 * idle ones on `server.close()` since v19). Node's default closes them after 5 s, which races a
 * busy client that reuses the socket at that moment: its request fails with `ECONNRESET`, and the
 * tests' one-attempt clients (no SDK retry, so faults stay countable) report a fault that no
 * AWS endpoint would cause. https://nodejs.org/api/http.html#serverkeepalivetimeout
 */
export function keepIdleConnections<T extends Server>(server: T): T {
  server.keepAliveTimeout = 0;
  return server;
}
