import { latestDispute } from '../bank/disputes.js';
import {
  bothGiven,
  chargeAlreadyRefunded,
  chargeDisputed,
  chargeNotRefundable,
  currencyMismatch,
  missingOneOf,
  noSuch,
  paymentIntentNotRefundable,
  refundAmountTooLarge,
} from '../errors/errors.js';
import { newId } from '../ids.js';
import type { Charge, RefundReason } from '../state/objects.js';
import type { Store } from '../state/store.js';
import type { Endpoint } from './context.js';
import { expand, expandList } from './expand.js';
import { listPage, listParams } from './lists.js';
import {
  expandParam,
  metadataParam,
  optionalBoolean,
  optionalCurrency,
  optionalEnum,
  optionalInteger,
  optionalString,
  rejectUnknown,
} from './params.js';

const reasons: readonly RefundReason[] = ['duplicate', 'fraudulent', 'requested_by_customer'];

const createParams = [
  'amount',
  'charge',
  'payment_intent',
  'reason',
  'metadata',
  'currency',
  'customer',
  'instructions_email',
  'origin',
  'refund_application_fee',
  'reverse_transfer',
  'expand',
];

/**
 * POST /v1/refunds — the rule for "may this charge be refunded, and by how
 * much" as Stripe applies it: never more than what is left unrefunded, and a
 * fully refunded charge not at all. The refund and the charge's new
 * `amount_refunded` are one change, so nobody ever sees one without the other.
 */
export const createRefund: Endpoint = ({ params, store, change, now }) => {
  rejectUnknown(params, createParams);
  const chargeId = optionalString(params, 'charge');
  const paymentIntentId = optionalString(params, 'payment_intent');
  if (!chargeId && !paymentIntentId) throw missingOneOf(['charge', 'payment_intent']);
  if (chargeId && paymentIntentId) throw bothGiven('charge', 'payment_intent');
  const requestedAmount = optionalInteger(params, 'amount', { min: 1 });
  const reason = optionalEnum(params, 'reason', reasons) ?? null;
  const metadata = metadataParam(params);
  const currency = optionalCurrency(params);
  optionalBoolean(params, 'refund_application_fee');
  optionalBoolean(params, 'reverse_transfer');

  const charge = chargeId ? findCharge(chargeId, store) : chargeOfPaymentIntent(paymentIntentId!, store);
  if (charge.status !== 'succeeded') throw chargeNotRefundable(charge.id, `its status is ${charge.status}`);
  if (currency && currency !== charge.currency) throw currencyMismatch(currency, charge.currency);
  // The chargeback already returned the money to the cardholder; only a won dispute gives it back to refund.
  if (charge.disputed && latestDispute(store, charge.id)?.status !== 'won') throw chargeDisputed(charge.id);
  const remaining = charge.amount - charge.amount_refunded;
  if (remaining === 0) throw chargeAlreadyRefunded(charge.id);
  const amount = requestedAmount ?? remaining;
  if (amount > remaining) throw refundAmountTooLarge(amount, charge);

  const refund = change.put('refund', {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: newId('txn'),
    charge: charge.id,
    created: now,
    currency: charge.currency,
    destination_details: {
      card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
      type: 'card',
    },
    metadata,
    payment_intent: charge.payment_intent,
    reason,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
  });
  const amountRefunded = charge.amount_refunded + amount;
  const updated = change.put('charge', {
    ...charge,
    amount_refunded: amountRefunded,
    refunded: amountRefunded === charge.amount,
    // Refunding as fraudulent reports the charge to Stripe's fraud systems.
    fraud_details: reason === 'fraudulent' ? { ...charge.fraud_details, user_report: 'fraudulent' } : charge.fraud_details,
  });
  change.emit('refund.created', refund);
  change.emit('charge.refunded', updated);
  return expand(refund, expandParam(params), store);
};

export const retrieveRefund: Endpoint = ({ params, pathParams, store }) => {
  rejectUnknown(params, ['expand']);
  const refund = store.get('refund', pathParams.id!);
  if (!refund) throw noSuch('refund', pathParams.id!, 'id');
  return expand(refund, expandParam(params), store);
};

export const listRefunds: Endpoint = ({ params, store }) => {
  rejectUnknown(params, [...listParams, 'charge', 'payment_intent']);
  const charge = optionalString(params, 'charge');
  const paymentIntent = optionalString(params, 'payment_intent');
  const ids = charge
    ? store.ids('refund', { charge })
    : paymentIntent
      ? store.ids('refund', { payment_intent: paymentIntent })
      : store.ids('refund');
  const page = listPage('refund', ids, params, '/v1/refunds', store, (refund) => !paymentIntent || refund.payment_intent === paymentIntent);
  return expandList(page, expandParam(params), store);
};

function findCharge(id: string, store: Store): Charge {
  const charge = store.get('charge', id);
  if (!charge) throw noSuch('charge', id, 'charge');
  return charge;
}

/** Refunding by PaymentIntent refunds its latest successful charge. */
function chargeOfPaymentIntent(id: string, store: Store): Charge {
  const intent = store.get('payment_intent', id);
  if (!intent) throw noSuch('payment_intent', id, 'payment_intent');
  const charge = intent.latest_charge ? store.get('charge', intent.latest_charge) : undefined;
  if (!charge || intent.status !== 'succeeded') throw paymentIntentNotRefundable(id);
  return charge;
}
