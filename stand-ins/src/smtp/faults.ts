import { seededRandom } from '../shared/seeded-random.js';

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

export class SmtpFaultSettingsError extends Error {}

export class SmtpFaults {
  private settings: SmtpFaultSettings;
  private random: () => number;

  constructor(private readonly defaults: SmtpFaultSettings) {
    this.settings = { ...defaults };
    this.random = seededRandom(defaults.seed);
  }

  get current(): SmtpFaultSettings {
    return { ...this.settings };
  }

  update(patch: unknown): SmtpFaultSettings {
    if (!patch || typeof patch !== 'object' || Array.isArray(patch)) throw new SmtpFaultSettingsError('Send a JSON object');
    const input = patch as Record<string, unknown>;
    const unknown = Object.keys(input).filter((key) => !(key in this.defaults));
    if (unknown.length)
      throw new SmtpFaultSettingsError(`Unknown fault setting(s): ${unknown.join(', ')}; known: ${Object.keys(this.defaults).join(', ')}`);
    const next = { ...this.settings };
    if ('tempFailRate' in input) {
      const value = input.tempFailRate;
      if (typeof value !== 'number' || !(value >= 0 && value <= 1))
        throw new SmtpFaultSettingsError('tempFailRate must be a number from 0 to 1');
      next.tempFailRate = value;
    }
    for (const name of ['latencyMs', 'seed'] as const) {
      if (!(name in input)) continue;
      const value = input[name];
      if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
        throw new SmtpFaultSettingsError(`${name} must be a whole number >= 0`);
      next[name] = value;
    }
    if ('seed' in input) this.random = seededRandom(next.seed);
    this.settings = next;
    return this.current;
  }

  restoreDefaults(): SmtpFaultSettings {
    this.settings = { ...this.defaults };
    this.random = seededRandom(this.defaults.seed);
    return this.current;
  }

  tempFail(): boolean {
    return this.settings.tempFailRate > 0 && this.random() < this.settings.tempFailRate;
  }
}
