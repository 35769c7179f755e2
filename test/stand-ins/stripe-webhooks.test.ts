import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freePort, waitFor } from './stand-in-process.js';
import { startStripeStandIn, type StandInProcess } from './stripe-stand-in.js';
import { WebhookReceiver } from './webhook-receiver.js';

/**
 * Webhooks from the Stripe stand-in to real HTTP endpoints on 127.0.0.1:
 * Stripe's endpoint API, signatures the official SDK verifies, retries, the
 * misbehaviour knobs, and the events of refunds failing and disputes.
 */
let standIn: StandInProcess;
let stripe: Stripe;
let dataDir: string;
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stripe-webhooks-'));
  standIn = await startStripeStandIn({
    DATA_FILE: join(dataDir, 'stripe.jsonl'),
    ALLOW_RESET: '1',
    RATE_LIMIT_RPS: '0',
    WEBHOOK_RETRY_BASE_MS: '150',
    WEBHOOK_MAX_ATTEMPTS: '4',
    WEBHOOK_TIMEOUT_MS: '2000',
    REFUND_FAIL_DELAY_MS: '300',
  });
  stripe = standIn.stripe();
});

// Each test starts from an empty account, so no endpoint of an earlier test receives its events.
beforeEach(async () => {
  expect((await standIn.control('POST', '/__stand-in/reset')).status).toBe(200);
});

afterEach(async () => {
  await Promise.all(receivers.splice(0).map((receiver) => receiver.close()));
});

afterAll(async () => {
  await standIn?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

async function receiver(port = 0): Promise<WebhookReceiver> {
  const started = await WebhookReceiver.start(port);
  receivers.push(started);
  return started;
}

async function endpointFor(url: string, enabledEvents: string[] = ['*']) {
  const endpoint = await stripe.webhookEndpoints.create({
    url,
    enabled_events: enabledEvents as Stripe.WebhookEndpointCreateParams.EnabledEvent[],
  });
  return { id: endpoint.id, secret: endpoint.secret! };
}

async function paidCharge(amount = 2_500, paymentMethod = 'pm_card_visa') {
  const intent = await stripe.paymentIntents.create({ amount, currency: 'usd', payment_method: paymentMethod, confirm: true });
  return intent.latest_charge as string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('webhook endpoints API', () => {
  it('creates an endpoint with a whsec_ secret shown once, lists, updates and deletes it', async () => {
    const created = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/hooks',
      enabled_events: ['refund.created', 'refund.failed'],
      description: 'recovery desk',
      metadata: { env: 'test' },
    });
    expect(created).toMatchObject({
      object: 'webhook_endpoint',
      url: 'http://127.0.0.1:9/hooks',
      enabled_events: ['refund.created', 'refund.failed'],
      status: 'enabled',
      livemode: false,
      api_version: null,
      description: 'recovery desk',
      metadata: { env: 'test' },
    });
    expect(created.id).toMatch(/^we_\w{24}$/);
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9]{32}$/);

    const retrieved = await stripe.webhookEndpoints.retrieve(created.id);
    expect(retrieved.secret).toBeUndefined();
    expect(retrieved.url).toBe(created.url);
    expect((await stripe.webhookEndpoints.list()).data.map((endpoint) => endpoint.id)).toEqual([created.id]);

    const updated = await stripe.webhookEndpoints.update(created.id, { disabled: true, enabled_events: ['*'], metadata: { env: '' } });
    expect(updated).toMatchObject({ status: 'disabled', enabled_events: ['*'], metadata: {} });

    const deleted = await stripe.webhookEndpoints.del(created.id);
    expect(deleted).toEqual(expect.objectContaining({ id: created.id, object: 'webhook_endpoint', deleted: true }));
    const missing = await stripe.webhookEndpoints.retrieve(created.id).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(missing).toMatchObject({ statusCode: 404, code: 'resource_missing' });
  });

  it('refuses an unknown event type, a missing enabled_events and a malformed URL, naming the parameter', async () => {
    const unknownType = await stripe.webhookEndpoints
      .create({ url: 'http://127.0.0.1:9/x', enabled_events: ['refund.exploded' as 'refund.created'] })
      .catch((error: unknown) => error);
    expect(unknownType).toMatchObject({ statusCode: 400, param: 'enabled_events[0]' });
    const noEvents = await standIn.raw('POST', '/v1/webhook_endpoints', { form: { url: 'http://127.0.0.1:9/x' } });
    expect(noEvents.status).toBe(400);
    expect(((await noEvents.json()) as { error: { param: string } }).error.param).toBe('enabled_events');
    const badUrl = await stripe.webhookEndpoints.create({ url: 'not a url', enabled_events: ['*'] }).catch((error: unknown) => error);
    expect(badUrl).toMatchObject({ statusCode: 400, param: 'url' });
    expect((await stripe.webhookEndpoints.list()).data).toHaveLength(0);
  });
});

describe('signed delivery', () => {
  it('delivers refund.created and charge.refunded in Stripe envelopes that the SDK verifies, and rejects tampering', async () => {
    const hooks = await receiver();
    const { secret } = await endpointFor(hooks.url, ['refund.created', 'charge.refunded']);
    const chargeId = await paidCharge(2_500);
    const refund = await stripe.refunds.create({ charge: chargeId, reason: 'fraudulent' }, { idempotencyKey: `rd_step_${chargeId}` });

    const delivered = await hooks.waitForCount(2);
    // Only the subscribed types: charge.succeeded and payment_intent.succeeded were not sent here.
    expect(delivered.map((webhook) => webhook.event.type).sort()).toEqual(['charge.refunded', 'refund.created']);
    for (const webhook of delivered) {
      expect(webhook.signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
      expect(webhook.contentType).toBe('application/json; charset=utf-8');
      expect(webhook.userAgent).toMatch(/^Stripe\/1\.0/);
      const event = stripe.webhooks.constructEvent(webhook.payload, webhook.signature, secret);
      expect(event).toMatchObject({
        object: 'event',
        api_version: '2026-10-28.endive',
        livemode: false,
        pending_webhooks: 1,
        request: { idempotency_key: `rd_step_${chargeId}` },
      });
      expect(event.id).toMatch(/^evt_/);
      expect(event.request?.id).toMatch(/^req_/);
      expect(Math.abs(event.created - Date.now() / 1000)).toBeLessThan(60);
    }
    const refundEvent = stripe.webhooks.constructEvent(
      hooks.ofType('refund.created')[0]!.payload,
      hooks.ofType('refund.created')[0]!.signature,
      secret,
    );
    expect(refundEvent.data.object).toEqual(JSON.parse(JSON.stringify(refund)));
    const chargeEvent = hooks.ofType('charge.refunded')[0]!.event;
    expect(chargeEvent.data.object).toMatchObject({ id: chargeId, object: 'charge', amount_refunded: 2_500, refunded: true });

    const { payload, signature } = hooks.ofType('refund.created')[0]!;
    const tampered = payload.replace('"amount": 2500', '"amount": 1');
    expect(tampered).not.toBe(payload);
    expect(() => stripe.webhooks.constructEvent(tampered, signature, secret)).toThrow(Stripe.errors.StripeSignatureVerificationError);
    expect(() => stripe.webhooks.constructEvent(payload, signature, 'whsec_someoneelsessecret')).toThrow(
      Stripe.errors.StripeSignatureVerificationError,
    );

    // Delivered means pending_webhooks 0 when read back.
    await waitFor(async () => (await stripe.events.retrieve(refundEvent.id)).pending_webhooks === 0, 2_000, 'pending_webhooks 0');
  });

  it('sends every event to a * endpoint and nothing to a disabled one', async () => {
    const all = await receiver();
    const off = await receiver();
    await endpointFor(all.url, ['*']);
    const disabled = await endpointFor(off.url, ['*']);
    await stripe.webhookEndpoints.update(disabled.id, { disabled: true });
    await stripe.refunds.create({ charge: await paidCharge() });
    await all.waitForCount(4);
    await sleep(300);
    expect(all.received.map((webhook) => webhook.event.type).sort()).toEqual([
      'charge.refunded',
      'charge.succeeded',
      'payment_intent.succeeded',
      'refund.created',
    ]);
    expect(off.received).toHaveLength(0);
  });

  it('delivers after the API call has answered: an endpoint that has not answered does not hold up the refund', async () => {
    const slow = await receiver();
    let open!: () => void;
    slow.gate = new Promise((resolve) => (open = resolve));
    await endpointFor(slow.url, ['refund.created']);
    const chargeId = await paidCharge();
    try {
      // If delivery were part of the API call, this would wait for the gate and time out.
      const refund = await Promise.race([
        stripe.refunds.create({ charge: chargeId }),
        sleep(5_000).then(() => Promise.reject(new Error('the refund waited for the webhook endpoint'))),
      ]);
      const [held] = await slow.waitForCount(1);
      expect(held!.event.data.object.id).toBe(refund.id);
      expect((await standIn.stats()).webhooks.inFlight).toBe(1);
    } finally {
      open();
    }
    await waitFor(async () => (await standIn.stats()).webhooks.delivered === 1, 3_000, 'the delivery to complete');
  });

  it('lists events newest first with type wildcards and types[], and retrieves one', async () => {
    const chargeId = await paidCharge();
    const refund = await stripe.refunds.create({ charge: chargeId });
    const all = await stripe.events.list({ limit: 10 });
    expect(all.data.map((event) => event.type)).toEqual([
      'charge.refunded',
      'refund.created',
      'payment_intent.succeeded',
      'charge.succeeded',
    ]);
    const refunds = await stripe.events.list({ type: 'refund.*' });
    expect(refunds.data.map((event) => [event.type, (event.data.object as { id: string }).id])).toEqual([['refund.created', refund.id]]);
    const some = await stripe.events.list({ types: ['charge.succeeded', 'charge.refunded'] });
    expect(some.data.map((event) => event.type)).toEqual(['charge.refunded', 'charge.succeeded']);
    const one = await stripe.events.retrieve(refunds.data[0]!.id);
    expect(one).toMatchObject({ id: refunds.data[0]!.id, type: 'refund.created', pending_webhooks: 0 });
    const page = await stripe.events.list({ limit: 2 });
    expect(page.has_more).toBe(true);
    const next = await stripe.events.list({ limit: 2, starting_after: page.data[1]!.id });
    expect(next.data.map((event) => event.type)).toEqual(['payment_intent.succeeded', 'charge.succeeded']);
  });
});

describe('retries', () => {
  it('retries an unreachable endpoint with backoff and delivers once it is up', async () => {
    const port = await freePort();
    const { id: endpoint } = await endpointFor(`http://127.0.0.1:${port}/hooks`, ['refund.created']);
    const refund = await stripe.refunds.create({ charge: await paidCharge() });
    // Nothing listens yet: the first attempt (immediate) and the first retry (150 ms later) fail.
    await waitFor(async () => (await standIn.stats()).webhooks.failedAttempts >= 2, 3_000, 'two failed attempts');
    const hooks = await receiver(port);
    const [delivered] = await hooks.waitForCount(1, 5_000);
    expect(delivered!.event.data.object.id).toBe(refund.id);

    const attempts = (await standIn.control('GET', `/__stand-in/webhook-attempts?endpoint=${endpoint}`)).body.data as {
      attempt: number;
      status: number | null;
      error: string | null;
    }[];
    const oldestFirst = attempts.reverse();
    expect(oldestFirst.at(-1)).toMatchObject({ status: 200, error: null });
    expect(oldestFirst.slice(0, -1).every((attempt) => attempt.status === null && attempt.error === 'ECONNREFUSED')).toBe(true);
    expect(oldestFirst.map((attempt) => attempt.attempt)).toEqual(oldestFirst.map((_, index) => index + 1));
    const stats = await standIn.stats();
    expect(stats.webhooks).toMatchObject({ delivered: 1, abandoned: 0, queued: 0 });
    expect(stats.webhooks.retriesScheduled).toBe(oldestFirst.length - 1);
  });

  it('gives up after webhookMaxAttempts on an endpoint that keeps failing: no endless loop', async () => {
    await standIn.faults({ webhookMaxAttempts: 3, webhookRetryBaseMs: 100 });
    const failing = await receiver();
    failing.respondWith = 500;
    await endpointFor(failing.url, ['refund.created']);
    await stripe.refunds.create({ charge: await paidCharge() });
    await waitFor(async () => (await standIn.stats()).webhooks.abandoned === 1, 3_000, 'the delivery to be abandoned');
    await sleep(800); // longer than any retry would wait
    expect(failing.received).toHaveLength(3);
    const [event] = (await stripe.events.list({ type: 'refund.created' })).data;
    expect(event!.pending_webhooks).toBe(1);
    expect((await stripe.events.list({ delivery_success: false })).data.map((candidate) => candidate.id)).toEqual([event!.id]);
    expect((await standIn.stats()).webhooks).toMatchObject({ attempts: 3, failedAttempts: 3, delivered: 0, queued: 0, waiting: 0 });
  });

  it('counts a redirect and a dropped connection as failures', async () => {
    await standIn.faults({ webhookMaxAttempts: 2, webhookRetryBaseMs: 50 });
    const redirecting = await receiver();
    redirecting.respondWith = 302;
    const dropping = await receiver();
    dropping.respondWith = 'drop';
    await endpointFor(redirecting.url, ['refund.created']);
    await endpointFor(dropping.url, ['refund.created']);
    await stripe.refunds.create({ charge: await paidCharge() });
    await waitFor(async () => (await standIn.stats()).webhooks.abandoned === 2, 3_000, 'both deliveries abandoned');
    expect([redirecting.received.length, dropping.received.length]).toEqual([2, 2]);
  });

  it('keeps an undelivered event across a restart and delivers it afterwards', async () => {
    const port = await freePort();
    await endpointFor(`http://127.0.0.1:${port}/hooks`, ['refund.created']);
    await standIn.faults({ webhookRetryBaseMs: 60_000 }); // the next retry would be a minute away
    const refund = await stripe.refunds.create({ charge: await paidCharge() });
    await waitFor(async () => (await standIn.stats()).webhooks.failedAttempts >= 1, 3_000, 'the first attempt to fail');
    const hooks = await receiver(port);
    await standIn.restart();
    const [delivered] = await hooks.waitForCount(1, 5_000);
    expect(delivered!.event.data.object.id).toBe(refund.id);
    expect(standIn.output()).toContain('"msg":"resuming webhook deliveries","queued":1');
  });
});

describe('misbehaviour knobs', () => {
  it('webhookDuplicateRate 1 sends every delivered event twice, same id, each signed', async () => {
    await standIn.faults({ webhookDuplicateRate: 1 });
    const hooks = await receiver();
    const { secret } = await endpointFor(hooks.url, ['refund.created']);
    await stripe.refunds.create({ charge: await paidCharge() });
    const copies = await hooks.waitForCount(2);
    expect(copies[0]!.event.id).toBe(copies[1]!.event.id);
    for (const copy of copies) expect(stripe.webhooks.constructEvent(copy.payload, copy.signature, secret).id).toBe(copies[0]!.event.id);
    await sleep(300);
    expect(hooks.received).toHaveLength(2);
    expect((await standIn.stats()).webhooks).toMatchObject({ delivered: 1, duplicatesSent: 1 });
  });

  it('webhookReorderBatch holds events until the batch is full, then sends them shuffled', async () => {
    await standIn.faults({ webhookReorderBatch: 6, webhookReorderWindowMs: 10_000, seed: 7 });
    const hooks = await receiver();
    await endpointFor(hooks.url, ['refund.created']);
    const refunds: string[] = [];
    for (let i = 0; i < 5; i++) refunds.push((await stripe.refunds.create({ charge: await paidCharge(1_000 + i) })).id);
    await sleep(300);
    expect(hooks.received).toHaveLength(0); // held: the batch is not full
    refunds.push((await stripe.refunds.create({ charge: await paidCharge(1_005) })).id);
    const delivered = await hooks.waitForCount(6);
    const order = delivered.map((webhook) => webhook.event.data.object.id);
    expect([...order].sort()).toEqual([...refunds].sort());
    expect(order).not.toEqual(refunds);
  });

  it('releases a batch that does not fill after webhookReorderWindowMs, and webhookDelayMaxMs only delays', async () => {
    await standIn.faults({ webhookReorderBatch: 50, webhookReorderWindowMs: 400, webhookDelayMaxMs: 200 });
    const hooks = await receiver();
    await endpointFor(hooks.url, ['refund.created']);
    const started = Date.now();
    await stripe.refunds.create({ charge: await paidCharge() });
    await stripe.refunds.create({ charge: await paidCharge() });
    await hooks.waitForCount(2, 3_000);
    expect(hooks.received[0]!.at - started).toBeGreaterThanOrEqual(350);
  });

  it('refuses malformed knob values', async () => {
    expect((await standIn.control('POST', '/__stand-in/faults', { webhookDuplicateRate: 1.5 })).status).toBe(400);
    expect((await standIn.control('POST', '/__stand-in/faults', { webhookMaxAttempts: 0 })).status).toBe(400);
    expect((await standIn.control('POST', '/__stand-in/faults', { webhookMaxAttempts: 1_000 })).status).toBe(400);
  });
});

describe('refunds that fail later', () => {
  it('POST /__stand-in/refunds/:id/fail: the refund fails, the charge is no longer refunded, and three events go out', async () => {
    const hooks = await receiver();
    const { secret } = await endpointFor(hooks.url, ['refund.updated', 'refund.failed', 'charge.refund.updated']);
    const chargeId = await paidCharge(4_000);
    const refund = await stripe.refunds.create({ charge: chargeId });
    const failed = await standIn.control('POST', `/__stand-in/refunds/${refund.id}/fail`, { failure_reason: 'lost_or_stolen_card' });
    expect(failed.status).toBe(200);
    expect(failed.body).toMatchObject({ id: refund.id, status: 'failed', failure_reason: 'lost_or_stolen_card' });

    const delivered = await hooks.waitForCount(3);
    const byType = Object.fromEntries(
      delivered.map((webhook) => [webhook.event.type, stripe.webhooks.constructEvent(webhook.payload, webhook.signature, secret)]),
    );
    expect(Object.keys(byType).sort()).toEqual(['charge.refund.updated', 'refund.failed', 'refund.updated']);
    for (const event of Object.values(byType)) {
      expect(event.data.object).toMatchObject({ id: refund.id, status: 'failed', failure_reason: 'lost_or_stolen_card' });
      expect(event.request).toEqual({ id: null, idempotency_key: null });
    }
    expect(byType['refund.updated']!.data.previous_attributes).toMatchObject({ status: 'succeeded' });

    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ status: 'failed', failure_reason: 'lost_or_stolen_card' });
    expect((await stripe.refunds.retrieve(refund.id)).failure_balance_transaction).toMatch(/^txn_/);
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 0, refunded: false });
    // The money is back with the merchant, so the charge can be refunded again.
    expect((await stripe.refunds.create({ charge: chargeId })).amount).toBe(4_000);

    expect((await standIn.control('POST', `/__stand-in/refunds/${refund.id}/fail`, {})).status).toBe(409);
    expect((await standIn.control('POST', '/__stand-in/refunds/re_missing/fail', {})).status).toBe(404);
    expect((await standIn.control('POST', `/__stand-in/refunds/${refund.id}/fail`, { failure_reason: 'bored' })).status).toBe(400);
  });

  it('pm_card_refundFail: the refund starts succeeded and fails with expired_or_canceled_card shortly after', async () => {
    const hooks = await receiver();
    await endpointFor(hooks.url, ['refund.failed']);
    const refund = await stripe.refunds.create({ charge: await paidCharge(1_200, 'pm_card_refundFail') });
    expect(refund.status).toBe('succeeded');
    const [failed] = await hooks.waitForCount(1, 3_000);
    expect(failed!.event.data.object).toMatchObject({ id: refund.id, status: 'failed', failure_reason: 'expired_or_canceled_card' });
    expect((await stripe.refunds.retrieve(refund.id)).status).toBe('failed');
  });
});

describe('disputes', () => {
  it('opening a dispute sends charge.dispute.created, blocks refunds, and closing it lost sends charge.dispute.closed', async () => {
    const hooks = await receiver();
    const { secret } = await endpointFor(hooks.url, ['charge.dispute.created', 'charge.dispute.closed']);
    const chargeId = await paidCharge(7_000);
    const opened = await standIn.control('POST', `/__stand-in/charges/${chargeId}/dispute`, { reason: 'fraudulent' });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      object: 'dispute',
      charge: chargeId,
      amount: 7_000,
      currency: 'usd',
      status: 'needs_response',
      reason: 'fraudulent',
    });
    expect(opened.body.balance_transactions).toEqual([
      expect.objectContaining({ amount: -7_000, fee: 1_500, net: -8_500, currency: 'usd', reporting_category: 'dispute' }),
    ]);
    const [created] = await hooks.waitForCount(1);
    const event = stripe.webhooks.constructEvent(created!.payload, created!.signature, secret);
    expect(event).toMatchObject({ type: 'charge.dispute.created', data: { object: { id: opened.body.id, status: 'needs_response' } } });
    expect((await stripe.charges.retrieve(chargeId)).disputed).toBe(true);
    expect((await stripe.disputes.list({ charge: chargeId })).data.map((dispute) => dispute.id)).toEqual([opened.body.id]);

    const refused = await stripe.refunds.create({ charge: chargeId }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ statusCode: 400, code: 'charge_disputed' });
    expect((await standIn.control('POST', `/__stand-in/charges/${chargeId}/dispute`, {})).status).toBe(409);

    const closed = await standIn.control('POST', `/__stand-in/charges/${chargeId}/dispute/close`, { outcome: 'lost' });
    expect(closed.body).toMatchObject({ id: opened.body.id, status: 'lost' });
    const [, closedEvent] = await hooks.waitForCount(2);
    expect(closedEvent!.event).toMatchObject({ type: 'charge.dispute.closed', data: { object: { status: 'lost' } } });
    expect((await stripe.disputes.retrieve(opened.body.id)).status).toBe('lost');
    expect((await standIn.control('POST', `/__stand-in/charges/${chargeId}/dispute/close`, { outcome: 'won' })).status).toBe(409);
  });

  it('a won dispute gives the money back (funds_reinstated) and the charge can be refunded again', async () => {
    const hooks = await receiver();
    await endpointFor(hooks.url, ['charge.dispute.funds_reinstated', 'charge.dispute.closed']);
    const chargeId = await paidCharge(3_000);
    await standIn.control('POST', `/__stand-in/charges/${chargeId}/dispute`, { reason: 'product_not_received', amount: 2_000 });
    const won = await standIn.control('POST', `/__stand-in/charges/${chargeId}/dispute/close`, { outcome: 'won' });
    expect(
      won.body.balance_transactions.map((transaction: { amount: number; fee: number }) => [transaction.amount, transaction.fee]),
    ).toEqual([
      [-2_000, 1_500],
      [2_000, 0],
    ]);
    const delivered = await hooks.waitForCount(2);
    expect(delivered.map((webhook) => webhook.event.type).sort()).toEqual(['charge.dispute.closed', 'charge.dispute.funds_reinstated']);
    expect((await stripe.refunds.create({ charge: chargeId })).amount).toBe(3_000);
    expect((await standIn.control('POST', '/__stand-in/charges/ch_missing/dispute', {})).status).toBe(404);
    expect((await standIn.control('POST', `/__stand-in/charges/${chargeId}/dispute/close`, { outcome: 'maybe' })).status).toBe(400);
  });
});
