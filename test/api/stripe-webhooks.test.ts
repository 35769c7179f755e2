import fc from 'fast-check';
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNoticeContent } from '../../backend/src/remediation/engine/notice-content.js';
import { startStripeStandIn, type StandInProcess } from '../stand-ins/stripe-stand-in.js';
import { asPlatform, sampleOrder, toNdjson } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

/**
 * POST /api/webhooks/stripe: signatures as Stripe makes them (v1, 300 s
 * tolerance, several secrets while rotating), each event applied once and in
 * any order, and a refund that fails after it was issued re-opening its step
 * and order — with the customer told only what is true.
 */
const oldSecret = 'whsec_old_secret_still_accepted_while_rotating';
const newSecret = 'whsec_new_secret_of_the_rotation_000000000';
const total = 8396;

let api: TestApp;
let standIn: StandInProcess;
let standInSecret: string;
let commander: TestUser;
let agent: TestUser;
let sequence = 0;

beforeAll(async () => {
  standIn = await startStripeStandIn({ RATE_LIMIT_RPS: '0', WEBHOOK_RETRY_BASE_MS: '100', LOG_LEVEL: 'warn' });
  const endpoint = await standIn.stripe().webhookEndpoints.create({ url: 'http://127.0.0.1:9/not-yet', enabled_events: ['*'] });
  standInSecret = endpoint.secret!;
  api = await startTestApp({ STRIPE_WEBHOOK_SECRETS: `${newSecret}, ${oldSecret},${standInSecret}`, LOGIN_MAX_ATTEMPTS_PER_IP: '100000' });
  await standIn.stripe().webhookEndpoints.update(endpoint.id, { url: `${api.baseUrl}/api/webhooks/stripe` });
  [commander, agent] = await Promise.all([userWithRoles(api, ['incident_commander']), userWithRoles(api, ['support_agent'])]);
}, 60_000);

afterAll(async () => {
  await api?.close();
  await standIn?.stop();
});

/** Stripe's signature header for `payload`, as the SDK's own test helper makes it. */
function sign(payload: string, secret = newSecret, timestamp = Math.floor(Date.now() / 1000)) {
  return Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });
}

function post(payload: string, signature?: string) {
  const req = api.http.post('/api/webhooks/stripe').set('Content-Type', 'application/json');
  return (signature === undefined ? req : req.set('Stripe-Signature', signature)).send(payload);
}

let eventSequence = 0;
function event(type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) {
  eventSequence += 1;
  return JSON.stringify({
    id: `evt_${randomUUID().replace(/-/g, '').slice(0, 24)}`,
    object: 'event',
    api_version: '2026-10-28.endive',
    created,
    data: { object },
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    type,
  });
}

function refundObject(id: string, paymentIntent: string, status: string, metadata: Record<string, string> = {}, failureReason?: string) {
  return {
    id,
    object: 'refund',
    amount: total,
    charge: `ch_${paymentIntent.slice(3)}`,
    created: 1_764_000_000,
    currency: 'usd',
    metadata,
    payment_intent: paymentIntent,
    reason: 'fraudulent',
    status,
    ...(failureReason ? { failure_reason: failureReason } : {}),
  };
}

async function count(table: string) {
  const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM ${table}`);
  return rows[0].n as number;
}

/**
 * A remediation run as the engine leaves it: the order refunded (step
 * succeeded, its refund recorded) and, optionally, the customer's notice sent
 * saying so — written straight into the database.
 */
async function refundedOrder(options: { notice?: 'sent' | 'pending' } = {}) {
  sequence += 1;
  const model = `Hook${sequence}`;
  const paymentIntent = `pi_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const externalId = `${model}-1`;
  await asPlatform(api.http.post('/api/orders/bulk'))
    .set('Content-Type', 'application/x-ndjson')
    .send(
      toNdjson([
        sampleOrder({
          externalId,
          paymentReference: paymentIntent,
          customer: { externalId: `${model}-CUST`, email: `${model.toLowerCase()}@example.test`, name: 'Hook Customer' },
          device: { id: `${model}-DEV`, model, firmwareVersion: '1.0.0' },
        }),
      ]),
    )
    .expect(200);
  const { rows } = await api.db.query(`SELECT id, customer_id FROM orders WHERE external_id = $1`, [externalId]);
  const orderId = rows[0].id as string;
  const customerId = rows[0].customer_id as string;
  const incident = await commander
    .as(api.http.post('/api/incidents'))
    .send({ title: model, severity: 'high', orderFilter: { model }, expectedCount: 1 })
    .expect(201);
  const incidentId = incident.body.id as string;
  await commander
    .as(api.http.post(`/api/incidents/${incidentId}/transition`))
    .send({ to: 'triage', reason: 'working it' })
    .expect(200);
  await agent
    .as(api.http.post(`/api/incidents/${incidentId}/members`))
    .send({ action: 'confirm', orderIds: [orderId], reason: 'checked' })
    .expect(200);
  const refundId = `re_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
  const { rows: run } = await api.db.query(
    `INSERT INTO remediation_run (incident_id, actions, status, reason, preview, approval_required, requested_by, started_at, finished_at)
     VALUES ($1, ARRAY['refund', 'notify'], 'completed', 'test fixture', '{}', false, $2, now(), now()) RETURNING id`,
    [incidentId, agent.id],
  );
  const runId = run[0].id as string;
  const stepId = randomUUID();
  await api.db.query(
    `INSERT INTO remediation_step (id, run_id, order_id, action, operation, status, idempotency_key, amount_minor, currency, attempts,
                                   provider_ref, provider_status, finished_at)
     VALUES ($1, $2, $3, 'refund', 'refund', 'succeeded', $4, $5, 'USD', 1, $6, 'succeeded', now())`,
    [stepId, runId, orderId, `rd_${stepId}_refund`, total, refundId],
  );
  await api.db.query(
    `INSERT INTO payment_refund (id, charge_id, payment_intent_id, order_id, step_id, amount_minor, currency, status, provider_created_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'USD', 'succeeded', now())`,
    [refundId, `ch_${paymentIntent.slice(3)}`, paymentIntent, orderId, stepId, total],
  );
  await api.db.query(`UPDATE orders SET payment_state = 'refunded', refunded_minor = total_minor WHERE id = $1`, [orderId]);
  if (options.notice) {
    const content =
      options.notice === 'sent'
        ? await buildNoticeContent(api.app.get(DataSource).manager, {
            incidentId,
            customerId,
            template: 'incident_notice',
            incidentNumber: 1,
            customerName: 'Hook Customer',
            runActions: ['refund', 'notify'],
          })
        : null;
    await api.db.query(
      `INSERT INTO notification_outbox (incident_id, customer_id, template, run_id, status, to_address, message_id, content, sent_at)
       VALUES ($1, $2, 'incident_notice', $3, $4, $5, $6, $7, CASE WHEN $4 = 'sent' THEN now() END)`,
      [incidentId, customerId, runId, options.notice, `${model.toLowerCase()}@example.test`, `<${randomUUID()}@example.test>`, content],
    );
  }
  const metadata = { order_id: orderId, incident_id: incidentId, run_id: runId, step_id: stepId };
  return { orderId, customerId, incidentId, runId, stepId, refundId, paymentIntent, metadata };
}

async function stepOf(stepId: string) {
  const { rows } = await api.db.query(`SELECT status, error_code, provider_status FROM remediation_step WHERE id = $1`, [stepId]);
  return rows[0];
}

async function orderPayment(orderId: string) {
  const { rows } = await api.db.query(`SELECT payment_state, refunded_minor::int AS refunded FROM orders WHERE id = $1`, [orderId]);
  return rows[0];
}

describe('signature', () => {
  it('refuses unsigned, malformed, forged, stale and tampered events (400/401), changing nothing', async () => {
    const fixture = await refundedOrder();
    const payload = event('refund.failed', refundObject(fixture.refundId, fixture.paymentIntent, 'failed', fixture.metadata, 'declined'));
    const events = await count('provider_event');
    const now = Math.floor(Date.now() / 1000);

    expect((await post(payload)).status).toBe(401);
    const malformed = await post(payload, 'v1=deadbeef');
    expect(malformed.status).toBe(400);
    expect(malformed.body.message).toMatch(/t=<unix seconds>,v1=<hex signature>/);
    const forged = await post(payload, sign(payload, 'whsec_someone_else_entirely_000000'));
    expect(forged.status).toBe(401);
    expect(forged.body.message).toMatch(/no signature matches/);
    const stale = await post(payload, sign(payload, newSecret, now - 301));
    expect(stale.status).toBe(401);
    expect(stale.body.message).toMatch(/stale or replayed/);
    expect((await post(payload, sign(payload, newSecret, now + 400))).status).toBe(401);
    const tampered = payload.replace('"failed"', '"succeeded"');
    expect((await post(tampered, sign(payload))).status).toBe(401);

    expect(await count('provider_event')).toBe(events);
    expect(await stepOf(fixture.stepId)).toMatchObject({ status: 'succeeded', error_code: null });
    expect(await orderPayment(fixture.orderId)).toMatchObject({ payment_state: 'refunded', refunded: total });
  });

  it('accepts every configured secret while one rotates, and a timestamp inside the tolerance', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const [secret, timestamp] of [
      [oldSecret, now],
      [newSecret, now - 290],
    ] as const) {
      const payload = event('payment_intent.created', { id: `pi_${randomUUID().slice(0, 8)}`, object: 'payment_intent' });
      const res = await post(payload, sign(payload, secret, timestamp)).expect(200);
      expect(res.body).toMatchObject({ duplicate: false });
    }
  });

  it('rejects a signed body that is not a Stripe event with 400, naming the field', async () => {
    const payload = JSON.stringify({ id: 'not-an-event', type: 'refund.failed' });
    const res = await post(payload, sign(payload)).expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field)).toEqual(expect.arrayContaining(['id', 'created', 'data']));
  });
});

describe('delivery', () => {
  it('applies an event once however often it is delivered', async () => {
    const fixture = await refundedOrder();
    const payload = event('refund.updated', refundObject(fixture.refundId, fixture.paymentIntent, 'succeeded', fixture.metadata));
    const first = await post(payload, sign(payload)).expect(200);
    expect(first.body.duplicate).toBe(false);
    for (let i = 0; i < 3; i++) expect((await post(payload, sign(payload)).expect(200)).body.duplicate).toBe(true);
    const id = JSON.parse(payload).id;
    const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM provider_event WHERE event_id = $1`, [id]);
    expect(rows[0].n).toBe(1);
  });

  it('reaches the same state in any order and with repeats: a late pending or succeeded never undoes a failure', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.shuffledSubarray([0, 1, 2, 3], { minLength: 4, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 2 }),
        async (order, repeats) => {
          const fixture = await refundedOrder();
          const { refundId, paymentIntent, metadata } = fixture;
          const events = [
            event('refund.created', refundObject(refundId, paymentIntent, 'pending', metadata)),
            event('refund.updated', refundObject(refundId, paymentIntent, 'succeeded', metadata)),
            event('refund.failed', refundObject(refundId, paymentIntent, 'failed', metadata, 'expired_or_canceled_card')),
            event('charge.refund.updated', refundObject(refundId, paymentIntent, 'failed', metadata, 'expired_or_canceled_card')),
          ];
          for (const index of [...order, ...repeats]) await post(events[index]!, sign(events[index]!)).expect(200);
          expect(await stepOf(fixture.stepId)).toEqual({ status: 'failed', error_code: 'refund_failed', provider_status: 'failed' });
          expect(await orderPayment(fixture.orderId)).toEqual({ payment_state: 'refund_failed', refunded: 0 });
          const { rows } = await api.db.query(`SELECT status, failure_reason FROM payment_refund WHERE id = $1`, [refundId]);
          expect(rows[0]).toEqual({ status: 'failed', failure_reason: 'expired_or_canceled_card' });
        },
      ),
      { numRuns: 12 },
    );
  }, 60_000);

  it('keeps the newest dispute state whatever order its events arrive in, and marks the order disputed', async () => {
    const fixture = await refundedOrder();
    const dispute = (status: string) => ({
      id: `dp_${fixture.paymentIntent.slice(3)}`,
      object: 'dispute',
      amount: total,
      charge: `ch_${fixture.paymentIntent.slice(3)}`,
      payment_intent: fixture.paymentIntent,
      currency: 'usd',
      reason: 'fraudulent',
      status,
    });
    const closed = event('charge.dispute.closed', dispute('lost'), 1_764_000_100);
    const created = event('charge.dispute.created', dispute('needs_response'), 1_764_000_000);
    await post(closed, sign(closed)).expect(200);
    const late = await post(created, sign(created)).expect(200);
    expect(late.body).toEqual({ received: JSON.parse(created).id, duplicate: false });
    const { rows } = await api.db.query(`SELECT status, order_id, amount_minor::int AS amount FROM payment_dispute WHERE charge_id = $1`, [
      `ch_${fixture.paymentIntent.slice(3)}`,
    ]);
    expect(rows).toEqual([{ status: 'lost', order_id: fixture.orderId, amount: total }]);
    expect((await orderPayment(fixture.orderId)).payment_state).toBe('disputed');
  });

  it('stores event types it does not act on, and reads refunds listed on charge.refunded', async () => {
    const fixture = await refundedOrder();
    const charge = {
      id: `ch_${fixture.paymentIntent.slice(3)}`,
      object: 'charge',
      amount: total,
      amount_refunded: total,
      refunded: true,
      payment_intent: fixture.paymentIntent,
      refunds: { object: 'list', data: [refundObject(fixture.refundId, fixture.paymentIntent, 'canceled', fixture.metadata)] },
    };
    const payload = event('charge.refunded', charge);
    await post(payload, sign(payload)).expect(200);
    expect(await stepOf(fixture.stepId)).toMatchObject({ status: 'failed', error_code: 'refund_failed', provider_status: 'canceled' });
    const other = event('customer.created', { id: 'cus_1', object: 'customer' });
    expect((await post(other, sign(other)).expect(200)).body).toMatchObject({ duplicate: false });
  });
});

describe('a refund that fails after it was issued', () => {
  it('after the notice said it was refunded: one follow-up notice is queued, never a second', async () => {
    const fixture = await refundedOrder({ notice: 'sent' });
    const failed = event('refund.failed', refundObject(fixture.refundId, fixture.paymentIntent, 'failed', fixture.metadata, 'declined'));
    const res = await post(failed, sign(failed)).expect(200);
    expect(res.body.effect).toBe('refund_failed');
    const { rows } = await api.db.query(
      `SELECT template, status FROM notification_outbox WHERE incident_id = $1 AND customer_id = $2 ORDER BY created_at`,
      [fixture.incidentId, fixture.customerId],
    );
    expect(rows).toEqual([
      { template: 'incident_notice', status: 'sent' },
      { template: 'refund_failed', status: 'pending' },
    ]);
    // The same failure told again (another event type) adds nothing.
    const again = event(
      'charge.refund.updated',
      refundObject(fixture.refundId, fixture.paymentIntent, 'failed', fixture.metadata, 'declined'),
    );
    await post(again, sign(again)).expect(200);
    expect(await count(`notification_outbox WHERE incident_id = '${fixture.incidentId}'`)).toBe(2);
  });

  it('before the notice was sent: no follow-up, the notice itself says the refund failed', async () => {
    const fixture = await refundedOrder({ notice: 'pending' });
    const failed = event('refund.failed', refundObject(fixture.refundId, fixture.paymentIntent, 'failed', fixture.metadata, 'declined'));
    await post(failed, sign(failed)).expect(200);
    expect(await count(`notification_outbox WHERE incident_id = '${fixture.incidentId}'`)).toBe(1);
    const content = await buildNoticeContent(api.app.get(DataSource).manager, {
      incidentId: fixture.incidentId,
      customerId: fixture.customerId,
      template: 'incident_notice',
      incidentNumber: 1,
      customerName: null,
      runActions: ['refund', 'notify'],
    });
    expect(content.orders.map((order) => order.refund)).toEqual(['failed']);
  });
});

describe('signed delivery from the Stripe stand-in, duplicated and reordered', () => {
  it('applies each event once: the refund ends failed whatever order its events came in', async () => {
    const stripe = standIn.stripe();
    await standIn.faults({ webhookDuplicateRate: 1, webhookReorderBatch: 3, webhookReorderWindowMs: 500 });
    try {
      const intent = await stripe.paymentIntents.create({ amount: total, currency: 'usd', payment_method: 'pm_card_visa', confirm: true });
      const fixture = await refundedOrder();
      // Our order, paid with this intent; the refund carries the step's metadata, as the engine's does.
      await api.db.query(`UPDATE orders SET payment_reference = $2 WHERE id = $1`, [fixture.orderId, intent.id]);
      const refund = await stripe.refunds.create({ payment_intent: intent.id, reason: 'fraudulent', metadata: fixture.metadata });
      await api.db.query(`UPDATE remediation_step SET provider_ref = $2 WHERE id = $1`, [fixture.stepId, refund.id]);
      await api.db.query(`DELETE FROM payment_refund WHERE step_id = $1`, [fixture.stepId]);
      expect(
        (await standIn.control('POST', `/__stand-in/refunds/${refund.id}/fail`, { failure_reason: 'lost_or_stolen_card' })).status,
      ).toBe(200);

      const deadline = Date.now() + 15_000;
      for (;;) {
        const step = await stepOf(fixture.stepId);
        const stats = await standIn.stats();
        if (step.status === 'failed' && stats.webhooks.queued === 0 && stats.webhooks.waiting === 0 && stats.webhooks.inFlight === 0) break;
        if (Date.now() > deadline) throw new Error(`step is ${JSON.stringify(step)}; webhooks ${JSON.stringify(stats.webhooks)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const stats = await standIn.stats();
      expect(stats.webhooks.duplicatesSent).toBeGreaterThan(0);
      expect(await stepOf(fixture.stepId)).toEqual({ status: 'failed', error_code: 'refund_failed', provider_status: 'failed' });
      const { rows } = await api.db.query(`SELECT status FROM payment_refund WHERE id = $1`, [refund.id]);
      expect(rows).toEqual([{ status: 'failed' }]);
      const { rows: stored } = await api.db.query(
        `SELECT type, count(*)::int AS n FROM provider_event WHERE payload->'data'->'object'->>'id' = $1 GROUP BY 1 ORDER BY 1`,
        [refund.id],
      );
      expect(stored).toEqual([
        { type: 'charge.refund.updated', n: 1 },
        { type: 'refund.created', n: 1 },
        { type: 'refund.failed', n: 1 },
        { type: 'refund.updated', n: 1 },
      ]);
    } finally {
      await standIn.clearFaults();
    }
  }, 30_000);
});
