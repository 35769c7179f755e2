import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FulfilmentState } from '../orders/fulfilment-state.js';
import { processingFee, type ProcessingFeeModel } from './fee-model.js';
import { categorySign, moneyBackCategories } from './ledger-categories.js';
import {
  disputeEntries,
  goodsRecoveredEntry,
  providerFeeEntry,
  refundEntries,
  shipmentEntries,
  standingEntries,
  withEntries,
  type EntryDraft,
  type OrderBalances,
  type OrderFacts,
} from './ledger-derivation.js';

const model: ProcessingFeeModel = { USD: { ratePpm: 29_000, fixedMinor: 30 }, JPY: { ratePpm: 36_000, fixedMinor: 0 } };
const context = { incidentId: '00000000-0000-4000-8000-000000000001', runId: null, stepId: null };
const stepContext = { ...context, stepId: '00000000-0000-4000-8000-00000000000s' };

function order(state: FulfilmentState, overrides: Partial<OrderFacts> = {}): OrderFacts {
  return {
    id: '00000000-0000-4000-8000-0000000000aa',
    currency: 'USD',
    totalMinor: 8396,
    costOfGoodsMinor: 2500,
    labelCostMinor: 420,
    fulfilmentState: state,
    ...overrides,
  };
}

const summary = (entries: EntryDraft[]) => entries.map((e) => `${e.category} ${e.amountMinor} ${e.currency} ${e.sourceType}`);

describe('stop-shipment steps', () => {
  it('books nothing for a cancel before shipping: no label, no goods lost', () => {
    expect(shipmentEntries(order('unfulfilled'), stepContext, 'cancel', { currency: 'USD' })).toEqual([]);
  });

  it('books the label and its credit for a voided label (net zero), goods not lost', () => {
    const entries = shipmentEntries(order('label_created'), stepContext, 'void_label', {
      currency: 'USD',
      labelCreditMinor: 420,
      actionId: 'act_1',
    });
    expect(summary(entries)).toEqual(['outbound_shipping 420 USD order', 'label_credit -420 USD step']);
    expect(entries[1]).toMatchObject({ sourceId: stepContext.stepId, providerRef: 'act_1' });
  });

  it('books the label and the intercept fee, and no goods lost, for an intercepted parcel', () => {
    const entries = shipmentEntries(order('in_transit'), stepContext, 'intercept', { currency: 'EUR', interceptFeeMinor: 1600 });
    expect(summary(entries)).toEqual(['outbound_shipping 420 USD order', 'intercept_fee 1600 EUR step']);
  });

  it('books the label, the return label and the goods for a delivered parcel whose return was requested', () => {
    const entries = shipmentEntries(order('delivered'), stepContext, 'request_return', { currency: 'USD', returnShippingCostMinor: 420 });
    expect(summary(entries).sort()).toEqual([
      'goods_lost 2500 USD order',
      'outbound_shipping 420 USD order',
      'return_shipping 420 USD step',
    ]);
  });

  it('trusts the operation taken over the order state it changed (intercepted after the step)', () => {
    expect(summary(shipmentEntries(order('intercepted'), stepContext, 'intercept', { currency: 'USD', interceptFeeMinor: 1600 }))).toEqual([
      'outbound_shipping 420 USD order',
      'intercept_fee 1600 USD step',
    ]);
    expect(summary(shipmentEntries(order('cancelled'), stepContext, 'void_label', { currency: 'USD', labelCreditMinor: 420 }))).toEqual([
      'outbound_shipping 420 USD order',
      'label_credit -420 USD step',
    ]);
  });

  it('leaves zero amounts out (a free label, goods without a cost)', () => {
    expect(standingEntries(order('delivered', { labelCostMinor: 0, costOfGoodsMinor: 0 }), context)).toEqual([]);
  });
});

describe('standing costs from the order state alone', () => {
  it.each([
    ['unfulfilled', []],
    ['label_created', ['outbound_shipping 420 USD order']],
    ['in_transit', ['outbound_shipping 420 USD order']],
    ['delivered', ['outbound_shipping 420 USD order', 'goods_lost 2500 USD order']],
    ['intercepted', ['outbound_shipping 420 USD order']],
    ['returned', ['outbound_shipping 420 USD order']],
    ['cancelled', []],
  ] as const)('%s', (state, expected) => {
    expect(summary(standingEntries(order(state), context))).toEqual(expected);
  });
});

describe('refunds', () => {
  it('books a live refund once, keyed by the refund', () => {
    const entries = refundEntries(order('unfulfilled'), context, { id: 're_1', amountMinor: 8396, currency: 'USD', status: 'succeeded' });
    expect(summary(entries)).toEqual(['refund_issued 8396 USD refund']);
    expect(entries[0]).toMatchObject({ sourceId: 're_1', providerRef: 're_1' });
  });

  it('reverses exactly the refund that failed: issued and reversed net to zero', () => {
    const entries = refundEntries(order('unfulfilled'), context, { id: 're_1', amountMinor: 500, currency: 'USD', status: 'failed' });
    expect(summary(entries)).toEqual(['refund_issued 500 USD refund', 'refund_reversed -500 USD refund_failure']);
  });
});

describe('disputes', () => {
  const dispute = { id: 'du_1', amountMinor: 8396, currency: 'USD' };
  it('books nothing for an inquiry', () => {
    expect(disputeEntries(order('unfulfilled'), context, { ...dispute, status: 'warning_needs_response' }, 1500)).toEqual([]);
  });
  it("books the amount and the provider's own fee once the money is taken", () => {
    expect(summary(disputeEntries(order('unfulfilled'), context, { ...dispute, status: 'needs_response', feeMinor: 1500 }, 2000))).toEqual([
      'dispute_amount 8396 USD dispute',
      'dispute_fee 1500 USD dispute',
    ]);
  });
  it('falls back to the configured fee, and gives the amount back (not the fee) when won', () => {
    expect(summary(disputeEntries(order('unfulfilled'), context, { ...dispute, status: 'won' }, 2000))).toEqual([
      'dispute_amount 8396 USD dispute',
      'dispute_fee 2000 USD dispute',
      'dispute_amount -8396 USD dispute_reinstatement',
    ]);
  });
});

describe('the provider fee rule', () => {
  const balances = (moneyBackMinor: number, providerFeeMinor: number): OrderBalances => ({
    moneyBackMinor,
    providerFeeMinor,
    goodsLostMinor: 0,
  });
  const source = { type: 'refund' as const, id: 're_1' };
  it('books the fee when money first goes back', () => {
    expect(providerFeeEntry(order('unfulfilled'), context, source, balances(8396, 0), model)).toMatchObject({
      amountMinor: 273,
      category: 'provider_fee_not_returned',
      detail: { model: '2.9% + 30' },
    });
  });
  it('reverses it when all the money came back, and does nothing otherwise', () => {
    expect(providerFeeEntry(order('unfulfilled'), context, source, balances(0, 273), model)).toMatchObject({ amountMinor: -273 });
    expect(providerFeeEntry(order('unfulfilled'), context, source, balances(100, 273), model)).toBeNull();
    expect(providerFeeEntry(order('unfulfilled'), context, source, balances(0, 0), model)).toBeNull();
    expect(providerFeeEntry(order('unfulfilled', { currency: 'EUR' }), context, source, balances(5, 0), model)).toBeNull();
  });
});

it('recovers exactly the goods booked lost', () => {
  expect(goodsRecoveredEntry(order('returned'), context, { moneyBackMinor: 0, providerFeeMinor: 0, goodsLostMinor: 2500 })).toMatchObject({
    category: 'goods_recovered',
    amountMinor: -2500,
    sourceType: 'order',
  });
  expect(goodsRecoveredEntry(order('returned'), context, { moneyBackMinor: 0, providerFeeMinor: 0, goodsLostMinor: 0 })).toBeNull();
});

/**
 * The whole rule set over random event sequences of one order, applied to an
 * in-memory ledger with the table's unique key (source, category) — the way
 * LedgerWriter inserts ON CONFLICT DO NOTHING.
 */
describe('properties over random event sequences', () => {
  type Event =
    | { kind: 'refund'; id: number; failed: boolean }
    | { kind: 'dispute'; status: 'needs_response' | 'won' | 'lost' | 'warning_needs_response' }
    | { kind: 'stop'; operation: 'cancel' | 'void_label' | 'intercept' | 'request_return'; amountMinor: number };

  const event: fc.Arbitrary<Event> = fc.oneof(
    // A refund's amount never changes: it is derived from its id, so a replayed refund is the same refund.
    fc.record({ kind: fc.constant('refund' as const), id: fc.integer({ min: 1, max: 3 }), failed: fc.boolean() }),
    fc.record({
      kind: fc.constant('dispute' as const),
      status: fc.constantFrom('needs_response' as const, 'won' as const, 'lost' as const, 'warning_needs_response' as const),
    }),
    fc.record({
      kind: fc.constant('stop' as const),
      operation: fc.constantFrom('cancel' as const, 'void_label' as const, 'intercept' as const, 'request_return' as const),
      amountMinor: fc.integer({ min: 1, max: 2000 }),
    }),
  );

  function replay(facts: OrderFacts, events: Event[]) {
    const ledger = new Map<string, EntryDraft>();
    const put = (drafts: (EntryDraft | null)[]) => {
      for (const d of drafts)
        if (d && !ledger.has(`${d.sourceType}:${d.sourceId}:${d.category}`)) ledger.set(`${d.sourceType}:${d.sourceId}:${d.category}`, d);
    };
    const balances = (): OrderBalances => {
      const sum = (cats: readonly string[]) =>
        [...ledger.values()]
          .filter((e) => cats.includes(e.category) && e.currency === facts.currency)
          .reduce((a, e) => a + e.amountMinor, 0);
      return {
        moneyBackMinor: sum(moneyBackCategories),
        providerFeeMinor: sum(['provider_fee_not_returned']),
        goodsLostMinor: sum(['goods_lost', 'goods_recovered']),
      };
    };
    for (const e of events) {
      if (e.kind === 'refund') {
        const refund = {
          id: `re_${e.id}`,
          amountMinor: 1000 * e.id + 7,
          currency: facts.currency,
          status: e.failed ? ('failed' as const) : ('succeeded' as const),
        };
        put(refundEntries(facts, context, refund));
        put([providerFeeEntry(facts, context, { type: e.failed ? 'refund_failure' : 'refund', id: refund.id }, balances(), model)]);
      } else if (e.kind === 'dispute') {
        put(
          disputeEntries(facts, context, { id: 'du_1', status: e.status, amountMinor: facts.totalMinor, currency: facts.currency }, 1500),
        );
        put([
          providerFeeEntry(
            facts,
            context,
            { type: e.status === 'won' ? 'dispute_reinstatement' : 'dispute', id: 'du_1' },
            balances(),
            model,
          ),
        ]);
      } else {
        put(
          shipmentEntries(facts, stepContext, e.operation, {
            currency: facts.currency,
            labelCreditMinor: e.amountMinor,
            interceptFeeMinor: e.amountMinor,
            returnShippingCostMinor: e.amountMinor,
          }),
        );
      }
    }
    return { entries: [...ledger.values()], balances: balances() };
  }

  const orderFacts = fc.record({
    id: fc.constant('00000000-0000-4000-8000-0000000000aa'),
    currency: fc.constantFrom('USD', 'JPY'),
    totalMinor: fc.integer({ min: 1, max: 100_000 }),
    costOfGoodsMinor: fc.nat(50_000),
    labelCostMinor: fc.nat(5_000),
    fulfilmentState: fc.constantFrom<FulfilmentState>(
      'unfulfilled',
      'label_created',
      'in_transit',
      'delivered',
      'cancelled',
      'intercepted',
      'returned',
    ),
  });

  it('every entry has the sign of its category, a non-zero amount and a currency of the order', () => {
    fc.assert(
      fc.property(orderFacts, fc.array(event, { maxLength: 12 }), (facts, events) => {
        for (const entry of replay(facts, events).entries) {
          expect(entry.amountMinor).not.toBe(0);
          if (categorySign[entry.category] === 'cost') expect(entry.amountMinor).toBeGreaterThan(0);
          if (categorySign[entry.category] === 'recovery') expect(entry.amountMinor).toBeLessThan(0);
          expect(entry.currency).toBe(facts.currency);
        }
      }),
    );
  });

  it('replaying every event again writes nothing new (idempotent)', () => {
    fc.assert(
      fc.property(orderFacts, fc.array(event, { maxLength: 12 }), (facts, events) => {
        expect(replay(facts, [...events, ...events]).entries.length).toBe(replay(facts, events).entries.length);
      }),
    );
  });

  it('books the provider fee exactly while money is back with the cardholder', () => {
    fc.assert(
      fc.property(orderFacts, fc.array(event, { maxLength: 12 }), (facts, events) => {
        const { balances } = replay(facts, events);
        const fee = processingFee(model, facts.totalMinor, facts.currency)!;
        expect(balances.providerFeeMinor).toBe(balances.moneyBackMinor > 0 ? fee : 0);
      }),
    );
  });

  it('a failed refund nets to zero, and the goods and label are booked at most once', () => {
    fc.assert(
      fc.property(orderFacts, fc.array(event, { maxLength: 12 }), (facts, events) => {
        const { entries } = replay(facts, events);
        for (const id of new Set(entries.filter((e) => e.sourceType === 'refund_failure').map((e) => e.sourceId))) {
          expect(entries.filter((e) => e.sourceId === id && e.category.startsWith('refund_')).reduce((a, e) => a + e.amountMinor, 0)).toBe(
            0,
          );
        }
        expect(entries.filter((e) => e.category === 'goods_lost').length).toBeLessThanOrEqual(1);
        expect(entries.filter((e) => e.category === 'outbound_shipping').length).toBeLessThanOrEqual(1);
      }),
    );
  });
});

describe('balances moved by what an insert wrote', () => {
  const before: OrderBalances = { moneyBackMinor: 500, providerFeeMinor: 0, goodsLostMinor: 1200 };

  it('adds each written entry to the balance its category moves, in the order currency only', () => {
    const after = withEntries(before, 'USD', [
      { category: 'refund_issued', currency: 'USD', amountMinor: 2000 },
      { category: 'refund_reversed', currency: 'USD', amountMinor: -500 },
      { category: 'provider_fee_not_returned', currency: 'USD', amountMinor: '88' },
      { category: 'goods_recovered', currency: 'USD', amountMinor: -1200 },
      { category: 'intercept_fee', currency: 'USD', amountMinor: 1500 },
      { category: 'refund_issued', currency: 'EUR', amountMinor: 999 },
    ]);
    expect(after).toEqual({ moneyBackMinor: 2000, providerFeeMinor: 88, goodsLostMinor: 0 });
    expect(before.moneyBackMinor).toBe(500);
  });
});
