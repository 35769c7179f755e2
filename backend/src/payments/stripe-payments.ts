import type Stripe from 'stripe';
import { ProviderFailure } from './provider-failure.js';
import { fromStripeAmount, toStripeAmount } from './stripe-amounts.js';
import { classifyStripeError } from './stripe-failures.js';
import { refundPageSize, type PaymentProvider, type RefundRecord, type RefundRequest, type RefundStatus } from './payment-provider.js';

/**
 * Refunds through the official SDK. The client it is given must have
 * `maxNetworkRetries: 0`: the engine's queue counts and spaces the attempts,
 * and an SDK retrying underneath would hide them (and hold a BullMQ lock).
 */
export class StripePayments implements PaymentProvider {
  constructor(private readonly stripe: Stripe) {}

  async refund(request: RefundRequest): Promise<RefundRecord> {
    const target = paymentTarget(request.paymentReference);
    let amount: number | undefined;
    try {
      amount = request.amountMinor === undefined ? undefined : toStripeAmount(request.amountMinor, request.currency);
    } catch (error) {
      throw new ProviderFailure('stripe', 'permanent', 'amount_not_expressible', (error as Error).message);
    }
    try {
      const refund = await this.stripe.refunds.create(
        {
          ...target,
          ...(amount === undefined ? {} : { amount }),
          reason: 'fraudulent',
          metadata: request.metadata,
        },
        { idempotencyKey: request.idempotencyKey },
      );
      return toRecord(refund);
    } catch (error) {
      throw classifyStripeError(error);
    }
  }

  async findStepRefunds(paymentReference: string, stepId: string): Promise<RefundRecord[]> {
    const found: RefundRecord[] = [];
    try {
      // Stripe cannot filter refunds by metadata: list the payment's refunds (few) and match our step id.
      for await (const refund of this.stripe.refunds.list({ ...paymentTarget(paymentReference), limit: 100 })) {
        if (refund.metadata?.step_id === stepId) found.push(toRecord(refund));
      }
    } catch (error) {
      throw classifyStripeError(error);
    }
    return found.sort((a, b) => a.created - b.created);
  }

  listPaymentRefunds(paymentReference: string): AsyncIterable<RefundRecord> {
    return this.listed(this.stripe.refunds.list({ ...paymentTarget(paymentReference), limit: refundPageSize }));
  }

  listRefundsSince(createdGte: number): AsyncIterable<RefundRecord> {
    return this.listed(this.stripe.refunds.list({ created: { gte: createdGte }, limit: refundPageSize }));
  }

  /** The SDK's auto-pagination, in our record shape, with its errors in our failure vocabulary. */
  private async *listed(list: AsyncIterable<Stripe.Refund>): AsyncGenerator<RefundRecord> {
    try {
      for await (const refund of list) yield toRecord(refund);
    } catch (error) {
      throw classifyStripeError(error);
    }
  }
}

function paymentTarget(reference: string): { charge: string } | { payment_intent: string } {
  return reference.startsWith('ch_') || reference.startsWith('py_') ? { charge: reference } : { payment_intent: reference };
}

export function toRecord(refund: Stripe.Refund): RefundRecord {
  const currency = refund.currency.toUpperCase();
  return {
    id: refund.id,
    status: (refund.status ?? 'pending') as RefundStatus,
    amountMinor: fromStripeAmount(refund.amount, currency),
    currency,
    chargeId: typeof refund.charge === 'string' ? refund.charge : (refund.charge?.id ?? null),
    paymentIntentId: typeof refund.payment_intent === 'string' ? refund.payment_intent : (refund.payment_intent?.id ?? null),
    failureReason: refund.failure_reason ?? null,
    metadata: (refund.metadata ?? {}) as Record<string, string>,
    created: refund.created,
  };
}
