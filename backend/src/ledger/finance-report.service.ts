import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { SqlFilter } from '../database/sql-filter.js';
import { incidentReference } from '../incidents/incident-lifecycle.js';
import { signConventionText } from './ledger-categories.js';
import { currencyTallies, totalsGrouping, totalsSelect } from './ledger-query.service.js';
import type { FinanceRange } from './ledger.schemas.js';

/** The entries of a finance range: occurred in [from, to), optionally of some currencies or incidents. */
export function financeFilter(range: FinanceRange, alias = ''): SqlFilter {
  const filter = new SqlFilter()
    .where((p) => `${alias}occurred_at >= ${p(range.from)}`)
    .where((p) => `${alias}occurred_at < ${p(range.to)}`);
  if (range.currency) filter.where((p) => `${alias}currency = ANY(${p(range.currency)}::text[])`);
  if (range.incidentId) filter.where((p) => `${alias}incident_id = ANY(${p(range.incidentId)}::uuid[])`);
  return filter;
}

/**
 * GET /api/finance/report: what incidents cost in a date range (by when each
 * money event occurred), per currency and category, and each incident's share
 * per currency. Sums by PostgreSQL over the ledger's date index; currencies
 * are never added together.
 */
@Injectable()
export class FinanceReportService {
  constructor(private readonly dataSource: DataSource) {}

  async report(range: FinanceRange) {
    const totals = financeFilter(range);
    const perIncident = financeFilter(range, 'l.');
    const [currencies, incidents] = await Promise.all([
      this.dataSource.query(`${totalsSelect} ${totals.sql} ${totalsGrouping}`, totals.params),
      this.dataSource.query(
        `SELECT i.id AS "incidentId", i.number, i.title, i.status, t.currency, t."costMinor", t."recoveredMinor", t."netLossMinor", t.entries
         FROM (SELECT l.incident_id, trim(l.currency) AS currency, sum(l.amount_minor)::bigint AS "netLossMinor", count(*) AS entries,
                      COALESCE(sum(l.amount_minor) FILTER (WHERE l.amount_minor > 0), 0)::bigint AS "costMinor",
                      COALESCE(-sum(l.amount_minor) FILTER (WHERE l.amount_minor < 0), 0)::bigint AS "recoveredMinor"
                 FROM ledger_entry l ${perIncident.sql} GROUP BY l.incident_id, l.currency) t
         JOIN incident i ON i.id = t.incident_id
         ORDER BY t.currency, t."netLossMinor" DESC, i.number`,
        perIncident.params,
      ),
    ]);
    return {
      from: range.from.toISOString(),
      to: range.to.toISOString(),
      signConvention: signConventionText,
      currencies: currencyTallies(currencies),
      incidents: incidents.map(({ number, ...row }: { number: number } & Record<string, unknown>) => ({
        ...row,
        reference: incidentReference(number),
      })),
    };
  }
}
