import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RefundRecord, RefundStatus } from '../../payments/payment-provider.js';
import { compareRefunds, providerAmount, type LedgerRefund } from './refund-comparison.js';

function refund(id: string, amountMinor: number, status: RefundStatus = 'succeeded', currency = 'USD'): RefundRecord {
  return { id, amountMinor, currency, status, chargeId: 'ch_1', paymentIntentId: 'pi_1', failureReason: null, metadata: {}, created: 1 };
}
const booked = (refundId: string, ledgerMinor: number, currency = 'USD'): LedgerRefund => ({
  refundId,
  orderId: 'o1',
  currency,
  ledgerMinor,
});
const orderOf = () => 'o1';

describe('compareRefunds', () => {
  it('says clean when every refund matches, failed ones netting to zero on both sides', () => {
    const result = compareRefunds([booked('re_1', 500), booked('re_2', 0)], [refund('re_1', 500), refund('re_2', 300, 'failed')], orderOf);
    expect(result).toMatchObject({ clean: true, matched: 2, counts: { missing: 0, extra: 0, amount_mismatch: 0 }, discrepancies: [] });
  });

  it('finds a refund made outside the tool, one the provider lacks, and one off by a minor unit', () => {
    const result = compareRefunds(
      [booked('re_1', 500), booked('re_ghost', 700), booked('re_3', 1001)],
      [refund('re_1', 500), refund('re_dash', 250, 'pending'), refund('re_3', 1000)],
      orderOf,
    );
    expect(result.clean).toBe(false);
    expect(result.discrepancies.map((d) => [d.kind, d.refundId, d.ledgerMinor, d.providerMinor])).toEqual([
      ['missing', 're_ghost', 700, 0],
      ['amount_mismatch', 're_3', 1001, 1000],
      ['extra', 're_dash', 0, 250],
    ]);
  });

  it('reports a refund that failed at the provider but still counts in the ledger, and a currency disagreement', () => {
    const result = compareRefunds(
      [booked('re_1', 500), booked('re_2', 900, 'USD')],
      [refund('re_1', 500, 'failed'), refund('re_2', 900, 'succeeded', 'EUR')],
      orderOf,
    );
    expect(result.counts).toEqual({ missing: 0, extra: 0, amount_mismatch: 2 });
  });

  it('leaves out refunds the ledger books to another incident', () => {
    expect(compareRefunds([], [refund('re_9', 100)], orderOf, new Set(['re_9'])).clean).toBe(true);
  });

  it('catches any single injected drift in an otherwise matching set', () => {
    const statuses: RefundStatus[] = ['succeeded', 'pending', 'failed', 'canceled'];
    const refunds = fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 1, max: 10_000 }).map((n) => `re_${n}`),
        amount: fc.integer({ min: 1, max: 10 ** 9 }),
        status: fc.constantFrom(...statuses),
      }),
      { selector: (r) => r.id, maxLength: 30 },
    );
    const drift = fc.constantFrom('extra' as const, 'missing' as const, 'off_by_one' as const);
    fc.assert(
      fc.property(refunds, drift, fc.nat(), (list, kind, pick) => {
        const provider = list.map((r) => refund(r.id, r.amount, r.status));
        const ledger = provider.map((r) => booked(r.id, providerAmount(r)));
        expect(compareRefunds(ledger, provider, orderOf).clean).toBe(true);
        const live = provider.filter((r) => providerAmount(r) > 0);
        if (kind === 'extra') {
          const outside = refund('re_outside', 1 + (pick % 1000), 'succeeded');
          const result = compareRefunds(ledger, [...provider, outside], orderOf);
          expect(result.discrepancies).toEqual([
            expect.objectContaining({ kind: 'extra', refundId: 're_outside', providerMinor: outside.amountMinor }),
          ]);
        } else if (kind === 'missing') {
          const result = compareRefunds([...ledger, booked('re_ghost', 1 + (pick % 1000))], provider, orderOf);
          expect(result.discrepancies).toEqual([expect.objectContaining({ kind: 'missing', refundId: 're_ghost' })]);
        } else {
          fc.pre(live.length > 0);
          const target = live[pick % live.length]!;
          const shifted = ledger.map((l) => (l.refundId === target.id ? { ...l, ledgerMinor: l.ledgerMinor + 1 } : l));
          const result = compareRefunds(shifted, provider, orderOf);
          expect(result.discrepancies).toEqual([
            expect.objectContaining({
              kind: 'amount_mismatch',
              refundId: target.id,
              ledgerMinor: target.amountMinor + 1,
              providerMinor: target.amountMinor,
            }),
          ]);
        }
      }),
    );
  });
});
