/**
 * What the remediation engine needs from a payment provider: refund a
 * payment once (under the caller's idempotency key), and find the refunds a
 * given step already made. Implemented by StripePayments; amounts are ISO
 * minor units and currencies upper-case, whatever the provider uses.
 */
export interface RefundRequest {
  /** The order's payment: a PaymentIntent (pi_…) or a Charge (ch_…). */
  paymentReference: string;
  /** Omitted: whatever is left unrefunded on the payment. */
  amountMinor?: number;
  currency: string;
  /** Ours, derived from the step, never random: a repeat is the same request. */
  idempotencyKey: string;
  /** Stored on the refund so it can be found again (and matched by webhooks). */
  metadata: { order_id: string; incident_id: string; run_id: string; step_id: string };
}

export type RefundStatus = 'pending' | 'requires_action' | 'succeeded' | 'failed' | 'canceled';

export interface RefundRecord {
  id: string;
  status: RefundStatus;
  amountMinor: number;
  currency: string;
  chargeId: string | null;
  paymentIntentId: string | null;
  /** Why the provider failed or cancelled it (`expired_or_canceled_card`…). */
  failureReason: string | null;
  metadata: Record<string, string>;
  created: number;
}

export interface PaymentProvider {
  /** Throws ProviderFailure for every provider-side failure. */
  refund(request: RefundRequest): Promise<RefundRecord>;
  /** Refunds on this payment carrying `metadata.step_id = stepId`, oldest first. */
  findStepRefunds(paymentReference: string, stepId: string): Promise<RefundRecord[]>;
  /** Every refund of one payment, ours or made elsewhere (the provider's dashboard), newest first, page after page. */
  listPaymentRefunds(paymentReference: string): AsyncIterable<RefundRecord>;
  /** Every refund of the account created at or after `createdGte` (unix seconds), newest first, page after page. */
  listRefundsSince(createdGte: number): AsyncIterable<RefundRecord>;
}

/** Refunds per page the provider lists (Stripe's maximum): callers pacing their calls count pages by it. */
export const refundPageSize = 100;

export const PAYMENT_PROVIDER = Symbol('PAYMENT_PROVIDER');

/** A refund that did not (or will not) return the money. */
export const refundFailed = (status: RefundStatus) => status === 'failed' || status === 'canceled';
