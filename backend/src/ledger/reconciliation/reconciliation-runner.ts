import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../config/app-config.js';
import { defaultJobOptions, type JobOutcome } from '../../jobs/job-catalogue.js';
import { totalsByCurrency } from '../../money/money.js';
import { LOGGER } from '../../observability/observability.module.js';
import { PAYMENT_PROVIDER, refundPageSize, type PaymentProvider, type RefundRecord } from '../../payments/payment-provider.js';
import { ProviderFailure } from '../../payments/provider-failure.js';
import type { ReconciliationStrategy } from '../ledger.schemas.js';
import { Pacer } from './pacer.js';
import { compareRefunds, providerAmount, type Comparison, type LedgerRefund } from './refund-comparison.js';

/** Up to this many payments, `auto` lists refunds per payment; beyond, every refund since the incident's first order. */
export const perPaymentLimit = 200;
/** Differences kept in the report (the counts are always exact). */
const maxStoredDiscrepancies = 5000;
/** Refunds can be made a little before the order's placed_at we stored (clock skew, late ingestion). */
const byDateMarginSeconds = 24 * 60 * 60;

interface Scope {
  /** payment reference (pi_… or ch_…) → order id */
  orderByPayment: Map<string, string>;
  earliestPlacedAt: Date | null;
}

/**
 * The reconciliation job: lists the provider's refunds of an incident's
 * payments with the SDK's auto-pagination (per payment, or every refund since
 * the incident's first order, matched by payment or by our
 * `metadata.incident_id`), paced to RECONCILIATION_RATE_LIMIT_PER_SECOND, and
 * compares them with the ledger (refund-comparison.ts). Only reads: retried
 * on a provider or database hiccup; the report says what was found.
 */
@Injectable()
export class ReconciliationRunner {
  private readonly logger: Logger;

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
    @Inject(PAYMENT_PROVIDER) private readonly payments: PaymentProvider,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'reconciliation' });
  }

  async run(id: string, attempt: number): Promise<JobOutcome> {
    const [claimed] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE ledger_reconciliation SET status = 'running', attempts = attempts + 1, started_at = COALESCE(started_at, now()), updated_at = now()
          WHERE id = $1 AND status IN ('queued', 'running') RETURNING incident_id, strategy)
       SELECT incident_id AS "incidentId", strategy FROM claimed`,
      [id],
    );
    if (!claimed) return { status: 'skipped', reason: 'reconciliation not found or already finished' };
    const { incidentId, strategy } = claimed as { incidentId: string; strategy: ReconciliationStrategy };
    try {
      const scope = await this.scopeOf(incidentId);
      const used = strategy === 'auto' ? (scope.orderByPayment.size <= perPaymentLimit ? 'per_payment' : 'by_date') : strategy;
      const provider = await this.providerRefunds(incidentId, scope, used);
      const ledger = await this.ledgerRefunds(incidentId);
      const inLedger = new Set(ledger.map((entry) => entry.refundId));
      const elsewhere = await this.bookedElsewhere(
        incidentId,
        provider.filter((refund) => !inLedger.has(refund.id)).map((refund) => refund.id),
      );
      const orderOf = (refund: RefundRecord) =>
        scope.orderByPayment.get(refund.paymentIntentId ?? '') ??
        scope.orderByPayment.get(refund.chargeId ?? '') ??
        refund.metadata.order_id ??
        null;
      const comparison = compareRefunds(ledger, provider, orderOf, elsewhere);
      const summary = {
        strategy: used,
        payments: scope.orderByPayment.size,
        providerRefunds: provider.length,
        ledgerRefunds: ledger.length,
        matched: comparison.matched,
        ...comparison.counts,
        totals: await this.totals(incidentId, provider),
        message: describe(comparison, provider.length),
      };
      await this.dataSource.query(
        `UPDATE ledger_reconciliation SET status = 'completed', clean = $2, summary = $3, discrepancies = $4, error_message = NULL,
                finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'running'`,
        [id, comparison.clean, JSON.stringify(summary), JSON.stringify(comparison.discrepancies.slice(0, maxStoredDiscrepancies))],
      );
      this.logger.info({ reconciliationId: id, incidentId, clean: comparison.clean, ...comparison.counts }, 'reconciliation finished');
      return { status: 'success', detail: { reconciliationId: id, clean: comparison.clean, ...comparison.counts } };
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const permanent = error instanceof ProviderFailure && error.kind === 'permanent';
      if (!permanent && attempt < (defaultJobOptions.ledger.attempts ?? 1)) {
        await this.dataSource.query(`UPDATE ledger_reconciliation SET error_message = $2, updated_at = now() WHERE id = $1`, [id, message]);
        throw error;
      }
      await this.dataSource.query(
        `UPDATE ledger_reconciliation SET status = 'failed', error_message = $2, finished_at = now(), updated_at = now()
          WHERE id = $1 AND status = 'running'`,
        [id, `${permanent ? '' : `Gave up after ${attempt} attempts: `}${message}`.slice(0, 2000)],
      );
      if (permanent) return { status: 'skipped', reason: message };
      throw error;
    }
  }

  /** The payments to look at: orders suspected or confirmed in the incident, and any the ledger books to it. */
  private async scopeOf(incidentId: string): Promise<Scope> {
    const rows: { id: string; paymentReference: string; placedAt: Date }[] = await this.dataSource.query(
      `SELECT o.id, o.payment_reference AS "paymentReference", o.placed_at AS "placedAt" FROM orders o
        WHERE o.payment_reference IS NOT NULL
          AND o.id IN (SELECT order_id FROM incident_order WHERE incident_id = $1 AND status <> 'excluded'
                       UNION SELECT order_id FROM ledger_entry WHERE incident_id = $1)`,
      [incidentId],
    );
    let earliest: Date | null = null;
    for (const row of rows) if (!earliest || row.placedAt < earliest) earliest = row.placedAt;
    return { orderByPayment: new Map(rows.map((row) => [row.paymentReference, row.id])), earliestPlacedAt: earliest };
  }

  private async providerRefunds(incidentId: string, scope: Scope, strategy: 'per_payment' | 'by_date'): Promise<RefundRecord[]> {
    const pacer = new Pacer(this.config.reconciliationRateLimitPerSecond);
    const found = new Map<string, RefundRecord>();
    if (strategy === 'per_payment') {
      for (const reference of scope.orderByPayment.keys()) {
        for await (const refund of paced(this.payments.listPaymentRefunds(reference), pacer)) found.set(refund.id, refund);
      }
    } else if (scope.earliestPlacedAt) {
      const since = Math.floor(scope.earliestPlacedAt.getTime() / 1000) - byDateMarginSeconds;
      for await (const refund of paced(this.payments.listRefundsSince(since), pacer)) {
        const ours =
          scope.orderByPayment.has(refund.paymentIntentId ?? '') ||
          scope.orderByPayment.has(refund.chargeId ?? '') ||
          refund.metadata.incident_id === incidentId;
        if (ours) found.set(refund.id, refund);
      }
    }
    return [...found.values()];
  }

  /** The ledger's net per refund of this incident (refund_issued + refund_reversed), summed by PostgreSQL. */
  private ledgerRefunds(incidentId: string): Promise<LedgerRefund[]> {
    return this.dataSource.query(
      `SELECT provider_ref AS "refundId", order_id AS "orderId", trim(currency) AS currency, sum(amount_minor)::bigint AS "ledgerMinor"
         FROM ledger_entry WHERE incident_id = $1 AND category IN ('refund_issued', 'refund_reversed')
        GROUP BY provider_ref, order_id, currency ORDER BY provider_ref`,
      [incidentId],
    );
  }

  private async bookedElsewhere(incidentId: string, refundIds: string[]): Promise<Set<string>> {
    if (refundIds.length === 0) return new Set();
    const rows: { refundId: string }[] = await this.dataSource.query(
      `SELECT DISTINCT provider_ref AS "refundId" FROM ledger_entry
        WHERE provider_ref = ANY($1::text[]) AND incident_id <> $2 AND category IN ('refund_issued', 'refund_reversed')`,
      [refundIds, incidentId],
    );
    return new Set(rows.map((row) => row.refundId));
  }

  /** Money back per currency on each side: the ledger's by SQL, the provider's by currency (never mixed). */
  private async totals(incidentId: string, provider: RefundRecord[]) {
    const ledger: { currency: string; amountMinor: number }[] = await this.dataSource.query(
      `SELECT trim(currency) AS currency, sum(amount_minor)::bigint AS "amountMinor" FROM ledger_entry
        WHERE incident_id = $1 AND category IN ('refund_issued', 'refund_reversed') GROUP BY currency`,
      [incidentId],
    );
    const providerTotals = totalsByCurrency(provider.map((refund) => ({ amountMinor: providerAmount(refund), currency: refund.currency })));
    const currencies = [...new Set([...ledger.map((row) => row.currency), ...providerTotals.map((m) => m.currency)])].sort();
    return currencies.map((currency) => ({
      currency,
      ledgerMinor: ledger.find((row) => row.currency === currency)?.amountMinor ?? 0,
      providerMinor: providerTotals.find((m) => m.currency === currency)?.amountMinor ?? 0,
    }));
  }
}

/** The provider's listing, one call per page at the pacer's rate (the SDK fetches a page when the previous one is used up). */
async function* paced(source: AsyncIterable<RefundRecord>, pacer: Pacer): AsyncGenerator<RefundRecord> {
  const iterator = source[Symbol.asyncIterator]();
  try {
    for (let n = 0; ; n++) {
      if (n % refundPageSize === 0) await pacer.take();
      const next = await iterator.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await iterator.return?.();
  }
}

function describe(comparison: Comparison, providerRefunds: number): string {
  if (comparison.clean) {
    return `Clean: the provider's ${providerRefunds} refund${providerRefunds === 1 ? '' : 's'} of this incident match the ledger exactly`;
  }
  const parts = [
    comparison.counts.missing ? `${comparison.counts.missing} missing at the provider` : '',
    comparison.counts.extra ? `${comparison.counts.extra} extra at the provider` : '',
    comparison.counts.amount_mismatch
      ? `${comparison.counts.amount_mismatch} amount mismatch${comparison.counts.amount_mismatch === 1 ? '' : 'es'}`
      : '',
  ].filter(Boolean);
  const total = comparison.discrepancies.length;
  return `${total} difference${total === 1 ? '' : 's'}: ${parts.join(', ')}`;
}
