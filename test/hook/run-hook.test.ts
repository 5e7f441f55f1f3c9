import { AccessDeniedException, DescribeServiceDeploymentsCommand } from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { hookConfigFromEnv } from '../../lambda/hook/config';
import type { HookResponse } from '../../lambda/hook/hook-event';
import { hookDepsOf } from '../../lambda/hook/hook-deps';
import { HOOK_STATE_KEY, HookWaitExceededError, runHook, type HookDeps } from '../../lambda/hook/run-hook';
import { ecsMock, mockDeps } from '../evidence/live/corpus-aws';
import { loadDeployment, serveDeployment, type Player, type RecordedDeployment } from '../deployment/recorded-deployment';
import { SLACK_SECRET_ARN, TOPIC_ARN, snsMock, useHandlerWorld } from '../handler/harness';

const world = useHandlerWorld();

/** The payload ECS sends the hook for a recorded deployment. */
function hookEvent(rec: RecordedDeployment, hookDetails?: Record<string, unknown>): Record<string, unknown> {
  const sd = rec.polls[0]?.serviceDeployment;
  return {
    executionId: 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111',
    lifecycleStage: 'POST_SCALE_UP',
    resourceArn: sd?.serviceDeploymentArn,
    executionDetails: {
      serviceArn: sd?.serviceArn,
      targetServiceRevisionArn: sd?.targetServiceRevision?.arn,
      testTrafficWeights: {},
      productionTrafficWeights: {},
    },
    ...(hookDetails ? { hookDetails } : {}),
  };
}

interface Harness {
  rec: RecordedDeployment;
  player: Player;
  deps: HookDeps;
  faults: unknown[];
}

function harness(file: string, env: Record<string, string> = {}): Harness {
  const rec = loadDeployment(file);
  const player = serveDeployment(rec);
  const config = hookConfigFromEnv({ AUDIT_BUCKET_NAME: world.s3.bucket, TOPIC_ARN, SLACK_SECRET_ARN, CALL_TIMEOUT_MS: '1000', ...env });
  const faults: unknown[] = [];
  const clients = { ...mockDeps().clients, s3: world.s3.client, sns: new SNSClient({ region: 'us-east-1' }), secrets: new SecretsManagerClient({ region: 'us-east-1' }) };
  const deps: HookDeps = { ...hookDepsOf(config, clients, () => player.clock), onFault: (error) => void faults.push(error), onDeliveryFailure: (error) => void faults.push(error) };
  return { rec, player, deps, faults };
}

/** Moves the recording to poll `index` and the clock by `ms`. */
function at(player: Player, index: number, ms = 0): void {
  player.poll = index;
  player.clock += ms;
}

describe('lifecycle hook: the three answers', () => {
  it('FAILED when a task of the new revision fails, after delivering the report marked as rolled back', async () => {
    const h = harness('fails-missing-env-var.json');
    at(h.player, 3);
    const response = await runHook(hookEvent(h.rec), h.deps);
    expect(response).toEqual({ hookStatus: 'FAILED' });
    expect(h.faults).toEqual([]);

    const keys = await world.listKeys();
    const audit = await world.readAudit(keys.find((k) => k.includes('app_config_missing')) ?? '');
    expect(audit.report.rootCause.category).toBe('app_config_missing');
    expect(audit.report.actionTaken).toEqual({
      kind: 'deployment_rolled_back',
      summary: 'deployment rolled back by the hook at POST_SCALE_UP',
      lifecycleStage: 'POST_SCALE_UP',
      serviceDeploymentArn: h.rec.polls[0]?.serviceDeployment?.serviceDeploymentArn,
    });
    expect(audit.report.trigger.kind).toBe('deployment_failed');
    const sns = snsMock.commandCalls(PublishCommand)[0]?.args[0].input;
    expect(sns?.Message).toContain('Action: deployment rolled back by the hook at POST_SCALE_UP');
    expect(world.slack.requests).toHaveLength(1);
    expect(JSON.stringify(world.slack.requests[0]?.payload)).toContain('deployment rolled back by the hook at POST_SCALE_UP');
    expect(world.slack.requests[0]?.violations).toEqual([]);
  });

  it('IN_PROGRESS while tasks start, then while healthy for less than the healthy time, then SUCCEEDED', async () => {
    const h = harness('succeeds.json', { HOOK_HEALTHY_SECONDS: '60', HOOK_CALLBACK_DELAY_SECONDS: '20' });
    const keysBefore = await world.listKeys();
    const userDetails = { team: 'catalog' };

    const starting = await runHook(hookEvent(h.rec, userDetails), h.deps);
    expect(starting).toEqual({ hookStatus: 'IN_PROGRESS', callBackDelay: 20, hookDetails: { team: 'catalog', [HOOK_STATE_KEY]: { firstInvokedAt: h.player.clock } } });

    at(h.player, 1, 20_000);
    const healthy = await runHook(hookEvent(h.rec, starting.hookDetails), h.deps);
    expect(healthy.hookStatus).toBe('IN_PROGRESS');
    expect(healthy.hookDetails?.[HOOK_STATE_KEY]).toEqual({ firstInvokedAt: h.player.clock - 20_000, healthySince: h.player.clock });

    at(h.player, 2, 50_000);
    const almost = await runHook(hookEvent(h.rec, healthy.hookDetails), h.deps);
    expect(almost).toMatchObject({ hookStatus: 'IN_PROGRESS', callBackDelay: 10 });

    at(h.player, 2, 10_000);
    const done: HookResponse = await runHook(hookEvent(h.rec, almost.hookDetails), h.deps);
    expect(done.hookStatus).toBe('SUCCEEDED');
    expect(done.hookDetails?.team).toBe('catalog');
    expect(h.faults).toEqual([]);
    expect(await world.listKeys()).toEqual(keysBefore);
  });

  it('starts the healthy time again when the revision stops being healthy', async () => {
    const h = harness('succeeds.json');
    at(h.player, 0);
    const response = await runHook(hookEvent(h.rec, { [HOOK_STATE_KEY]: { firstInvokedAt: h.player.clock - 1000, healthySince: h.player.clock - 500 } }), h.deps);
    expect(response.hookStatus).toBe('IN_PROGRESS');
    expect(response.hookDetails?.[HOOK_STATE_KEY]).toEqual({ firstInvokedAt: h.player.clock - 1000 });
  });
});

describe('lifecycle hook: its own faults fail open by default', () => {
  it('answers SUCCEEDED when ECS denies a call, and reports the fault', async () => {
    const h = harness('fails-missing-env-var.json');
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(new AccessDeniedException({ message: 'not authorized to perform: ecs:DescribeServiceDeployments', $metadata: {} }));
    expect(await runHook(hookEvent(h.rec), h.deps)).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(String(h.faults[0])).toMatch(/ecs:DescribeServiceDeployments .* access denied/);
  });

  it('answers FAILED for the same fault when HOOK_FAIL_CLOSED is true', async () => {
    const h = harness('fails-missing-env-var.json', { HOOK_FAIL_CLOSED: 'true' });
    ecsMock.on(DescribeServiceDeploymentsCommand).rejects(new AccessDeniedException({ message: 'not authorized', $metadata: {} }));
    expect(await runHook(hookEvent(h.rec), h.deps)).toEqual({ hookStatus: 'FAILED' });
    expect(h.faults).toHaveLength(1);
  });

  it('answers SUCCEEDED to a payload that is not a lifecycle hook payload', async () => {
    const h = harness('succeeds.json');
    expect(await runHook({ lifecycleStage: 'POST_SCALE_UP', executionDetails: { serviceArn: 'web' } }, h.deps)).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(String(h.faults[0])).toMatch(/^BadInputError: lifecycle hook payload: executionDetails.serviceArn is not an ECS service ARN/);
  });

  it('gives up waiting after HOOK_MAX_WAIT_SECONDS as a fault, not as a verdict on the deployment', async () => {
    const h = harness('times-out.json', { HOOK_MAX_WAIT_SECONDS: '600' });
    const response = await runHook(hookEvent(h.rec, { [HOOK_STATE_KEY]: { firstInvokedAt: h.player.clock - 601_000 } }), h.deps);
    expect(response).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(h.faults[0]).toBeInstanceOf(HookWaitExceededError);
  });

  it('still answers FAILED when the failing deployment is found but the audit bucket is unreachable', async () => {
    const h = harness('fails-missing-env-var.json', { AUDIT_BUCKET_NAME: 'no-such-bucket' });
    at(h.player, 3);
    const delivery: unknown[] = [];
    expect(await runHook(hookEvent(h.rec), { ...h.deps, onDeliveryFailure: (e) => void delivery.push(e) })).toEqual({ hookStatus: 'FAILED' });
    expect(String(delivery[0])).toMatch(/audit/i);
  });
});
