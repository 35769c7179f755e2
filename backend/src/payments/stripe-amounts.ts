import { exponentOf } from '../money/currencies.js';

/**
 * Stripe counts amounts in its own "smallest unit", which is not always ISO
 * 4217's minor unit (https://docs.stripe.com/currencies): MGA is zero-decimal
 * at Stripe but has two ISO decimals; ISK and UYI are zero-decimal in ISO but
 * two-decimal at Stripe; IQD and LYD have three ISO decimals but two at
 * Stripe. Everything in Recovery Desk is ISO minor units, so amounts cross to
 * and from Stripe only through these two functions.
 */
const stripeZeroDecimal = new Set([
  'BIF',
  'CLP',
  'DJF',
  'GNF',
  'JPY',
  'KMF',
  'KRW',
  'MGA',
  'PYG',
  'RWF',
  'UGX',
  'VND',
  'VUV',
  'XAF',
  'XOF',
  'XPF',
]);
const stripeThreeDecimal = new Set(['BHD', 'JOD', 'KWD', 'OMR', 'TND']);

export function stripeExponentOf(currency: string): number {
  if (stripeZeroDecimal.has(currency)) return 0;
  if (stripeThreeDecimal.has(currency)) return 3;
  return 2;
}

/** ISO minor units → Stripe's integer amount, exactly; throws when Stripe cannot express it. */
export function toStripeAmount(amountMinor: number, currency: string): number {
  return shift(amountMinor, stripeExponentOf(currency) - exponentOf(currency), currency);
}

/** Stripe's integer amount of an upper- or lower-case currency → ISO minor units. */
export function fromStripeAmount(amount: number, currency: string): number {
  const code = currency.toUpperCase();
  return shift(amount, exponentOf(code) - stripeExponentOf(code), code);
}

function shift(amount: number, digits: number, currency: string): number {
  if (digits >= 0) return amount * 10 ** digits;
  const divisor = 10 ** -digits;
  if (amount % divisor !== 0) throw new RangeError(`${amount} cannot be expressed in ${currency} without rounding`);
  return amount / divisor;
}
