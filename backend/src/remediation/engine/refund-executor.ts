import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { PAYMENT_PROVIDER, refundFailed, type PaymentProvider, type RefundRecord } from '../../payments/payment-provider.js';
import { ProviderFailure } from '../../payments/provider-failure.js';
import { recordRefunds, type RefundChange } from './payment-records.js';
import type { Pace, StepExecutor } from './chunk-runner.js';
import type { ClaimedStep, FinalResult, Finished } from './step-store.js';

/** Stripe's refusals that mean "nothing for us to do", not "we failed". */
const skippedCodes: Record<string, string> = {
  charge_already_refunded: 'already_refunded',
  charge_disputed: 'disputed',
};

/** A refund step's result, and the refund as the provider described it (recorded with the result). */
export interface RefundExecution {
  result: FinalResult;
  refund?: RefundRecord;
}

/**
 * A refund step. Before acting on a step that was tried before (a crash, a
 * timeout, a reset connection, a retry), it looks for the refund that attempt
 * may have made — the payment's refunds, matched on our `step_id` metadata —
 * and records that one instead of asking again. Otherwise it refunds with the
 * step's own idempotency key (a replay if an earlier request did land).
 */
@Injectable()
export class RefundExecutor implements StepExecutor<RefundExecution> {
  constructor(@Inject(PAYMENT_PROVIDER) private readonly payments: PaymentProvider) {}

  async execute(step: ClaimedStep, pace: Pace): Promise<RefundExecution> {
    if (!step.paymentReference) {
      return { result: { status: 'skipped', errorCode: 'no_payment', errorMessage: 'The order has no payment to refund' } };
    }
    let failedBefore = 0;
    if (step.earlierAttempts > 0) {
      await pace();
      const found = await this.payments.findStepRefunds(step.paymentReference, step.id);
      const live = found.find((refund) => !refundFailed(refund.status));
      if (live) return succeeded(live, 'found');
      failedBefore = found.length;
    }
    const currency = step.currency ?? step.orderCurrency;
    try {
      await pace();
      const refund = await this.payments.refund({
        paymentReference: step.paymentReference,
        amountMinor: step.amountMinor ?? undefined,
        currency,
        // A refund that failed at the bank used this step's key; a new refund for the step needs a new one
        // (still derived, so a crash during it replays it). The count comes from the provider's own records.
        idempotencyKey: failedBefore === 0 ? step.idempotencyKey : `${step.idempotencyKey}_${failedBefore + 1}`,
        metadata: { order_id: step.orderId, incident_id: step.incidentId, run_id: step.runId, step_id: step.id },
      });
      return succeeded(refund, 'created');
    } catch (error) {
      if (error instanceof ProviderFailure && error.kind === 'permanent' && skippedCodes[error.code]) {
        return { result: { status: 'skipped', errorCode: skippedCodes[error.code], errorMessage: `stripe: ${error.message}` } };
      }
      throw error;
    }
  }

  /**
   * In the transaction that records the chunk: each refund merged into what
   * webhooks may already have said (a refund can fail after it was created);
   * a refund found failed makes its step failed, `refund_failed`.
   */
  async recordFacts(manager: EntityManager, finished: Finished<RefundExecution>[]): Promise<FinalResult[]> {
    const changes = await recordRefunds(
      manager,
      finished.flatMap(({ execution }) => (execution.refund ? [execution.refund] : [])),
    );
    return finished.map(({ execution }) =>
      execution.refund ? asRecorded(execution.result, execution.refund, changes.get(execution.refund.id)!) : execution.result,
    );
  }
}

function succeeded(refund: RefundRecord, how: 'created' | 'found'): RefundExecution {
  const outcome = { refundId: refund.id, amountMinor: refund.amountMinor, currency: refund.currency, how };
  return { result: { status: 'succeeded', providerRef: refund.id, providerStatus: refund.status, outcome }, refund };
}

/** The step's result with the refund's state as now recorded. */
function asRecorded(result: FinalResult, refund: RefundRecord, change: RefundChange): FinalResult {
  const outcome = { ...result.outcome, status: change.after };
  if (refundFailed(change.after)) {
    return {
      status: 'failed',
      providerRef: refund.id,
      providerStatus: change.after,
      outcome,
      errorCode: 'refund_failed',
      errorMessage: `The refund ${refund.id} ${change.after === 'canceled' ? 'was cancelled' : 'failed'} at the bank${change.failureReason ? `: ${change.failureReason}` : ''}`,
    };
  }
  return { ...result, providerStatus: change.after, outcome };
}
