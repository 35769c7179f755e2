import { isCurrency } from '../money/currencies.js';
import { maxAmountMinor } from '../money/money.js';

/**
 * The payment provider's fees, where the order's data has none: the orders we
 * ingest carry no processing fee, so the ledger books it from a configured
 * model (PROVIDER_FEE_MODEL), per currency, as a percentage of the order's
 * total plus a fixed amount — Stripe's own shape (2.9 % + 30¢). Dispute fees
 * come from the provider's dispute when it states one, else DISPUTE_FEES.
 * No floats: the rate is held in parts per million and the fee rounded half
 * up in integer arithmetic.
 */
export interface ProcessingFee {
  /** The rate in parts per million of the total (2.9 % = 29000). */
  ratePpm: number;
  fixedMinor: number;
}

export type ProcessingFeeModel = Readonly<Record<string, ProcessingFee>>;

/** `USD:2.9%+30,JPY:3.6%` → { USD: { ratePpm: 29000, fixedMinor: 30 }, JPY: { ratePpm: 36000, fixedMinor: 0 } }. */
export function parseProcessingFeeModel(text: string): { ok: true; model: ProcessingFeeModel } | { ok: false; message: string } {
  const model: Record<string, ProcessingFee> = {};
  if (text.trim() === '') return { ok: true, model };
  for (const entry of text.split(',').map((part) => part.trim())) {
    const match = /^([A-Z]{3}):(\d{1,2})(?:\.(\d{1,4}))?%(?:\+(\d{1,9}))?$/.exec(entry);
    if (!match || !isCurrency(match[1]!) || match[1]! in model) {
      return {
        ok: false,
        message: `must be CURRENCY:percent%+fixed-minor-units pairs, each currency once, for example USD:2.9%+30,JPY:3.6% (not "${entry}")`,
      };
    }
    const [, currency, whole, fraction = '', fixed = '0'] = match;
    model[currency!] = { ratePpm: Number(whole) * 10_000 + Number(fraction.padEnd(4, '0')), fixedMinor: Number(fixed) };
  }
  return { ok: true, model };
}

/**
 * The fee the provider took on a payment of `totalMinor`, or null when the
 * currency has no model (nothing is booked then: an unknown fee is not guessed).
 */
export function processingFee(model: ProcessingFeeModel, totalMinor: number, currency: string): number | null {
  const fee = model[currency];
  if (!fee) return null;
  if (!Number.isSafeInteger(totalMinor) || totalMinor < 0 || totalMinor > maxAmountMinor) {
    throw new RangeError(`${totalMinor} is not an amount of minor units`);
  }
  // Round half up: (total × ppm + 500000) / 1e6, exact in bigint.
  const proportional = (BigInt(totalMinor) * BigInt(fee.ratePpm) + 500_000n) / 1_000_000n;
  return Number(proportional) + fee.fixedMinor;
}

/** How the fee was computed, stored in the entry's detail for an auditor: "2.9% + 30". */
export function describeProcessingFee(model: ProcessingFeeModel, currency: string): string | null {
  const fee = model[currency];
  if (!fee) return null;
  const whole = Math.floor(fee.ratePpm / 10_000);
  const fraction = String(fee.ratePpm % 10_000)
    .padStart(4, '0')
    .replace(/0+$/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}% + ${fee.fixedMinor}`;
}
