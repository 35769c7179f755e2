import type { ShipmentState } from './state/shipment.js';

/**
 * Every error in one envelope, `{ "error": { type, code, message, … } }`,
 * with the HTTP status that says what the caller should do: 400 fix the
 * request, 401 the key, 404 the reference, 409 read the state (or wait for the
 * other request with the same key), 429 slow down, 5xx retry with the same key.
 */
export type FulfilmentErrorType =
  'invalid_request_error' | 'authentication_error' | 'state_error' | 'idempotency_error' | 'rate_limit_error' | 'api_error';

export class FulfilmentError extends Error {
  constructor(
    readonly status: number,
    readonly type: FulfilmentErrorType,
    readonly code: string,
    message: string,
    /** Extra members of the envelope: `param`, `state`. */
    readonly extra: Record<string, unknown> = {},
    /** Saved under an idempotency key? Only once the action began: never for validation or auth. */
    readonly storedForIdempotency = true,
  ) {
    super(message);
  }

  toEnvelope(): { error: Record<string, unknown> } {
    return { error: { type: this.type, code: this.code, message: this.message, ...this.extra } };
  }
}

export const missingApiKey = () =>
  new FulfilmentError(401, 'authentication_error', 'missing_api_key', 'Send your API key as `Authorization: Bearer <key>`.', {}, false);

export const invalidApiKey = () =>
  new FulfilmentError(401, 'authentication_error', 'invalid_api_key', 'The API key is not valid.', {}, false);

export const unknownRoute = (method: string, path: string) =>
  new FulfilmentError(404, 'invalid_request_error', 'unknown_route', `No endpoint ${method} ${path}.`, {}, false);

export const invalidJson = (detail: string) =>
  new FulfilmentError(400, 'invalid_request_error', 'invalid_json', `The body is not a JSON object: ${detail}`, {}, false);

export const parameterMissing = (param: string) =>
  new FulfilmentError(400, 'invalid_request_error', 'parameter_missing', `Missing required parameter: ${param}.`, { param }, false);

export const parameterInvalid = (param: string, why: string) =>
  new FulfilmentError(400, 'invalid_request_error', 'parameter_invalid', `Invalid ${param}: ${why}.`, { param }, false);

export const parameterUnknown = (param: string) =>
  new FulfilmentError(400, 'invalid_request_error', 'parameter_unknown', `Unknown parameter: ${param}.`, { param }, false);

export const idempotencyKeyMissing = () =>
  new FulfilmentError(
    400,
    'invalid_request_error',
    'idempotency_key_missing',
    'Shipment actions require an Idempotency-Key header, so a retry can never apply an action twice.',
    {},
    false,
  );

export const idempotencyKeyTooLong = () =>
  new FulfilmentError(400, 'invalid_request_error', 'idempotency_key_invalid', 'Idempotency-Key must be 1 to 255 characters.', {}, false);

export const idempotencyKeyReused = (key: string) =>
  new FulfilmentError(
    400,
    'idempotency_error',
    'idempotency_key_reused',
    `Idempotency-Key '${key}' was first used for a different request (another endpoint or other parameters).`,
    {},
    false,
  );

export const idempotencyKeyInUse = (key: string) =>
  new FulfilmentError(
    409,
    'idempotency_error',
    'idempotency_key_in_use',
    `Another request with Idempotency-Key '${key}' is still in progress; retry after it has finished.`,
    {},
    false,
  );

export const rateLimited = (retryAfterSeconds: number) =>
  new FulfilmentError(429, 'rate_limit_error', 'rate_limited', `Too many requests; retry after ${retryAfterSeconds} s.`, {}, false);

export const serverError = (status: number) =>
  new FulfilmentError(
    status,
    'api_error',
    'internal_error',
    'The fulfilment service failed; retry the request with the same Idempotency-Key.',
    {},
    false,
  );

export const shipmentMissing = (reference: string) =>
  new FulfilmentError(404, 'invalid_request_error', 'resource_missing', `No such shipment: '${reference}'.`, { param: 'reference' });

export const shipmentExists = (reference: string) =>
  new FulfilmentError(409, 'invalid_request_error', 'resource_exists', `Shipment '${reference}' is already registered.`, {
    param: 'reference',
  });

const stateMessages = {
  too_late: (action: string, state: ShipmentState) => `Too late to ${action}: the shipment is already ${state}.`,
  invalid_state: (action: string, state: ShipmentState) => `Cannot ${action} a shipment that is ${state}.`,
  already_applied: (action: string, state: ShipmentState) => `The shipment was already given ${action}; it is ${state}.`,
};

export const stateConflict = (code: keyof typeof stateMessages, action: string, state: ShipmentState) =>
  new FulfilmentError(409, 'state_error', code, stateMessages[code](action.replace('_', ' '), state), { state });
