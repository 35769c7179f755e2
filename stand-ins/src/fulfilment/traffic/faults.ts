import { seededRandom } from '../../shared/seeded-random.js';
import { TokenBucket } from '../../shared/token-bucket.js';

/**
 * The knobs tests and benches turn at runtime (POST /__stand-in/faults).
 * Random draws come from a seeded PRNG (FAULT_SEED, or `seed` in the update),
 * and only while a knob is on, so a failing run replays with the same seed.
 */
export interface FaultSettings {
  /** Added to every API request, inside the idempotency lock (a concurrent retry meanwhile gets 409). */
  latencyMs: number;
  /** Share of API requests answered 500, 502 or 503 before anything is done (nothing saved under the key). */
  error5xxRate: number;
  /** Share of POSTs whose change is committed and saved under the key, but whose connection is then dropped. */
  resetAfterCommitRate: number;
  /** Token bucket: requests per second, and the burst it allows; null = unlimited. */
  rateLimitRps: number | null;
  rateLimitBurst: number | null;
  /** Share of intercepts that arrive after the carrier delivered the parcel: it becomes delivered, the answer is 409 too_late. */
  deliveredBeforeInterceptRate: number;
  seed: number;
}

export class FaultSettingsError extends Error {}

export class Faults {
  private settings: FaultSettings;
  private random: () => number;
  private bucket: TokenBucket | undefined;

  constructor(private readonly defaults: FaultSettings) {
    this.settings = { ...defaults };
    this.random = seededRandom(defaults.seed);
    this.bucket = bucketFor(defaults);
  }

  get current(): FaultSettings {
    return { ...this.settings };
  }

  update(patch: unknown): FaultSettings {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new FaultSettingsError('Send a JSON object');
    const input = patch as Record<string, unknown>;
    const known = Object.keys(this.defaults);
    const unknown = Object.keys(input).filter((key) => !known.includes(key));
    if (unknown.length) throw new FaultSettingsError(`Unknown fault setting(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
    const next = { ...this.settings };
    if ('latencyMs' in input) next.latencyMs = wholeNumber(input.latencyMs, 'latencyMs');
    if ('error5xxRate' in input) next.error5xxRate = rate(input.error5xxRate, 'error5xxRate');
    if ('resetAfterCommitRate' in input) next.resetAfterCommitRate = rate(input.resetAfterCommitRate, 'resetAfterCommitRate');
    if ('rateLimitRps' in input)
      next.rateLimitRps = input.rateLimitRps === null ? null : wholeNumber(input.rateLimitRps, 'rateLimitRps') || null;
    if ('rateLimitBurst' in input)
      next.rateLimitBurst = input.rateLimitBurst === null ? null : wholeNumber(input.rateLimitBurst, 'rateLimitBurst') || null;
    if ('deliveredBeforeInterceptRate' in input)
      next.deliveredBeforeInterceptRate = rate(input.deliveredBeforeInterceptRate, 'deliveredBeforeInterceptRate');
    if ('seed' in input) next.seed = wholeNumber(input.seed, 'seed');
    if (next.rateLimitRps !== this.settings.rateLimitRps || next.rateLimitBurst !== this.settings.rateLimitBurst)
      this.bucket = bucketFor(next);
    if ('seed' in input) this.random = seededRandom(next.seed);
    this.settings = next;
    return this.current;
  }

  restoreDefaults(): FaultSettings {
    this.settings = { ...this.defaults };
    this.random = seededRandom(this.defaults.seed);
    this.bucket = bucketFor(this.defaults);
    return this.current;
  }

  /** Takes a token: 0 means go ahead, otherwise the milliseconds until a token is there (answer 429). */
  admit(): number {
    if (!this.bucket || this.bucket.tryTake()) return 0;
    return Math.max(1, this.bucket.msUntilNextToken());
  }

  /** The 5xx status to inject, or undefined. */
  inject5xx(): number | undefined {
    if (!(this.settings.error5xxRate > 0 && this.random() < this.settings.error5xxRate)) return undefined;
    return [500, 502, 503][Math.floor(this.random() * 3)];
  }

  resetAfterCommit(): boolean {
    return this.settings.resetAfterCommitRate > 0 && this.random() < this.settings.resetAfterCommitRate;
  }

  deliveredBeforeIntercept(): boolean {
    return this.settings.deliveredBeforeInterceptRate > 0 && this.random() < this.settings.deliveredBeforeInterceptRate;
  }

  get latencyMs(): number {
    return this.settings.latencyMs;
  }
}

const bucketFor = ({ rateLimitRps, rateLimitBurst }: Pick<FaultSettings, 'rateLimitRps' | 'rateLimitBurst'>) =>
  rateLimitRps ? new TokenBucket(rateLimitRps, rateLimitBurst ?? rateLimitRps) : undefined;

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
