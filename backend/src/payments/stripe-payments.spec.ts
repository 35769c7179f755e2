import fc from 'fast-check';
import Stripe from 'stripe';
import { describe, expect, it } from 'vitest';
import { currencyCodes } from '../money/currencies.js';
import { classifyFulfilmentAnswer } from '../fulfilment/http-fulfilment.js';
import { ProviderFailure, retryAfterMs } from './provider-failure.js';
import { fromStripeAmount, toStripeAmount } from './stripe-amounts.js';
import { classifyStripeError } from './stripe-failures.js';

const stripeError = (raw: Record<string, unknown>) => Stripe.errors.StripeError.generate(raw as never);

describe('Stripe amounts', () => {
  it('are ISO minor units where Stripe agrees, and shifted where it does not', () => {
    expect(toStripeAmount(1299, 'USD')).toBe(1299);
    expect(toStripeAmount(1500, 'JPY')).toBe(1500);
    expect(toStripeAmount(1234, 'KWD')).toBe(1234);
    // ISK has no ISO decimals but two at Stripe; MGA the other way round.
    expect(toStripeAmount(500, 'ISK')).toBe(50_000);
    expect(toStripeAmount(12_300, 'MGA')).toBe(123);
    expect(() => toStripeAmount(12_345, 'MGA')).toThrow(/without rounding/);
    expect(fromStripeAmount(50_000, 'isk')).toBe(500);
  });

  it('come back exactly from Stripe for every currency', () => {
    fc.assert(
      fc.property(fc.constantFrom(...currencyCodes), fc.integer({ min: 0, max: 10 ** 9 }), (currency, minor) => {
        let stripeAmount: number;
        try {
          stripeAmount = toStripeAmount(minor, currency);
        } catch {
          return true; // not expressible at Stripe: refused, never rounded
        }
        return fromStripeAmount(stripeAmount, currency.toLowerCase()) === minor;
      }),
    );
  });
});

describe('Stripe errors', () => {
  const kindOf = (raw: Record<string, unknown>) => {
    const failure = classifyStripeError(stripeError(raw)) as ProviderFailure;
    return [failure.kind, failure.code];
  };

  it('retries what may succeed later, slows down on rate limits, and stops on the rest', () => {
    expect(kindOf({ type: 'api_error', statusCode: 500, message: 'boom' })).toEqual(['transient', 'http_500']);
    expect(kindOf({ type: 'idempotency_error', code: 'idempotency_key_in_use', statusCode: 409, message: 'busy' })).toEqual([
      'transient',
      'idempotency_key_in_use',
    ]);
    expect(kindOf({ type: 'invalid_request_error', code: 'lock_timeout', statusCode: 429, message: 'locked' })).toEqual([
      'transient',
      'lock_timeout',
    ]);
    expect(kindOf({ type: 'invalid_request_error', code: 'rate_limit', statusCode: 429, message: 'slow down' })).toEqual([
      'rate_limited',
      'rate_limit',
    ]);
    expect(kindOf({ type: 'invalid_request_error', code: 'charge_already_refunded', statusCode: 400, message: 'done' })).toEqual([
      'permanent',
      'charge_already_refunded',
    ]);
    expect(kindOf({ type: 'invalid_request_error', code: 'charge_disputed', statusCode: 400, message: 'disputed' })).toEqual([
      'permanent',
      'charge_disputed',
    ]);
    expect(kindOf({ type: 'invalid_request_error', code: 'resource_missing', statusCode: 404, message: 'gone' })).toEqual([
      'permanent',
      'resource_missing',
    ]);
    expect(kindOf({ type: 'idempotency_error', statusCode: 400, message: 'other params' })).toEqual(['permanent', 'idempotency_error']);
  });

  it('treats a connection that dropped (no answer) as transient, and leaves our own bugs alone', () => {
    const dropped = new Stripe.errors.StripeConnectionError({ message: 'socket hang up' } as never);
    expect((classifyStripeError(dropped) as ProviderFailure).kind).toBe('transient');
    const bug = new TypeError('x is undefined');
    expect(classifyStripeError(bug)).toBe(bug);
  });
});

describe('fulfilment answers', () => {
  it('follow the contract: 409 state errors stop with the state, 409 in use and 5xx retry, 429 slows with Retry-After', () => {
    const tooLate = classifyFulfilmentAnswer(
      409,
      { error: { type: 'state_error', code: 'too_late', message: 'late', state: 'delivered' } },
      null,
      'x',
    );
    expect([tooLate.kind, tooLate.code, tooLate.detail.state]).toEqual(['permanent', 'too_late', 'delivered']);
    expect(classifyFulfilmentAnswer(409, { error: { code: 'idempotency_key_in_use', message: 'busy' } }, null, 'x').kind).toBe('transient');
    expect(classifyFulfilmentAnswer(503, { error: { code: 'internal_error', message: 'down' } }, null, 'x').kind).toBe('transient');
    const limited = classifyFulfilmentAnswer(429, { error: { code: 'rate_limited', message: 'slow' } }, '2', 'x');
    expect([limited.kind, limited.retryAfterMs]).toEqual(['rate_limited', 2000]);
    expect(classifyFulfilmentAnswer(404, undefined, null, 'GET /v1/shipments/x').code).toBe('http_404');
  });

  it('reads Retry-After in seconds or as a date', () => {
    expect(retryAfterMs('1.5')).toBe(1500);
    expect(retryAfterMs(new Date(10_000).toUTCString(), 4_000)).toBe(6_000);
    expect(retryAfterMs('soon')).toBeUndefined();
    expect(retryAfterMs(null)).toBeUndefined();
  });
});
