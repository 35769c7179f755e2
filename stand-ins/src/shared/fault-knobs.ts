import { seededRandom } from './seeded-random.js';
import { TokenBucket } from './token-bucket.js';

export class FaultSettingsError extends Error {}

/** What every stand-in's settings have; with `rateLimitRps`, a token bucket limits the requests. */
export interface KnobSettings {
  /** Added to every request (each stand-in says where). */
  latencyMs: number;
  seed: number;
  /** Token bucket: requests per second, and the burst it allows (the rate when absent); null = unlimited. */
  rateLimitRps?: number | null;
  rateLimitBurst?: number | null;
}

/** Checks one setting of an update (`name` is for the message) and returns it; throws FaultSettingsError. */
export type SettingCheck<T> = (value: unknown, name: string) => T;

/**
 * The knobs tests and benches turn at runtime (POST /__stand-in/faults), kept
 * the same way by every stand-in: the defaults come from its config, an update
 * changes only the settings it names (an unknown one is refused), and the
 * defaults can be restored. Random draws come from a seeded PRNG (FAULT_SEED,
 * or `seed` in the update), and only while a knob is on, so turning one knob
 * on does not shift another's sequence and a failing run replays with the
 * same seed. A stand-in's subclass adds its own knobs' draws.
 */
export class FaultKnobs<S extends KnobSettings> {
  protected settings: S;
  protected random: () => number;
  private bucket: TokenBucket | undefined;

  /** `checks` in the order an update checks them (the first bad one is the one reported). */
  constructor(
    private readonly defaults: S,
    private readonly checks: { [K in keyof S]-?: SettingCheck<S[K]> },
  ) {
    this.settings = { ...defaults };
    this.random = seededRandom(defaults.seed);
    this.bucket = bucketFor(defaults);
  }

  /** All settings, as the control API answers them (a copy). */
  get current(): S {
    return { ...this.settings };
  }

  /** One setting, for the stand-in's own use: no copy of them all on a path every request or webhook takes. */
  setting<K extends keyof S>(name: K): S[K] {
    return this.settings[name];
  }

  /** Applies the given fields, leaves the others. */
  update(patch: unknown): S {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new FaultSettingsError('Send a JSON object');
    const input = patch as Record<string, unknown>;
    const known = Object.keys(this.defaults);
    const unknown = Object.keys(input).filter((key) => !known.includes(key));
    if (unknown.length) throw new FaultSettingsError(`Unknown fault setting(s): ${unknown.join(', ')}; known: ${known.join(', ')}`);
    const next = { ...this.settings };
    for (const name of Object.keys(this.checks) as (keyof S & string)[]) {
      if (name in input) next[name] = this.checks[name](input[name], name);
    }
    if (next.rateLimitRps !== this.settings.rateLimitRps || next.rateLimitBurst !== this.settings.rateLimitBurst)
      this.bucket = bucketFor(next);
    if ('seed' in input) this.random = seededRandom(next.seed);
    this.settings = next;
    return this.current;
  }

  restoreDefaults(): S {
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

  get latencyMs(): number {
    return this.settings.latencyMs;
  }

  /** True for a share `rate` of the calls; draws only while the knob is on. */
  protected draw(rate: number): boolean {
    return rate > 0 && this.random() < rate;
  }
}

const bucketFor = ({ rateLimitRps, rateLimitBurst }: KnobSettings) =>
  rateLimitRps ? new TokenBucket(rateLimitRps, rateLimitBurst ?? rateLimitRps) : undefined;

/** A share of requests: a number from 0 to 1. */
export const rate: SettingCheck<number> = (value, name) => {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) throw new FaultSettingsError(`${name} must be a number from 0 to 1`);
  return value;
};

export const wholeNumber: SettingCheck<number> = (value, name) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new FaultSettingsError(`${name} must be a whole number >= 0`);
  }
  return value;
};

/** A whole number, where null or 0 means unlimited (null). */
export const wholeNumberOrUnlimited: SettingCheck<number | null> = (value, name) =>
  value === null ? null : wholeNumber(value, name) || null;
