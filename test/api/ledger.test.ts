import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerCategories, type LedgerCategory } from '../../backend/src/ledger/ledger-categories.js';
import { incidentWithOrders, inLedgerTransaction, type LedgerOrder, type LedgerOrderSpec } from '../support/ledger-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

/**
 * The loss ledger through its API: entries written by LedgerWriter inside
 * transactions (as the engine and the webhooks will), the incident tally and
 * recovery over time, the entries list, the finance report and the CSV
 * export — every figure checked against a recomputation from the orders and
 * the events alone, written here independently of the derivation rules.
 */
let api: TestApp;
let finance: TestUser;
let commander: TestUser;
let agent: TestUser;

/** Fee settings of this file, so the recomputation does not depend on the defaults. */
const feeRates: Record<string, { ppm: bigint; fixed: bigint }> = {
  USD: { ppm: 29_000n, fixed: 30n },
  EUR: { ppm: 15_000n, fixed: 25n },
  JPY: { ppm: 36_000n, fixed: 0n },
};
const disputeFees: Record<string, number> = { USD: 1500, EUR: 2000, JPY: 1500 };
const processingFee = (total: number, currency: string) =>
  Number((BigInt(total) * feeRates[currency]!.ppm + 500_000n) / 1_000_000n + feeRates[currency]!.fixed);

beforeAll(async () => {
  api = await startTestApp({
    PROVIDER_FEE_MODEL: 'USD:2.9%+30,EUR:1.5%+25,JPY:3.6%',
    DISPUTE_FEES: 'USD:1500,EUR:2000,JPY:1500',
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
  });
  [finance, commander, agent] = await Promise.all([
    userWithRoles(api, ['finance']),
    userWithRoles(api, ['incident_commander']),
    userWithRoles(api, ['support_agent']),
  ]);
}, 60_000);

afterAll(async () => {
  await api?.close();
});

const usd = (state: LedgerOrderSpec['state']): LedgerOrderSpec => ({
  currency: 'USD',
  state,
  priceMinor: 8000,
  costMinor: 2500,
  shippingChargedMinor: 499,
  labelCostMinor: 420,
});

async function tally(incidentId: string, query = '') {
  const res = await finance.as(api.http.get(`/api/incidents/${incidentId}/ledger/tally${query}`)).expect(200);
  return res.body as {
    currencies: {
      currency: string;
      costMinor: number;
      recoveredMinor: number;
      netLossMinor: number;
      entries: number;
      categories: { category: LedgerCategory; amountMinor: number; entries: number }[];
    }[];
    recovery: { bucket: string; points: Record<string, unknown>[] };
  };
}

/** Category → amount of one currency, leaving out zeros. */
function byCategory(currency: { categories: { category: string; amountMinor: number }[] }) {
  return Object.fromEntries(currency.categories.filter((c) => c.amountMinor !== 0).map((c) => [c.category, c.amountMinor]));
}

const day = (n: number) => new Date(Date.UTC(2026, 10, 20 + n, 9, 30));

describe('a worked incident', () => {
  let incidentId: string;
  let orders: LedgerOrder[];
  let runId: string;

  beforeAll(async () => {
    ({ incidentId, orders } = await incidentWithOrders(
      api,
      [
        usd('unfulfilled'),
        usd('label_created'),
        usd('in_transit'),
        usd('delivered'),
        { currency: 'JPY', state: 'delivered', priceMinor: 5000, costMinor: 2000, shippingChargedMinor: 0, labelCostMinor: 300 },
        { currency: 'JPY', state: 'unfulfilled', priceMinor: 3000, costMinor: 900, shippingChargedMinor: 0, labelCostMinor: 300 },
      ],
      'Worked =incident',
    ));
    runId = randomUUID();
    const [a, b, c, d, e, f] = orders as [LedgerOrder, LedgerOrder, LedgerOrder, LedgerOrder, LedgerOrder, LedgerOrder];
    const stop = (
      order: LedgerOrder,
      operation: 'cancel' | 'void_label' | 'intercept' | 'request_return',
      money: Record<string, number>,
      at: Date,
    ) =>
      inLedgerTransaction(api, (writer, manager) =>
        writer.recordStepOutcome(manager, {
          incidentId,
          runId,
          stepId: randomUUID(),
          orderId: order.id,
          action: 'stop_shipment',
          status: 'succeeded',
          operation,
          shipment: { currency: order.currency, actionId: `act_${order.externalId}`, ...money },
          occurredAt: at,
        }),
      );
    const refund = (order: LedgerOrder, id: string, at: Date) =>
      inLedgerTransaction(api, (writer, manager) =>
        writer.recordStepOutcome(manager, {
          incidentId,
          runId,
          stepId: randomUUID(),
          orderId: order.id,
          action: 'refund',
          status: 'succeeded',
          operation: 'refund',
          refund: { id, amountMinor: order.totalMinor, currency: order.currency, status: 'succeeded' },
          occurredAt: at,
        }),
      );
    await stop(a, 'cancel', {}, day(0));
    await stop(b, 'void_label', { labelCreditMinor: 420 }, day(0));
    await stop(c, 'intercept', { interceptFeeMinor: 1600 }, day(0));
    await stop(d, 'request_return', { returnShippingCostMinor: 420 }, day(0));
    for (const [order, id] of [
      [a, 're_worked_a'],
      [b, 're_worked_b'],
      [c, 're_worked_c'],
      [d, 're_worked_d'],
      [e, 're_worked_e'],
    ] as const)
      await refund(order, id, day(1));
    // The webhook of C's refund failing at the bank, two days later (no incident named: found from the order).
    await inLedgerTransaction(api, (writer, manager) =>
      writer.recordRefund(manager, {
        orderId: c.id,
        refund: { id: 're_worked_c', amountMinor: c.totalMinor, currency: 'USD', status: 'failed' },
        eventId: 'evt_worked_c_failed',
        occurredAt: day(3),
      }),
    );
    await inLedgerTransaction(api, (writer, manager) =>
      writer.recordDispute(manager, {
        orderId: f.id,
        dispute: { id: 'du_worked_f', status: 'lost', amountMinor: 3000, currency: 'JPY', feeMinor: 1500 },
        eventId: 'evt_worked_f',
        occurredAt: day(2),
      }),
    );
  }, 60_000);

  it('tallies per currency and category exactly, never mixing USD and JPY', async () => {
    const { currencies } = await tally(incidentId);
    expect(currencies.map((c) => c.currency)).toEqual(['JPY', 'USD']);
    const [jpy, usdTally] = currencies as [(typeof currencies)[0], (typeof currencies)[0]];
    const fee = processingFee(8499, 'USD');
    expect(fee).toBe(276);
    expect(byCategory(usdTally)).toEqual({
      outbound_shipping: 1260,
      label_credit: -420,
      intercept_fee: 1600,
      return_shipping: 420,
      goods_lost: 2500,
      refund_issued: 4 * 8499,
      refund_reversed: -8499,
      // A, B and D keep their fee lost; C's came back with its failed refund.
      provider_fee_not_returned: 3 * fee,
    });
    expect(usdTally).toMatchObject({ netLossMinor: 31_685, costMinor: 31_685 + 420 + 8499 + fee, recoveredMinor: 420 + 8499 + fee });
    expect(byCategory(jpy)).toEqual({
      outbound_shipping: 300,
      goods_lost: 2000,
      refund_issued: 5000,
      provider_fee_not_returned: processingFee(5000, 'JPY') + processingFee(3000, 'JPY'),
      dispute_amount: 3000,
      dispute_fee: 1500,
    });
    expect(jpy.netLossMinor).toBe(300 + 2000 + 5000 + 180 + 108 + 3000 + 1500);
    expect(jpy.categories.map((c) => c.category)).toEqual([...ledgerCategories]);
  });

  it('shows recovery over time per day, with the net loss accumulating per currency', async () => {
    const { recovery } = await tally(incidentId, '?bucket=day');
    const usdPoints = recovery.points.filter((p) => p.currency === 'USD');
    expect(usdPoints.map((p) => p.at)).toEqual([day(0), day(1), day(3)].map((d) => `${d.toISOString().slice(0, 10)}T00:00:00.000Z`));
    expect(usdPoints[1]).toMatchObject({ refundedMinor: 4 * 8499, recoveredMinor: 0 });
    expect(usdPoints[2]).toMatchObject({ refundedMinor: -8499, recoveredMinor: 8499 + 276, costMinor: 0 });
    expect(usdPoints.at(-1)!.cumulativeNetLossMinor).toBe(31_685);
    const hourly = await tally(
      incidentId,
      `?bucket=hour&from=${day(1).toISOString().slice(0, 10)}&to=${day(1).toISOString().slice(0, 10)}`,
    );
    expect(hourly.recovery.points.filter((p) => p.currency === 'USD').map((p) => p.at)).toEqual([
      new Date(Date.UTC(2026, 10, 21, 9)).toISOString(),
    ]);
    // The range limits the totals too: only the refunds of that day.
    expect(byCategory(hourly.currencies.find((c) => c.currency === 'USD')!)).toMatchObject({ refund_issued: 4 * 8499 });
  });

  it('writes nothing twice when an event is replayed (a retried step, a webhook delivered again)', async () => {
    const before = await tally(incidentId);
    const replay = await inLedgerTransaction(api, (writer, manager) =>
      writer.recordRefund(manager, {
        orderId: orders[2]!.id,
        refund: { id: 're_worked_c', amountMinor: orders[2]!.totalMinor, currency: 'USD', status: 'failed' },
        eventId: 'evt_worked_c_failed_again',
      }),
    );
    expect(replay).toEqual({ incidentId, written: [] });
    expect(await tally(incidentId)).toEqual(before);
  });

  it('refuses to change or delete history: the ledger is append-only in the database', async () => {
    for (const sql of [`UPDATE ledger_entry SET amount_minor = 1`, `DELETE FROM ledger_entry`, `TRUNCATE ledger_entry`]) {
      await expect(api.db.query(sql)).rejects.toThrow(/ledger_entry is append-only/);
    }
    await expect(
      api.db.query(
        `INSERT INTO ledger_entry (incident_id, order_id, currency, category, amount_minor, source_type, source_id, occurred_at)
         VALUES ($1, $2, 'USD', 'refund_reversed', 5, 'refund_failure', 're_x', now())`,
        [incidentId, orders[0]!.id],
      ),
    ).rejects.toThrow(/ledger_entry_sign/);
  });

  it('lists the entries, filtered and paged like every list', async () => {
    const all = await finance.as(api.http.get(`/api/incidents/${incidentId}/ledger?_perPage=100`)).expect(200);
    const { currencies } = await tally(incidentId);
    expect(all.body.total).toBe(currencies.reduce((n, c) => n + c.entries, 0));
    const refunds = await finance
      .as(
        api.http.get(
          `/api/incidents/${incidentId}/ledger?category=refund_reversed&category=refund_issued&currency=USD&_sort=amountMinor&_order=ASC`,
        ),
      )
      .expect(200);
    expect(refunds.body.total).toBe(5);
    expect(refunds.body.data[0]).toMatchObject({
      category: 'refund_reversed',
      amountMinor: -8499,
      providerRef: 're_worked_c',
      eventId: 'evt_worked_c_failed',
    });
    const page = await finance
      .as(api.http.get(`/api/incidents/${incidentId}/ledger?_perPage=2&_page=2&orderId=${orders[1]!.id}`))
      .expect(200);
    expect(page.body).toMatchObject({ total: 4, data: [expect.anything(), expect.anything()] });
    expect(page.body.data[0]).toMatchObject({ orderId: orders[1]!.id, orderExternalId: orders[1]!.externalId });
  });

  it('answers bad input with a 400 naming the field, an unknown incident with 404, and a support agent with 403', async () => {
    const bad = await finance.as(api.http.get(`/api/incidents/${incidentId}/ledger/tally?bucket=week`)).expect(400);
    expect(bad.body.fields).toEqual([expect.objectContaining({ field: 'bucket' })]);
    const reversed = await finance.as(api.http.get(`/api/incidents/${incidentId}/ledger/tally?from=2026-12-01&to=2026-11-01`)).expect(400);
    expect(reversed.body.fields).toEqual([expect.objectContaining({ field: 'to', message: expect.stringContaining('reversed') })]);
    const hourly = await finance
      .as(api.http.get(`/api/incidents/${incidentId}/ledger/tally?bucket=hour&from=2026-01-01&to=2026-06-01`))
      .expect(400);
    expect(hourly.body.fields).toEqual([expect.objectContaining({ field: 'bucket' })]);
    const category = await finance.as(api.http.get(`/api/incidents/${incidentId}/ledger?category=tips`)).expect(400);
    expect(category.body.fields[0].field).toBe('category');
    await finance.as(api.http.get(`/api/incidents/${randomUUID()}/ledger/tally`)).expect(404);
    await finance.as(api.http.get(`/api/incidents/not-a-uuid/ledger`)).expect(404);
    await agent.as(api.http.get(`/api/incidents/${incidentId}/ledger/tally`)).expect(403);
    await commander.as(api.http.get(`/api/incidents/${incidentId}/ledger/tally`)).expect(200);
  });

  it('answers a reconciliation of an unknown incident with 404, and writes nothing', async () => {
    const { rows: before } = await api.db.query(`SELECT count(*)::int AS n FROM ledger_reconciliation`);
    await finance
      .as(api.http.post(`/api/incidents/${randomUUID()}/reconciliations`))
      .send({})
      .expect(404);
    await finance.as(api.http.get(`/api/incidents/${randomUUID()}/reconciliations`)).expect(404);
    const bad = await finance
      .as(api.http.post(`/api/incidents/${incidentId}/reconciliations`))
      .send({ strategy: 'guess' })
      .expect(400);
    expect(bad.body.fields[0].field).toBe('strategy');
    const { rows: after } = await api.db.query(`SELECT count(*)::int AS n FROM ledger_reconciliation`);
    expect(after[0].n).toBe(before[0].n);
  });
});

describe("the engine's hook: a step made final", () => {
  it('books a step from its row as the executors leave it, once however often the hook runs', async () => {
    const { incidentId, orders } = await incidentWithOrders(api, [usd('in_transit')], 'Hooked');
    const order = orders[0]!;
    const { rows } = await api.db.query(
      `INSERT INTO remediation_run (incident_id, actions, status, reason, preview, approval_required, requested_by, started_at)
       VALUES ($1, ARRAY['stop_shipment', 'refund'], 'running', 'fixture', '{}', false, $2, now()) RETURNING id`,
      [incidentId, agent.id],
    );
    const runId = rows[0].id as string;
    const [stopId, refundId] = [randomUUID(), randomUUID()];
    await api.db.query(
      `INSERT INTO remediation_step (id, run_id, order_id, action, operation, status, idempotency_key, attempts, provider_ref, provider_status, outcome, finished_at)
       VALUES ($1, $3, $4, 'stop_shipment', 'intercept', 'succeeded', $7, 1, 'act_hook', 'intercept_requested', $5, '2026-11-22T10:00:00Z'),
              ($2, $3, $4, 'refund', 'refund', 'succeeded', $8, 1, 're_hook', 'succeeded', $6, '2026-11-22T10:05:00Z')`,
      [
        stopId,
        refundId,
        runId,
        order.id,
        {
          actionId: 'act_hook',
          type: 'intercept',
          fromState: 'in_transit',
          toState: 'intercept_requested',
          currency: 'USD',
          interceptFeeMinor: 1600,
          how: 'created',
        },
        { refundId: 're_hook', amountMinor: 8499, currency: 'USD', how: 'created', status: 'succeeded' },
        `rd_${stopId}_intercept`,
        `rd_${refundId}_refund`,
      ],
    );
    for (let i = 0; i < 2; i++) {
      for (const stepId of [stopId, refundId])
        await inLedgerTransaction(api, (writer, manager) => writer.recordFinishedStep(manager, stepId));
    }
    const { currencies } = await tally(incidentId);
    expect(byCategory(currencies[0]!)).toEqual({
      outbound_shipping: 420,
      intercept_fee: 1600,
      refund_issued: 8499,
      provider_fee_not_returned: processingFee(8499, 'USD'),
    });
    const entries = await finance.as(api.http.get(`/api/incidents/${incidentId}/ledger?category=intercept_fee`)).expect(200);
    expect(entries.body.data).toEqual([
      expect.objectContaining({
        runId,
        stepId: stopId,
        providerRef: 'act_hook',
        occurredAt: '2026-11-22T10:00:00.000Z',
        sourceType: 'step',
      }),
    ]);
  });
});

/**
 * For random incidents — orders of random currencies, states and amounts, a
 * stop step consistent with each state, refunds (some failing later),
 * chargebacks — applied in a random order with replays, the tally equals a
 * recomputation from those facts alone.
 */
describe('the tally equals an independent recomputation', () => {
  const states = ['unfulfilled', 'label_created', 'in_transit', 'delivered', 'cancelled', 'intercepted', 'returned'] as const;
  const operationFor: Partial<Record<(typeof states)[number], 'cancel' | 'void_label' | 'intercept' | 'request_return'>> = {
    unfulfilled: 'cancel',
    label_created: 'void_label',
    in_transit: 'intercept',
    delivered: 'request_return',
  };
  const orderFacts = fc.record({
    currency: fc.constantFrom('USD', 'EUR', 'JPY'),
    state: fc.constantFrom(...states),
    priceMinor: fc.integer({ min: 1, max: 200_000 }),
    costMinor: fc.nat(100_000),
    shippingChargedMinor: fc.nat(2_000),
    labelCostMinor: fc.nat(2_000),
    stop: fc.boolean(),
    stopMoneyMinor: fc.integer({ min: 1, max: 3_000 }),
    refunds: fc.array(fc.record({ share: fc.integer({ min: 1, max: 100 }), failsLater: fc.boolean() }), { maxLength: 2 }),
    dispute: fc.option(
      fc.record({
        status: fc.constantFrom('needs_response', 'won', 'lost', 'warning_needs_response'),
        providerFee: fc.option(fc.integer({ min: 1, max: 3000 })),
      }),
      { nil: undefined },
    ),
  });

  type Generated = typeof orderFacts extends fc.Arbitrary<infer T> ? T : never;
  type Facts = Omit<Generated, keyof LedgerOrderSpec> & { order: LedgerOrder };
  const fundsTaken = new Set(['needs_response', 'won', 'lost']);

  /** What the ledger must say, from the facts alone (plain loops, no shared code with the writer). */
  function recompute(all: Facts[]) {
    const totals = new Map<string, Record<string, number>>();
    const add = (currency: string, category: string, amount: number) => {
      if (amount === 0) return;
      const row = totals.get(currency) ?? {};
      row[category] = (row[category] ?? 0) + amount;
      totals.set(currency, row);
    };
    for (const f of all) {
      const { order } = f;
      // An order enters the ledger with its first event, whichever it is.
      if (!f.stop && f.refunds.length === 0 && !f.dispute) continue;
      if (['label_created', 'in_transit', 'delivered', 'intercepted', 'returned'].includes(order.state))
        add(order.currency, 'outbound_shipping', order.labelCostMinor);
      if (order.state === 'delivered') add(order.currency, 'goods_lost', order.costMinor);
      const operation = f.stop ? operationFor[order.state] : undefined;
      if (operation === 'void_label') add(order.currency, 'label_credit', -f.stopMoneyMinor);
      if (operation === 'intercept') add(order.currency, 'intercept_fee', f.stopMoneyMinor);
      if (operation === 'request_return') add(order.currency, 'return_shipping', f.stopMoneyMinor);
      let moneyBack = 0;
      for (const refund of f.refunds) {
        const amount = Math.max(1, Math.floor((order.totalMinor * refund.share) / 100));
        add(order.currency, 'refund_issued', amount);
        if (refund.failsLater) add(order.currency, 'refund_reversed', -amount);
        else moneyBack += amount;
      }
      if (f.dispute && fundsTaken.has(f.dispute.status)) {
        add(order.currency, 'dispute_amount', order.totalMinor);
        add(order.currency, 'dispute_fee', f.dispute.providerFee ?? disputeFees[order.currency]!);
        if (f.dispute.status === 'won') add(order.currency, 'dispute_amount', -order.totalMinor);
        else moneyBack += order.totalMinor;
      }
      if (moneyBack > 0) add(order.currency, 'provider_fee_not_returned', processingFee(order.totalMinor, order.currency));
    }
    // A category whose entries cancel out (a dispute won) totals zero, which the comparison leaves out.
    for (const row of totals.values()) for (const [category, amount] of Object.entries(row)) if (amount === 0) delete row[category];
    return totals;
  }

  /** A small deterministic shuffle, so fast-check's seed reproduces the order of events too. */
  function shuffle<T>(items: T[], seed: number): T[] {
    let state = seed >>> 0 || 1;
    const next = () => (state = (Math.imul(state ^ (state >>> 15), 2246822507) + 0x9e3779b9) >>> 0) / 2 ** 32;
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
    }
    return copy;
  }

  it('for random incidents, events in any order and replayed', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(orderFacts, { minLength: 1, maxLength: 6 }), fc.integer(), async (generated, seed) => {
        const { incidentId, orders } = await incidentWithOrders(
          api,
          generated.map(({ currency, state, priceMinor, costMinor, shippingChargedMinor, labelCostMinor }) => ({
            currency,
            state,
            priceMinor,
            costMinor,
            shippingChargedMinor,
            labelCostMinor,
          })),
        );
        const facts: Facts[] = generated.map((g, i) => ({ ...g, order: orders[i]! }));
        const runId = randomUUID();
        const events: (() => Promise<unknown>)[] = [];
        for (const f of facts) {
          const { order } = f;
          const stepId = randomUUID();
          if (f.stop) {
            const operation = operationFor[order.state] ?? null;
            events.push(() =>
              inLedgerTransaction(api, async (writer, manager) => {
                await writer.recordStepOutcome(manager, {
                  incidentId,
                  runId,
                  stepId,
                  orderId: order.id,
                  action: 'stop_shipment',
                  status: operation ? 'succeeded' : 'skipped',
                  operation,
                  shipment: {
                    currency: order.currency,
                    labelCreditMinor: f.stopMoneyMinor,
                    interceptFeeMinor: f.stopMoneyMinor,
                    returnShippingCostMinor: f.stopMoneyMinor,
                  },
                });
              }),
            );
          }
          f.refunds.forEach((refund, index) => {
            const amountMinor = Math.max(1, Math.floor((order.totalMinor * refund.share) / 100));
            const id = `re_${order.id.slice(0, 8)}_${index}`;
            events.push(() =>
              inLedgerTransaction(api, (writer, manager) =>
                writer.recordStepOutcome(manager, {
                  incidentId,
                  runId,
                  stepId: randomUUID(),
                  orderId: order.id,
                  action: 'refund',
                  status: 'succeeded',
                  operation: 'refund',
                  refund: { id, amountMinor, currency: order.currency, status: 'succeeded' },
                }),
              ),
            );
            if (refund.failsLater) {
              events.push(() =>
                inLedgerTransaction(api, (writer, manager) =>
                  writer.recordRefund(manager, {
                    orderId: order.id,
                    refund: { id, amountMinor, currency: order.currency, status: 'failed' },
                  }),
                ),
              );
            }
          });
          if (f.dispute) {
            const dispute = {
              id: `du_${order.id.slice(0, 8)}`,
              amountMinor: order.totalMinor,
              currency: order.currency,
              feeMinor: f.dispute.providerFee ?? null,
            };
            // An inquiry stays an inquiry; a chargeback opens as needs_response and may end won or lost.
            for (const status of f.dispute.status.startsWith('warning') ? [f.dispute.status] : ['needs_response', f.dispute.status]) {
              events.push(() =>
                inLedgerTransaction(api, (writer, manager) =>
                  writer.recordDispute(manager, { orderId: order.id, dispute: { ...dispute, status } }),
                ),
              );
            }
          }
        }
        // Every event once, some twice, in a random order.
        for (const event of shuffle([...events, ...events.filter((_, i) => (seed >>> i) & 1)], seed)) await event();

        const expected = recompute(facts);
        const { currencies } = await tally(incidentId);
        expect(Object.fromEntries(currencies.map((c) => [c.currency, byCategory(c)]))).toEqual(Object.fromEntries(expected));
        for (const c of currencies) {
          expect(c.netLossMinor).toBe(Object.values(expected.get(c.currency)!).reduce((a, b) => a + b, 0));
          expect(c.costMinor - c.recoveredMinor).toBe(c.netLossMinor);
        }
        // Every entry is in its order's currency: JPY and USD never meet in one total.
        const { rows } = await api.db.query(
          `SELECT count(*)::int AS n FROM ledger_entry l JOIN orders o ON o.id = l.order_id WHERE l.incident_id = $1 AND l.currency <> o.currency`,
          [incidentId],
        );
        expect(rows[0].n).toBe(0);
      }),
      { numRuns: 15 },
    );
  }, 120_000);
});

describe('finance report and CSV export', () => {
  let first: { incidentId: string; orders: LedgerOrder[] };
  let second: { incidentId: string; orders: LedgerOrder[] };

  beforeAll(async () => {
    first = await incidentWithOrders(
      api,
      [
        { ...usd('delivered'), externalId: `=HYPERLINK("http://evil.example","x")-${randomUUID().slice(0, 6)}` },
        { ...usd('unfulfilled'), externalId: `-2+3-${randomUUID().slice(0, 6)}` },
      ],
      '@SUM(A1) printers',
    );
    second = await incidentWithOrders(
      api,
      [{ currency: 'EUR', state: 'in_transit', priceMinor: 10_000, costMinor: 4000, shippingChargedMinor: 0, labelCostMinor: 500 }],
      'Fridges',
    );
    const refund = (incidentId: string, order: LedgerOrder, id: string, at: Date) =>
      inLedgerTransaction(api, (writer, manager) =>
        writer.recordRefund(manager, {
          incidentId,
          orderId: order.id,
          refund: { id, amountMinor: order.totalMinor, currency: order.currency, status: 'succeeded' },
          occurredAt: at,
        }),
      );
    await refund(first.incidentId, first.orders[0]!, 're_fin_1', new Date('2025-03-10T12:00:00Z'));
    await refund(first.incidentId, first.orders[1]!, 're_fin_2', new Date('2025-04-02T12:00:00Z'));
    await refund(second.incidentId, second.orders[0]!, 're_fin_3', new Date('2025-03-15T12:00:00Z'));
  }, 60_000);

  it('reports each currency and each incident in the range, by when the money moved', async () => {
    const res = await finance.as(api.http.get('/api/finance/report?from=2025-03-01&to=2025-03-31')).expect(200);
    expect(res.body).toMatchObject({ from: '2025-03-01T00:00:00.000Z', to: '2025-04-01T00:00:00.000Z' });
    const fee = processingFee(8499, 'USD');
    expect(res.body.currencies.map((c: { currency: string; netLossMinor: number }) => [c.currency, c.netLossMinor])).toEqual([
      ['EUR', 500 + 10_000 + processingFee(10_000, 'EUR')],
      ['USD', 420 + 2500 + 8499 + fee],
    ]);
    expect(res.body.incidents).toEqual([
      expect.objectContaining({
        incidentId: second.incidentId,
        currency: 'EUR',
        title: 'Fridges',
        reference: expect.stringMatching(/^INC-/),
      }),
      expect.objectContaining({ incidentId: first.incidentId, currency: 'USD', netLossMinor: 420 + 2500 + 8499 + fee }),
    ]);
    const usdOnly = await finance
      .as(api.http.get(`/api/finance/report?from=2025-03-01&to=2025-04-30&currency=USD&incidentId=${first.incidentId}`))
      .expect(200);
    expect(usdOnly.body.currencies).toEqual([expect.objectContaining({ currency: 'USD', netLossMinor: 420 + 2500 + 2 * 8499 + 2 * fee })]);
  });

  it.each([
    ['from=2025-04-01&to=2025-03-01', 'to', 'reversed'],
    ['from=2024-01-01&to=2025-06-01', 'to', 'at most 366 days'],
    ['to=2025-06-01', 'from', 'is required'],
    ['from=2025-01-01', 'to', 'is required'],
    ['from=yesterday&to=2025-06-01', 'from', 'must be a date'],
    ['from=2025-01-01&to=2025-02-01&currency=XXX', 'currency', 'ISO 4217'],
  ])('refuses %s naming %s', async (query, field, message) => {
    for (const path of ['/api/finance/report', '/api/finance/export.csv']) {
      const res = await finance.as(api.http.get(`${path}?${query}`)).expect(400);
      expect(res.body.fields).toEqual(
        expect.arrayContaining([expect.objectContaining({ field, message: expect.stringContaining(message) })]),
      );
    }
  });

  it('exports every entry of the range as CSV, formulas neutralised and amounts left as numbers', async () => {
    const res = await finance
      .as(api.http.get(`/api/finance/export.csv?from=2025-03-01&to=2025-04-30&incidentId=${first.incidentId}`))
      .buffer(true)
      .expect(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename="ledger-2025-03-01-to-2025-04-30.csv"');
    const text = res.text;
    expect(text.startsWith('\uFEFFentry_id,occurred_at,')).toBe(true);
    const records: Record<string, string>[] = parse(text, { bom: true, columns: true });
    const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM ledger_entry WHERE incident_id = $1`, [first.incidentId]);
    expect(records).toHaveLength(rows[0].n);
    for (const record of records) {
      expect(record.incident_title).toBe("'@SUM(A1) printers");
      expect(record.order_external_id).toMatch(/^'(=HYPERLINK|-2\+3)/);
      expect(record.amount_minor).toMatch(/^-?\d+$/);
      expect(record.amount).toMatch(/^-?\d+\.\d{2}$/);
    }
    const refund = records.find((r) => r.source_id === 're_fin_1')!;
    expect(refund).toMatchObject({
      category: 'refund_issued',
      currency: 'USD',
      amount_minor: '8499',
      amount: '84.99',
      provider_ref: 're_fin_1',
    });
    const { rows: audit } = await api.db.query(
      `SELECT actor_email, summary FROM audit_log WHERE action = 'finance.export' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit[0]).toMatchObject({
      actor_email: finance.email,
      summary: { from: '2025-03-01T00:00:00.000Z', incidentId: [first.incidentId] },
    });
  });

  it('streams a range larger than one cursor batch, each entry once and in time order', async () => {
    const { incidentId, orders } = await incidentWithOrders(api, [usd('unfulfilled')], 'Bulk');
    await api.db.query(
      `INSERT INTO ledger_entry (incident_id, order_id, currency, category, amount_minor, source_type, source_id, occurred_at)
       SELECT $1, $2, 'USD', 'intercept_fee', 100 + n, 'step', 'bulk-' || n, timestamptz '2024-06-01' + n * interval '1 second'
       FROM generate_series(1, 4500) AS n`,
      [incidentId, orders[0]!.id],
    );
    const res = await finance
      .as(api.http.get(`/api/finance/export.csv?from=2024-06-01&to=2024-06-02&incidentId=${incidentId}`))
      .buffer(true)
      .expect(200);
    const records: Record<string, string>[] = parse(res.text, { bom: true, columns: true });
    expect(records).toHaveLength(4500);
    expect(new Set(records.map((r) => r.entry_id)).size).toBe(4500);
    expect(records.map((r) => r.source_id)).toEqual(Array.from({ length: 4500 }, (_, i) => `bulk-${i + 1}`));
  });

  it('is for finance, commanders and admins only', async () => {
    await agent.as(api.http.get('/api/finance/report?from=2025-03-01&to=2025-03-31')).expect(403);
    await agent.as(api.http.get('/api/finance/export.csv?from=2025-03-01&to=2025-03-31')).expect(403);
    await commander.as(api.http.get('/api/finance/report?from=2025-03-01&to=2025-03-31')).expect(200);
  });
});
