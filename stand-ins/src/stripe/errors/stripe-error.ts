/**
 * An API error in Stripe's envelope: `{ "error": { type, code, message, param, ... } }`
 * with Stripe's HTTP status. Like Stripe, fields that do not apply are left out
 * rather than sent as null.
 */
export type StripeErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface StripeErrorFields {
  statusCode: number;
  type: StripeErrorType;
  message: string;
  code?: string;
  param?: string;
  declineCode?: string;
  /** Extra members of the envelope, e.g. the PaymentIntent of a card error. */
  extra?: Record<string, unknown>;
  /**
   * Stripe stores an idempotent result only once the endpoint began executing:
   * a request whose parameters failed validation is not stored and may be retried
   * with the same key. Parameter errors set this to false.
   */
  storedForIdempotency?: boolean;
}

export class StripeError extends Error {
  readonly statusCode: number;
  readonly type: StripeErrorType;
  readonly code?: string;
  readonly param?: string;
  readonly declineCode?: string;
  readonly extra?: Record<string, unknown>;
  readonly storedForIdempotency: boolean;

  constructor(fields: StripeErrorFields) {
    super(fields.message);
    this.statusCode = fields.statusCode;
    this.type = fields.type;
    this.code = fields.code;
    this.param = fields.param;
    this.declineCode = fields.declineCode;
    this.extra = fields.extra;
    this.storedForIdempotency = fields.storedForIdempotency ?? true;
  }

  toEnvelope(requestId: string): { error: Record<string, unknown> } {
    const error: Record<string, unknown> = {};
    if (this.code) error.code = this.code;
    if (this.declineCode) error.decline_code = this.declineCode;
    if (this.code) error.doc_url = `https://stripe.com/docs/error-codes/${this.code.replace(/_/g, '-')}`;
    error.message = this.message;
    if (this.param) error.param = this.param;
    Object.assign(error, this.extra);
    error.request_log_url = `https://dashboard.stripe.com/test/logs/${requestId}?t=${Math.floor(Date.now() / 1000)}`;
    error.type = this.type;
    return { error };
  }
}
