import type { Deadline } from './deadline';
import { CallTimeoutError, DeadlineExceededError } from './http-timeout';
import { cutText, oneLine } from './text';

/**
 * Runs one AWS SDK call under a per-call timeout and the invocation deadline, and turns any failure
 * into one sentence for `evidence.gaps`. Collectors use it so that no failure escapes as an exception.
 */

/** The result of `callAws`: the value, or the sentence that explains why there is none. */
export type CallOutcome<T> = { ok: true; value: T } | { ok: false; gap: string; error: unknown };

/** What every collector needs to make calls: the invocation deadline and the per-call timeout. */
export interface CallContext {
  deadline: Deadline;
  /** Milliseconds one SDK call may take including retries and backoff. */
  callTimeoutMs: number;
}

/** Options of one call. */
export interface CallOptions {
  /** Milliseconds the call may take including SDK retries and backoff. */
  timeoutMs: number;
  /** What the call was about, named in the gap (e.g. `task 0123…`, `log group /ecs/web`). */
  subject?: string;
}

/**
 * Runs `fn` with an abort signal that fires after `timeoutMs` or at the deadline.
 * Never throws: a rejected, aborted or hung call yields `{ ok: false, gap }`. The race against the
 * signal also abandons calls that ignore their signal (e.g. a test double that never settles).
 *
 * @param action `service:Operation`, e.g. `ecs:DescribeTasks`, as IAM names it.
 */
export async function callAws<T>(
  action: string,
  deadline: Deadline,
  options: CallOptions,
  fn: (abortSignal: AbortSignal) => Promise<T>,
): Promise<CallOutcome<T>> {
  if (deadline.expired) {
    const error = new DeadlineExceededError('the invocation deadline was reached');
    return { ok: false, error, gap: describeFailure(action, error, options.subject) };
  }
  // Not clipped to the remaining time: when the deadline comes first, its own signal fires and the gap
  // says "deadline" rather than "timed out".
  const signal = deadline.signalFor(options.timeoutMs);
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    const value = await Promise.race([fn(signal), aborted]);
    return { ok: true, value };
  } catch (error) {
    return { ok: false, error, gap: describeFailure(action, error, options.subject) };
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
    // The losing `aborted` promise may still reject later; nothing awaits it, so swallow that.
    aborted.catch(() => undefined);
  }
}

// Error codes AWS services use for throttling (ECS, Logs: ThrottlingException; ELBv2, CloudWatch:
// Throttling). https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html
const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
]);
const ACCESS_DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException']);
const NOT_FOUND = new Set(['ResourceNotFoundException', 'TargetGroupNotFoundException', 'ClusterNotFoundException', 'ServiceNotFoundException']);

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  cause?: unknown;
  $metadata?: { attempts?: unknown; httpStatusCode?: unknown };
}

function asErrorLike(error: unknown): ErrorLike {
  return typeof error === 'object' && error !== null ? (error as ErrorLike) : { message: String(error) };
}

/** The AWS error code (`name`) of an SDK error, e.g. `AccessDeniedException`; `undefined` if none. */
export function errorName(error: unknown): string | undefined {
  const { name } = asErrorLike(error);
  return typeof name === 'string' ? name : undefined;
}

/** True for an SDK error whose code means AWS throttled the call (after the SDK's own retries). */
export function isThrottling(error: unknown): boolean {
  return THROTTLING.has(errorName(error) ?? '');
}

/** True for an SDK error that means the caller may not make the call (access denied, not authorised). */
export function isAccessDenied(error: unknown): boolean {
  const { message } = asErrorLike(error);
  return ACCESS_DENIED.has(errorName(error) ?? '') || (typeof message === 'string' && /not authorized to perform/i.test(message));
}

/** True for an SDK error whose code means the resource does not exist (e.g. a missing log group). */
export function isNotFound(error: unknown): boolean {
  return NOT_FOUND.has(errorName(error) ?? '');
}

function shortMessage(error: ErrorLike): string {
  const message = typeof error.message === 'string' ? error.message : '';
  const line = oneLine(message);
  return cutText(line.endsWith('.') ? line.slice(0, -1) : line, 240, '...');
}

function abortReason(error: ErrorLike): unknown {
  if (error instanceof DeadlineExceededError || error instanceof CallTimeoutError) return error;
  // The SDK's HTTP handler wraps the signal's reason as `AbortError` with `cause`.
  if (error.name === 'AbortError' && (error.cause instanceof DeadlineExceededError || error.cause instanceof CallTimeoutError)) {
    return error.cause;
  }
  return undefined;
}

/**
 * One sentence naming the call and why it failed, for `evidence.gaps`.
 * Examples: `ecs:DescribeTasks for task abc failed: access denied (AccessDeniedException: …).`
 */
export function describeFailure(action: string, error: unknown, subject?: string): string {
  const what = subject ? `${action} for ${subject}` : action;
  const e = asErrorLike(error);
  const reason = abortReason(e);
  if (reason instanceof DeadlineExceededError) {
    return `${what} was not completed: the invocation deadline was reached, so the analysis went on without it.`;
  }
  if (reason instanceof CallTimeoutError) {
    return `${what} timed out: no result within ${reason.timeoutMs} ms including retries.`;
  }
  const name = typeof e.name === 'string' ? e.name : 'Error';
  const message = shortMessage(e);
  const detail = message ? `${name}: ${message}` : name;
  const attempts = typeof e.$metadata?.attempts === 'number' ? e.$metadata.attempts : undefined;
  if (name === 'TimeoutError' || e.code === 'ETIMEDOUT') {
    return `${what} timed out: the HTTP request got no response in time${attempts ? ` (${attempts} attempts)` : ''}.`;
  }
  if (THROTTLING.has(name)) {
    return `${what} failed: throttled by AWS${attempts ? ` after ${attempts} attempts` : ''} (${detail}).`;
  }
  if (ACCESS_DENIED.has(name) || /not authorized to perform/i.test(message)) {
    return `${what} failed: access denied, the caller's AWS credentials lack this permission (${detail}).`;
  }
  if (NOT_FOUND.has(name)) {
    return `${what} failed: not found (${detail}).`;
  }
  return `${what} failed (${detail}).`;
}
