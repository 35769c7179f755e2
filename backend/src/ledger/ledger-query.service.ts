import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlFilter } from '../database/sql-filter.js';
import type { ListResult } from '../http/list-query.js';
import { isUuid } from '../http/is-uuid.js';
import { incidentReference } from '../incidents/incident-lifecycle.js';
import { notFound } from '../incidents/incident-store.js';
import { ledgerCategories, signConventionText, type LedgerCategory } from './ledger-categories.js';
import type { EntryListQuery, TallyQuery } from './ledger.schemas.js';

/** One currency's figures: cost, recovered and net loss, and every category (zero when none). Never across currencies. */
export interface CurrencyTally {
  currency: string;
  costMinor: number;
  recoveredMinor: number;
  netLossMinor: number;
  entries: number;
  categories: { category: LedgerCategory; amountMinor: number; entries: number }[];
}

/** Per currency and time bucket; buckets without entries are left out. The cumulative net runs from the range's start. */
export interface RecoveryPoint {
  currency: string;
  at: string;
  costMinor: number;
  recoveredMinor: number;
  /** Refunds to cardholders net of refunds that failed: the recovery work's progress. */
  refundedMinor: number;
  netLossMinor: number;
  cumulativeNetLossMinor: number;
}

/** date_bin strides of the recovery series. */
const bucketInterval = { day: '1 day', hour: '1 hour' } as const;

interface TallyRow extends TotalsRow {
  kind: 'total' | 'point';
  at: Date | null;
  refundedMinor: number | null;
  cumulativeMinor: number | null;
}

interface TotalsRow {
  currency: string;
  /** null on the currency's total row (GROUPING SETS). */
  category: LedgerCategory | null;
  amountMinor: number;
  entries: number;
  costMinor: number;
  recoveredMinor: number;
}

/** Sums per currency and category, plus each currency's total row — every figure computed by PostgreSQL. */
export const totalsSelect = `
  SELECT currency, category, sum(amount_minor)::bigint AS "amountMinor", count(*) AS entries,
         COALESCE(sum(amount_minor) FILTER (WHERE amount_minor > 0), 0)::bigint AS "costMinor",
         COALESCE(-sum(amount_minor) FILTER (WHERE amount_minor < 0), 0)::bigint AS "recoveredMinor"
  FROM ledger_entry`;
export const totalsGrouping = `GROUP BY GROUPING SETS ((currency, category), (currency)) ORDER BY currency, category NULLS FIRST`;

/** Shapes the grouped rows per currency; fills in the categories with no entries as zeros (nothing is added up here). */
export function currencyTallies(rows: TotalsRow[]): CurrencyTally[] {
  const tallies = new Map<string, CurrencyTally>();
  for (const row of rows) {
    const currency = row.currency.trim();
    if (row.category === null) {
      tallies.set(currency, {
        currency,
        costMinor: row.costMinor,
        recoveredMinor: row.recoveredMinor,
        netLossMinor: row.amountMinor,
        entries: row.entries,
        categories: ledgerCategories.map((category) => ({ category, amountMinor: 0, entries: 0 })),
      });
    } else {
      const slot = tallies.get(currency)!.categories.find((c) => c.category === row.category)!;
      slot.amountMinor = row.amountMinor;
      slot.entries = row.entries;
    }
  }
  return [...tallies.values()];
}

const entrySort = {
  occurredAt: 'l.occurred_at',
  amountMinor: 'l.amount_minor',
  category: 'l.category',
  recordedAt: 'l.recorded_at',
} as const;

/** Read side of the ledger: an incident's tally with its recovery over time, and its entries. */
@Injectable()
export class LedgerQueryService {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * GET /api/incidents/:id/ledger/tally: the incident and its figures, read
   * side by side on the pool; the figures in one statement, one scan.
   */
  async tally(id: string, query: TallyQuery) {
    if (!isUuid(id)) throw notFound(id);
    const filter = rangeFilter(id, query);
    const bucket = filter.bind(bucketInterval[query.bucket]);
    const [[incident], rows] = await Promise.all([
      this.dataSource.query(`SELECT id, number, title, status FROM incident WHERE id = $1`, [id]),
      this.dataSource.query(
        // One index-only scan of the incident's entries into small cells (currency × category × bucket); the totals
        // and the time series are sums of those cells. date_bin works on absolute time: UTC days and hours, no zone math per row.
        `WITH cells AS (
           SELECT currency, category, date_bin(${bucket}::interval, occurred_at, timestamptz '2000-01-01 00:00:00+00') AS at,
                  sum(amount_minor) AS amount, count(*) AS entries,
                  sum(amount_minor) FILTER (WHERE amount_minor > 0) AS cost, sum(amount_minor) FILTER (WHERE amount_minor < 0) AS back
           FROM ledger_entry ${filter.sql} GROUP BY currency, category, at)
         SELECT 'total' AS kind, currency, category, NULL::timestamptz AS at, sum(amount)::bigint AS "amountMinor", sum(entries)::bigint AS entries,
                COALESCE(sum(cost), 0)::bigint AS "costMinor", COALESCE(-sum(back), 0)::bigint AS "recoveredMinor",
                NULL::bigint AS "refundedMinor", NULL::bigint AS "cumulativeMinor"
         FROM cells GROUP BY GROUPING SETS ((currency, category), (currency))
         UNION ALL
         SELECT 'point', currency, NULL, at, sum(amount)::bigint, sum(entries)::bigint, COALESCE(sum(cost), 0)::bigint, COALESCE(-sum(back), 0)::bigint,
                COALESCE(sum(amount) FILTER (WHERE category IN ('refund_issued', 'refund_reversed')), 0)::bigint,
                (sum(sum(amount)) OVER (PARTITION BY currency ORDER BY at))::bigint
         FROM cells GROUP BY currency, at
         ORDER BY kind DESC, at, currency, category NULLS FIRST`,
        filter.params,
      ) as Promise<TallyRow[]>,
    ]);
    if (!incident) throw notFound(id);
    return {
      incidentId: id,
      reference: incidentReference(incident.number),
      title: incident.title,
      status: incident.status,
      range: { from: query.from ?? null, to: query.to ?? null },
      signConvention: signConventionText,
      currencies: currencyTallies(rows.filter((row) => row.kind === 'total')),
      recovery: {
        bucket: query.bucket,
        points: rows
          .filter((row) => row.kind === 'point')
          .map((row): RecoveryPoint => ({
            currency: row.currency.trim(),
            at: new Date(row.at!).toISOString(),
            costMinor: row.costMinor,
            recoveredMinor: row.recoveredMinor,
            refundedMinor: row.refundedMinor!,
            netLossMinor: row.amountMinor,
            cumulativeNetLossMinor: row.cumulativeMinor!,
          })),
      },
    };
  }

  /** GET /api/incidents/:id/ledger: the entries, filtered and paged like every list. */
  async entries(id: string, query: EntryListQuery): Promise<ListResult<Record<string, unknown>>> {
    if (!isUuid(id)) throw notFound(id);
    const filter = rangeFilter(id, query, 'l.');
    if (query.category) filter.where((p) => `l.category = ANY(${p(query.category)}::text[])`);
    if (query.currency) filter.where((p) => `l.currency = ANY(${p(query.currency)}::text[])`);
    if (query.sourceType) filter.where((p) => `l.source_type = ANY(${p(query.sourceType)}::text[])`);
    if (query.orderId) filter.where((p) => `l.order_id = ${p(query.orderId)}`);
    if (query.runId) filter.where((p) => `l.run_id = ${p(query.runId)}`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [[incident], data, [{ total }]] = await Promise.all([
      this.dataSource.query(`SELECT 1 FROM incident WHERE id = $1`, [id]),
      this.dataSource.query(
        `SELECT l.id::text AS id, l.occurred_at AS "occurredAt", l.recorded_at AS "recordedAt", l.order_id AS "orderId",
                o.external_id AS "orderExternalId", l.category, trim(l.currency) AS currency, l.amount_minor AS "amountMinor",
                l.source_type AS "sourceType", l.source_id AS "sourceId", l.provider_ref AS "providerRef", l.run_id AS "runId",
                l.step_id AS "stepId", l.event_id AS "eventId", l.detail
         FROM ledger_entry l JOIN orders o ON o.id = l.order_id
         ${filter.sql}
         ORDER BY ${entrySort[query._sort]} ${query._order}, l.id ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM ledger_entry l ${filter.sql}`, countParams),
    ]);
    if (!incident) throw notFound(id);
    return { data, total };
  }
}

/** The incident and the optional [from, to) range, as the conditions every read of one incident starts from. */
function rangeFilter(id: string, range: { from?: Date; to?: Date }, alias = ''): SqlFilter {
  const filter = new SqlFilter().where((p) => `${alias}incident_id = ${p(id)}`);
  if (range.from) filter.where((p) => `${alias}occurred_at >= ${p(range.from)}`);
  if (range.to) filter.where((p) => `${alias}occurred_at < ${p(range.to)}`);
  return filter;
}
