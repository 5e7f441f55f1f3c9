import * as z from 'zod/mini';
import { BadInputError } from '../shared/errors';

/**
 * The payload ECS sends a Lambda deployment lifecycle hook, and the answer it expects.
 *
 * ECS invokes the function at the configured lifecycle stages with `executionId`, `lifecycleStage`,
 * `resourceArn` (the service deployment), `executionDetails` (the service, the target service
 * revision, the test and production traffic weights) and `hookDetails` (what the hook configuration
 * or the previous answer put there). The function answers `hookStatus` SUCCEEDED (go on), FAILED
 * (roll back) or IN_PROGRESS (call again after `callBackDelay` seconds, 30 by default), optionally
 * with `hookDetails` for the next invocation. A missing `hookStatus` or a failed invocation rolls back.
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/deployment-lifecycle-hooks.html
 * https://docs.aws.amazon.com/AmazonECS/latest/developerguide/lambda-lifecycle-hooks.html
 */

/** The lifecycle stages a Lambda hook can run at (ECS `DeploymentLifecycleHook.lifecycleStages`). */
export const LIFECYCLE_STAGES = [
  'RECONCILE_SERVICE',
  'PRE_SCALE_UP',
  'POST_SCALE_UP',
  'TEST_TRAFFIC_SHIFT',
  'POST_TEST_TRAFFIC_SHIFT',
  'PRE_PRODUCTION_TRAFFIC_SHIFT',
  'PRODUCTION_TRAFFIC_SHIFT',
  'POST_PRODUCTION_TRAFFIC_SHIFT',
] as const;

const SERVICE_ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/([^/]{1,255})\/([^/]{1,255})$/;

export const HookEventSchema = z.looseObject({
  executionId: z.optional(z.string()),
  lifecycleStage: z.string().check(z.minLength(1)),
  /** The service deployment ARN. */
  resourceArn: z.optional(z.string()),
  executionDetails: z.looseObject({
    serviceArn: z.string().check(z.regex(SERVICE_ARN, { error: 'is not an ECS service ARN (arn:aws:ecs:<region>:<account>:service/<cluster>/<service>)' })),
    targetServiceRevisionArn: z.optional(z.string()),
    testTrafficWeights: z.optional(z.record(z.string(), z.number())),
    productionTrafficWeights: z.optional(z.record(z.string(), z.number())),
  }),
  hookDetails: z.optional(z.nullable(z.record(z.string(), z.unknown()))),
});
/** A validated lifecycle hook payload (unknown fields kept). */
export type HookEvent = z.infer<typeof HookEventSchema>;

/** The hook's answer. `callBackDelay` is in seconds. */
export interface HookResponse {
  hookStatus: 'SUCCEEDED' | 'FAILED' | 'IN_PROGRESS';
  callBackDelay?: number;
  hookDetails?: Record<string, unknown>;
}

/**
 * Validates the payload.
 *
 * @throws BadInputError naming the first invalid field.
 */
export function parseHookEvent(event: unknown): HookEvent {
  const parsed = HookEventSchema.safeParse(event);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadInputError(`lifecycle hook payload: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}`, { cause: parsed.error });
  }
  return parsed.data;
}

/** Cluster and service names of the payload's service ARN. */
export function serviceOfHookEvent(event: HookEvent): { cluster: string; service: string } {
  const m = SERVICE_ARN.exec(event.executionDetails.serviceArn);
  return { cluster: m?.[1] ?? '', service: m?.[2] ?? '' };
}
