import { randomUUID } from 'node:crypto';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from '../../backend/src/payments/stripe-client.js';
import { StripePayments } from '../../backend/src/payments/stripe-payments.js';
import type { RefundRecord } from '../../backend/src/payments/payment-provider.js';
import { startStripeStandIn, testKey, type StandInProcess } from '../stand-ins/stripe-stand-in.js';
import { incidentWithOrders, inLedgerTransaction, type LedgerOrder } from '../support/ledger-fixtures.js';
import { startBackendProcess, type RunningProcess } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

/**
 * Reconciliation end to end: a real worker takes the `ledger.reconcile` job
 * from Redis, lists the Stripe stand-in's refunds through the official SDK
 * (auto-pagination) and compares them with the ledger. Refunds are made the
 * way the engine makes them (the backend's Stripe adapter, our metadata and
 * idempotency key) and booked the way its hook will (LedgerWriter in a
 * transaction); then drift is injected behind the tool's back.
 */
let stripe: StandInProcess;
let stripeClient: Stripe;
let payments: StripePayments;
let api: TestApp;
let worker: RunningProcess;
let finance: TestUser;
let commander: TestUser;

beforeAll(async () => {
  stripe = await startStripeStandIn({ RATE_LIMIT_RPS: '0', LOG_LEVEL: 'warn', REFUND_FAIL_DELAY_MS: '500' });
  stripeClient = stripe.stripe();
  payments = new StripePayments(createStripeClient({ secretKey: testKey, apiBase: stripe.baseUrl, maxNetworkRetries: 0 }));
  api = await startTestApp({
    STRIPE_API_BASE: stripe.baseUrl,
    STRIPE_SECRET_KEY: testKey,
    RECONCILIATION_RATE_LIMIT_PER_SECOND: '100',
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
  });
  worker = startBackendProcess('worker', api.env);
  await worker.waitFor(/"msg":"worker started"/);
  [finance, commander] = await Promise.all([userWithRoles(api, ['finance']), userWithRoles(api, ['incident_commander'])]);
}, 90_000);

afterAll(async () => {
  await worker?.stop('SIGKILL');
  await api?.close();
  await stripe?.stop();
}, 60_000);

/** Orders paid through the stand-in (one PaymentIntent each, for the order's total), confirmed in a new incident. */
async function paidIncident(specs: { currency: string; card?: string }[]) {
  const intents: Stripe.PaymentIntent[] = [];
  for (const spec of specs) {
    intents.push(
      await stripeClient.paymentIntents.create({
        amount: 8499,
        currency: spec.currency.toLowerCase(),
        payment_method: spec.card ?? 'pm_card_visa',
        confirm: true,
      }),
    );
  }
  return incidentWithOrders(
    api,
    specs.map((spec, i) => ({
      currency: spec.currency,
      state: 'unfulfilled' as const,
      priceMinor: 8000,
      costMinor: 2500,
      shippingChargedMinor: 499,
      labelCostMinor: 420,
      paymentReference: intents[i]!.id,
    })),
  );
}

/** A refund step as the engine runs it: the adapter, our key and metadata; then the ledger hook in the step's transaction. */
async function refundByTheTool(
  incidentId: string,
  order: LedgerOrder,
  amountMinor: number,
  bookedMinor = amountMinor,
): Promise<RefundRecord> {
  const stepId = randomUUID();
  const runId = randomUUID();
  const refund = await payments.refund({
    paymentReference: order.paymentReference!,
    amountMinor,
    currency: order.currency,
    idempotencyKey: `rd_${stepId}_refund`,
    metadata: { order_id: order.id, incident_id: incidentId, run_id: runId, step_id: stepId },
  });
  await inLedgerTransaction(api, (writer, manager) =>
    writer.recordStepOutcome(manager, {
      incidentId,
      runId,
      stepId,
      orderId: order.id,
      action: 'refund',
      status: 'succeeded',
      operation: 'refund',
      refund: { ...refund, amountMinor: bookedMinor },
    }),
  );
  return refund;
}

async function reconcile(incidentId: string, strategy = 'auto') {
  const queued = await finance
    .as(api.http.post(`/api/incidents/${incidentId}/reconciliations`))
    .send({ strategy, reason: 'month-end check' })
    .expect(202);
  expect(queued.body).toMatchObject({ incidentId, strategy, requestedByEmail: finance.email });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await finance.as(api.http.get(`/api/incidents/${incidentId}/reconciliations/${queued.body.id}`)).expect(200);
    if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`reconciliation still ${res.body.status}: ${JSON.stringify(res.body)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('reconciling an incident with the provider', () => {
  let incidentId: string;
  let orders: LedgerOrder[];
  const made: RefundRecord[] = [];

  beforeAll(async () => {
    ({ incidentId, orders } = await paidIncident([
      { currency: 'USD' },
      { currency: 'USD' },
      { currency: 'JPY' },
      { currency: 'USD' },
      { currency: 'USD' },
      { currency: 'USD' },
    ]));
    made.push(await refundByTheTool(incidentId, orders[0]!, 8499));
    made.push(await refundByTheTool(incidentId, orders[1]!, 4000));
    made.push(await refundByTheTool(incidentId, orders[2]!, 8499));
  }, 60_000);

  it('says so when the provider and the ledger agree', async () => {
    const report = await reconcile(incidentId);
    expect(report).toMatchObject({ status: 'completed', clean: true, discrepancies: [], attempts: 1 });
    expect(report.summary).toMatchObject({
      strategy: 'per_payment',
      payments: 6,
      providerRefunds: 3,
      ledgerRefunds: 3,
      matched: 3,
      missing: 0,
      extra: 0,
      amount_mismatch: 0,
      totals: [
        { currency: 'JPY', ledgerMinor: 8499, providerMinor: 8499 },
        { currency: 'USD', ledgerMinor: 12_499, providerMinor: 12_499 },
      ],
    });
    expect(report.summary.message).toMatch(/^Clean: the provider's 3 refunds of this incident match the ledger exactly$/);
  });

  it('catches a refund made outside the tool, one the provider never made, and an amount off by one minor unit', async () => {
    // Outside the tool: straight on the provider (a dashboard refund), never booked.
    const outside = await stripeClient.refunds.create({ payment_intent: orders[3]!.paymentReference!, amount: 500 });
    // Booked, but the provider has no such refund.
    await inLedgerTransaction(api, (writer, manager) =>
      writer.recordRefund(manager, {
        orderId: orders[4]!.id,
        refund: { id: 're_never_made_at_the_provider', amountMinor: 700, currency: 'USD', status: 'succeeded' },
      }),
    );
    // Refunded 1000, booked 1001.
    const offByOne = await refundByTheTool(incidentId, orders[5]!, 1000, 1001);

    for (const strategy of ['per_payment', 'by_date']) {
      const report = await reconcile(incidentId, strategy);
      expect(report).toMatchObject({ status: 'completed', clean: false });
      expect(report.summary).toMatchObject({ strategy, matched: 3, missing: 1, extra: 1, amount_mismatch: 1 });
      expect(report.summary.message).toBe('3 differences: 1 missing at the provider, 1 extra at the provider, 1 amount mismatch');
      const found = Object.fromEntries(report.discrepancies.map((d: { kind: string }) => [d.kind, d]));
      expect(found.extra).toMatchObject({
        refundId: outside.id,
        orderId: orders[3]!.id,
        ledgerMinor: 0,
        providerMinor: 500,
        currency: 'USD',
      });
      expect(found.missing).toMatchObject({
        refundId: 're_never_made_at_the_provider',
        orderId: orders[4]!.id,
        ledgerMinor: 700,
        providerMinor: 0,
      });
      expect(found.amount_mismatch).toMatchObject({
        refundId: offByOne.id,
        ledgerMinor: 1001,
        providerMinor: 1000,
        providerStatus: 'succeeded',
      });
    }
    const list = await commander.as(api.http.get(`/api/incidents/${incidentId}/reconciliations?_sort=number&_order=ASC`)).expect(200);
    expect(list.body.total).toBe(3);
    expect(list.body.data.map((r: { clean: boolean }) => r.clean)).toEqual([true, false, false]);
    expect(list.body.data[0]).not.toHaveProperty('discrepancies');
  });
});

describe('a refund that fails at the bank after it was issued', () => {
  it('shows as a mismatch until the ledger reverses exactly its entry, then reconciles clean', async () => {
    const { incidentId, orders } = await paidIncident([{ currency: 'USD', card: 'pm_card_refundFail' }, { currency: 'EUR' }]);
    const failing = await refundByTheTool(incidentId, orders[0]!, 8499);
    await refundByTheTool(incidentId, orders[1]!, 8499);
    const deadline = Date.now() + 10_000;
    while ((await stripeClient.refunds.retrieve(failing.id)).status !== 'failed') {
      if (Date.now() > deadline) throw new Error('the refund never failed');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const before = await reconcile(incidentId);
    expect(before.discrepancies).toEqual([
      expect.objectContaining({
        kind: 'amount_mismatch',
        refundId: failing.id,
        ledgerMinor: 8499,
        providerMinor: 0,
        providerStatus: 'failed',
      }),
    ]);

    // What the webhook hook will do with refund.failed: book the reversal, in the event's transaction.
    const booked = await inLedgerTransaction(api, async (writer, manager) =>
      writer.recordRefund(manager, { orderId: orders[0]!.id, refund: { ...failing, status: 'failed' }, eventId: 'evt_refund_failed' }),
    );
    expect(booked.written.map((e) => [e.category, e.amountMinor])).toEqual([
      ['refund_reversed', -8499],
      ['provider_fee_not_returned', -276],
    ]);
    const after = await reconcile(incidentId);
    expect(after).toMatchObject({ clean: true, summary: { matched: 2 } });
    const tally = await finance.as(api.http.get(`/api/incidents/${incidentId}/ledger/tally`)).expect(200);
    const usd = tally.body.currencies.find((c: { currency: string }) => c.currency === 'USD');
    expect(usd.netLossMinor).toBe(0);
  });
});
