import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';

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

/** The persistence layer and configuration, built once per execution environment. */
export interface Idempotency {
  persistenceStore: DynamoDBPersistenceLayer;
  config: IdempotencyConfig;
}

/** Builds the idempotency setup on `tableName`, with records kept `expirySeconds`. */
export function buildIdempotency(options: { tableName: string; client: DynamoDBClient; expirySeconds: number }): Idempotency {
  return {
    persistenceStore: new DynamoDBPersistenceLayer({ tableName: options.tableName, awsSdkV3Client: options.client }),
    config: new IdempotencyConfig({ eventKeyJmesPath: IDEMPOTENCY_KEY_JMESPATH, expiresAfterSeconds: options.expirySeconds }),
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
  | { kind: 'unguarded'; value: T; error: unknown };

/**
 * Runs `fn` at most once per idempotency key of `event`.
 *
 * Events without a key (no `id`) run unguarded by design of Powertools (`throwOnNoIdempotencyKey`
 * off). When the table cannot be used, `fn` still runs — a missed duplicate is better than a lost
 * alert — and the result says so.
 *
 * @throws whatever `fn` throws (its in-progress record is deleted first, so a retry runs again).
 */
export async function runOnce<T>(idempotency: Idempotency, event: unknown, context: Context, fn: () => Promise<T>): Promise<OnceResult<T>> {
  let ran = false;
  let value: T | undefined;
  let failure: { error: unknown } | undefined;
  const once = makeIdempotent(
    async (_payload: unknown): Promise<T> => {
      ran = true;
      try {
        value = await fn();
        return value;
      } catch (error) {
        failure = { error };
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
    return { kind: 'unguarded', value: await fn(), error };
  }
}
