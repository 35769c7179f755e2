/**
 * Stripe's view of currency decimals (https://stripe.com/docs/currencies):
 * amounts are integers in the smallest unit, and these currencies differ from
 * the usual two decimals. Stripe's list, not ISO's (MGA is zero-decimal at Stripe).
 */
const zeroDecimal = new Set([
  'bif',
  'clp',
  'djf',
  'gnf',
  'jpy',
  'kmf',
  'krw',
  'mga',
  'pyg',
  'rwf',
  'ugx',
  'vnd',
  'vuv',
  'xaf',
  'xof',
  'xpf',
]);
const threeDecimal = new Set(['bhd', 'jod', 'kwd', 'omr', 'tnd']);

/** Currencies ICU knows, lower-cased as Stripe writes them. */
const knownCurrencies = new Set(Intl.supportedValuesOf('currency').map((code) => code.toLowerCase()));

export function isKnownCurrency(currency: string): boolean {
  return knownCurrencies.has(currency);
}

export function exponentOf(currency: string): number {
  if (zeroDecimal.has(currency)) return 0;
  if (threeDecimal.has(currency)) return 3;
  return 2;
}

/**
 * "$25.00", "£93.90", "¥500" for error messages. The decimal string is built
 * with integer arithmetic and handed to Intl as a string, so no float ever
 * touches the amount.
 */
export function formatAmount(amount: number, currency: string): string {
  const exponent = exponentOf(currency);
  const digits = String(Math.abs(amount)).padStart(exponent + 1, '0');
  const decimal = (amount < 0 ? '-' : '') + (exponent === 0 ? digits : `${digits.slice(0, -exponent)}.${digits.slice(-exponent)}`);
  const format = new Intl.NumberFormat('en-US', {
    style: 'currency',
    currency: currency.toUpperCase(),
    minimumFractionDigits: exponent,
    maximumFractionDigits: exponent,
  });
  return format.format(decimal as Intl.StringNumericLiteral);
}

/**
 * The smallest amount Stripe charges in a currency (its "minimum charge
 * amounts" table, for the currencies this product meets); others only need >= 1.
 */
const minimumChargeAmounts: Record<string, number> = {
  usd: 50,
  eur: 50,
  gbp: 30,
  aud: 50,
  cad: 50,
  chf: 50,
  dkk: 250,
  hkd: 400,
  jpy: 50,
  mxn: 1000,
  nok: 300,
  nzd: 50,
  pln: 200,
  sek: 300,
  sgd: 50,
};

export function minimumChargeAmount(currency: string): number {
  return minimumChargeAmounts[currency] ?? 1;
}

/** Stripe's ceiling for one charge: eight digits in the smallest unit. */
export const maximumChargeAmount = 99_999_999;
