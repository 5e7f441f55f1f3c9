import { HandlerConfigError, handlerConfigFromEnv, type HandlerConfig } from '../handler/config';
import type { HookSettings } from './run-hook';

/**
 * The lifecycle hook function's configuration: the analyzer's own variables (`AUDIT_BUCKET_NAME`,
 * `TOPIC_ARN`, `SLACK_SECRET_ARN`, the collection budgets, …, see `../handler/config.ts`) plus:
 *
 * - `HOOK_FAIL_CLOSED` (`true`/`false`, default `false`): answer FAILED (roll back) when the hook
 *   itself fails; by default it answers SUCCEEDED, so the analyzer never blocks a deployment by mistake;
 * - `HOOK_HEALTHY_SECONDS` (default 60): how long every task of the new revision must run healthy;
 * - `HOOK_CALLBACK_DELAY_SECONDS` (default 30, ECS's own default): `callBackDelay` of IN_PROGRESS answers;
 * - `HOOK_MAX_WAIT_SECONDS` (default 1800): when the hook stops waiting for the revision (a fault).
 */

/** Defaults of the hook settings. */
export const HOOK_DEFAULTS = {
  failClosed: false,
  healthySeconds: 60,
  callBackDelaySeconds: 30,
  maxWaitSeconds: 1800,
} as const;

/** The hook's configuration. */
export interface HookConfig {
  handler: HandlerConfig;
  settings: HookSettings;
}

function seconds(env: Readonly<Record<string, string | undefined>>, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name]?.trim();
  if (!raw) return fallback;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw new HandlerConfigError(`environment variable ${name}=${JSON.stringify(raw)} is invalid: must be a whole number of seconds from ${min} to ${max}`);
  }
  return value;
}

/**
 * Reads `HOOK_FAIL_CLOSED` alone, leniently: the handler needs it even when the rest of the
 * configuration is invalid, to answer a misconfigured invocation the way the user chose.
 */
export function failClosedFromEnv(env: Readonly<Record<string, string | undefined>>): boolean {
  return env.HOOK_FAIL_CLOSED?.trim().toLowerCase() === 'true';
}

/**
 * Reads and validates the hook's configuration.
 *
 * @throws HandlerConfigError naming the first invalid variable.
 */
export function hookConfigFromEnv(env: Readonly<Record<string, string | undefined>>): HookConfig {
  const failClosed = env.HOOK_FAIL_CLOSED?.trim().toLowerCase();
  if (failClosed && failClosed !== 'true' && failClosed !== 'false') {
    throw new HandlerConfigError(`environment variable HOOK_FAIL_CLOSED=${JSON.stringify(env.HOOK_FAIL_CLOSED)} is invalid: must be 'true' or 'false'`);
  }
  const callBackDelaySeconds = seconds(env, 'HOOK_CALLBACK_DELAY_SECONDS', HOOK_DEFAULTS.callBackDelaySeconds, 1, 900);
  return {
    handler: handlerConfigFromEnv(env),
    settings: {
      failClosed: failClosed === 'true',
      healthyForMs: seconds(env, 'HOOK_HEALTHY_SECONDS', HOOK_DEFAULTS.healthySeconds, 0, 3600) * 1000,
      callBackDelaySeconds,
      maxWaitMs: seconds(env, 'HOOK_MAX_WAIT_SECONDS', HOOK_DEFAULTS.maxWaitSeconds, 60, 24 * 3600) * 1000,
    },
  };
}
