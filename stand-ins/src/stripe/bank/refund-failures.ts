import { ControlError } from '../control/control-error.js';
import { newId } from '../ids.js';
import type { Refund, RefundFailureReason } from '../state/objects.js';
import type { Change, Store } from '../state/store.js';

export const refundFailureReasons: readonly RefundFailureReason[] = [
  'charge_for_pending_refund_disputed',
  'declined',
  'expired_or_canceled_card',
  'insufficient_funds',
  'lost_or_stolen_card',
  'merchant_request',
  'unknown',
];

/**
 * A refund that the card network sends back days later (the card was closed,
 * the account gone): the refund becomes `failed` with a `failure_reason`, the
 * money returns to the merchant's balance — so the charge no longer counts it
 * in `amount_refunded` and could be refunded again — and Stripe tells of it
 * with refund.updated, charge.refund.updated and refund.failed.
 */
export function failRefund(store: Store, change: Change, refundId: string, reason: RefundFailureReason): Refund {
  const refund = store.get('refund', refundId);
  if (!refund) throw new ControlError(404, `No such refund: '${refundId}'`);
  if (refund.status !== 'succeeded' && refund.status !== 'pending') {
    throw new ControlError(409, `Refund ${refundId} is ${refund.status}; only a succeeded or pending refund can fail`);
  }
  const failed = change.put('refund', {
    ...refund,
    status: 'failed',
    failure_reason: reason,
    failure_balance_transaction: newId('txn'),
  });
  const charge = store.get('charge', refund.charge)!;
  const amountRefunded = charge.amount_refunded - refund.amount;
  change.put('charge', { ...charge, amount_refunded: amountRefunded, refunded: amountRefunded === charge.amount });
  const previous = { status: refund.status, failure_reason: null, failure_balance_transaction: null };
  change.emit('refund.updated', failed, previous);
  change.emit('charge.refund.updated', failed, previous);
  change.emit('refund.failed', failed);
  return failed;
}
