import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { DUPLICATE_CHECK_UNAVAILABLE, LocalGuard } from '../delivery/local-guard';
import { withCallBudget } from '../shared/call-budget';
import { describeError } from '../shared/http-timeout';

/**
 * At-most-once processing of an event with Powertools idempotency and a DynamoDB table
 * (https://docs.aws.amazon.com/powertools/typescript/latest/features/idempotency/).
 *
 * EventBridge and Lambda's asynchronous invocation deliver at least once: a retried delivery carries
 * the same EventBridge `id`. ECS also sends events at least once, and a duplicate task state change
 * may come as a new EventBridge event (new `id`) with the same `detail.version` — "duplicate events
 * have the same version in the detail object"
 * (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/ecs_cwet_handling.html). So the key is
 * `taskArn#version` for task events (which covers both kinds of duplicate) and the event `id` for
 * every other event (service and alarm events have no `detail.version`).
 *
 * The first delivery stores an in-progress record (expiring with the invocation's remaining time,
 * `registerLambdaContext`), runs, and stores its result for `expirySeconds`; a later delivery with
 * the same key gets that result without running. The table's layout is Powertools' default:
 * partition key `id`, TTL attribute `expiration`.
 *
 * Powertools idempotency brings `@aws-sdk/client-dynamodb` and `@aws-sdk/lib-dynamodb`, so this module is
 * imported only by the modules the handler loads on its first invocation (`dependencies.ts`, which
 * builds the persistence layer, and `invocation.ts`), never on the cold-start path.
 */

/**
 * JMESPath of the idempotency key: `taskArn#version` when the event has both, else the event `id`.
 * JMESPath `&&`/`||` return operands, and only null, false and empty values are false (0 is true),
 * so a task event without a version falls back to `id`.
 */
export const IDEMPOTENCY_KEY_JMESPATH = "detail.taskArn && detail.version && join('#', [detail.taskArn, to_string(detail.version)]) || id";

/**
 * The key `IDEMPOTENCY_KEY_JMESPATH` selects, computed without JMESPath for the in-memory fallback:
 * `taskArn#version` for a task event with both, else the event `id`; undefined without either.
 */
export function idempotencyKeyOf(event: unknown): string | undefined {
  if (!event || typeof event !== 'object') return undefined;
  const { id, detail } = event as { id?: unknown; detail?: { taskArn?: unknown; version?: unknown } };
  const taskArn = detail && typeof detail === 'object' ? detail.taskArn : undefined;
  const version = detail && typeof detail === 'object' ? detail.version : undefined;
  if (typeof taskArn === 'string' && taskArn !== '' && (typeof version === 'number' || (typeof version === 'string' && version !== ''))) return `${taskArn}#${version}`;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

/** The persistence layer and configuration, built once per execution environment. */
export interface Idempotency {
  persistenceStore: DynamoDBPersistenceLayer;
  config: IdempotencyConfig;
  /** Keys this execution environment processed: the duplicate check while the table fails. */
  local: LocalGuard;
}

/**
 * Builds the idempotency setup on `tableName`, with records kept `expirySeconds`. Each DynamoDB call
 * Powertools makes gets one budget of `timeoutMs` that includes the SDK's retries and backoff
 * (`withCallBudget`): Powertools passes no abort signal of its own.
 */
export function buildIdempotency(options: { tableName: string; client: DynamoDBClient; expirySeconds: number; timeoutMs?: number }): Idempotency {
  const client = options.timeoutMs !== undefined ? withCallBudget(options.client, options.timeoutMs, 'DynamoDB') : options.client;
  return {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: client }),
    config: new IdempotencyConfig({ eventKeyJmesPath: IDEMPOTENCY_KEY_JMESPATH, expiresAfterSeconds: options.expirySeconds }),
    local: new LocalGuard(),
  };
}

/** What `runOnce` did. */
export type OnceResult<T> =
  | { kind: 'ran'; value: T }
  /** A completed earlier delivery's stored result; `fn` did not run. */
  | { kind: 'duplicate'; value: T }
  /** Another invocation is processing the same key right now; `fn` did not run. */
  | { kind: 'in-progress' }
  /** The table failed; `fn` ran (or its result is returned) without the guarantee. */
  | { kind: 'unguarded'; value: T; error: unknown }
  /** The table failed and this execution environment already processed the key; `fn` did not run. */
  | { kind: 'local-duplicate'; error: unknown };

/** The note `fn` receives when it runs without the table's duplicate check. */
export function unguardedNote(error: unknown): string {
  return `${DUPLICATE_CHECK_UNAVAILABLE}: the idempotency table could not be used (${describeError(error)}), so a repeat of this event may be notified again.`;
}

/**
 * Runs `fn` at most once per idempotency key of `event`.
 *
 * Events without a key (no `id`) run unguarded by design of Powertools (`throwOnNoIdempotencyKey`
 * off). When the table cannot be used, `fn` still runs — a missed duplicate is better than a lost
 * alert — with a note for the message ("Duplicate check unavailable"), unless this execution
 * environment already processed the key (`local-duplicate`), and the result says so.
 *
 * @throws whatever `fn` throws (its in-progress record is deleted first, so a retry runs again).
 */
export async function runOnce<T>(idempotency: Idempotency, event: unknown, context: Context, fn: (notes: readonly string[]) => Promise<T>): Promise<OnceResult<T>> {
  const key = idempotencyKeyOf(event);
  // Counted before the table is asked, so that a concurrent delivery in this environment that finds
  // the table failing sees this one; forgotten again when the run fails (Lambda retries it).
  const seen = key ? idempotency.local.take(key) : 1;
  let ran = false;
  let value: T | undefined;
  let failure: { error: unknown } | undefined;
  const once = makeIdempotent(
    async (_payload: unknown): Promise<T> => {
      ran = true;
      try {
        value = await fn([]);
        return value;
      } catch (error) {
        failure = { error };
        if (key) idempotency.local.release(key);
        throw error;
      }
    },
    { persistenceStore: idempotency.persistenceStore, config: idempotency.config },
  );
  idempotency.config.registerLambdaContext(context);
  try {
    const result = await once(event);
    return ran ? { kind: 'ran', value: result } : { kind: 'duplicate', value: result };
  } catch (error) {
    if (failure) throw failure.error;
    const name = error instanceof Error ? error.name : '';
    if (name === 'IdempotencyAlreadyInProgressError') return { kind: 'in-progress' };
    // Saving the in-progress record failed (run now), or saving the result did (keep it).
    if (ran) return { kind: 'unguarded', value: value as T, error };
    // Without the table, this environment's memory is the duplicate check.
    if (seen > 1) return { kind: 'local-duplicate', error };
    try {
      return { kind: 'unguarded', value: await fn([unguardedNote(error)]), error };
    } catch (failed) {
      if (key) idempotency.local.release(key);
      throw failed;
    }
  }
}
