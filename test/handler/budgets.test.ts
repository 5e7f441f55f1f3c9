import { deliveryNeedMs, type DeliverySinks } from '../../lambda/delivery/deliver';
import type { Sink } from '../../lambda/delivery/types';
import { FINAL_MARGIN_MS, invocationBudgets } from '../../lambda/handler/budgets';
import { buildSinks } from '../../lambda/handler/dependencies';
import { handlerConfigFromEnv } from '../../lambda/handler/config';

const sink = (name: string, timeoutMs: number): Sink => ({ name, timeoutMs, deliver: () => Promise.reject(new Error('not called')) });

describe('deliveryNeedMs', () => {
  it('is the audit write, every try of the slowest notification sink with the backoff between them, and the audit rewrite', () => {
    const sinks: DeliverySinks = { audit: sink('s3-audit', 2_000), notifications: [sink('sns', 1_000), sink('slack', 3_000)] };
    // 2 000 + (3 × 3 000 + 250 + 500) + 2 000: the sinks run in parallel, so only the slowest counts.
    expect(deliveryNeedMs(sinks)).toBe(13_750);
    expect(deliveryNeedMs(sinks, { attempts: 1, baseDelayMs: 250, minTryMs: 1_000 })).toBe(7_000);
  });

  it('is the audit write alone without notification sinks (no rewrite follows)', () => {
    expect(deliveryNeedMs({ audit: sink('s3-audit', 2_000), notifications: [] })).toBe(2_000);
  });

  it('follows CALL_TIMEOUT_MS through the sinks the handler builds', () => {
    const config = handlerConfigFromEnv({ AUDIT_BUCKET_NAME: 'audit-bucket', TOPIC_ARN: 'arn:aws:sns:us-east-1:111122223333:t', CALL_TIMEOUT_MS: '5000' });
    const clients = {} as Parameters<typeof buildSinks>[1];
    expect(deliveryNeedMs(buildSinks(config, clients))).toBe(5_000 + 3 * 5_000 + 750 + 5_000);
  });
});

describe('invocationBudgets', () => {
  const NOW = 1_768_471_200_000;

  it('keeps the final margin and the whole delivery reserve from a generous remaining time', () => {
    expect(invocationBudgets(60_000, NOW, 25_750)).toEqual({ collectionMarginMs: FINAL_MARGIN_MS + 25_750, deliveryDeadline: NOW + 59_000 });
  });

  it('gives delivery all of the usable time when the reserve does not fit: nothing is collected', () => {
    // 4 s left: 3 s usable, all of it for delivery; collection's deadline is already due.
    expect(invocationBudgets(4_000, NOW, 5_750)).toEqual({ collectionMarginMs: 4_000, deliveryDeadline: NOW + 3_000 });
  });

  it('with no time left, collection and delivery are both already due', () => {
    expect(invocationBudgets(500, NOW, 25_750)).toEqual({ collectionMarginMs: 1_000, deliveryDeadline: NOW });
  });
});
