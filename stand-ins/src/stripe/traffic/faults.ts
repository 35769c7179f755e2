import { FaultKnobs, FaultSettingsError, rate, wholeNumber, wholeNumberOrUnlimited } from '../../shared/fault-knobs.js';

/**
 * The Stripe stand-in's knobs (shared/fault-knobs.ts keeps them): injected
 * 500s, connection resets after the change is committed, added latency, the
 * request rate limit, and how webhooks misbehave (duplicates, reordering,
 * delay) and are retried.
 */
export interface FaultSettings {
  /** Share of API requests answered 500 api_error before anything is done. */
  error5xxRate: number;
  /** Share of POSTs whose change is committed (and saved under the idempotency key) but whose answer is never sent. */
  resetAfterCommitRate: number;
  /** Added to every API request, inside the idempotency lock (so a retry during it sees 409). */
  latencyMs: number;
  /** Token-bucket rate with a burst of the same size; null means unlimited. */
  rateLimitRps: number | null;
  seed: number;
  /** Share of delivered webhook events sent a second time (Stripe warns that endpoints may get an event more than once). */
  webhookDuplicateRate: number;
  /** Hold first deliveries until this many are waiting, then send them shuffled; 0 or 1 = no holding. */
  webhookReorderBatch: number;
  /** The longest a held delivery waits for its batch to fill: holding never stalls delivery. */
  webhookReorderWindowMs: number;
  /** Each first delivery waits a random 0..this long, which also reorders events. */
  webhookDelayMaxMs: number;
  /** Attempts per event and endpoint before the stand-in gives up (Stripe's test mode: the first and 3 retries). */
  webhookMaxAttempts: number;
  /** The first retry waits this long, each next one twice as long (Stripe: hours; here: seconds). */
  webhookRetryBaseMs: number;
}

export class Faults extends FaultKnobs<FaultSettings> {
  constructor(defaults: FaultSettings) {
    super(defaults, {
      error5xxRate: rate,
      resetAfterCommitRate: rate,
      latencyMs: wholeNumber,
      rateLimitRps: wholeNumberOrUnlimited,
      seed: wholeNumber,
      webhookDuplicateRate: rate,
      webhookReorderBatch: wholeNumber,
      webhookReorderWindowMs: wholeNumber,
      webhookDelayMaxMs: wholeNumber,
      webhookMaxAttempts: (value, name) => {
        const attempts = wholeNumber(value, name);
        // Bounded both ways: at least one attempt, and never a retry loop without end.
        if (attempts < 1 || attempts > 20) throw new FaultSettingsError('webhookMaxAttempts must be from 1 to 20');
        return attempts;
      },
      webhookRetryBaseMs: wholeNumber,
    });
  }

  inject5xx(): boolean {
    return this.draw(this.settings.error5xxRate);
  }

  resetAfterCommit(): boolean {
    return this.draw(this.settings.resetAfterCommitRate);
  }

  duplicateWebhook(): boolean {
    return this.draw(this.settings.webhookDuplicateRate);
  }

  /** The random extra wait of a first webhook delivery; 0 while the knob is off. */
  webhookDelayMs(): number {
    return this.settings.webhookDelayMaxMs > 0 ? Math.floor(this.random() * (this.settings.webhookDelayMaxMs + 1)) : 0;
  }

  /** Fisher–Yates with the seeded PRNG, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  }
}
