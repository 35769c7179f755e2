import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { verifyStripeSignature } from './stripe-signature.js';

const secrets = ['whsec_new_secret_0000000000000000', 'whsec_old_secret_0000000000000000'];
const body = Buffer.from('{"id":"evt_1","type":"refund.failed"}');
const now = 1_764_000_000;
const header = (secret: string, timestamp = now) =>
  Stripe.webhooks.generateTestHeaderString({ payload: body.toString(), secret, timestamp });

describe('Stripe-Signature', () => {
  it('accepts a signature by any configured secret within 300 s either way', () => {
    expect(verifyStripeSignature(secrets, body, header(secrets[0]!), now)).toEqual({ ok: true });
    expect(verifyStripeSignature(secrets, body, header(secrets[1]!, now - 300), now)).toEqual({ ok: true });
    expect(verifyStripeSignature(secrets, body, header(secrets[1]!, now + 300), now)).toEqual({ ok: true });
  });

  it('refuses stale and future timestamps, other secrets, other bodies; malformed headers are 400s', () => {
    expect(verifyStripeSignature(secrets, body, header(secrets[0]!, now - 301), now)).toMatchObject({
      ok: false,
      malformed: false,
      reason: /stale/,
    });
    expect(verifyStripeSignature(secrets, body, header(secrets[0]!, now + 301), now)).toMatchObject({ ok: false, reason: /stale/ });
    expect(verifyStripeSignature(secrets, body, header('whsec_other_secret_000000000000'), now)).toMatchObject({
      ok: false,
      reason: /no signature/,
    });
    expect(verifyStripeSignature(secrets, Buffer.from('{}'), header(secrets[0]!), now)).toMatchObject({ ok: false, malformed: false });
    expect(verifyStripeSignature(secrets, body, undefined, now)).toMatchObject({ ok: false, malformed: false });
    expect(verifyStripeSignature(secrets, body, 'v1=abc', now)).toMatchObject({ ok: false, malformed: true });
    expect(verifyStripeSignature(secrets, body, `t=${now}`, now)).toMatchObject({ ok: false, malformed: true });
  });
});
