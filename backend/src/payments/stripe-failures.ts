import Stripe from 'stripe';
import { ProviderFailure, retryAfterMs } from './provider-failure.js';

/** 429 codes that mean "this object is busy", not "your budget is spent". */
const transient429Codes = new Set(['lock_timeout']);

/**
 * Stripe's errors (https://docs.stripe.com/error-handling) in the engine's
 * three kinds. Anything that is not a Stripe error (a bug of ours) is
 * returned as is: the engine lets it fail loudly.
 */
export function classifyStripeError(error: unknown): unknown {
  if (!(error instanceof Stripe.errors.StripeError)) return error;
  const status = error.statusCode;
  const code = error.code ?? (error.type === 'StripeConnectionError' ? 'connection_error' : (error.rawType ?? error.type));
  const message = error.message || `Stripe answered ${status ?? 'nothing'}`;

  // No answer at all: the request may or may not have been applied — the idempotency key makes retrying safe.
  if (error.type === 'StripeConnectionError' || status === undefined) return new ProviderFailure('stripe', 'transient', code, message);
  if (status === 429) {
    if (transient429Codes.has(error.code ?? '')) return new ProviderFailure('stripe', 'transient', code, message);
    return new ProviderFailure('stripe', 'rate_limited', error.code ?? 'rate_limit', message, retryAfterMs(error.headers?.['retry-after']));
  }
  // 409: another request with the same idempotency key is still running (ours, from a crashed attempt).
  if (status === 409 || status >= 500) return new ProviderFailure('stripe', 'transient', error.code ?? `http_${status}`, message);
  return new ProviderFailure('stripe', 'permanent', code, message);
}
