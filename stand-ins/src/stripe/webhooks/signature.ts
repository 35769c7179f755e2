import { createHmac } from 'node:crypto';
import { randomBase62 } from '../../shared/random-ids.js';

/**
 * Stripe's webhook signature (https://docs.stripe.com/webhooks#verify-manually):
 * `Stripe-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<raw body>">`
 * keyed with the endpoint's secret — the whole `whsec_…` string, as the
 * official SDKs use it. Each attempt is signed anew with its own timestamp,
 * so a retry hours later still passes the receiver's 5-minute tolerance.
 */
export function signatureHeader(payload: Buffer, secret: string, timestamp: number): string {
  const v1 = createHmac('sha256', secret).update(`${timestamp}.`).update(payload).digest('hex');
  return `t=${timestamp},v1=${v1}`;
}

/** `whsec_` and 32 random base62 characters, the shape of Stripe's endpoint secrets. */
export function newEndpointSecret(): string {
  return `whsec_${randomBase62(32)}`;
}
