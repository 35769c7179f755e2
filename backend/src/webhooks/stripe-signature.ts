import Stripe from 'stripe';

/** The SDK's signature check (typed as possibly absent; present in every Node build of the SDK). */
const sdkSignature = Stripe.webhooks.signature!;

/** Stripe's own default: a signed timestamp older (or newer) than this is a replay. */
export const stripeToleranceSeconds = 300;

export type StripeSignatureCheck = { ok: true } | { ok: false; malformed: boolean; reason: string };

/**
 * `Stripe-Signature: t=<unix seconds>,v1=<hex>[,v1=<hex>…]`, the v1 scheme
 * being HMAC-SHA256 of `<t>.<raw body>` with the endpoint's secret. Checked
 * by the official SDK against each configured secret in turn, so a rotation
 * (old and new secret listed together) loses no event.
 */
export function verifyStripeSignature(
  secrets: readonly string[],
  rawBody: Buffer | undefined,
  header: string | undefined,
  nowSeconds?: number,
): StripeSignatureCheck {
  if (!header) return { ok: false, malformed: false, reason: 'the Stripe-Signature header is missing' };
  if (!rawBody) return { ok: false, malformed: true, reason: 'a JSON body is required' };
  const parts = header.split(',').map((part) => part.trim().split('='));
  const timestamp = parts.find(([key]) => key === 't')?.[1];
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !parts.some(([key, value]) => key === 'v1' && value)) {
    return { ok: false, malformed: true, reason: 'expected t=<unix seconds>,v1=<hex signature>' };
  }
  let stale = false;
  const now = nowSeconds ?? Math.floor(Date.now() / 1000);
  for (const secret of secrets) {
    try {
      // receivedAt is in milliseconds. verifyHeader checks without parsing the body (the JSON body parser already did).
      sdkSignature.verifyHeader(rawBody, header, secret, stripeToleranceSeconds, undefined, now * 1000);
      // The SDK only refuses old timestamps; one far in the future is as suspect (a signature made to be replayed later).
      if (Number(timestamp) - now > stripeToleranceSeconds) {
        stale = true;
        continue;
      }
      return { ok: true };
    } catch (error) {
      // The SDK checks the signature first, then the timestamp: "tolerance" means signed by us, but too old.
      if (/tolerance/i.test((error as Error).message)) stale = true;
    }
  }
  return stale
    ? { ok: false, malformed: false, reason: `the signed timestamp is more than ${stripeToleranceSeconds} s from now (stale or replayed)` }
    : { ok: false, malformed: false, reason: 'no signature matches the body with any configured secret' };
}
