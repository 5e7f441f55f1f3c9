import { withTimeout } from './http-timeout';

/**
 * One time budget per logical AWS call, retries included, for SDK clients used by libraries that
 * pass no abort signal (Powertools idempotency calls `client.send(command)`).
 *
 * The SDK's `requestTimeout` applies to each HTTP attempt, so a hung endpoint costs `maxAttempts ×
 * requestTimeout` plus backoff. `withCallBudget` returns the same client whose `send` runs under
 * `withTimeout`: the abort signal it passes reaches the SDK (`send(command, { abortSignal })`), which
 * stops the attempt in flight and the retries after it
 * (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/migrating.html, abort controller).
 */

/** The part of an SDK v3 client `withCallBudget` wraps. */
interface SendingClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * A view of `client` whose every `send` settles within `timeoutMs`, retries included, and aborts
 * the call when the budget runs out (rejecting with `CallTimeoutError`, "`<service> <Command>` timed
 * out after N ms"). Every other property is the client's own.
 *
 * @param service names the call in errors, e.g. `DynamoDB`.
 */
export function withCallBudget<C extends object>(client: C, timeoutMs: number, service: string): C {
  const target = client as C & SendingClient;
  const send = (command: unknown, options: { abortSignal?: AbortSignal } = {}) => {
    const name = (command as { constructor?: { name?: string } }).constructor?.name?.replace(/Command$/, '') ?? 'call';
    return withTimeout({ timeoutMs, ...(options.abortSignal ? { signal: options.abortSignal } : {}) }, `${service} ${name}`, (abortSignal) =>
      target.send(command, { ...options, abortSignal }),
    );
  };
  return new Proxy(target, {
    get(object, property, receiver) {
      if (property === 'send') return send;
      return Reflect.get(object, property, receiver) as unknown;
    },
  });
}
