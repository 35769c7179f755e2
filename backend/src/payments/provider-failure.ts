/**
 * How a provider call failed, in the three kinds the engine acts on — the one
 * vocabulary every adapter (Stripe, fulfilment, SMTP) translates its own
 * errors into, so the retry policy lives in one place (the engine):
 *
 * - `transient`: try again later with backoff (5xx, timeouts, connection
 *   resets, a concurrent request on the same idempotency key, a lock timeout);
 * - `rate_limited`: the provider's request budget is spent; slow the whole
 *   queue instead of counting a failed attempt;
 * - `permanent`: the answer will not change (already refunded, disputed,
 *   not found, invalid): end the step with the provider's code and message.
 */
export type FailureKind = 'transient' | 'rate_limited' | 'permanent';

export class ProviderFailure extends Error {
  constructor(
    readonly provider: 'stripe' | 'fulfilment' | 'smtp',
    readonly kind: FailureKind,
    /** The provider's own error code (`charge_already_refunded`, `too_late`…) or ours (`connection_error`, `http_503`). */
    readonly code: string,
    message: string,
    /** For `rate_limited`: how long the provider asked us to wait, when it said. */
    readonly retryAfterMs?: number,
    /** Whatever else the provider said that the caller may act on (a shipment's current `state`). */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ProviderFailure';
  }
}

/** A provider that is not configured in this deployment: every call would fail the same way. */
export const notConfigured = (provider: ProviderFailure['provider'], variable: string) =>
  new ProviderFailure(
    provider,
    'permanent',
    'not_configured',
    `${variable} is not set: ${provider} cannot be reached from this deployment`,
  );

/** `Retry-After` in seconds or as an HTTP date, in milliseconds; undefined when absent or unreadable. */
export function retryAfterMs(header: string | null | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
