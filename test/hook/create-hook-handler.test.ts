import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { ECSClient } from '@aws-sdk/client-ecs';
import { HandlerConfigError } from '../../lambda/handler/config';
import { createHookHandler, HOOK_ANSWER_MARGIN_MS, HOOK_METRICS } from '../../lambda/hook/create-hook-handler';
import { capture, emittedMetrics, lambdaContext, logLines } from '../handler/harness';

const logger = new Logger({ serviceName: 'hook-test', logLevel: 'DEBUG' });
const metrics = new Metrics({ namespace: 'HookTest', serviceName: 'hook-test' });
const settings = { failClosed: false, healthyForMs: 0, callBackDelaySeconds: 30, maxWaitMs: 60_000 };

describe('the lifecycle hook handler', () => {
  it('answers a configuration error per HOOK_FAIL_CLOSED, logs it and counts a fault', async () => {
    const handler = createHookHandler({
      deps: () => {
        throw new HandlerConfigError('environment variable AUDIT_BUCKET_NAME is not set');
      },
      failClosed: false,
      logger,
      metrics,
    });
    const { value, output } = await capture(() => handler({}, lambdaContext()));
    expect(value).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(emittedMetrics(output)).toContainEqual({ name: HOOK_METRICS.faults, value: 1, dimensions: { service: 'hook-test' } });
    expect(logLines(output)).toContainEqual(expect.objectContaining({ level: 'ERROR', message: expect.stringMatching(/^Lifecycle hook fault; answering SUCCEEDED \(fail-open\)/), error: expect.stringContaining('AUDIT_BUCKET_NAME') }));

    const closed = createHookHandler({ deps: () => Promise.reject(new Error('boom')), failClosed: true, logger, metrics });
    expect((await capture(() => closed({}, lambdaContext()))).value).toEqual({ hookStatus: 'FAILED' });
  });

  it('answers before the Lambda times out when ECS hangs, as a fault', async () => {
    const hung = new ECSClient({ region: 'eu-west-1' });
    hung.send = (() => new Promise(() => undefined)) as unknown as ECSClient['send'];
    const handler = createHookHandler({
      // The call's own timeout (300 ms) comes after the hook's answer (200 ms before the margin).
      deps: () => ({ ecs: hung, callTimeoutMs: 300, now: Date.now, settings, analyseAndDeliver: () => Promise.resolve() }),
      failClosed: false,
      logger,
      metrics,
    });
    const event = { lifecycleStage: 'POST_SCALE_UP', executionDetails: { serviceArn: 'arn:aws:ecs:eu-west-1:111122223333:service/shop/web' } };
    const { value, output } = await capture(async () => {
      const answer = await handler(event, lambdaContext(HOOK_ANSWER_MARGIN_MS + 200));
      // The poll goes on after the answer until its call times out: its fault line is this test's output too.
      await new Promise((resolve) => setTimeout(resolve, 500));
      return answer;
    });
    expect(value).toEqual({ hookStatus: 'SUCCEEDED' });
    expect(emittedMetrics(output).map((m) => m.name)).toEqual(expect.arrayContaining([HOOK_METRICS.faults, HOOK_METRICS.answers]));
    expect(emittedMetrics(output)).toContainEqual({ name: HOOK_METRICS.answers, value: 1, dimensions: { service: 'hook-test', hookStatus: 'SUCCEEDED' } });
  });
});
