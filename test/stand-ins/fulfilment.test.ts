import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFulfilmentStandIn, type FulfilmentProcess } from './fulfilment-stand-in.js';

/**
 * The fulfilment provider stand-in over HTTP, as docs/fulfilment-api.md
 * describes it: registration, the four actions and what each answers in each
 * state, idempotency, faults, the rate limit and persistence.
 */
let api: FulfilmentProcess;
let dataDir: string;
let counter = 0;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'fulfilment-stand-in-'));
  api = await startFulfilmentStandIn({ DATA_FILE: join(dataDir, 'fulfilment.jsonl'), ALLOW_RESET: '1', RATE_LIMIT_RPS: '0' });
});

afterEach(async () => {
  await api.control('DELETE', '/__stand-in/faults');
});

afterAll(async () => {
  await api?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

/** A registered shipment with a fresh reference. */
async function shipment(state: string, extra: Record<string, unknown> = {}) {
  const reference = `ord_${Date.now()}_${++counter}`;
  const answer = await api.call('POST', '/v1/shipments', {
    body: { reference, state, carrier: 'ups', labelCostMinor: 850, shippingPaidMinor: 1_299, currency: 'usd', ...extra },
  });
  expect(answer.status).toBe(201);
  return reference;
}

const action = (reference: string, name: string, key = `rd_${reference}_${name}`, body?: unknown) =>
  api.call('POST', `/v1/shipments/${reference}/${name}`, { key, body });

describe('registration and reading', () => {
  it('registers a shipment and reads it back; a label_created one gets a tracking number', async () => {
    const reference = await shipment('label_created');
    const read = await api.call('GET', `/v1/shipments/${reference}`);
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({
      object: 'shipment',
      reference,
      state: 'label_created',
      carrier: 'ups',
      currency: 'USD',
      labelCostMinor: 850,
      shippingPaidMinor: 1_299,
      actions: [],
      history: [{ state: 'label_created', by: 'merchant' }],
    });
    expect(read.body.trackingNumber).toMatch(/^UPS\d{18}$/);
    expect((await api.call('GET', `/v1/shipments/${await shipment('unfulfilled')}`)).body.trackingNumber).toBeNull();
  });

  it('answers 404 resource_missing in the error envelope for an unknown reference', async () => {
    const answer = await api.call('GET', '/v1/shipments/ord_nobody');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({
      error: { type: 'invalid_request_error', code: 'resource_missing', message: "No such shipment: 'ord_nobody'.", param: 'reference' },
    });
    expect((await action('ord_nobody', 'cancel')).body.error.code).toBe('resource_missing');
  });

  it('refuses bad registrations with 400 naming the field, and a second registration with 409', async () => {
    const base = {
      reference: `ord_bad_${++counter}`,
      state: 'unfulfilled',
      carrier: 'dhl',
      labelCostMinor: 0,
      shippingPaidMinor: 0,
      currency: 'EUR',
    };
    const cases: [Record<string, unknown>, string, string][] = [
      [{ ...base, labelCostMinor: 8.5 }, 'labelCostMinor', 'parameter_invalid'],
      [{ ...base, shippingPaidMinor: -1 }, 'shippingPaidMinor', 'parameter_invalid'],
      [{ ...base, currency: 'EURO' }, 'currency', 'parameter_invalid'],
      [{ ...base, currency: 'XYZ' }, 'currency', 'parameter_invalid'],
      [{ ...base, state: 'lost' }, 'state', 'parameter_invalid'],
      [{ ...base, reference: 'ord/1' }, 'reference', 'parameter_invalid'],
      [{ ...base, carrier: undefined }, 'carrier', 'parameter_missing'],
      [{ ...base, weight: 3 }, 'weight', 'parameter_unknown'],
    ];
    for (const [body, param, code] of cases) {
      const answer = await api.call('POST', '/v1/shipments', { body });
      expect([answer.status, answer.body.error.type, answer.body.error.code, answer.body.error.param]).toEqual([
        400,
        'invalid_request_error',
        code,
        param,
      ]);
    }
    expect((await api.call('GET', `/v1/shipments/${base.reference}`)).status).toBe(404);
    const notJson = await fetch(`${api.baseUrl}/v1/shipments`, {
      method: 'POST',
      headers: { Authorization: 'Bearer fk_test_suite' },
      body: '{oops',
    });
    expect([notJson.status, ((await notJson.json()) as { error: { code: string } }).error.code]).toEqual([400, 'invalid_json']);

    expect((await api.call('POST', '/v1/shipments', { body: base })).status).toBe(201);
    const again = await api.call('POST', '/v1/shipments', { body: base });
    expect([again.status, again.body.error.code]).toEqual([409, 'resource_exists']);
  });

  it('requires the Bearer API key', async () => {
    const none = await api.call('GET', '/v1/shipments/x', { apiKey: null });
    expect([none.status, none.body.error.type, none.body.error.code]).toEqual([401, 'authentication_error', 'missing_api_key']);
    const wrong = await api.call('GET', '/v1/shipments/x', { apiKey: 'fk_wrong' });
    expect([wrong.status, wrong.body.error.code]).toEqual([401, 'invalid_api_key']);
  });

  it('lists shipments in registration order, by state, a page at a time', async () => {
    await api.control('POST', '/__stand-in/reset');
    const refs = [await shipment('in_transit'), await shipment('delivered'), await shipment('in_transit'), await shipment('in_transit')];
    const first = await api.call('GET', '/v1/shipments?state=in_transit&limit=2');
    expect(first.body.data.map((item: { reference: string }) => item.reference)).toEqual([refs[0], refs[2]]);
    expect(first.body.hasMore).toBe(true);
    const second = await api.call('GET', `/v1/shipments?state=in_transit&limit=2&starting_after=${refs[2]}`);
    expect(second.body).toMatchObject({ hasMore: false, data: [{ reference: refs[3] }] });
    expect((await api.call('GET', '/v1/shipments?limit=0')).status).toBe(400);
  });
});

describe('actions in every state', () => {
  // What each action answers in each registered state: the one rule of actions/state-machine.ts.
  const expected: Record<string, Record<string, string>> = {
    unfulfilled: { cancel: 'cancelled', 'void-label': 'invalid_state', intercept: 'invalid_state', return: 'invalid_state' },
    label_created: { cancel: 'too_late', 'void-label': 'label_voided', intercept: 'invalid_state', return: 'invalid_state' },
    in_transit: { cancel: 'too_late', 'void-label': 'too_late', intercept: 'intercept_requested', return: 'invalid_state' },
    delivered: { cancel: 'too_late', 'void-label': 'too_late', intercept: 'too_late', return: 'return_requested' },
  };

  for (const [state, outcomes] of Object.entries(expected)) {
    for (const [name, outcome] of Object.entries(outcomes)) {
      it(`${name} on ${state} → ${outcome}`, async () => {
        const reference = await shipment(state);
        const answer = await action(reference, name);
        const stored = (await api.call('GET', `/v1/shipments/${reference}`)).body;
        if (answer.status === 200) {
          expect(answer.body.shipment.state).toBe(outcome);
          expect(answer.body.action).toMatchObject({
            fromState: state,
            toState: outcome,
            currency: 'USD',
            idempotencyKey: `rd_${reference}_${name}`,
          });
          expect(stored.actions).toEqual([answer.body.action]);
          expect(stored.history.map((entry: { state: string; by: string }) => [entry.state, entry.by])).toEqual([
            [state, 'merchant'],
            [outcome, 'action'],
          ]);
        } else {
          expect(answer.status).toBe(409);
          expect(answer.body.error).toMatchObject({ type: 'state_error', code: outcome, state });
          expect(stored.state).toBe(state);
          expect(stored.actions).toEqual([]);
        }
      });
    }
  }

  it('answers what each action cost or credited, in minor units of the shipment currency', async () => {
    expect((await action(await shipment('unfulfilled'), 'cancel')).body.action).not.toHaveProperty('labelCreditMinor');
    expect((await action(await shipment('label_created'), 'void-label')).body.action.labelCreditMinor).toBe(850);
    expect((await action(await shipment('in_transit'), 'intercept')).body.action.interceptFeeMinor).toBe(1_600);
    expect(
      (await action(await shipment('in_transit', { carrier: 'DHL', currency: 'JPY', labelCostMinor: 900 }), 'intercept')).body.action,
    ).toMatchObject({
      interceptFeeMinor: 14,
      currency: 'JPY',
    });
    expect((await action(await shipment('delivered'), 'return')).body.action.returnShippingCostMinor).toBe(850);
  });

  it('refuses an action without an Idempotency-Key and changes nothing', async () => {
    const reference = await shipment('unfulfilled');
    const answer = await api.call('POST', `/v1/shipments/${reference}/cancel`);
    expect([answer.status, answer.body.error.code]).toEqual([400, 'idempotency_key_missing']);
    expect((await api.call('GET', `/v1/shipments/${reference}`)).body.state).toBe('unfulfilled');
  });
});

describe('idempotency', () => {
  it('replays the same answer for the same key, with Idempotent-Replayed: true, and applies the action once', async () => {
    const reference = await shipment('label_created');
    const first = await action(reference, 'void-label', 'key-void-1');
    const second = await action(reference, 'void-label', 'key-void-1');
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(second.body).toEqual(first.body);
    expect((await api.call('GET', `/v1/shipments/${reference}`)).body.actions).toHaveLength(1);
  });

  it('refuses the same key with another body or on another endpoint (400), and changes nothing', async () => {
    const reference = await shipment('unfulfilled');
    expect((await action(reference, 'cancel', 'key-reuse', { note: 'fraud' })).status).toBe(200);
    const otherBody = await action(reference, 'cancel', 'key-reuse', { note: 'other' });
    expect([otherBody.status, otherBody.body.error.type, otherBody.body.error.code]).toEqual([
      400,
      'idempotency_error',
      'idempotency_key_reused',
    ]);
    const otherReference = await shipment('unfulfilled');
    const otherPath = await action(otherReference, 'cancel', 'key-reuse', { note: 'fraud' });
    expect([otherPath.status, otherPath.body.error.code]).toEqual([400, 'idempotency_key_reused']);
    expect((await api.call('GET', `/v1/shipments/${otherReference}`)).body.state).toBe('unfulfilled');
  });

  it('answers 409 idempotency_key_in_use to a concurrent request with the same key; one action is applied', async () => {
    await api.faults({ latencyMs: 300 });
    const reference = await shipment('in_transit');
    const [a, b] = await Promise.all([action(reference, 'intercept', 'key-race'), action(reference, 'intercept', 'key-race')]);
    const statuses = [a.status, b.status].sort();
    expect(statuses).toEqual([200, 409]);
    expect([a, b].find((answer) => answer.status === 409)!.body.error).toMatchObject({
      type: 'idempotency_error',
      code: 'idempotency_key_in_use',
    });
    await api.control('DELETE', '/__stand-in/faults');
    expect((await action(reference, 'intercept', 'key-race')).headers.get('idempotent-replayed')).toBe('true');
    expect((await api.call('GET', `/v1/shipments/${reference}`)).body.actions).toHaveLength(1);
  });

  it('answers already_applied to the same action under a new key, and counts it as a repeated request', async () => {
    const before = await api.stats();
    const reference = await shipment('unfulfilled');
    expect((await action(reference, 'cancel', 'key-a')).status).toBe(200);
    const again = await action(reference, 'cancel', 'key-b');
    expect([again.status, again.body.error.code, again.body.error.state]).toEqual([409, 'already_applied', 'cancelled']);
    const after = await api.stats();
    expect(after.repeatedActionRequests - before.repeatedActionRequests).toBe(1);
    expect(after.actionsAppliedTwice).toBe(0);
  });
});

describe('faults', () => {
  it('injects 5xx before doing anything: nothing changes and the key is not spent', async () => {
    const reference = await shipment('unfulfilled');
    await api.faults({ error5xxRate: 1 });
    const failed = await action(reference, 'cancel', 'key-5xx');
    expect([500, 502, 503]).toContain(failed.status);
    expect(failed.body.error).toMatchObject({ type: 'api_error' });
    await api.faults({ error5xxRate: 0 });
    expect((await api.call('GET', `/v1/shipments/${reference}`)).body.state).toBe('unfulfilled');
    const retried = await action(reference, 'cancel', 'key-5xx');
    expect([retried.status, retried.headers.get('idempotent-replayed')]).toEqual([200, null]);
    expect((await api.stats()).requests.injected5xx).toBeGreaterThanOrEqual(1);
  });

  it('resets the connection after the commit: the client sees an error, the retry with the key replays the committed action', async () => {
    const reference = await shipment('label_created');
    await api.faults({ resetAfterCommitRate: 1 });
    await expect(action(reference, 'void-label', 'key-reset')).rejects.toThrow();
    await api.faults({ resetAfterCommitRate: 0 });
    const stored = (await api.call('GET', `/v1/shipments/${reference}`)).body;
    expect(stored.state).toBe('label_voided');
    const retried = await action(reference, 'void-label', 'key-reset');
    expect(retried.headers.get('idempotent-replayed')).toBe('true');
    expect(retried.body.action.id).toBe(stored.actions[0].id);
  });

  it('deliveredBeforeInterceptRate: the parcel is delivered before the intercept lands (409 too_late), and a return then applies', async () => {
    const before = await api.stats();
    const reference = await shipment('in_transit');
    await api.faults({ deliveredBeforeInterceptRate: 1 });
    const late = await action(reference, 'intercept');
    expect([late.status, late.body.error.code, late.body.error.state]).toEqual([409, 'too_late', 'delivered']);
    const stored = (await api.call('GET', `/v1/shipments/${reference}`)).body;
    expect(stored.history.at(-1)).toMatchObject({ state: 'delivered', by: 'carrier' });
    expect((await action(reference, 'intercept')).headers.get('idempotent-replayed')).toBe('true');
    expect((await action(reference, 'return')).body.shipment.state).toBe('return_requested');
    expect((await api.stats()).deliveredBeforeIntercept - before.deliveredBeforeIntercept).toBe(1);
  });

  it('adds latency to every API request', async () => {
    await api.faults({ latencyMs: 150 });
    const started = Date.now();
    await api.call('GET', '/v1/shipments/ord_nobody');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('rate limits with a token bucket: 429 rate_limit_error with Retry-After, then passes again', async () => {
    await api.faults({ rateLimitRps: 1, rateLimitBurst: 2 });
    const answers = await Promise.all(Array.from({ length: 6 }, () => api.call('GET', '/v1/shipments/ord_nobody')));
    const limited = answers.filter((answer) => answer.status === 429);
    // A burst of 2 passes; the rest (less any token that flowed in meanwhile, 1/s) waits.
    expect(answers.filter((answer) => answer.status === 404).length).toBeGreaterThanOrEqual(2);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    for (const answer of limited) {
      expect(answer.body.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    }
    expect((await api.stats()).requests.rateLimited).toBeGreaterThanOrEqual(limited.length);
    await new Promise((resolve) => setTimeout(resolve, Number(limited[0]!.headers.get('retry-after')) * 1_000));
    expect((await api.call('GET', '/v1/shipments/ord_nobody')).status).toBe(404);
  });

  it('refuses malformed fault settings', async () => {
    expect((await api.control('POST', '/__stand-in/faults', { error5xxRate: 3 })).status).toBe(400);
    expect((await api.control('POST', '/__stand-in/faults', { chaos: 1 })).status).toBe(400);
  });
});

describe('carrier progress, stats and persistence', () => {
  it('moves a shipment forward as the carrier would, never backwards', async () => {
    const reference = await shipment('unfulfilled');
    const moved = await api.control('POST', `/__stand-in/shipments/${reference}/state`, { state: 'in_transit' });
    expect(moved.body).toMatchObject({ state: 'in_transit' });
    expect(moved.body.trackingNumber).toMatch(/^UPS/);
    expect((await action(reference, 'cancel')).body.error).toMatchObject({ code: 'too_late', state: 'in_transit' });
    expect((await api.control('POST', `/__stand-in/shipments/${reference}/state`, { state: 'label_created' })).status).toBe(409);
  });

  it('counts actions and their money from the shipments themselves', async () => {
    await api.control('POST', '/__stand-in/reset');
    await action(await shipment('unfulfilled'), 'cancel');
    await action(await shipment('label_created'), 'void-label');
    await action(await shipment('in_transit'), 'intercept');
    await action(await shipment('delivered'), 'return');
    const stats = await api.stats();
    expect(stats.actions).toEqual({ cancel: 1, void_label: 1, intercept: 1, return: 1 });
    expect(stats.moneyByCurrency).toEqual({ USD: { labelCreditMinor: 850, interceptFeeMinor: 1_600, returnShippingCostMinor: 850 } });
    expect(stats.byState).toEqual({ cancelled: 1, label_voided: 1, intercept_requested: 1, return_requested: 1 });
    expect(stats.actionsAppliedTwice).toBe(0);
  });

  it('keeps shipments, actions and idempotent answers across a restart, skipping a torn last line', async () => {
    const reference = await shipment('in_transit');
    const first = await action(reference, 'intercept', 'key-persist');
    appendFileSync(join(dataDir, 'fulfilment.jsonl'), '{"at":1,"shipments":[{"refer');
    await api.restart();
    expect(api.output()).toContain('"msg":"skipped torn journal lines"');
    expect((await api.call('GET', `/v1/shipments/${reference}`)).body).toMatchObject({
      state: 'intercept_requested',
      actions: [{ id: first.body.action.id }],
    });
    const replay = await action(reference, 'intercept', 'key-persist');
    expect([replay.headers.get('idempotent-replayed'), replay.body.action.id]).toEqual(['true', first.body.action.id]);
    // What was written after the torn line survives the next restart too.
    const later = await shipment('unfulfilled');
    await action(later, 'cancel');
    await api.restart();
    expect((await api.call('GET', `/v1/shipments/${later}`)).body.state).toBe('cancelled');
  });

  it('journals to a new file when its file is deleted while it runs (as `npm run stack -- reset` does)', async () => {
    const before = await shipment('unfulfilled');
    rmSync(join(dataDir, 'fulfilment.jsonl'));
    const after = await shipment('unfulfilled');
    await action(after, 'cancel');
    await api.restart();
    // The deleted file took `before` with it; what came after is in the new one.
    expect((await api.call('GET', `/v1/shipments/${before}`)).status).toBe(404);
    expect((await api.call('GET', `/v1/shipments/${after}`)).body.state).toBe('cancelled');
  });

  it('reports its pid on the health endpoint and exits 0 on SIGTERM', async () => {
    const health = await api.control('GET', '/__stand-in/health');
    expect(health.body).toMatchObject({ ok: true, service: 'fulfilment' });
    expect(Number.isInteger(health.body.pid)).toBe(true);
    const other = await startFulfilmentStandIn();
    expect(await other.stop()).toEqual({ code: 0, signal: null });
    expect(other.output()).toContain('"msg":"fulfilment stand-in stopped"');
  });
});
