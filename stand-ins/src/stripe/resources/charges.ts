import { noSuch } from '../errors/errors.js';
import { newId } from '../ids.js';
import type { Charge, PaymentIntent, PaymentMethod } from '../state/objects.js';
import type { Endpoint } from './context.js';
import { expand, expandList } from './expand.js';
import { listPage, listParams } from './lists.js';
import { emptyBillingDetails } from './payment-methods.js';
import { expandParam, optionalString, rejectUnknown } from './params.js';
import type { Decline } from './test-payment-methods.js';

/**
 * The charge a PaymentIntent's confirmation makes: captured and paid when
 * the card pays, `failed` with the decline's codes when it does not. Like
 * Stripe, it copies the PaymentIntent's metadata and description.
 */
export function chargeFor(intent: PaymentIntent, paymentMethod: PaymentMethod, decline: Decline | undefined, now: number): Charge {
  const succeeded = !decline;
  const id = newId('ch');
  const { checks, ...card } = paymentMethod.card;
  return {
    id,
    object: 'charge',
    amount: intent.amount,
    amount_captured: succeeded ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: succeeded ? newId('txn') : null,
    billing_details: emptyBillingDetails(),
    calculated_statement_descriptor: 'RECOVERY DESK',
    captured: succeeded,
    created: now,
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: decline?.declineCode === 'fraudulent' ? { stripe_report: 'fraudulent' } : {},
    livemode: false,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: decline
      ? {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: decline.outcome.networkStatus,
          reason: decline.outcome.reason,
          risk_level: decline.outcome.type === 'blocked' ? 'highest' : 'normal',
          risk_score: decline.outcome.type === 'blocked' ? 95 : 20,
          seller_message: decline.outcome.sellerMessage,
          type: decline.outcome.type,
        }
      : {
          advice_code: null,
          network_advice_code: null,
          network_decline_code: null,
          network_status: 'approved_by_network',
          reason: null,
          risk_level: 'normal',
          risk_score: 20,
          seller_message: 'Payment complete.',
          type: 'authorized',
        },
    paid: succeeded,
    payment_intent: intent.id,
    payment_method: paymentMethod.id,
    payment_method_details: { card: { ...card, checks }, type: 'card' },
    receipt_email: intent.receipt_email,
    receipt_number: null,
    receipt_url: `https://pay.stripe.com/receipts/payment/${id.slice(3)}`,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: intent.statement_descriptor,
    statement_descriptor_suffix: intent.statement_descriptor_suffix,
    status: succeeded ? 'succeeded' : 'failed',
    transfer_data: null,
    transfer_group: null,
  };
}

export const retrieveCharge: Endpoint = ({ params, pathParams, store }) => {
  rejectUnknown(params, ['expand']);
  const charge = store.get('charge', pathParams.id!);
  if (!charge) throw noSuch('charge', pathParams.id!, 'id');
  return expand(charge, expandParam(params), store);
};

export const listCharges: Endpoint = ({ params, store }) => {
  rejectUnknown(params, [...listParams, 'payment_intent', 'customer', 'transfer_group']);
  const paymentIntent = optionalString(params, 'payment_intent');
  const customer = optionalString(params, 'customer');
  const ids = paymentIntent
    ? store.ids('charge', { payment_intent: paymentIntent })
    : customer
      ? store.ids('charge', { customer })
      : store.ids('charge');
  const page = listPage('charge', ids, params, '/v1/charges', store, (charge) => !customer || charge.customer === customer);
  return expandList(page, expandParam(params), store);
};
