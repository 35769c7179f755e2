import { seededRandom } from '../../shared/seeded-random.js';
import { TokenBucket } from '../../shared/token-bucket.js';

/**
 * The knobs tests and benches turn at runtime (POST /__stand-in/faults):
 * injected 500s, connection resets after the change is committed, added
 * latency, the request rate limit, and how webhooks misbehave (duplicates,
 * reordering, delay) and are retried. Random draws come from a seeded PRNG
 * (FAULT_SEED, or `seed` in the update) so a failing run can be replayed.
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

export class FaultSettingsError extends Error {}

export class Faults {
  private settings: FaultSettings;
  private random: () => number;
  private bucket: TokenBucket | undefined;

  constructor(private readonly defaults: FaultSettings) {
    this.settings = { ...defaults };
    this.random = seededRandom(defaults.seed);
    this.bucket = bucketFor(defaults.rateLimitRps);
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  /** Applies the given fields, leaves the others; `rateLimitRps` null or 0 means unlimited. */
  update(patch: unknown): FaultSettings {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new FaultSettingsError('Send a JSON object');
    const input = patch as Record<string, unknown>;
    const known = Object.keys(this.defaults);
    const unknown = Object.keys(input).filter((key) => !known.includes(key));
    if (unknown.length) throw new FaultSettingsError(`Unknown fault setting(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
    const next = { ...this.settings };
    if ('error5xxRate' in input) next.error5xxRate = rate(input.error5xxRate, 'error5xxRate');
    if ('resetAfterCommitRate' in input) next.resetAfterCommitRate = rate(input.resetAfterCommitRate, 'resetAfterCommitRate');
    if ('latencyMs' in input) next.latencyMs = wholeNumber(input.latencyMs, 'latencyMs');
    if ('rateLimitRps' in input)
      next.rateLimitRps = input.rateLimitRps === null ? null : wholeNumber(input.rateLimitRps, 'rateLimitRps') || null;
    if ('seed' in input) next.seed = wholeNumber(input.seed, 'seed');
    if ('webhookDuplicateRate' in input) next.webhookDuplicateRate = rate(input.webhookDuplicateRate, 'webhookDuplicateRate');
    if ('webhookReorderBatch' in input) next.webhookReorderBatch = wholeNumber(input.webhookReorderBatch, 'webhookReorderBatch');
    if ('webhookReorderWindowMs' in input)
      next.webhookReorderWindowMs = wholeNumber(input.webhookReorderWindowMs, 'webhookReorderWindowMs');
    if ('webhookDelayMaxMs' in input) next.webhookDelayMaxMs = wholeNumber(input.webhookDelayMaxMs, 'webhookDelayMaxMs');
    if ('webhookMaxAttempts' in input) {
      next.webhookMaxAttempts = wholeNumber(input.webhookMaxAttempts, 'webhookMaxAttempts');
      // Bounded both ways: at least one attempt, and never a retry loop without end.
      if (next.webhookMaxAttempts < 1 || next.webhookMaxAttempts > 20)
        throw new FaultSettingsError('webhookMaxAttempts must be from 1 to 20');
    }
    if ('webhookRetryBaseMs' in input) next.webhookRetryBaseMs = wholeNumber(input.webhookRetryBaseMs, 'webhookRetryBaseMs');
    if (next.rateLimitRps !== this.settings.rateLimitRps) this.bucket = bucketFor(next.rateLimitRps);
    if ('seed' in input) this.random = seededRandom(next.seed);
    this.settings = next;
    return this.current;
  }

  restoreDefaults(): FaultSettings {
    this.settings = { ...this.defaults };
    this.random = seededRandom(this.defaults.seed);
    this.bucket = bucketFor(this.defaults.rateLimitRps);
    return this.current;
  }

  /** Takes a token from the rate limiter; false means answer 429. */
  admit(): boolean {
    return this.bucket ? this.bucket.tryTake() : true;
  }

  // A draw happens only while a knob is on, so turning one knob on does not shift another's sequence.
  inject5xx(): boolean {
    return this.settings.error5xxRate > 0 && this.random() < this.settings.error5xxRate;
  }

  resetAfterCommit(): boolean {
    return this.settings.resetAfterCommitRate > 0 && this.random() < this.settings.resetAfterCommitRate;
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  duplicateWebhook(): boolean {
    return this.settings.webhookDuplicateRate > 0 && this.random() < this.settings.webhookDuplicateRate;
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

const bucketFor = (rps: number | null) => (rps ? new TokenBucket(rps, rps) : undefined);

function rate(value: unknown, name: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new FaultSettingsError(`${name} must be a number from 0 to 1`);
  return value;
}

function wholeNumber(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FaultSettingsError(`${name} must be a whole number >= 0`);
  }
  return value;
}
