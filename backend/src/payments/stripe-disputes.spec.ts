import type Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { stripeDisputeFee } from './stripe-disputes.js';

const txn = (fee: number, currency: string) => ({ fee, currency }) as Stripe.BalanceTransaction;

describe('stripeDisputeFee', () => {
  it("sums the fees of the dispute's balance transactions in its currency, in ISO minor units", () => {
    expect(stripeDisputeFee({ currency: 'usd', balance_transactions: [txn(1500, 'usd'), txn(0, 'usd')] })).toBe(1500);
    // ISK is zero-decimal in ISO but two-decimal at Stripe.
    expect(stripeDisputeFee({ currency: 'isk', balance_transactions: [txn(150000, 'isk')] })).toBe(1500);
  });

  it('says nothing when the fee is absent or in another currency (never mixed)', () => {
    expect(stripeDisputeFee({ currency: 'eur', balance_transactions: [] })).toBeNull();
    expect(stripeDisputeFee({ currency: 'eur', balance_transactions: [txn(1500, 'usd')] })).toBeNull();
  });
});
