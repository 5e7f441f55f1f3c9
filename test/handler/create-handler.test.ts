import { DELIVERY_RESERVE_MS, FINAL_MARGIN_MS, invocationBudgets } from '../../lambda/handler/create-handler';

describe('invocationBudgets', () => {
  const NOW = 1_768_471_200_000;

  it('keeps the final margin and the delivery reserve from a generous remaining time', () => {
    expect(invocationBudgets(60_000, NOW)).toEqual({ collectionMarginMs: FINAL_MARGIN_MS + DELIVERY_RESERVE_MS, deliveryDeadline: NOW + 59_000 });
  });

  it('never keeps more than half the usable time for delivery, so a short timeout still collects', () => {
    expect(invocationBudgets(9_000, NOW)).toEqual({ collectionMarginMs: 1_000 + 4_000, deliveryDeadline: NOW + 8_000 });
  });

  it('with no time left, collection and delivery are both already due', () => {
    expect(invocationBudgets(500, NOW)).toEqual({ collectionMarginMs: 1_000, deliveryDeadline: NOW });
  });
});
