import { exponentOf } from './currencies.js';

/** An amount of money: integer minor units and the ISO 4217 currency they count. */
export interface Money {
  amountMinor: number;
  currency: string;
}

/** Largest amount accepted anywhere (well inside exact integer range, and a bigint column). */
export const maxAmountMinor = 10 ** 15;

/**
 * "12.99" USD → 1299, "1200" JPY → 1200, "-0.5" EUR → -50. Pure string
 * arithmetic: no float ever touches the amount. Returns an error message
 * instead of throwing, so callers can attach it to the field.
 */
export function parseMajorUnits(text: string, currency: string): { ok: true; minor: number } | { ok: false; message: string } {
  const exponent = exponentOf(currency);
  const match = /^(-)?(\d+)(?:\.(\d+))?$/.exec(text.trim());
  if (!match) return { ok: false, message: `must be a decimal amount such as ${exponent ? `12.${'9'.repeat(exponent)}` : '1200'}` };
  const [, sign, whole, fraction = ''] = match;
  if (fraction.length > exponent) {
    return { ok: false, message: `has ${fraction.length} decimals but ${currency} has ${exponent}` };
  }
  const minor = Number(whole + fraction.padEnd(exponent, '0'));
  if (!Number.isSafeInteger(minor) || minor > maxAmountMinor) return { ok: false, message: 'is too large' };
  return { ok: true, minor: sign ? -minor : minor };
}

/** 1299 USD → "12.99", 1200 JPY → "1200", -5 USD → "-0.05". Exact, for exports and messages. */
export function toMajorUnits(amountMinor: number, currency: string): string {
  if (!Number.isSafeInteger(amountMinor)) throw new RangeError(`${amountMinor} is not an integer amount of minor units`);
  const exponent = exponentOf(currency);
  const digits = Math.abs(amountMinor)
    .toString()
    .padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const fraction = digits.slice(digits.length - exponent);
  return `${amountMinor < 0 ? '-' : ''}${whole}${exponent ? `.${fraction}` : ''}`;
}

/** "USD 12.99": unambiguous across currencies, for logs, e-mails and summaries. */
export function formatMoney(money: Money): string {
  return `${money.currency} ${toMajorUnits(money.amountMinor, money.currency)}`;
}

/**
 * Adds amounts of one currency. Mixing currencies is a bug, never silently
 * summed: it throws, naming both.
 */
export function sumMoney(items: readonly Money[], currency: string): Money {
  let total = 0;
  for (const item of items) {
    if (item.currency !== currency) throw new Error(`Cannot add ${item.currency} to a ${currency} total without a conversion`);
    total += item.amountMinor;
  }
  if (!Number.isSafeInteger(total)) throw new RangeError(`${currency} total overflows exact integers`);
  return { amountMinor: total, currency };
}

/** Totals per currency — the only way to total amounts of several currencies. */
export function totalsByCurrency(items: readonly Money[]): Money[] {
  const byCurrency = new Map<string, Money[]>();
  for (const item of items) byCurrency.set(item.currency, [...(byCurrency.get(item.currency) ?? []), item]);
  return [...byCurrency.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([currency, list]) => sumMoney(list, currency));
}
