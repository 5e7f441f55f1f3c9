/**
 * Time budgets for outbound calls: every call gets an `AbortSignal` that fires at the earlier of its
 * own timeout and the invocation's deadline, and the caller's promise settles when it fires, even if
 * the underlying client ignores the signal.
 *
 * Why both: AWS SDK v3 honours `send(command, { abortSignal })`, but its Node HTTP handler only logs a
 * warning when `requestTimeout` passes unless `throwOnRequestTimeout` is set; some libraries (a cached
 * secret fetch, a mocked client) take no signal at all. Racing the signal keeps the Lambda on time.
 */

/** How long one call may take. */
export interface CallBudget {
  /** Longest the call may take, in milliseconds. */
  timeoutMs: number;
  /** Epoch milliseconds after which nothing may still be running (the invocation's deadline). */
  deadline?: number;
  /** Aborts the call early, e.g. when the whole invocation is abandoned. */
  signal?: AbortSignal;
}

/** A call did not finish within its budget. `timeoutMs` is the budget it was given. */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  constructor(
    message: string,
    readonly timeoutMs: number,
  ) {
    super(message);
  }
}

/** The words of a call that was never started because the deadline had passed (`withTimeout`). */
export const NO_TIME_LEFT = 'no time left before the deadline';

/** No time was left before the deadline to start a call. */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
}

/** Milliseconds left before `deadline` (epoch ms); `Infinity` without a deadline, never negative. */
export function remainingMs(deadline: number | undefined, now: number = Date.now()): number {
  if (deadline === undefined) return Number.POSITIVE_INFINITY;
  return Math.max(0, deadline - now);
}

/** The time one call may use: the smaller of its timeout and the time left before the deadline, in ms. */
export function callBudgetMs(budget: CallBudget, now: number = Date.now()): number {
  return Math.max(0, Math.min(budget.timeoutMs, remainingMs(budget.deadline, now), MAX_TIMER_MS));
}

/** Node fires timers longer than 2^31-1 ms after 1 ms instead, so budgets are capped at that (~24.8 days). */
const MAX_TIMER_MS = 2_147_483_647;

/**
 * Settles with `promise`, or rejects with `signal.reason` as soon as `signal` aborts, whichever is
 * first. The listener is removed once settled so long-lived signals do not accumulate listeners.
 */
export function raceSignal<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined); // the abandoned call may still reject later; nobody awaits it
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/**
 * Runs `fn` with a signal that aborts after `callBudgetMs(budget)` or when `budget.signal` aborts,
 * and settles no later than that.
 *
 * @param what - names the call in error messages, e.g. `S3 PutObject`.
 * @throws DeadlineExceededError when no time is left before the deadline (fn is not called).
 * @throws CallTimeoutError when the budget runs out first (`${what} timed out after N ms`).
 * @throws the reason of `budget.signal` when it aborts first, or whatever `fn` throws.
 */
export async function withTimeout<T>(
  budget: CallBudget,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if (budget.signal?.aborted) throw abortReason(budget.signal, what);
  const ms = callBudgetMs(budget);
  if (ms <= 0) throw new DeadlineExceededError(`${what}: ${NO_TIME_LEFT}`);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new CallTimeoutError(`${what} timed out after ${ms} ms`, ms)),
    ms,
  );
  const onOuterAbort = (): void => controller.abort(abortReason(budget.signal as AbortSignal, what));
  budget.signal?.addEventListener('abort', onOuterAbort, { once: true });
  try {
    return await raceSignal(Promise.resolve().then(() => fn(controller.signal)), controller.signal);
  } finally {
    clearTimeout(timer);
    budget.signal?.removeEventListener('abort', onOuterAbort);
  }
}

/**
 * Resolves after `ms` milliseconds; rejects early with the signal's reason when it aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const done = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, Math.max(0, ms));
  });
  if (!signal) return done;
  // Clear the timer on abort too, so an abandoned wait does not keep the process alive.
  return raceSignal(done, signal).finally(() => clearTimeout(timer));
}

/**
 * A readable one-line description of any thrown value: `Name: message` for named errors such as AWS
 * service exceptions (`AccessDenied: …`), plus the `cause` message when it adds something.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const base = error.message || error.name;
  const selfExplaining = error instanceof CallTimeoutError || error instanceof DeadlineExceededError;
  const named = error.name && error.name !== 'Error' && !selfExplaining && !base.startsWith(error.name) ? `${error.name}: ${base}` : base;
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause && !named.includes(cause) ? `${named} (${cause})` : named;
}

function abortReason(signal: AbortSignal, what: string): Error {
  const reason: unknown = signal.reason;
  if (reason instanceof Error) return reason;
  return new Error(`${what} was aborted${reason === undefined ? '' : `: ${String(reason)}`}`);
}
