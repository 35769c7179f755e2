import { noSuch } from '../errors/errors.js';
import { newId } from '../ids.js';
import type { BillingDetails, PaymentMethod } from '../state/objects.js';
import type { Change, Store } from '../state/store.js';
import type { Endpoint } from './context.js';
import { expandParam, rejectUnknown } from './params.js';
import { expand } from './expand.js';
import { testCardFor, testPaymentMethods, type TestCard } from './test-payment-methods.js';

export const emptyBillingDetails = (): BillingDetails => ({
  address: { city: null, country: null, line1: null, line2: null, postal_code: null, state: null },
  email: null,
  name: null,
  phone: null,
  tax_id: null,
});

/**
 * Resolves the `payment_method` parameter. A test token (`pm_card_visa`)
 * becomes a new PaymentMethod with its own `pm_…` id, as on Stripe; an id
 * made that way earlier is found again. Anything else does not exist.
 */
export function resolvePaymentMethod(
  idOrToken: string,
  store: Store,
  change: Change,
  now: number,
): { paymentMethod: PaymentMethod; card: TestCard } {
  const token = testPaymentMethods[idOrToken];
  if (token) {
    const paymentMethod = change.put('payment_method', {
      id: newId('pm'),
      object: 'payment_method',
      allow_redisplay: 'unspecified',
      billing_details: emptyBillingDetails(),
      card: {
        brand: token.brand,
        checks: { address_line1_check: null, address_postal_code_check: null, cvc_check: 'pass' },
        country: 'US',
        exp_month: 12,
        exp_year: new Date().getUTCFullYear() + 3,
        fingerprint: `fp${token.brand}${token.last4}`,
        funding: token.funding,
        last4: token.last4,
        network: token.brand,
      },
      created: now,
      customer: null,
      livemode: false,
      metadata: {},
      type: 'card',
    });
    return { paymentMethod, card: token };
  }
  const stored = store.get('payment_method', idOrToken);
  const card = stored && testCardFor(stored.card.brand, stored.card.last4);
  if (!stored || !card) throw noSuch('PaymentMethod', idOrToken, 'payment_method', 400);
  return { paymentMethod: stored, card };
}

export const retrievePaymentMethod: Endpoint = ({ params, pathParams, store }) => {
  rejectUnknown(params, ['expand']);
  const paymentMethod = store.get('payment_method', pathParams.id!);
  if (!paymentMethod) throw noSuch('PaymentMethod', pathParams.id!, 'payment_method');
  return expand(paymentMethod, expandParam(params), store);
};
