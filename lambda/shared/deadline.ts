/**
 * A time budget for one invocation, so every AWS call gives up before Lambda kills the function.
 *
 * Lambda stops an invocation at its configured timeout without running any more of our code, which
 * would lose the report. The deadline is therefore the context's remaining time minus a safety margin
 * kept for building the report and delivering it.
 * https://docs.aws.amazon.com/lambda/latest/dg/nodejs-context.html (`getRemainingTimeInMillis`)
 *
 * Abort reasons are the shared `CallTimeoutError` / `DeadlineExceededError` of `./http-timeout`, so a
 * gap can tell a slow call from an exhausted invocation.
 */
import { CallTimeoutError, DeadlineExceededError } from './http-timeout';

/** The part of the Lambda context the deadline needs. */
export interface RemainingTimeSource {
  /** Milliseconds left before Lambda stops the invocation. */
  getRemainingTimeInMillis(): number;
}

/** Options of `Deadline.fromLambdaContext`. */
export interface LambdaDeadlineOptions {
  /** Milliseconds kept back for reporting and delivery. Default 5000. */
  safetyMarginMs?: number;
  /** Clock in epoch ms (tests pass a fake). Default `Date.now`. */
  now?: () => number;
}

/**
 * A fixed point in time after which no new work should start. Build one per invocation.
 *
 * `signal` aborts (reason `DeadlineExceededError`) when the deadline passes; `signalFor(ms)` gives one
 * call its own timeout that also honours the deadline.
 */
export class Deadline {
  /** Epoch ms at which the deadline passes. */
  readonly expiresAt: number;
  private readonly now: () => number;
  private readonly controller = new AbortController();

  /**
   * @param budgetMs milliseconds from now until the deadline (values below 0 mean already expired).
   * @param now clock in epoch ms.
   */
  constructor(budgetMs: number, now: () => number = Date.now) {
    this.now = now;
    this.expiresAt = now() + Math.max(0, budgetMs);
    const remaining = this.remainingMs();
    if (remaining <= 0) {
      this.controller.abort(new DeadlineExceededError('the invocation deadline was reached'));
    } else {
      // unref: a pending deadline must not keep a CLI process or a test runner alive.
      setTimeout(() => this.controller.abort(new DeadlineExceededError('the invocation deadline was reached')), remaining).unref();
    }
  }

  /** The Lambda's remaining time minus `safetyMarginMs` (default 5000 ms). */
  static fromLambdaContext(context: RemainingTimeSource, options: LambdaDeadlineOptions = {}): Deadline {
    const margin = options.safetyMarginMs ?? 5000;
    return new Deadline(context.getRemainingTimeInMillis() - margin, options.now);
  }

  /** A deadline `ms` milliseconds from now (CLI, tests). */
  static after(ms: number, now?: () => number): Deadline {
    return new Deadline(ms, now);
  }

  /** Milliseconds left, never negative. */
  remainingMs(): number {
    return Math.max(0, this.expiresAt - this.now());
  }

  /** True once the deadline has passed (or its signal fired). */
  get expired(): boolean {
    return this.controller.signal.aborted || this.remainingMs() <= 0;
  }

  /** Aborts when the deadline passes, with a `DeadlineExceededError` reason. */
  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /**
   * A signal for one call: aborts after `timeoutMs` (reason `CallTimeoutError`) or at the deadline
   * (reason `DeadlineExceededError`), whichever comes first.
   */
  signalFor(timeoutMs: number): AbortSignal {
    const timeout = new AbortController();
    const ms = Math.max(0, timeoutMs);
    setTimeout(() => timeout.abort(new CallTimeoutError(`no result within ${ms} ms`, ms)), ms).unref();
    return AbortSignal.any([timeout.signal, this.controller.signal]);
  }
}
