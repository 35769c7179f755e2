import { ControlError } from '../control/control-error.js';
import { newId } from '../ids.js';
import { exponentOf } from '../money.js';
import type { BalanceTransaction, Charge, Dispute, DisputeReason } from '../state/objects.js';
import type { Change, Store } from '../state/store.js';

export const disputeReasons: readonly DisputeReason[] = [
  'bank_cannot_process',
  'credit_not_processed',
  'customer_initiated',
  'debit_not_authorized',
  'duplicate',
  'fraudulent',
  'general',
  'incorrect_account_details',
  'insufficient_funds',
  'product_not_received',
  'product_unacceptable',
  'subscription_canceled',
  'unrecognized',
];

/**
 * Stripe's dispute fee differs by country and is charged in the settlement
 * currency. The stand-in charges a flat 15 units of the charge's own currency,
 * so a ledger never has to mix currencies to book it.
 */
export function disputeFee(currency: string): number {
  return 15 * 10 ** exponentOf(currency);
}

/**
 * The cardholder's bank opens a chargeback: the disputed amount and the
 * dispute fee leave the merchant's balance at once (one balance transaction),
 * the charge is marked `disputed`, and Stripe sends charge.dispute.created and
 * charge.dispute.funds_withdrawn. One open dispute per charge, as on Stripe.
 */
export function openDispute(
  store: Store,
  change: Change,
  chargeId: string,
  options: { reason: DisputeReason; amount?: number },
  now: number,
): Dispute {
  const charge = findCharge(store, chargeId);
  if (charge.status !== 'succeeded')
    throw new ControlError(409, `Charge ${chargeId} is ${charge.status}; only a paid charge can be disputed`);
  if (latestDispute(store, chargeId)) throw new ControlError(409, `Charge ${chargeId} has already been disputed`);
  const amount = options.amount ?? charge.amount;
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > charge.amount) {
    throw new ControlError(400, `amount must be a whole number from 1 to the charge's ${charge.amount}`);
  }
  const id = newId('du');
  const fee = disputeFee(charge.currency);
  const dispute = change.put('dispute', {
    id,
    object: 'dispute',
    amount,
    balance_transactions: [balanceTransaction(id, charge, -amount, fee, 'dispute', `Chargeback withdrawal for ${charge.id}`, now)],
    charge: charge.id,
    created: now,
    currency: charge.currency,
    enhanced_eligibility_types: [],
    evidence: emptyEvidence(),
    evidence_details: {
      due_by: now + 7 * 24 * 60 * 60,
      enhanced_eligibility: {},
      has_evidence: false,
      past_due: false,
      submission_count: 0,
      submission_method: null,
    },
    intended_submission_method: null,
    is_charge_refundable: false,
    livemode: false,
    metadata: {},
    payment_intent: charge.payment_intent,
    payment_method_details: {
      card: { brand: charge.payment_method_details.card.brand, case_type: 'chargeback', network_reason_code: '10.4' },
      type: 'card',
    },
    reason: options.reason,
    status: 'needs_response',
  });
  change.put('charge', { ...charge, disputed: true });
  change.emit('charge.dispute.created', dispute);
  change.emit('charge.dispute.funds_withdrawn', dispute);
  return dispute;
}

/**
 * The network decides: `won` gives the disputed amount back (the fee stays
 * with Stripe) with charge.dispute.funds_reinstated; `lost` keeps it gone.
 * Either way the dispute closes with charge.dispute.closed; the charge stays `disputed`.
 */
export function closeDispute(store: Store, change: Change, chargeId: string, outcome: 'won' | 'lost', now: number): Dispute {
  const charge = findCharge(store, chargeId);
  const dispute = latestDispute(store, chargeId);
  if (!dispute) throw new ControlError(404, `Charge ${chargeId} has no dispute`);
  if (dispute.status === 'won' || dispute.status === 'lost')
    throw new ControlError(409, `Dispute ${dispute.id} is already closed (${dispute.status})`);
  const reinstated =
    outcome === 'won'
      ? [balanceTransaction(dispute.id, charge, dispute.amount, 0, 'dispute_reversal', `Chargeback reversal for ${charge.id}`, now)]
      : [];
  const closed = change.put('dispute', {
    ...dispute,
    balance_transactions: [...dispute.balance_transactions, ...reinstated],
    is_charge_refundable: false,
    status: outcome,
  });
  if (outcome === 'won') change.emit('charge.dispute.funds_reinstated', closed);
  change.emit('charge.dispute.closed', closed);
  return closed;
}

/** The charge's most recent dispute, if any (a refund checks it too). */
export function latestDispute(store: Store, chargeId: string): Dispute | undefined {
  const ids = store.ids('dispute', { charge: chargeId });
  return ids.length ? store.get('dispute', ids.at(-1)!) : undefined;
}

function findCharge(store: Store, chargeId: string): Charge {
  const charge = store.get('charge', chargeId);
  if (!charge) throw new ControlError(404, `No such charge: '${chargeId}'`);
  return charge;
}

function balanceTransaction(
  source: string,
  charge: Charge,
  amount: number,
  fee: number,
  category: BalanceTransaction['reporting_category'],
  description: string,
  now: number,
): BalanceTransaction {
  return {
    id: newId('txn'),
    object: 'balance_transaction',
    amount,
    available_on: now,
    balance_type: 'payments',
    created: now,
    currency: charge.currency,
    description,
    exchange_rate: null,
    fee,
    fee_details: fee ? [{ amount: fee, application: null, currency: charge.currency, description: 'Dispute fee', type: 'stripe_fee' }] : [],
    net: amount - fee,
    reporting_category: category,
    source,
    status: 'available',
    type: 'adjustment',
  };
}

function emptyEvidence(): Dispute['evidence'] {
  const fields = [
    'access_activity_log',
    'billing_address',
    'cancellation_policy',
    'cancellation_policy_disclosure',
    'cancellation_rebuttal',
    'customer_communication',
    'customer_email_address',
    'customer_name',
    'customer_purchase_ip',
    'customer_signature',
    'duplicate_charge_documentation',
    'duplicate_charge_explanation',
    'duplicate_charge_id',
    'product_description',
    'receipt',
    'refund_policy',
    'refund_policy_disclosure',
    'refund_refusal_explanation',
    'service_date',
    'service_documentation',
    'shipping_address',
    'shipping_carrier',
    'shipping_date',
    'shipping_documentation',
    'shipping_tracking_number',
    'uncategorized_file',
    'uncategorized_text',
  ];
  return { ...Object.fromEntries(fields.map((field) => [field, null])), enhanced_evidence: {} };
}
