import * as z from 'zod/mini';
import { en } from 'zod/locales';
import { BadInputError } from '../shared/errors';

/**
 * Limits of the live evidence collection. Collectors never read the environment; the handler or CLI
 * builds this object (from `collectConfigFromEnv` or options) and passes it in.
 */
export interface CollectConfig {
  /** Milliseconds one AWS call may take, SDK retries and backoff included. */
  callTimeoutMs: number;
  /** Log events kept per stream (first lines + last lines). */
  logLineBudget: number;
  /** UTF-8 bytes of log messages kept per stream. */
  logByteBudget: number;
  /** GetLogEvents calls per stream and direction at most. */
  maxLogPagesPerDirection: number;
  /** Log streams read per incident at most. */
  maxLogStreams: number;
  /** Stopped tasks analysed per service for service-level triggers (most relevant first). */
  maxTasks: number;
  /** Of those, how many get their logs read. */
  maxTasksWithLogs: number;
  /** Ask DescribeTasks for task tags (`include: ['TAGS']`). */
  includeTaskTags: boolean;
  /** Clusters searched for the services of an alarm's target group; empty = ListClusters. */
  clusters: string[];
  /** Clusters searched at most when listing them. */
  maxClusters: number;
  /** Services examined per cluster at most when searching for a target group's services. */
  maxServicesPerCluster: number;
  /** Milliseconds added around a task's life when reading its logs (clock skew, late flushes). */
  logWindowSlackMs: number;
  /**
   * Look up who made the change in CloudTrail (LookupEvents: no resource-level permission, two
   * requests per second per account and Region, so off by default).
   */
  lookupChangeActor: boolean;
}

/** Defaults: 400 lines / 256 KiB per stream, 8 s per call. */
export const DEFAULT_COLLECT_CONFIG: CollectConfig = {
  callTimeoutMs: 8000,
  logLineBudget: 400,
  logByteBudget: 256 * 1024,
  maxLogPagesPerDirection: 5,
  maxLogStreams: 8,
  maxTasks: 10,
  maxTasksWithLogs: 3,
  includeTaskTags: false,
  clusters: [],
  maxClusters: 10,
  maxServicesPerCluster: 100,
  logWindowSlackMs: 60_000,
  lookupChangeActor: false,
};

// zod/mini, the tree-shakable API, because the Lambda handler loads this module on every cold start.
// It loads no locale, and the messages below quote zod's English ones: set them unless a locale is set
// (see `./events`).
if (!z.config().localeError) z.config(en());

const positiveInt = (max: number) => z.coerce.number().check(z.int(), z.positive(), z.maximum(max));

/** The environment variables read by `collectConfigFromEnv`, with what they set. */
export const COLLECT_ENV = {
  CALL_TIMEOUT_MS: 'callTimeoutMs',
  LOG_LINE_BUDGET: 'logLineBudget',
  LOG_BYTE_BUDGET: 'logByteBudget',
  MAX_STOPPED_TASKS: 'maxTasks',
  ECS_CLUSTERS: 'clusters',
  LOOKUP_CHANGE_ACTOR: 'lookupChangeActor',
} as const;

const EnvSchema = z.object({
  CALL_TIMEOUT_MS: z.optional(positiveInt(900_000)),
  LOG_LINE_BUDGET: z.optional(positiveInt(10_000)),
  LOG_BYTE_BUDGET: z.optional(positiveInt(10 * 1024 * 1024)),
  MAX_STOPPED_TASKS: z.optional(positiveInt(100)),
  ECS_CLUSTERS: z.optional(z.string()),
  LOOKUP_CHANGE_ACTOR: z.optional(z.enum(['true', 'false'])),
});

/**
 * Builds the collection limits from environment variables (pass `process.env`); unset or empty
 * variables keep `DEFAULT_COLLECT_CONFIG`. `ECS_CLUSTERS` is a comma-separated list of cluster names
 * or ARNs; `LOOKUP_CHANGE_ACTOR` is `true` or `false`. Pure: reads only the object passed in.
 *
 * @throws BadInputError naming the variable when a value is not a positive integer within range.
 */
export function collectConfigFromEnv(env: Record<string, string | undefined>): CollectConfig {
  const present = Object.fromEntries(
    Object.keys(COLLECT_ENV).flatMap((k) => {
      const v = env[k]?.trim();
      return v ? [[k, v]] : [];
    }),
  );
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = String(issue?.path[0] ?? 'environment');
    const problem = issue?.message ?? 'bad value';
    const expected = name === 'LOOKUP_CHANGE_ACTOR' ? 'set true or false' : 'set a positive integer';
    throw new BadInputError(
      `environment variable ${name}=${present[name] ?? ''} is invalid: ${problem}; ${expected} or unset it`,
      { cause: parsed.error },
    );
  }
  const e = parsed.data;
  return {
    ...DEFAULT_COLLECT_CONFIG,
    ...(e.CALL_TIMEOUT_MS ? { callTimeoutMs: e.CALL_TIMEOUT_MS } : {}),
    ...(e.LOG_LINE_BUDGET ? { logLineBudget: e.LOG_LINE_BUDGET } : {}),
    ...(e.LOG_BYTE_BUDGET ? { logByteBudget: e.LOG_BYTE_BUDGET } : {}),
    ...(e.MAX_STOPPED_TASKS ? { maxTasks: e.MAX_STOPPED_TASKS } : {}),
    ...(e.LOOKUP_CHANGE_ACTOR ? { lookupChangeActor: e.LOOKUP_CHANGE_ACTOR === 'true' } : {}),
    ...(e.ECS_CLUSTERS
      ? {
          clusters: e.ECS_CLUSTERS.split(',')
            .map((c) => c.trim())
            .filter((c) => c !== ''),
        }
      : {}),
  };
}
