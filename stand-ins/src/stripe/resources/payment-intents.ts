import { amountTooLargeForCharge, amountTooSmall, noSuch, notModelled, paymentIntentUnexpectedState } from '../errors/errors.js';
import { StripeError } from '../errors/stripe-error.js';
import type { ParamMap } from '../http/form-params.js';
import { newId } from '../ids.js';
import { maximumChargeAmount, minimumChargeAmount } from '../money.js';
import type { PaymentIntent } from '../state/objects.js';
import type { Change, Store } from '../state/store.js';
import { chargeFor } from './charges.js';
import type { Endpoint } from './context.js';
import { expand, expandList } from './expand.js';
import { listPage, listParams } from './lists.js';
import {
  expandParam,
  listParam,
  metadataParam,
  optionalBoolean,
  optionalEnum,
  optionalHash,
  optionalString,
  rejectUnknown,
  requiredCurrency,
  requiredInteger,
} from './params.js';
import { resolvePaymentMethod } from './payment-methods.js';

/** Parameters Stripe takes on create; the ones not modelled are accepted and have no effect. */
const createParams = [
  'amount',
  'currency',
  'payment_method',
  'payment_method_types',
  'automatic_payment_methods',
  'confirm',
  'return_url',
  'capture_method',
  'confirmation_method',
  'metadata',
  'description',
  'customer',
  'receipt_email',
  'statement_descriptor',
  'statement_descriptor_suffix',
  'off_session',
  'error_on_requires_action',
  'payment_method_options',
  'setup_future_usage',
  'shipping',
  'expand',
];

const confirmParams = ['payment_method', 'return_url', 'off_session', 'error_on_requires_action', 'payment_method_options', 'expand'];

export const createPaymentIntent: Endpoint = ({ params, store, change, now }) => {
  rejectUnknown(params, createParams);
  const amount = requiredInteger(params, 'amount', { min: 1 });
  const currency = requiredCurrency(params);
  const metadata = metadataParam(params);
  const confirm = optionalBoolean(params, 'confirm') ?? false;
  const captureMethod = optionalEnum(params, 'capture_method', ['automatic', 'automatic_async', 'manual'] as const) ?? 'automatic_async';
  if (captureMethod === 'manual') throw notModelled('capture_method', 'manual');
  const confirmationMethod = optionalEnum(params, 'confirmation_method', ['automatic', 'manual'] as const) ?? 'automatic';
  const automatic = automaticPaymentMethods(params);
  const paymentMethodTypes = listParam(params, 'payment_method_types');
  const paymentMethodParam = optionalString(params, 'payment_method');

  if (amount < minimumChargeAmount(currency)) throw amountTooSmall(minimumChargeAmount(currency), currency);
  if (amount > maximumChargeAmount) throw amountTooLargeForCharge(maximumChargeAmount, currency);
  const paymentMethod = paymentMethodParam ? resolvePaymentMethod(paymentMethodParam, store, change, now).paymentMethod : undefined;

  const id = newId('pi');
  const intent = change.put('payment_intent', {
    id,
    object: 'payment_intent',
    amount,
    amount_capturable: 0,
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    // Without explicit payment_method_types, current API versions turn automatic payment methods on.
    automatic_payment_methods: paymentMethodTypes.length ? null : (automatic ?? { allow_redirects: 'always', enabled: true }),
    canceled_at: null,
    cancellation_reason: null,
    capture_method: captureMethod,
    client_secret: `${id}_secret_${newId('x', 25).slice(2)}`,
    confirmation_method: confirmationMethod,
    created: now,
    currency,
    customer: optionalString(params, 'customer') ?? null,
    description: optionalString(params, 'description') ?? null,
    last_payment_error: null,
    latest_charge: null,
    livemode: false,
    metadata,
    next_action: null,
    on_behalf_of: null,
    payment_method: paymentMethod?.id ?? null,
    payment_method_options: { card: { installments: null, mandate_options: null, network: null, request_three_d_secure: 'automatic' } },
    payment_method_types: paymentMethodTypes.length ? paymentMethodTypes : ['card'],
    processing: null,
    receipt_email: optionalString(params, 'receipt_email') ?? null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: optionalString(params, 'statement_descriptor') ?? null,
    statement_descriptor_suffix: optionalString(params, 'statement_descriptor_suffix') ?? null,
    status: paymentMethod ? 'requires_confirmation' : 'requires_payment_method',
    transfer_data: null,
    transfer_group: null,
  });
  const result = confirm ? confirmIntent(intent, params, store, change, now) : intent;
  return expand(result, expandParam(params), store);
};

export const confirmPaymentIntent: Endpoint = ({ params, pathParams, store, change, now }) => {
  rejectUnknown(params, confirmParams);
  const intent = store.get('payment_intent', pathParams.id!);
  if (!intent) throw noSuch('payment_intent', pathParams.id!, 'intent');
  return expand(confirmIntent(intent, params, store, change, now), expandParam(params), store);
};

export const retrievePaymentIntent: Endpoint = ({ params, pathParams, store }) => {
  rejectUnknown(params, ['expand', 'client_secret']);
  const intent = store.get('payment_intent', pathParams.id!);
  if (!intent) throw noSuch('payment_intent', pathParams.id!, 'intent');
  return expand(intent, expandParam(params), store);
};

export const listPaymentIntents: Endpoint = ({ params, store }) => {
  rejectUnknown(params, [...listParams, 'customer']);
  const customer = optionalString(params, 'customer');
  const ids = customer ? store.ids('payment_intent', { customer }) : store.ids('payment_intent');
  return expandList(listPage('payment_intent', ids, params, '/v1/payment_intents', store), expandParam(params), store);
};

/**
 * Confirmation: charges the card at once (automatic capture). A decline
 * leaves the intent in `requires_payment_method` with `last_payment_error`
 * and a failed charge, and answers 402 card_error carrying the intent.
 * The stand-in account has only cards enabled, so no redirect-based method
 * can apply and `return_url` is never required.
 */
function confirmIntent(intent: PaymentIntent, params: ParamMap, store: Store, change: Change, now: number) {
  if (intent.status === 'succeeded') {
    throw paymentIntentUnexpectedState(
      'You cannot confirm this PaymentIntent because it has already succeeded after being previously confirmed.',
      intent,
    );
  }
  if (intent.status === 'canceled') {
    throw paymentIntentUnexpectedState('You cannot confirm this PaymentIntent because it has a status of canceled.', intent);
  }
  const paymentMethodParam = optionalString(params, 'payment_method');
  const resolved = paymentMethodParam
    ? resolvePaymentMethod(paymentMethodParam, store, change, now)
    : intent.payment_method
      ? resolvePaymentMethod(intent.payment_method, store, change, now)
      : undefined;
  if (!resolved) {
    throw paymentIntentUnexpectedState(
      "You cannot confirm this PaymentIntent because it's missing a payment method. You can either update the PaymentIntent with a payment method and then confirm it again, or confirm it again directly with a payment method.",
      intent,
    );
  }
  const { paymentMethod, card } = resolved;
  const charge = change.put('charge', chargeFor(intent, paymentMethod, card.decline, now));

  if (!card.decline) {
    const paid = change.put('payment_intent', {
      ...intent,
      amount_received: intent.amount,
      latest_charge: charge.id,
      last_payment_error: null,
      payment_method: paymentMethod.id,
      status: 'succeeded',
    });
    change.emit('charge.succeeded', charge);
    change.emit('payment_intent.succeeded', paid);
    return paid;
  }

  const decline = card.decline;
  const lastPaymentError = {
    charge: charge.id,
    code: decline.code,
    decline_code: decline.declineCode,
    doc_url: `https://stripe.com/docs/error-codes/${decline.code.replace(/_/g, '-')}`,
    message: decline.message,
    payment_method: paymentMethod,
    type: 'card_error' as const,
  };
  // Stripe detaches the failed payment method so the customer can try another.
  const failed = change.put('payment_intent', {
    ...intent,
    latest_charge: charge.id,
    last_payment_error: lastPaymentError,
    payment_method: null,
    status: 'requires_payment_method',
  });
  change.emit('charge.failed', charge);
  change.emit('payment_intent.payment_failed', failed);
  throw new StripeError({
    statusCode: 402,
    type: 'card_error',
    code: decline.code,
    declineCode: decline.declineCode,
    message: decline.message,
    param: decline.param,
    extra: { charge: charge.id, payment_intent: failed, payment_method: paymentMethod },
  });
}

function automaticPaymentMethods(params: ParamMap): PaymentIntent['automatic_payment_methods'] | undefined {
  const raw = optionalHash(params, 'automatic_payment_methods');
  if (!raw) return undefined;
  rejectUnknown(raw, ['enabled', 'allow_redirects']);
  const enabled = optionalBoolean(raw, 'enabled') ?? false;
  const allowRedirects = optionalEnum(raw, 'allow_redirects', ['always', 'never'] as const) ?? 'always';
  return { allow_redirects: allowRedirects, enabled };
}
