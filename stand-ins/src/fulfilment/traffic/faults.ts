import { FaultKnobs, rate, wholeNumber, wholeNumberOrUnlimited } from '../../shared/fault-knobs.js';

/** The fulfilment stand-in's knobs (shared/fault-knobs.ts keeps them). */
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

export class Faults extends FaultKnobs<FaultSettings> {
  constructor(defaults: FaultSettings) {
    super(defaults, {
      latencyMs: wholeNumber,
      error5xxRate: rate,
      resetAfterCommitRate: rate,
      rateLimitRps: wholeNumberOrUnlimited,
      rateLimitBurst: wholeNumberOrUnlimited,
      deliveredBeforeInterceptRate: rate,
      seed: wholeNumber,
    });
  }

  /** The 5xx status to inject, or undefined. */
  inject5xx(): number | undefined {
    if (!this.draw(this.settings.error5xxRate)) return undefined;
    return [500, 502, 503][Math.floor(this.random() * 3)];
  }

  resetAfterCommit(): boolean {
    return this.draw(this.settings.resetAfterCommitRate);
  }

  deliveredBeforeIntercept(): boolean {
    return this.draw(this.settings.deliveredBeforeInterceptRate);
  }
}
