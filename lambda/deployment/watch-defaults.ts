// Its own module so that `ecs-rca --help` can show the defaults without loading the AWS SDK.
/** Defaults of the watch, in ms. */
export const WATCH_DEFAULTS = {
  pollIntervalMs: 15_000,
  maxPollIntervalMs: 120_000,
  timeoutMs: 20 * 60_000,
} as const;
