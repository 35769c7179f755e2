/**
 * Money in Recovery Desk is ALWAYS an integer number of minor units plus an
 * ISO 4217 currency code (e.g. 1299 + "USD" = $12.99, 1200 + "JPY" = ¥1,200,
 * 1234 + "KWD" = KWD 1.234). This module is the one place that converts
 * between minor units and what a person reads or types; no other code in the
 * UI divides or multiplies money.
 *
 * No floating-point arithmetic happens on amounts: the decimal string is built
 * from the integer's digits, and Intl.NumberFormat receives that exact string
 * (numeric strings are formatted as exact decimals by Intl.NumberFormat v3).
 */

/** ISO 4217 alphabetic codes are three upper-case letters. */
const CURRENCY_CODE = /^[A-Z]{3}$/;

const exponents = new Map<string, number>();
const formatters = new Map<string, Intl.NumberFormat>();

/** True for a well-formed ISO 4217 code that this browser's Intl accepts. */
export function isCurrencyCode(value: unknown): value is string {
  if (typeof value !== 'string' || !CURRENCY_CODE.test(value)) return false;
  try {
    currencyExponent(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * Digits after the decimal point for the currency (USD 2, JPY 0, KWD 3), as
 * CLDR defines them. It is a property of the currency, not of the display
 * locale, hence the fixed 'en'. Throws a RangeError for a malformed code.
 */
export function currencyExponent(currency: string): number {
  let exponent = exponents.get(currency);
  if (exponent === undefined) {
    exponent = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    exponents.set(currency, exponent);
  }
  return exponent;
}

/**
 * The exact decimal string of `minor` minor units: (1299, 2) → "12.99",
 * (-5, 2) → "-0.05", (1200, 0) → "1200". No grouping, '.' as separator.
 */
export function minorToDecimalString(minor: number, exponent: number): string {
  if (!Number.isSafeInteger(minor)) throw new RangeError(`Money must be an integer number of minor units, got ${minor}`);
  const negative = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const integerPart = exponent === 0 ? digits : digits.slice(0, -exponent);
  const fractionPart = exponent === 0 ? '' : `.${digits.slice(-exponent)}`;
  return `${negative ? '-' : ''}${integerPart}${fractionPart}`;
}

function formatterFor(currency: string, locale: string): Intl.NumberFormat {
  const key = `${locale}|${currency}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formatters.set(key, formatter);
  }
  return formatter;
}

/**
 * Formats integer minor units for display: formatMoney(1299, 'USD') → "$12.99".
 *
 * Values that are not money (a non-integer amount, an unknown currency) are
 * shown raw with an explicit "minor units" marker instead of being guessed at,
 * so a bad record is visible rather than silently off by a factor of 100.
 */
export function formatMoney(minor: number, currency: string, locale = 'en'): string {
  if (!Number.isSafeInteger(minor) || !isCurrencyCode(currency)) {
    return `${String(minor)} (minor units, ${currency || 'no currency'})`;
  }
  const exact = minorToDecimalString(minor, currencyExponent(currency));
  // Intl.NumberFormat.format accepts a numeric string and formats it exactly.
  return formatterFor(currency, locale).format(exact as Intl.StringNumericLiteral);
}

/**
 * Amount as it belongs in a plain input box (no symbol, no grouping):
 * (1299, 'USD') → "12.99". The inverse of parseMoneyInput.
 */
export function formatMoneyInput(minor: number, currency: string): string {
  return minorToDecimalString(minor, currencyExponent(currency));
}

/** Why a typed amount was rejected; also the i18n key suffix under app.money.errors. */
export type MoneyInputErrorReason = 'empty' | 'invalid' | 'too_many_decimals' | 'too_large' | 'unknown_currency';

export class MoneyInputError extends Error {
  constructor(
    readonly reason: MoneyInputErrorReason,
    /** Allowed decimals for the currency, when known (for the message). */
    readonly exponent?: number,
  ) {
    super(`Invalid money input: ${reason}`);
    this.name = 'MoneyInputError';
  }
}

export type MoneyInputResult = { ok: true; minor: number } | { ok: false; error: MoneyInputError };

// Digits with an optional '.' and decimals. Grouping separators are refused on
// purpose: "12,99" typed by someone used to a decimal comma must not become
// 1,299.00.
const AMOUNT = /^(-)?(\d*)(?:\.(\d*))?$/;

/**
 * Major-unit text typed by a person → integer minor units:
 * ("12.99", "USD") → 1299, ("1200", "JPY") → 1200, ("1.5", "KWD") → 1500.
 * Throws MoneyInputError for more decimals than the currency has ("12.999"
 * USD, "1.5" JPY), non-numeric text, or amounts beyond the safe-integer range.
 */
export function parseMoneyInput(input: string, currency: string): number {
  if (!isCurrencyCode(currency)) throw new MoneyInputError('unknown_currency');
  const exponent = currencyExponent(currency);
  const text = input.trim();
  if (text === '') throw new MoneyInputError('empty', exponent);
  const match = AMOUNT.exec(text);
  if (!match) throw new MoneyInputError('invalid', exponent);
  const [, minus, integerPart = '', fractionPart = ''] = match;
  if (integerPart === '' && fractionPart === '') throw new MoneyInputError('invalid', exponent);
  if (fractionPart.length > exponent) throw new MoneyInputError('too_many_decimals', exponent);

  const digits = `${integerPart}${fractionPart.padEnd(exponent, '0')}`.replace(/^0+(?=\d)/, '');
  if (BigInt(digits) > BigInt(Number.MAX_SAFE_INTEGER)) throw new MoneyInputError('too_large', exponent);
  const magnitude = Number(digits); // exact: an integer within the safe range
  return minus && magnitude !== 0 ? -magnitude : magnitude;
}

/** parseMoneyInput without exceptions, for inputs that validate as the user types. */
export function tryParseMoneyInput(input: string, currency: string): MoneyInputResult {
  try {
    return { ok: true, minor: parseMoneyInput(input, currency) };
  } catch (error) {
    if (error instanceof MoneyInputError) return { ok: false, error };
    throw error;
  }
}
