import { formatAmount } from '../money.js';
import { StripeError } from './stripe-error.js';

/**
 * Every error the stand-in answers, with Stripe's status, type, code and
 * wording (as seen in Stripe's docs and in real responses quoted in public
 * issues), so code written against the stand-in handles the real API too.
 */

// ---- authentication and routing ----

export const missingApiKey = () =>
  new StripeError({
    statusCode: 401,
    type: 'invalid_request_error',
    message:
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.",
    storedForIdempotency: false,
  });

export const invalidApiKey = (redactedKey: string) =>
  new StripeError({
    statusCode: 401,
    type: 'invalid_request_error',
    message: `Invalid API Key provided: ${redactedKey}`,
    storedForIdempotency: false,
  });

export const unrecognizedUrl = (method: string, path: string) =>
  new StripeError({
    statusCode: 404,
    type: 'invalid_request_error',
    message: `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
    storedForIdempotency: false,
  });

export const rateLimited = () =>
  new StripeError({
    statusCode: 429,
    type: 'invalid_request_error',
    code: 'rate_limit',
    message: 'Request rate limit exceeded. Learn more about rate limits here https://stripe.com/docs/rate-limits.',
    storedForIdempotency: false,
  });

export const apiError = () =>
  new StripeError({
    statusCode: 500,
    type: 'api_error',
    message: 'An unknown error occurred',
    storedForIdempotency: false,
  });

// ---- parameters (validation: never stored under an idempotency key) ----

const parameterError = (message: string, param: string, code?: string) =>
  new StripeError({ statusCode: 400, type: 'invalid_request_error', code, message, param, storedForIdempotency: false });

export const missingParam = (param: string) => parameterError(`Missing required param: ${param}.`, param, 'parameter_missing');

export const missingOneOf = (params: string[]) =>
  parameterError(
    `One of the following params should be provided for this request: ${params.join(' or ')}.`,
    params[0]!,
    'parameter_missing',
  );

export const unknownParam = (param: string) => parameterError(`Received unknown parameter: ${param}`, param, 'parameter_unknown');

export const invalidInteger = (param: string, value: string) =>
  parameterError(`Invalid integer: ${value}`, param, 'parameter_invalid_integer');

export const integerTooSmall = (param: string, minimum: number) =>
  parameterError(`This value must be greater than or equal to ${minimum}.`, param, 'parameter_invalid_integer');

export const integerTooLarge = (param: string, maximum: number) =>
  parameterError(`This value must be less than or equal to ${maximum}.`, param, 'parameter_invalid_integer');

export const invalidBoolean = (param: string, value: string) => parameterError(`Invalid boolean: ${value}`, param);

export const invalidString = (param: string) => parameterError(`Invalid string: ${param} must be a string`, param);

export const emptyString = (param: string) =>
  parameterError(
    `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
    param,
    'parameter_invalid_empty',
  );

export const invalidEnum = (param: string, allowed: readonly string[]) =>
  parameterError(`Invalid ${param}: must be one of ${joinOr(allowed)}`, param);

export const invalidCurrency = (value: string) =>
  parameterError(
    `Invalid currency: ${value}. Stripe currently supports these currencies: usd, eur, gbp, … (see https://stripe.com/docs/currencies)`,
    'currency',
  );

export const invalidMetadata = (message: string, param: string) => parameterError(message, param);

export const cannotExpand = (path: string) => parameterError(`This property cannot be expanded (${path}).`, 'expand');

export const bothGiven = (a: string, b: string) => parameterError(`You cannot specify both \`${a}\` and \`${b}\`.`, b);

/** Honest refusal for parameters Stripe accepts but this stand-in does not model. */
export const notModelled = (param: string, value: string) =>
  parameterError(
    `The Stripe stand-in does not model ${param}=${value}; extend stand-ins/src/stripe if the product needs it.`,
    param,
    'stand_in_unsupported',
  );

export const invalidUrl = (param: string, value: string) => parameterError(`Invalid URL: ${value}`, param, 'url_invalid');

export const invalidEnabledEvent = (index: number, value: string) =>
  parameterError(
    `Invalid enabled_events[${index}]: "${value}" is not a Stripe event type (use * for all events, or names such as refund.updated)`,
    `enabled_events[${index}]`,
  );

export const tooManyWebhookEndpoints = (maximum: number) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    message: `You have reached the maximum of ${maximum} test webhook endpoints.`,
  });

// ---- idempotency ----

export const idempotencyParamsMismatch = (key: string) =>
  new StripeError({
    statusCode: 400,
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    storedForIdempotency: false,
  });

export const idempotencyEndpointMismatch = (key: string, firstPath: string, path: string) =>
  new StripeError({
    statusCode: 400,
    type: 'idempotency_error',
    message: `Keys for idempotent requests can only be used for the same endpoint they were first used for ('${firstPath}' vs '${path}'). Try using a key other than '${key}' if you meant to execute a different request.`,
    storedForIdempotency: false,
  });

export const idempotencyKeyInUse = (key: string) =>
  new StripeError({
    statusCode: 409,
    type: 'idempotency_error',
    code: 'idempotency_key_in_use',
    message: `There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through): ${key}. Please try again later.`,
    storedForIdempotency: false,
  });

export const idempotencyKeyTooLong = () =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    message: 'Idempotency-Key must be at most 255 characters long.',
    storedForIdempotency: false,
  });

// ---- resources and business rules (stored under an idempotency key) ----

export const noSuch = (kind: string, id: string, param: string, statusCode = 404) =>
  new StripeError({ statusCode, type: 'invalid_request_error', code: 'resource_missing', message: `No such ${kind}: '${id}'`, param });

export const amountTooSmall = (minimum: number, currency: string) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    code: 'amount_too_small',
    message: `Amount must be at least ${formatAmount(minimum, currency)} ${currency}`,
    param: 'amount',
  });

export const amountTooLargeForCharge = (maximum: number, currency: string) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    code: 'amount_too_large',
    message: `Amount must be no more than ${formatAmount(maximum, currency)}`,
    param: 'amount',
  });

export const refundAmountTooLarge = (amount: number, charge: { amount: number; amount_refunded: number; currency: string }) => {
  const remaining = charge.amount - charge.amount_refunded;
  const message =
    charge.amount_refunded === 0
      ? `Refund amount (${formatAmount(amount, charge.currency)}) is greater than charge amount (${formatAmount(charge.amount, charge.currency)})`
      : `Refund amount (${formatAmount(amount, charge.currency)}) is greater than unrefunded amount on charge (${formatAmount(remaining, charge.currency)})`;
  return new StripeError({ statusCode: 400, type: 'invalid_request_error', code: 'amount_too_large', message, param: 'amount' });
};

export const chargeAlreadyRefunded = (chargeId: string) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    code: 'charge_already_refunded',
    message: `Charge ${chargeId} has already been refunded.`,
  });

export const chargeNotRefundable = (chargeId: string, why: string) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    message: `Charge ${chargeId} cannot be refunded: ${why}.`,
    param: 'charge',
  });

export const paymentIntentNotRefundable = (paymentIntentId: string) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    message: `This PaymentIntent (${paymentIntentId}) does not have a successful charge to refund.`,
    param: 'payment_intent',
  });

/** A chargeback took the money back already; Stripe refuses to refund it a second time. */
export const chargeDisputed = (chargeId: string) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    code: 'charge_disputed',
    message: `Charge ${chargeId} has been charged back; cannot issue a refund.`,
  });

export const currencyMismatch = (given: string, chargeCurrency: string) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    message: `The currency (${given}) does not match the currency of the charge (${chargeCurrency}).`,
    param: 'currency',
  });

export const paymentIntentUnexpectedState = (message: string, paymentIntent: unknown) =>
  new StripeError({
    statusCode: 400,
    type: 'invalid_request_error',
    code: 'payment_intent_unexpected_state',
    message,
    extra: { payment_intent: paymentIntent },
  });

function joinOr(values: readonly string[]): string {
  if (values.length <= 1) return values.join('');
  return `${values.slice(0, -1).join(', ')}, or ${values.at(-1)}`;
}
