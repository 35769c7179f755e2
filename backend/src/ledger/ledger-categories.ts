/**
 * The loss ledger's vocabulary, in one place: its categories, the sign each
 * may carry, and the sources an entry is derived from.
 *
 * SIGN CONVENTION: `amount_minor > 0` is a cost of the incident to the
 * merchant (money paid out or value given up); `amount_minor < 0` is money or
 * value that came back. So, per currency:
 *
 *   net loss  = sum(amount_minor)
 *   cost      = sum of the positive entries
 *   recovered = −(sum of the negative entries)
 *
 * The fraudulent payments themselves are not in the ledger (they are the
 * incident's value, `GET /api/incidents/:id`); refunding one is a cost, as it
 * is cash the merchant pays back. A correction is a new entry of the opposite
 * sign (a refund that failed later: `refund_reversed`), never an edit.
 */
export const ledgerCategories = [
  /** Cost of goods that reached the customer and were not recovered. Goods stopped before shipping are not lost. */
  'goods_lost',
  /** The outbound shipping label the merchant bought for a fraudulent order. */
  'outbound_shipping',
  /** A voided label's cost credited back by the carrier (negative). */
  'label_credit',
  /** The carrier's fee for stopping a parcel in transit. */
  'intercept_fee',
  /** The return label for goods already delivered. */
  'return_shipping',
  /** Money refunded to the cardholder. */
  'refund_issued',
  /** A refund that failed after it was issued: the money came back (negative, exactly its refund_issued). */
  'refund_reversed',
  /** The payment provider's processing fee, which it keeps when the payment's money goes back (corrected if it does not). */
  'provider_fee_not_returned',
  /** Money a chargeback took (negative again when the dispute is won). */
  'dispute_amount',
  /** The provider's dispute fee. */
  'dispute_fee',
  /** Goods that came back after being lost (negative, exactly their goods_lost). */
  'goods_recovered',
] as const;
export type LedgerCategory = (typeof ledgerCategories)[number];

/** `cost` > 0, `recovery` < 0, `either`: a cost corrected by a negative entry of its own category. Mirrored by a CHECK. */
export const categorySign: Record<LedgerCategory, 'cost' | 'recovery' | 'either'> = {
  goods_lost: 'cost',
  outbound_shipping: 'cost',
  label_credit: 'recovery',
  intercept_fee: 'cost',
  return_shipping: 'cost',
  refund_issued: 'cost',
  refund_reversed: 'recovery',
  provider_fee_not_returned: 'either',
  dispute_amount: 'either',
  dispute_fee: 'either',
  goods_recovered: 'recovery',
};

/** Money that went back to the cardholder: the balance the provider fee rule looks at. */
export const moneyBackCategories: readonly LedgerCategory[] = ['refund_issued', 'refund_reversed', 'dispute_amount'];

/**
 * What an entry was derived from. With the category it is the entry's unique
 * key, so whatever is replayed (a step retried, a webhook delivered twice or
 * out of order) the same fact is written once.
 */
export const ledgerSourceTypes = ['order', 'step', 'refund', 'refund_failure', 'dispute', 'dispute_reinstatement'] as const;
export type LedgerSourceType = (typeof ledgerSourceTypes)[number];

export const signConventionText =
  'amountMinor > 0 is a cost of the incident to the merchant, < 0 money or value that came back; net loss = sum per currency';
