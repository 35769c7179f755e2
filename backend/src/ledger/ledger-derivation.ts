import type { FulfilmentState } from '../orders/fulfilment-state.js';
import { refundFailed, type RefundStatus } from '../payments/payment-provider.js';
import { describeProcessingFee, processingFee, type ProcessingFeeModel } from './fee-model.js';
import type { LedgerCategory, LedgerSourceType } from './ledger-categories.js';

/**
 * THE rules that turn facts into ledger entries — pure functions, so every
 * rule is in one place and unit-tested; LedgerWriter only reads the facts and
 * inserts what these return. Amounts follow the sign convention of
 * ledger-categories.ts (cost > 0, recovery < 0). Every entry carries a source
 * whose (type, id, category) is unique in the table: deriving the same fact
 * twice yields the same key, and the second insert writes nothing.
 */

/** What the ledger reads of an order (the orders table). */
export interface OrderFacts {
  id: string;
  currency: string;
  totalMinor: number;
  costOfGoodsMinor: number;
  /** The outbound label the merchant paid (`shipping_label_cost_minor`). */
  labelCostMinor: number;
  fulfilmentState: FulfilmentState;
}

/** Where an event came from: the incident it is booked to, and drill-down references. */
export interface EntryContext {
  incidentId: string;
  runId?: string | null;
  stepId?: string | null;
  /** The provider webhook event that brought the fact. */
  eventId?: string | null;
  /** When it happened; the transaction's clock when not given. */
  occurredAt?: Date | null;
}

export interface EntryDraft {
  incidentId: string;
  orderId: string;
  currency: string;
  category: LedgerCategory;
  amountMinor: number;
  sourceType: LedgerSourceType;
  sourceId: string;
  runId: string | null;
  stepId: string | null;
  providerRef: string | null;
  eventId: string | null;
  occurredAt: Date | null;
  detail: Record<string, unknown>;
}

export type ShipmentOperation = 'cancel' | 'void_label' | 'intercept' | 'request_return';

/** A shipment action's money as the fulfilment provider states it (docs/fulfilment-api.md), i.e. a stop step's outcome. */
export interface ShipmentMoney {
  currency: string;
  actionId?: string | null;
  labelCreditMinor?: number | null;
  interceptFeeMinor?: number | null;
  returnShippingCostMinor?: number | null;
}

export interface RefundFacts {
  id: string;
  amountMinor: number;
  currency: string;
  status: RefundStatus;
}

export interface DisputeFacts {
  id: string;
  /** Stripe's dispute status. */
  status: string;
  amountMinor: number;
  currency: string;
  /** The provider's dispute fee when the dispute states it (its balance transactions), else the configured model. */
  feeMinor?: number | null;
}

/** The order's goods had left the warehouse with a label the merchant paid for. */
const labelBoughtStates: readonly FulfilmentState[] = ['label_created', 'in_transit', 'delivered', 'intercepted', 'returned'];

/** Stripe's dispute states in which the chargeback has taken the money (inquiries, `warning_*`, take nothing). */
const fundsWithdrawnStatuses = new Set(['needs_response', 'under_review', 'won', 'lost']);

function draft(
  order: OrderFacts,
  context: EntryContext,
  fields: Pick<EntryDraft, 'currency' | 'category' | 'amountMinor' | 'sourceType' | 'sourceId'> &
    Partial<Pick<EntryDraft, 'providerRef' | 'detail'>>,
): EntryDraft {
  return {
    incidentId: context.incidentId,
    orderId: order.id,
    runId: context.runId ?? null,
    stepId: context.stepId ?? null,
    eventId: context.eventId ?? null,
    occurredAt: context.occurredAt ?? null,
    providerRef: null,
    detail: {},
    ...fields,
  };
}

/** Entries with a zero amount say nothing (and the table refuses them). */
const nonZero = (entries: (EntryDraft | null)[]): EntryDraft[] => entries.filter((e): e is EntryDraft => e !== null && e.amountMinor !== 0);

/**
 * The order's standing costs, once per order (source `order`), booked with
 * the first event of the order that reaches the ledger, whichever it is: the
 * outbound label if one was bought, and the goods if they reached the
 * customer (delivered, or found delivered by a stop step that then requested
 * a return). Goods cancelled, voided or intercepted before the door are not
 * lost; goods already returned are not lost either.
 */
export function standingEntries(order: OrderFacts, context: EntryContext, operation?: ShipmentOperation | null): EntryDraft[] {
  // A stop operation that succeeded says where the goods were better than the order's state (which it changes).
  const labelBought = operation ? operation !== 'cancel' : labelBoughtStates.includes(order.fulfilmentState);
  const goodsAtCustomer = operation ? operation === 'request_return' : order.fulfilmentState === 'delivered';
  return nonZero([
    labelBought
      ? draft(order, context, {
          currency: order.currency,
          category: 'outbound_shipping',
          amountMinor: order.labelCostMinor,
          sourceType: 'order',
          sourceId: order.id,
        })
      : null,
    goodsAtCustomer
      ? draft(order, context, {
          currency: order.currency,
          category: 'goods_lost',
          amountMinor: order.costOfGoodsMinor,
          sourceType: 'order',
          sourceId: order.id,
          detail: { fulfilmentState: order.fulfilmentState, ...(operation ? { operation } : {}) },
        })
      : null,
  ]);
}

/**
 * A stop-shipment step that succeeded, by the operation it actually took:
 * cancel costs nothing (no label, goods never left); a voided label is
 * credited back; an intercept costs the carrier's fee; a return costs the
 * return label — each in the provider's own amount, keyed by the step.
 */
export function shipmentEntries(
  order: OrderFacts,
  context: EntryContext & { stepId: string },
  operation: ShipmentOperation,
  money: ShipmentMoney | null,
): EntryDraft[] {
  const byStep = (category: LedgerCategory, amountMinor: number) =>
    draft(order, context, {
      currency: money!.currency,
      category,
      amountMinor,
      sourceType: 'step',
      sourceId: context.stepId,
      providerRef: money!.actionId ?? null,
      detail: { operation },
    });
  const own: (EntryDraft | null)[] = [];
  if (money && operation === 'void_label' && money.labelCreditMinor) own.push(byStep('label_credit', -money.labelCreditMinor));
  if (money && operation === 'intercept' && money.interceptFeeMinor) own.push(byStep('intercept_fee', money.interceptFeeMinor));
  if (money && operation === 'request_return' && money.returnShippingCostMinor) {
    own.push(byStep('return_shipping', money.returnShippingCostMinor));
  }
  return [...standingEntries(order, context, operation), ...nonZero(own)];
}

/**
 * A refund as the provider last described it. Not failed: the money went
 * back (`refund_issued`, keyed by the refund). Failed or canceled: it went
 * out and came back — `refund_issued` (a no-op if already booked) and
 * `refund_reversed` of exactly its amount, keyed by the refund's failure.
 */
export function refundEntries(order: OrderFacts, context: EntryContext, refund: RefundFacts): EntryDraft[] {
  const entry = (category: LedgerCategory, amountMinor: number, sourceType: LedgerSourceType) =>
    draft(order, context, { currency: refund.currency, category, amountMinor, sourceType, sourceId: refund.id, providerRef: refund.id });
  const own = [entry('refund_issued', refund.amountMinor, 'refund')];
  if (refundFailed(refund.status)) own.push(entry('refund_reversed', -refund.amountMinor, 'refund_failure'));
  return [...standingEntries(order, context), ...nonZero(own)];
}

/**
 * A chargeback as the provider last described it. Once it has taken the
 * money: `dispute_amount` and `dispute_fee` (keyed by the dispute); won: the
 * amount comes back as a negative `dispute_amount` keyed by the
 * reinstatement (the fee stays with the provider, as Stripe keeps it).
 * Inquiries (`warning_*`) move no money and book nothing.
 */
export function disputeEntries(
  order: OrderFacts,
  context: EntryContext,
  dispute: DisputeFacts,
  fallbackFeeMinor: number | null,
): EntryDraft[] {
  if (!fundsWithdrawnStatuses.has(dispute.status)) return standingEntries(order, context);
  const entry = (category: LedgerCategory, amountMinor: number, sourceType: LedgerSourceType, detail: Record<string, unknown> = {}) =>
    draft(order, context, {
      currency: dispute.currency,
      category,
      amountMinor,
      sourceType,
      sourceId: dispute.id,
      providerRef: dispute.id,
      detail,
    });
  const fee = dispute.feeMinor ?? fallbackFeeMinor;
  const own = [
    entry('dispute_amount', dispute.amountMinor, 'dispute'),
    fee ? entry('dispute_fee', fee, 'dispute', { feeFrom: dispute.feeMinor != null ? 'provider' : 'DISPUTE_FEES' }) : null,
  ];
  if (dispute.status === 'won') own.push(entry('dispute_amount', -dispute.amountMinor, 'dispute_reinstatement'));
  return [...standingEntries(order, context), ...nonZero(own)];
}

/** What the ledger already holds for an order, in the order's currency. */
export interface OrderBalances {
  /** refund_issued + refund_reversed + dispute_amount: money currently back with the cardholder. */
  moneyBackMinor: number;
  /** provider_fee_not_returned booked so far. */
  providerFeeMinor: number;
  /** goods_lost + goods_recovered booked so far. */
  goodsLostMinor: number;
}

/** Which balance each category moves (the categories in `balancesOf`'s sums). */
const balanceOf: Partial<Record<LedgerCategory, keyof OrderBalances>> = {
  refund_issued: 'moneyBackMinor',
  refund_reversed: 'moneyBackMinor',
  dispute_amount: 'moneyBackMinor',
  provider_fee_not_returned: 'providerFeeMinor',
  goods_lost: 'goodsLostMinor',
  goods_recovered: 'goodsLostMinor',
};

/**
 * The balances once `written` is in the ledger too: read once before the
 * insert and moved by what the insert returned, instead of summed again.
 */
export function withEntries(
  balances: OrderBalances,
  currency: string,
  written: readonly { category: LedgerCategory; currency: string; amountMinor: number | string }[],
): OrderBalances {
  const next = { ...balances };
  for (const entry of written) {
    const key = balanceOf[entry.category];
    if (key && entry.currency === currency) next[key] += Number(entry.amountMinor);
  }
  return next;
}

/**
 * The provider's processing fee is lost while any of the payment's money is
 * back with the cardholder (Stripe keeps its fee on refunds and disputes):
 * booked once when money first goes back, reversed if all of it returns (the
 * refund failed, the dispute was won), booked again if money goes back again.
 * Keyed by the event that tipped the balance. Null: nothing to book.
 */
export function providerFeeEntry(
  order: OrderFacts,
  context: EntryContext,
  source: { type: LedgerSourceType; id: string },
  balances: OrderBalances,
  model: ProcessingFeeModel,
): EntryDraft | null {
  let amountMinor = 0;
  let detail: Record<string, unknown> = {};
  if (balances.moneyBackMinor > 0 && balances.providerFeeMinor === 0) {
    const fee = processingFee(model, order.totalMinor, order.currency);
    if (!fee) return null;
    amountMinor = fee;
    detail = { model: describeProcessingFee(model, order.currency), orderTotalMinor: order.totalMinor };
  } else if (balances.moneyBackMinor <= 0 && balances.providerFeeMinor !== 0) {
    amountMinor = -balances.providerFeeMinor;
    detail = { reason: 'the payment’s money is no longer back with the cardholder' };
  }
  if (amountMinor === 0) return null;
  return draft(order, context, {
    currency: order.currency,
    category: 'provider_fee_not_returned',
    amountMinor,
    sourceType: source.type,
    sourceId: source.id,
    detail,
  });
}

/** Goods lost and then returned to the merchant: exactly what was booked lost comes back (once per order). */
export function goodsRecoveredEntry(order: OrderFacts, context: EntryContext, balances: OrderBalances): EntryDraft | null {
  if (balances.goodsLostMinor <= 0) return null;
  return draft(order, context, {
    currency: order.currency,
    category: 'goods_recovered',
    amountMinor: -balances.goodsLostMinor,
    sourceType: 'order',
    sourceId: order.id,
  });
}
