import { FaultKnobs, rate, wholeNumber } from '../shared/fault-knobs.js';

/**
 * What a mail server does to a sender on a bad day (POST /__stand-in/faults on
 * the HTTP port): answer DATA with a temporary failure (451, the message is
 * not kept and the sender should try again later), or answer slowly.
 */
export interface SmtpFaultSettings {
  tempFailRate: number;
  latencyMs: number;
  seed: number;
}

export class SmtpFaults extends FaultKnobs<SmtpFaultSettings> {
  constructor(defaults: SmtpFaultSettings) {
    super(defaults, { tempFailRate: rate, latencyMs: wholeNumber, seed: wholeNumber });
  }

  tempFail(): boolean {
    return this.draw(this.settings.tempFailRate);
  }
}
