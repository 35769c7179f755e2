import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStripeStandIn, testKey, type StandInProcess } from './stripe-stand-in.js';

/**
 * The Stripe stand-in through the real `stripe` SDK: Stripe's object shapes,
 * errors, idempotency, rate limit and the injected faults the product's own
 * fault tests will lean on.
 */
let standIn: StandInProcess;
let stripe: Stripe;
let dataDir: string;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'stripe-stand-in-'));
  standIn = await startStripeStandIn({ DATA_FILE: join(dataDir, 'stripe.jsonl'), ALLOW_RESET: '1', RATE_LIMIT_RPS: '0' });
  stripe = standIn.stripe();
});

afterAll(async () => {
  await standIn?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A paid charge of `amount` (and its PaymentIntent), as the storefront would have made it. */
async function paidCharge(amount = 2_500, currency = 'usd', metadata: Record<string, string> = {}) {
  const intent = await stripe.paymentIntents.create({ amount, currency, payment_method: 'pm_card_visa', confirm: true, metadata });
  return { intent, chargeId: intent.latest_charge as string };
}

/** The rejection of a promise, typed, or a failure when it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<InstanceType<typeof Stripe.errors.StripeError>> {
  try {
    await promise;
  } catch (error) {
    return error as InstanceType<typeof Stripe.errors.StripeError>;
  }
  throw new Error('expected the call to fail');
}

describe('PaymentIntents and charges', () => {
  it('creates and confirms a PaymentIntent with pm_card_visa: succeeded, with a captured, paid charge', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 4_250,
      currency: 'EUR',
      payment_method: 'pm_card_visa',
      confirm: true,
      description: 'toner order',
      metadata: { order_id: 'ord_1' },
    });
    expect(intent).toMatchObject({ object: 'payment_intent', amount: 4_250, currency: 'eur', status: 'succeeded', amount_received: 4_250 });
    expect(intent.id).toMatch(/^pi_\w{24}$/);
    expect(intent.payment_method).toMatch(/^pm_/);
    expect(intent.livemode).toBe(false);
    expect(Number.isInteger(intent.created) && Math.abs(intent.created - Date.now() / 1000) < 60).toBe(true);
    expect(intent.lastResponse.requestId).toMatch(/^req_/);

    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    expect(charge).toMatchObject({
      object: 'charge',
      amount: 4_250,
      amount_captured: 4_250,
      amount_refunded: 0,
      captured: true,
      paid: true,
      refunded: false,
      disputed: false,
      status: 'succeeded',
      currency: 'eur',
      payment_intent: intent.id,
      metadata: { order_id: 'ord_1' },
      description: 'toner order',
    });
    expect(charge.id).toMatch(/^ch_/);
    expect(charge.payment_method_details?.card?.last4).toBe('4242');

    expect(await stripe.paymentIntents.retrieve(intent.id)).toEqual({ ...intent });
  });

  it('confirms in a second step: requires_confirmation, then succeeded', async () => {
    const created = await stripe.paymentIntents.create({ amount: 900, currency: 'gbp', payment_method: 'pm_card_mastercard' });
    expect(created.status).toBe('requires_confirmation');
    expect(created.latest_charge).toBeNull();
    const confirmed = await stripe.paymentIntents.confirm(created.id);
    expect(confirmed.status).toBe('succeeded');
    const again = await rejectionOf(stripe.paymentIntents.confirm(created.id));
    expect(again.code).toBe('payment_intent_unexpected_state');
  });

  it('declines pm_card_chargeDeclined with 402 card_declined / generic_decline and leaves the intent requiring a payment method', async () => {
    const error = await rejectionOf(
      stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true }),
    );
    expect(error).toBeInstanceOf(Stripe.errors.StripeCardError);
    expect(error).toMatchObject({ statusCode: 402, type: 'StripeCardError', code: 'card_declined', decline_code: 'generic_decline' });
    expect(error.message).toBe('Your card was declined.');
    const intent = error.payment_intent!;
    expect(intent.status).toBe('requires_payment_method');
    expect(intent.last_payment_error?.code).toBe('card_declined');

    const stored = await stripe.paymentIntents.retrieve(intent.id);
    expect(stored.status).toBe('requires_payment_method');
    const charges = await stripe.charges.list({ payment_intent: intent.id });
    expect(charges.data.map((charge) => [charge.status, charge.paid, charge.failure_code])).toEqual([['failed', false, 'card_declined']]);
  });

  it('answers resource_missing for an unknown payment method and an unknown PaymentIntent', async () => {
    const unknownMethod = await rejectionOf(
      stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', payment_method: 'pm_nope', confirm: true }),
    );
    expect(unknownMethod).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(unknownMethod).toMatchObject({ statusCode: 400, code: 'resource_missing', param: 'payment_method' });

    const unknownIntent = await rejectionOf(stripe.paymentIntents.retrieve('pi_doesnotexist'));
    expect(unknownIntent).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      message: "No such payment_intent: 'pi_doesnotexist'",
    });
  });

  it("validates parameters with Stripe's errors: missing, unknown, below the currency minimum", async () => {
    const missing = await rejectionOf(stripe.paymentIntents.create({ currency: 'usd' } as Stripe.PaymentIntentCreateParams));
    expect(missing).toMatchObject({ statusCode: 400, code: 'parameter_missing', param: 'amount' });
    const unknown = await rejectionOf(
      stripe.paymentIntents.create({ amount: 100, currency: 'usd', colour: 'red' } as Stripe.PaymentIntentCreateParams),
    );
    expect(unknown).toMatchObject({ code: 'parameter_unknown', param: 'colour', message: 'Received unknown parameter: colour' });
    const small = await rejectionOf(stripe.paymentIntents.create({ amount: 20, currency: 'usd' }));
    expect(small).toMatchObject({ code: 'amount_too_small', message: 'Amount must be at least $0.50 usd' });
  });

  it('lists PaymentIntents newest first with Stripe list objects', async () => {
    const first = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd', customer: 'cus_list_test' });
    const second = await stripe.paymentIntents.create({ amount: 2_000, currency: 'usd', customer: 'cus_list_test' });
    const page = await stripe.paymentIntents.list({ customer: 'cus_list_test', limit: 1 });
    expect(page).toMatchObject({ object: 'list', has_more: true, url: '/v1/payment_intents' });
    expect(page.data.map((intent) => intent.id)).toEqual([second.id]);
    const next = await stripe.paymentIntents.list({ customer: 'cus_list_test', limit: 1, starting_after: second.id });
    expect(next.data.map((intent) => intent.id)).toEqual([first.id]);
    expect(next.has_more).toBe(false);
  });
});

describe('refunds', () => {
  it('refunds partially, then the rest by default, keeping the charge in step', async () => {
    const { chargeId } = await paidCharge(2_500);
    const partial = await stripe.refunds.create({ charge: chargeId, amount: 1_000, reason: 'fraudulent', metadata: { run_id: 'run-a' } });
    expect(partial).toMatchObject({ object: 'refund', amount: 1_000, status: 'succeeded', charge: chargeId, reason: 'fraudulent' });
    expect(partial.id).toMatch(/^re_/);
    expect(partial.metadata).toEqual({ run_id: 'run-a' });
    let charge = await stripe.charges.retrieve(chargeId);
    expect([charge.amount_refunded, charge.refunded]).toEqual([1_000, false]);
    expect(charge.fraud_details).toEqual({ user_report: 'fraudulent' });

    const rest = await stripe.refunds.create({ charge: chargeId });
    expect(rest.amount).toBe(1_500);
    charge = await stripe.charges.retrieve(chargeId);
    expect([charge.amount_refunded, charge.refunded]).toEqual([2_500, true]);
  });

  it('refunds by PaymentIntent: its latest charge, in full', async () => {
    const { intent, chargeId } = await paidCharge(3_000, 'jpy');
    const refund = await stripe.refunds.create({ payment_intent: intent.id, reason: 'requested_by_customer' });
    expect(refund).toMatchObject({ amount: 3_000, currency: 'jpy', charge: chargeId, payment_intent: intent.id });
  });

  it('refuses more than the unrefunded amount with amount_too_large on param amount, and refunds nothing', async () => {
    const { chargeId } = await paidCharge(2_000);
    const tooMuch = await rejectionOf(stripe.refunds.create({ charge: chargeId, amount: 2_001 }));
    expect(tooMuch).toBeInstanceOf(Stripe.errors.StripeInvalidRequestError);
    expect(tooMuch).toMatchObject({ statusCode: 400, code: 'amount_too_large', param: 'amount' });
    expect(tooMuch.message).toBe('Refund amount ($20.01) is greater than charge amount ($20.00)');

    await stripe.refunds.create({ charge: chargeId, amount: 500 });
    const afterPartial = await rejectionOf(stripe.refunds.create({ charge: chargeId, amount: 1_600 }));
    expect(afterPartial.message).toBe('Refund amount ($16.00) is greater than unrefunded amount on charge ($15.00)');
    expect((await stripe.refunds.list({ charge: chargeId })).data).toHaveLength(1);
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(500);
  });

  it('refuses a fully refunded charge with charge_already_refunded', async () => {
    const { chargeId } = await paidCharge(1_200);
    await stripe.refunds.create({ charge: chargeId });
    const again = await rejectionOf(stripe.refunds.create({ charge: chargeId }));
    expect(again).toMatchObject({
      statusCode: 400,
      code: 'charge_already_refunded',
      message: `Charge ${chargeId} has already been refunded.`,
    });
  });

  it('answers 404 resource_missing on param charge for an unknown charge, and for unknown refunds', async () => {
    const unknownCharge = await rejectionOf(stripe.refunds.create({ charge: 'ch_nope' }));
    expect(unknownCharge).toMatchObject({
      statusCode: 404,
      code: 'resource_missing',
      param: 'charge',
      message: "No such charge: 'ch_nope'",
    });
    const unknownRefund = await rejectionOf(stripe.refunds.retrieve('re_nope'));
    expect(unknownRefund).toMatchObject({ statusCode: 404, code: 'resource_missing' });
    const neither = await rejectionOf(stripe.refunds.create({}));
    expect(neither).toMatchObject({ statusCode: 400, code: 'parameter_missing' });
    const badReason = await rejectionOf(stripe.refunds.create({ charge: 'ch_x', reason: 'bored' as 'duplicate' }));
    expect(badReason).toMatchObject({ statusCode: 400, param: 'reason' });
  });

  it('lists a charge’s refunds page by page; the SDK auto-pagination walks them all, newest first', async () => {
    const { chargeId } = await paidCharge(1_000);
    const created: string[] = [];
    for (let i = 0; i < 5; i++) created.push((await stripe.refunds.create({ charge: chargeId, amount: 100 })).id);
    const otherCharge = await paidCharge(1_000);
    await stripe.refunds.create({ charge: otherCharge.chargeId, amount: 100 });

    const firstPage = await stripe.refunds.list({ charge: chargeId, limit: 2 });
    expect(firstPage.has_more).toBe(true);
    expect(firstPage.url).toBe('/v1/refunds');

    const walked: string[] = [];
    for await (const refund of stripe.refunds.list({ charge: chargeId, limit: 2 })) walked.push(refund.id);
    expect(walked).toEqual([...created].reverse());

    const before = await stripe.refunds.list({ charge: chargeId, ending_before: created[1], limit: 2 });
    expect(before.data.map((refund) => refund.id)).toEqual([created[3], created[2]]);
    expect(before.has_more).toBe(true);

    const byIntent = await stripe.refunds.list({ payment_intent: otherCharge.intent.id });
    expect(byIntent.data).toHaveLength(1);
  });

  it('expands the charge of a refund, and the refunds of a charge', async () => {
    const { chargeId, intent } = await paidCharge(800);
    const refund = await stripe.refunds.create({ charge: chargeId, amount: 300 });
    const expanded = await stripe.refunds.retrieve(refund.id, { expand: ['charge.payment_intent'] });
    const charge = expanded.charge as Stripe.Charge;
    expect(charge.amount_refunded).toBe(300);
    expect((charge.payment_intent as Stripe.PaymentIntent).id).toBe(intent.id);
    const withRefunds = await stripe.charges.retrieve(chargeId, { expand: ['refunds'] });
    expect(withRefunds.refunds?.data.map((item) => item.id)).toEqual([refund.id]);
    const bad = await rejectionOf(stripe.refunds.retrieve(refund.id, { expand: ['reason'] }));
    expect(bad).toMatchObject({ statusCode: 400, param: 'expand' });
  });
});

describe('HTTP behaviour', () => {
  it('answers every request with a Request-Id header and errors in Stripe’s envelope', async () => {
    const res = await standIn.raw('GET', '/v1/refunds/re_missing');
    expect(res.status).toBe(404);
    expect(res.headers.get('request-id')).toMatch(/^req_\w+$/);
    expect(res.headers.get('content-type')).toBe('application/json');
    const body = (await res.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({ type: 'invalid_request_error', code: 'resource_missing', message: "No such refund: 're_missing'" });
    expect(body.error.doc_url).toBe('https://stripe.com/docs/error-codes/resource-missing');

    const ok = await standIn.raw('GET', '/v1/charges?limit=1');
    expect(ok.status).toBe(200);
    expect(ok.headers.get('request-id')).toMatch(/^req_/);
    expect(ok.headers.get('request-id')).not.toBe(res.headers.get('request-id'));

    const unknownRoute = await standIn.raw('GET', '/v1/widgets');
    expect(unknownRoute.status).toBe(404);
    expect(((await unknownRoute.json()) as { error: { message: string } }).error.message).toMatch(
      /^Unrecognized request URL \(GET: \/v1\/widgets\)/,
    );
  });

  it('requires a test secret key: none or a bad one is 401 in the SDK as StripeAuthenticationError', async () => {
    const none = await fetch(`${standIn.baseUrl}/v1/charges`);
    expect(none.status).toBe(401);
    expect(none.headers.get('request-id')).toMatch(/^req_/);
    expect(((await none.json()) as { error: { type: string; message: string } }).error).toMatchObject({
      type: 'invalid_request_error',
      message: expect.stringMatching(/^You did not provide an API key/),
    });
    const live = await rejectionOf(standIn.stripe({ apiKey: 'sk_live_abcdefghijklmnop' }).charges.list());
    expect(live).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
    // Like Stripe: the key's prefix and last four characters, the rest starred.
    expect(live.message).toBe(`Invalid API Key provided: sk_live_${'*'.repeat(12)}mnop`);
    const basic = await fetch(`${standIn.baseUrl}/v1/charges`, {
      headers: { Authorization: `Basic ${Buffer.from(`${testKey}:`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
  });
});

describe('idempotency', () => {
  it('replays the first result for a reused key: one refund, the replay marked Idempotent-Replayed', async () => {
    const { chargeId } = await paidCharge(5_000);
    const key = `refund-${chargeId}`;
    const first = await stripe.refunds.create({ charge: chargeId, amount: 700 }, { idempotencyKey: key });
    const second = await stripe.refunds.create({ charge: chargeId, amount: 700 }, { idempotencyKey: key });
    expect(second.id).toBe(first.id);
    expect(first.lastResponse.headers['idempotent-replayed']).toBeUndefined();
    expect(second.lastResponse.headers['idempotent-replayed']).toBe('true');

    const raw = await standIn.raw('POST', '/v1/refunds', {
      form: { amount: '700', charge: chargeId },
      headers: { 'Idempotency-Key': key },
    });
    expect(raw.status).toBe(200);
    expect(raw.headers.get('idempotent-replayed')).toBe('true');
    expect(raw.headers.get('original-request')).toBe(first.lastResponse.requestId);
    expect(((await raw.json()) as { id: string }).id).toBe(first.id);

    expect((await stripe.refunds.list({ charge: chargeId })).data.map((refund) => refund.id)).toEqual([first.id]);
    expect((await stripe.charges.retrieve(chargeId)).amount_refunded).toBe(700);
  });

  it('refuses the same key with other parameters (idempotency_error) or on another endpoint', async () => {
    const { chargeId } = await paidCharge(5_000);
    const key = `changed-${chargeId}`;
    await stripe.refunds.create({ charge: chargeId, amount: 100 }, { idempotencyKey: key });
    const changed = await rejectionOf(stripe.refunds.create({ charge: chargeId, amount: 200 }, { idempotencyKey: key }));
    expect(changed).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect(changed).toMatchObject({ statusCode: 400, rawType: 'idempotency_error' });
    expect(changed.message).toMatch(/^Keys for idempotent requests can only be used with the same parameters/);
    const otherEndpoint = await rejectionOf(stripe.paymentIntents.create({ amount: 100, currency: 'usd' }, { idempotencyKey: key }));
    expect(otherEndpoint).toBeInstanceOf(Stripe.errors.StripeIdempotencyError);
    expect((await stripe.refunds.list({ charge: chargeId })).data).toHaveLength(1);
  });

  it('answers 409 idempotency_key_in_use while the first request with the key is still in flight', async () => {
    const { chargeId } = await paidCharge(5_000);
    await standIn.faults({ latencyMs: 1_000 });
    try {
      const key = `concurrent-${chargeId}`;
      const first = stripe.refunds.create({ charge: chargeId, amount: 300 }, { idempotencyKey: key });
      // Wait until the stand-in holds the key (the first request sits in its latency), not for a guessed time.
      while ((await standIn.stats()).requests.idempotencyKeysInFlight === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      const second = await rejectionOf(stripe.refunds.create({ charge: chargeId, amount: 300 }, { idempotencyKey: key }));
      expect(second).toMatchObject({ statusCode: 409, code: 'idempotency_key_in_use', rawType: 'idempotency_error' });
      const done = await first;
      // Nothing was saved for the 409: once the first finished, the same key replays it.
      const retried = await stripe.refunds.create({ charge: chargeId, amount: 300 }, { idempotencyKey: key });
      expect(retried.id).toBe(done.id);
    } finally {
      await standIn.clearFaults();
    }
    expect((await stripe.refunds.list({ charge: chargeId })).data).toHaveLength(1);
  });

  it('stores 4xx results that the endpoint produced, but not parameter-validation failures', async () => {
    const declineKey = `decline-${Date.now()}`;
    const params = { amount: 1_000, currency: 'usd', payment_method: 'pm_card_chargeDeclined', confirm: true };
    const first = await rejectionOf(stripe.paymentIntents.create(params, { idempotencyKey: declineKey }));
    const replay = await rejectionOf(stripe.paymentIntents.create(params, { idempotencyKey: declineKey }));
    expect(replay).toMatchObject({ statusCode: 402, code: 'card_declined' });
    expect(replay.payment_intent?.id).toBe(first.payment_intent?.id);
    expect(replay.headers?.['idempotent-replayed']).toBe('true');

    const { chargeId } = await paidCharge(1_000);
    const validationKey = `validation-${chargeId}`;
    const invalid = await rejectionOf(stripe.refunds.create({ charge: chargeId, amount: -5 }, { idempotencyKey: validationKey }));
    expect(invalid).toMatchObject({ statusCode: 400, param: 'amount' });
    // Stripe: "If incoming parameters fail validation … no idempotent result is saved".
    const fixed = await stripe.refunds.create({ charge: chargeId, amount: 5 }, { idempotencyKey: validationKey });
    expect(fixed.amount).toBe(5);
  });

  it('scopes keys to the API key: the same key under another key is another request', async () => {
    const { chargeId } = await paidCharge(2_000);
    const key = `scoped-${chargeId}`;
    const mine = await stripe.refunds.create({ charge: chargeId, amount: 100 }, { idempotencyKey: key });
    const theirs = await standIn
      .stripe({ apiKey: 'sk_test_another_account' })
      .refunds.create({ charge: chargeId, amount: 100 }, { idempotencyKey: key });
    expect(theirs.id).not.toBe(mine.id);
  });
});

describe('rate limit and injected faults', () => {
  it('answers 429 rate_limit past the token bucket, which the SDK raises as StripeRateLimitError', async () => {
    await standIn.faults({ rateLimitRps: 3 });
    try {
      const before = (await standIn.stats()).requests.rateLimited;
      const results = await Promise.allSettled(Array.from({ length: 12 }, () => stripe.charges.list({ limit: 1 })));
      const rejected = results
        .filter((result): result is PromiseRejectedResult => result.status === 'rejected')
        .map((result) => result.reason);
      expect(results.filter((result) => result.status === 'fulfilled').length).toBeGreaterThanOrEqual(3);
      expect(rejected.length).toBeGreaterThanOrEqual(1);
      for (const error of rejected) {
        expect(error).toBeInstanceOf(Stripe.errors.StripeRateLimitError);
        expect(error).toMatchObject({ statusCode: 429, code: 'rate_limit', rawType: 'invalid_request_error' });
      }
      expect((await standIn.stats()).requests.rateLimited - before).toBe(rejected.length);
    } finally {
      await standIn.faults({ rateLimitRps: null });
    }
    await expect(Promise.all(Array.from({ length: 12 }, () => stripe.charges.list({ limit: 1 })))).resolves.toHaveLength(12);
  });

  it('injects 500 api_error before doing anything: no refund, and the key is not spent', async () => {
    const { chargeId } = await paidCharge(1_500);
    const key = `fivehundred-${chargeId}`;
    await standIn.faults({ error5xxRate: 1 });
    let error;
    try {
      error = await rejectionOf(stripe.refunds.create({ charge: chargeId }, { idempotencyKey: key }));
    } finally {
      await standIn.clearFaults();
    }
    expect(error).toBeInstanceOf(Stripe.errors.StripeAPIError);
    expect(error).toMatchObject({ statusCode: 500, rawType: 'api_error' });
    expect((await stripe.refunds.list({ charge: chargeId })).data).toHaveLength(0);
    const retried = await stripe.refunds.create({ charge: chargeId }, { idempotencyKey: key });
    expect(retried.amount).toBe(1_500);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBeUndefined();
  });

  it('reset after commit: the SDK sees a connection error, the refund exists, and a retry with the key replays it', async () => {
    const { chargeId } = await paidCharge(2_200);
    const key = `reset-${chargeId}`;
    const before = await standIn.stats();
    await standIn.faults({ resetAfterCommitRate: 1 });
    let error;
    try {
      error = await rejectionOf(stripe.refunds.create({ charge: chargeId, reason: 'fraudulent' }, { idempotencyKey: key }));
    } finally {
      await standIn.clearFaults();
    }
    expect(error).toBeInstanceOf(Stripe.errors.StripeConnectionError);
    // stripe-node retries a reset connection once even with maxNetworkRetries 0; the retry was reset too.
    expect((await standIn.stats()).requests.injectedResets - before.requests.injectedResets).toBe(2);

    const listed = await stripe.refunds.list({ charge: chargeId });
    expect(listed.data.map((refund) => refund.amount)).toEqual([2_200]);
    const retried = await stripe.refunds.create({ charge: chargeId, reason: 'fraudulent' }, { idempotencyKey: key });
    expect(retried.id).toBe(listed.data[0]!.id);
    expect(retried.lastResponse.headers['idempotent-replayed']).toBe('true');
    expect((await stripe.refunds.list({ charge: chargeId })).data).toHaveLength(1);
    expect((await standIn.stats()).doubleRefundedCharges.map((entry) => entry.charge)).not.toContain(chargeId);
  });

  it('refuses malformed fault settings and reports the current ones', async () => {
    const bad = await fetch(`${standIn.baseUrl}/__stand-in/faults`, { method: 'POST', body: JSON.stringify({ error5xxRate: 2 }) });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${standIn.baseUrl}/__stand-in/faults`, { method: 'POST', body: JSON.stringify({ chaos: true }) });
    expect(unknown.status).toBe(400);
    const current = (await (await fetch(`${standIn.baseUrl}/__stand-in/faults`)).json()) as Record<string, unknown>;
    expect(current).toMatchObject({ error5xxRate: 0, resetAfterCommitRate: 0, latencyMs: 0, rateLimitRps: null, seed: 1 });
  });
});

describe('inspection and persistence', () => {
  it('reports charges refunded by more than one refund in doubleRefundedCharges, and dumps refunds by metadata', async () => {
    expect((await fetch(`${standIn.baseUrl}/__stand-in/reset`, { method: 'POST' })).status).toBe(200);
    const once = await paidCharge(1_000);
    const twice = await paidCharge(3_000);
    await stripe.refunds.create({ charge: once.chargeId, metadata: { run_id: 'run-7' } });
    const a = await stripe.refunds.create({ charge: twice.chargeId, amount: 1_000, metadata: { run_id: 'run-7' } });
    const b = await stripe.refunds.create({ charge: twice.chargeId, amount: 500, metadata: { run_id: 'run-8' } });

    const stats = await standIn.stats();
    expect(stats.refunds).toBe(3);
    expect(stats.refundedByCurrency).toEqual({ usd: 2_500 });
    expect(stats.doubleRefundedCharges).toEqual([
      {
        charge: twice.chargeId,
        amount: 3_000,
        amountRefunded: 1_500,
        currency: 'usd',
        refunds: [expect.objectContaining({ id: a.id, amount: 1_000 }), expect.objectContaining({ id: b.id, amount: 500 })],
      },
    ]);
    expect(stats.requests.byStatus['200']).toBeGreaterThanOrEqual(5);

    const dump = (await (await fetch(`${standIn.baseUrl}/__stand-in/refunds?metadata[run_id]=run-7`)).json()) as {
      count: number;
      data: { charge: string }[];
    };
    expect(dump.count).toBe(2);
    expect(dump.data.map((refund) => refund.charge)).toEqual([once.chargeId, twice.chargeId]);
  });

  it('keeps charges, refunds and idempotent results across a restart, skipping a torn last journal line', async () => {
    const { chargeId, intent } = await paidCharge(6_000);
    const key = `persist-${chargeId}`;
    const refund = await stripe.refunds.create({ charge: chargeId, amount: 2_000 }, { idempotencyKey: key });
    // A crash in the middle of a write leaves half a line behind.
    appendFileSync(join(dataDir, 'stripe.jsonl'), '{"at":1,"puts":[{"kind":"refund","obj');

    await standIn.restart();
    expect(standIn.output()).toContain('"msg":"skipped torn journal lines"');

    expect(await stripe.refunds.retrieve(refund.id)).toMatchObject({ id: refund.id, amount: 2_000, charge: chargeId });
    expect(await stripe.charges.retrieve(chargeId)).toMatchObject({ amount_refunded: 2_000, refunded: false });
    expect((await stripe.paymentIntents.retrieve(intent.id)).status).toBe('succeeded');
    const replayed = await stripe.refunds.create({ charge: chargeId, amount: 2_000 }, { idempotencyKey: key });
    expect(replayed.id).toBe(refund.id);
    expect(replayed.lastResponse.headers['idempotent-replayed']).toBe('true');
    const rest = await stripe.refunds.create({ charge: chargeId });
    expect(rest.amount).toBe(4_000);
  });
});

describe('event retention', () => {
  it('keeps the newest EVENT_RETENTION events, listed and paged newest first, across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stripe-retention-'));
    const small = await startStripeStandIn({ DATA_FILE: join(dir, 'stripe.jsonl'), EVENT_RETENTION: '5', RATE_LIMIT_RPS: '0' });
    try {
      const client = small.stripe();
      const payAndRefund = async () => {
        const intent = await client.paymentIntents.create({
          amount: 1_000,
          currency: 'usd',
          payment_method: 'pm_card_visa',
          confirm: true,
        });
        await client.refunds.create({ payment_intent: intent.id });
      };
      await payAndRefund();
      const [oldest] = (await client.events.list({ limit: 100 })).data.slice(-1);
      // Over a thousand events pass the retention (four per round): the store drops them from its index in batches.
      for (let round = 0; round < 33; round++) await Promise.all(Array.from({ length: 8 }, payAndRefund));
      await payAndRefund();

      const kept = await client.events.list({ limit: 100 });
      expect(kept.data).toHaveLength(5);
      expect(kept.has_more).toBe(false);
      expect(kept.data.slice(0, 4).map((event) => event.type)).toEqual([
        'charge.refunded',
        'refund.created',
        'payment_intent.succeeded',
        'charge.succeeded',
      ]);
      const page = await client.events.list({ limit: 2 });
      const next = await client.events.list({ limit: 2, starting_after: page.data[1]!.id });
      expect([...page.data, ...next.data].map((event) => event.id)).toEqual(kept.data.slice(0, 4).map((event) => event.id));
      expect(await rejectionOf(client.events.retrieve(oldest!.id))).toMatchObject({ statusCode: 404 });

      await small.restart();
      expect((await client.events.list({ limit: 100 })).data.map((event) => event.id)).toEqual(kept.data.map((event) => event.id));
    } finally {
      await small.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('process', () => {
  it('pins one key with STRIPE_SECRET_KEY, refuses reset without ALLOW_RESET, and exits 0 on SIGTERM', async () => {
    const pinned = await startStripeStandIn({ STRIPE_SECRET_KEY: 'sk_test_only_this_one', LATENCY_MS: '50' });
    try {
      expect(pinned.output()).toMatch(/"msg":"stripe stand-in listening","port":\d+/);
      const other = await rejectionOf(pinned.stripe({ apiKey: 'sk_test_some_other_key' }).charges.list());
      expect(other).toBeInstanceOf(Stripe.errors.StripeAuthenticationError);
      const started = Date.now();
      await pinned.stripe({ apiKey: 'sk_test_only_this_one' }).charges.list();
      expect(Date.now() - started).toBeGreaterThanOrEqual(45);
      expect((await fetch(`${pinned.baseUrl}/__stand-in/reset`, { method: 'POST' })).status).toBe(403);
    } finally {
      const exit = await pinned.stop();
      expect(exit).toEqual({ code: 0, signal: null });
      expect(pinned.output()).toContain('"msg":"stripe stand-in stopped"');
    }
  });

  it('refuses to start with invalid settings and names each one', async () => {
    await expect(startStripeStandIn({ RATE_LIMIT_RPS: 'many', STRIPE_SECRET_KEY: 'sk_live_x' })).rejects.toThrow(
      /RATE_LIMIT_RPS must be a whole number[\s\S]*STRIPE_SECRET_KEY must be a test-mode key/,
    );
  });
});
