import type { Refund } from '../state/objects.js';
import type { Store } from '../state/store.js';

export interface DoubleRefundedCharge {
  charge: string;
  amount: number;
  amountRefunded: number;
  currency: string;
  refunds: { id: string; amount: number; created: number; metadata: Record<string, string> }[];
}

/**
 * What the refund invariant is checked against: how much was refunded per
 * currency, and every charge that more than one distinct refund touched.
 * Recovery Desk refunds a charge once, so any entry here is a double refund
 * (a partial-refund workflow would show up too, which is why the refunds are listed).
 */
export function refundReport(store: Store) {
  const refunds = store.list('refund').reverse();
  const byCharge = new Map<string, Refund[]>();
  const refundedByCurrency: Record<string, number> = {};
  for (const refund of refunds) {
    byCharge.set(refund.charge, [...(byCharge.get(refund.charge) ?? []), refund]);
    refundedByCurrency[refund.currency] = (refundedByCurrency[refund.currency] ?? 0) + refund.amount;
  }
  const doubleRefundedCharges: DoubleRefundedCharge[] = [];
  for (const [chargeId, chargeRefunds] of byCharge) {
    if (chargeRefunds.length < 2) continue;
    const charge = store.get('charge', chargeId)!;
    doubleRefundedCharges.push({
      charge: chargeId,
      amount: charge.amount,
      amountRefunded: charge.amount_refunded,
      currency: charge.currency,
      refunds: chargeRefunds.map(({ id, amount, created, metadata }) => ({ id, amount, created, metadata })),
    });
  }
  return { refunds: refunds.length, refundedByCurrency, doubleRefundedCharges };
}
