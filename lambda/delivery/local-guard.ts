/**
 * The fallback when the DynamoDB state table cannot be used: a bounded, in-memory count per key, kept
 * by one Lambda execution environment (module state survives between the invocations it serves,
 * https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtime-environment.html). It cannot see what
 * other environments did, so it bounds a flood rather than deduplicating exactly; the table is the
 * exact guard.
 */

/** Options of `LocalGuard`. */
export interface LocalGuardOptions {
  /** Keys remembered; the least recently seen is forgotten first. Default 1 000. */
  maxKeys?: number;
  /** Milliseconds of quiet after which a key's count starts again; default: never. */
  windowMs?: number;
}

/** Counts how often each key was taken, in this execution environment. */
export class LocalGuard {
  private readonly counts = new Map<string, { count: number; lastMs: number }>();
  private readonly maxKeys: number;
  private readonly windowMs: number;

  constructor(options: LocalGuardOptions = {}) {
    this.maxKeys = Math.max(1, options.maxKeys ?? 1_000);
    this.windowMs = options.windowMs ?? Number.POSITIVE_INFINITY;
  }

  /**
   * Counts one more use of `key` at `nowMs` (epoch ms) and returns the count, 1 for the first use
   * (or the first after `windowMs` of quiet).
   */
  take(key: string, nowMs: number = Date.now()): number {
    const previous = this.counts.get(key);
    const count = previous && nowMs - previous.lastMs < this.windowMs ? previous.count + 1 : 1;
    // Re-inserted so that the Map's order is least recently seen first.
    this.counts.delete(key);
    this.counts.set(key, { count, lastMs: nowMs });
    while (this.counts.size > this.maxKeys) {
      const oldest = this.counts.keys().next().value;
      if (oldest === undefined) break;
      this.counts.delete(oldest);
    }
    return count;
  }

  /** Forgets `key` (its use failed and may be retried). */
  release(key: string): void {
    this.counts.delete(key);
  }
}

/** Wording shared by every message sent while the duplicate check is unavailable. */
export const DUPLICATE_CHECK_UNAVAILABLE = 'Duplicate check unavailable';
