import type Stripe from 'stripe';
import { fromStripeAmount } from './stripe-amounts.js';

/**
 * The dispute fee a Stripe dispute states: the fees of its balance
 * transactions (the withdrawal carries Stripe's fee) in the dispute's own
 * currency, in ISO minor units. Null when the dispute states none in that
 * currency (Stripe may settle the fee in another one): the ledger then uses
 * its configured DISPUTE_FEES instead of mixing currencies.
 */
export function stripeDisputeFee(dispute: Pick<Stripe.Dispute, 'currency' | 'balance_transactions'>): number | null {
  const currency = dispute.currency.toLowerCase();
  const fees = (dispute.balance_transactions ?? []).filter((txn) => txn.currency?.toLowerCase() === currency && txn.fee > 0);
  if (fees.length === 0) return null;
  return fromStripeAmount(
    fees.reduce((sum, txn) => sum + txn.fee, 0),
    currency,
  );
}
