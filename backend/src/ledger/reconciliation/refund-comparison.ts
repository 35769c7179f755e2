import { refundFailed, type RefundRecord } from '../../payments/payment-provider.js';

/**
 * THE reconciliation rule: the provider's refunds against the ledger's, refund
 * by refund, on the money each says went back to the cardholder — the
 * provider's amount for a refund that has not failed (pending counts: the
 * money is on its way), nothing for a failed or canceled one; the ledger's
 * sum of refund_issued and refund_reversed for that refund.
 *
 * - `missing`: the ledger counts money back that the provider has no refund for;
 * - `extra`: the provider returned money the ledger does not know about (a refund
 *   made outside the tool, or an event the ledger never recorded);
 * - `amount_mismatch`: both know the refund but disagree on the amount or currency
 *   (also a refund that failed at the provider but still counts in the ledger).
 */
export type DiscrepancyKind = 'missing' | 'extra' | 'amount_mismatch';

/** The ledger's net for one refund (refund_issued + refund_reversed of this incident). */
export interface LedgerRefund {
  refundId: string;
  orderId: string;
  currency: string;
  ledgerMinor: number;
}

export interface Discrepancy {
  kind: DiscrepancyKind;
  refundId: string;
  orderId: string | null;
  /** The ledger's currency when it knows the refund, else the provider's. */
  currency: string;
  ledgerMinor: number;
  ledgerCurrency: string | null;
  providerMinor: number;
  providerCurrency: string | null;
  providerStatus: string | null;
  message: string;
}

export interface Comparison {
  clean: boolean;
  /** Refunds present on both sides with the same money. */
  matched: number;
  counts: Record<DiscrepancyKind, number>;
  discrepancies: Discrepancy[];
}

/** What the provider says went back for one refund. */
export const providerAmount = (refund: Pick<RefundRecord, 'status' | 'amountMinor'>) =>
  refundFailed(refund.status) ? 0 : refund.amountMinor;

/**
 * @param provider the provider's refunds of the incident's payments (each once)
 * @param orderOf  the incident's order a provider refund belongs to (by payment or metadata), null if none
 * @param bookedElsewhere refund ids the ledger books to another incident: not extra here
 */
export function compareRefunds(
  ledger: readonly LedgerRefund[],
  provider: readonly RefundRecord[],
  orderOf: (refund: RefundRecord) => string | null,
  bookedElsewhere: ReadonlySet<string> = new Set(),
): Comparison {
  const discrepancies: Discrepancy[] = [];
  const byId = new Map(provider.map((refund) => [refund.id, refund]));
  let matched = 0;
  for (const entry of ledger) {
    const refund = byId.get(entry.refundId);
    if (!refund) {
      if (entry.ledgerMinor === 0) continue; // issued and reversed in the ledger, and gone at the provider: nothing went back on either side.
      discrepancies.push({
        kind: 'missing',
        refundId: entry.refundId,
        orderId: entry.orderId,
        currency: entry.currency,
        ledgerMinor: entry.ledgerMinor,
        ledgerCurrency: entry.currency,
        providerMinor: 0,
        providerCurrency: null,
        providerStatus: null,
        message: `The ledger counts ${entry.ledgerMinor} ${entry.currency} refunded by ${entry.refundId}, which the provider does not have`,
      });
      continue;
    }
    const amount = providerAmount(refund);
    if (amount === entry.ledgerMinor && (amount === 0 || refund.currency === entry.currency)) {
      matched += 1;
      continue;
    }
    discrepancies.push({
      kind: 'amount_mismatch',
      refundId: entry.refundId,
      orderId: entry.orderId,
      currency: entry.currency,
      ledgerMinor: entry.ledgerMinor,
      ledgerCurrency: entry.currency,
      providerMinor: amount,
      providerCurrency: refund.currency,
      providerStatus: refund.status,
      message: `${entry.refundId}: the ledger counts ${entry.ledgerMinor} ${entry.currency}, the provider ${amount} ${refund.currency} (${refund.status})`,
    });
  }
  const inLedger = new Set(ledger.map((entry) => entry.refundId));
  for (const refund of provider) {
    if (inLedger.has(refund.id) || bookedElsewhere.has(refund.id)) continue;
    const amount = providerAmount(refund);
    if (amount === 0) continue; // failed before anyone counted it: no money moved.
    discrepancies.push({
      kind: 'extra',
      refundId: refund.id,
      orderId: orderOf(refund),
      currency: refund.currency,
      ledgerMinor: 0,
      ledgerCurrency: null,
      providerMinor: amount,
      providerCurrency: refund.currency,
      providerStatus: refund.status,
      message: `The provider refunded ${amount} ${refund.currency} (${refund.id}, ${refund.status}) that the ledger does not count`,
    });
  }
  const counts = { missing: 0, extra: 0, amount_mismatch: 0 };
  for (const d of discrepancies) counts[d.kind] += 1;
  return { clean: discrepancies.length === 0, matched, counts, discrepancies };
}
