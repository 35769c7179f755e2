/**
 * The loss ledger as the API reports it (backend/src/ledger/ledger-categories.ts,
 * ledger-query.service.ts). Amounts are integer minor units of their currency;
 * `> 0` is a cost of the incident, `< 0` money or value that came back. Nothing
 * is ever added up across currencies: every figure here comes from the server.
 */
export const LEDGER_CATEGORIES = [
  'goods_lost',
  'outbound_shipping',
  'label_credit',
  'intercept_fee',
  'return_shipping',
  'refund_issued',
  'refund_reversed',
  'provider_fee_not_returned',
  'dispute_amount',
  'dispute_fee',
  'goods_recovered',
] as const;
export type LedgerCategory = (typeof LEDGER_CATEGORIES)[number];

export const LEDGER_SOURCE_TYPES = ['order', 'step', 'refund', 'refund_failure', 'dispute', 'dispute_reinstatement'] as const;
export type LedgerSourceType = (typeof LEDGER_SOURCE_TYPES)[number];

export type Bucket = 'day' | 'hour';

/** One currency's totals: cost, recovered, net loss, and every category (zero when none). */
export interface CurrencyTally {
  currency: string;
  costMinor: number;
  recoveredMinor: number;
  netLossMinor: number;
  entries: number;
  categories: { category: LedgerCategory; amountMinor: number; entries: number }[];
}

/** One currency in one time bucket (only buckets with entries). */
export interface RecoveryPoint {
  currency: string;
  at: string;
  costMinor: number;
  recoveredMinor: number;
  refundedMinor: number;
  netLossMinor: number;
  cumulativeNetLossMinor: number;
}

/** `GET /api/incidents/:id/ledger/tally`. */
export interface LedgerTally {
  incidentId: string;
  reference: string;
  currencies: CurrencyTally[];
  recovery: { bucket: Bucket; points: RecoveryPoint[] };
}

/** A row of `GET /api/incidents/:id/ledger`. */
export interface LedgerEntry {
  id: string;
  occurredAt: string;
  recordedAt: string;
  orderId: string;
  orderExternalId: string;
  category: LedgerCategory;
  currency: string;
  amountMinor: number;
  sourceType: LedgerSourceType;
  sourceId: string;
  providerRef: string | null;
  runId: string | null;
  stepId: string | null;
  eventId: string | null;
  detail: Record<string, unknown> | null;
}

export type ReconciliationStatus = 'queued' | 'running' | 'completed' | 'failed';
export type DiscrepancyKind = 'missing' | 'extra' | 'amount_mismatch';
export const DISCREPANCY_KINDS: readonly DiscrepancyKind[] = ['missing', 'extra', 'amount_mismatch'];

export interface Discrepancy {
  kind: DiscrepancyKind;
  refundId: string;
  orderId: string | null;
  currency: string;
  ledgerMinor: number;
  ledgerCurrency: string | null;
  providerMinor: number;
  providerCurrency: string | null;
  providerStatus: string | null;
  message: string;
}

export interface ReconciliationSummary {
  strategy: string;
  payments: number;
  providerRefunds: number;
  ledgerRefunds: number;
  matched: number;
  missing: number;
  extra: number;
  amount_mismatch: number;
  /** Money back per currency on each side (never mixed). */
  totals: { currency: string; ledgerMinor: number; providerMinor: number }[];
  message: string;
}

/** `GET /api/incidents/:id/reconciliations[/:rid]` (the list has no `discrepancies`). */
export interface Reconciliation {
  id: string;
  number: number;
  incidentId: string;
  status: ReconciliationStatus;
  strategy: string;
  reason: string | null;
  requestedByEmail: string | null;
  requestedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
  attempts: number;
  clean: boolean | null;
  summary: ReconciliationSummary | null;
  errorMessage: string | null;
  discrepancies?: Discrepancy[];
}

export const isOpenReconciliation = (r: Pick<Reconciliation, 'status'>) => r.status === 'queued' || r.status === 'running';

/** `GET /api/finance/report`: per currency × category, and per incident and currency. */
export interface FinanceReport {
  from: string;
  to: string;
  currencies: CurrencyTally[];
  incidents: {
    incidentId: string;
    reference: string;
    title: string;
    status: string;
    currency: string;
    costMinor: number;
    recoveredMinor: number;
    netLossMinor: number;
    entries: number;
  }[];
}

/** `l('fields.category')` → `resources.ledger.fields.category`. */
export const l = (key: string) => `resources.ledger.${key}`;
