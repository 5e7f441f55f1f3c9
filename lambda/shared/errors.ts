import { oneLine } from './text';

/**
 * The few named errors of the analyzer. Each carries a one-line message (what, where, how to fix) and
 * keeps the underlying error as `cause`, so logs can show the chain while users see one line.
 *
 * Entry points decide what to do with them: the CLI prints a `BadInputError` message alone and exits
 * with code 2 (no stack); the Lambda handler logs and records them.
 */

/** Options shared by every error here. */
export interface AnalyzerErrorOptions {
  /** The error that led to this one (a `SyntaxError`, an SDK exception, …). */
  cause?: unknown;
}


/**
 * The user's input is wrong: a bundle file that is missing or malformed, an event that is not an
 * EventBridge event, a bad option. The CLI exits with code 2 and prints only `message`.
 */
export class BadInputError extends Error {
  override readonly name: string = 'BadInputError';

  constructor(message: string, options: AnalyzerErrorOptions = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause });
  }
}

/**
 * A valid EventBridge event of a type or state the analyzer does not analyse (a task that is RUNNING,
 * a deployment that completed, an alarm back to OK, …). The message says so and lists what is
 * supported. A subclass of `BadInputError` because, for the CLI, it is still the user's input; the
 * Lambda handler can tell it apart and skip the event quietly.
 */
export class UnsupportedEventError extends BadInputError {
  override readonly name: string = 'UnsupportedEventError';
}

/** Options of a `CollectorError`. */
export interface CollectorErrorOptions extends AnalyzerErrorOptions {
  /** The AWS operation that failed, e.g. `ecs:DescribeTasks`. */
  operation?: string;
}

/**
 * A live collector could not fetch something (access denied, throttled, timed out, not found).
 * Collectors normally turn it into an evidence gap rather than letting it end the analysis.
 */
export class CollectorError extends Error {
  override readonly name: string = 'CollectorError';
  /** The AWS operation that failed, e.g. `ecs:DescribeTasks`, when known. */
  readonly operation?: string;

  constructor(message: string, options: CollectorErrorOptions = {}) {
    super(oneLine(message), options.cause === undefined ? undefined : { cause: options.cause });
    if (options.operation !== undefined) this.operation = options.operation;
  }
}
