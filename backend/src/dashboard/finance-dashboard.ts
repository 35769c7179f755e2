import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { incidentReference } from '../incidents/incident-lifecycle.js';
import { signConventionText } from '../ledger/ledger-categories.js';
import { currencyTallies, totalsGrouping, totalsSelect } from '../ledger/ledger-query.service.js';
import { dashboardTopN } from './dashboard-limits.js';

interface IncidentLossRow {
  incidentId: string;
  number: number;
  title: string;
  status: string;
  severity: string;
  currency: string;
  costMinor: number;
  recoveredMinor: number;
  netLossMinor: number;
  /** Incidents with entries in this currency (all of them, not only the few listed). */
  incidents: number;
}

/**
 * GET /api/dashboard/finance: what every incident has cost so far, from the
 * ledger. The per-currency totals are the finance report's own statement
 * (same select, grouping and shaping) over all entries; the top incidents per
 * currency by net loss come from one grouped statement cut by a window rank.
 * Nothing is added across currencies, here or in the UI.
 */
@Injectable()
export class FinanceDashboard {
  constructor(private readonly dataSource: DataSource) {}

  async read() {
    const [totals, incidents] = await Promise.all([
      this.dataSource.query(`${totalsSelect} ${totalsGrouping}`),
      this.dataSource.query(
        `SELECT t.incident_id AS "incidentId", i.number, i.title, i.status, i.severity, t.currency,
                t."costMinor", t."recoveredMinor", t."netLossMinor", t.incidents
         FROM (SELECT incident_id, trim(currency) AS currency, sum(amount_minor)::bigint AS "netLossMinor",
                      COALESCE(sum(amount_minor) FILTER (WHERE amount_minor > 0), 0)::bigint AS "costMinor",
                      COALESCE(-sum(amount_minor) FILTER (WHERE amount_minor < 0), 0)::bigint AS "recoveredMinor",
                      count(*) OVER (PARTITION BY currency) AS incidents,
                      row_number() OVER (PARTITION BY currency ORDER BY sum(amount_minor) DESC, incident_id) AS rank
               FROM ledger_entry GROUP BY incident_id, currency) t
         JOIN incident i ON i.id = t.incident_id
         WHERE t.rank <= $1
         ORDER BY t.currency, t."netLossMinor" DESC, i.number`,
        [dashboardTopN],
      ) as Promise<IncidentLossRow[]>,
    ]);
    const tallies = currencyTallies(totals);
    return {
      signConvention: signConventionText,
      currencies: tallies.map(({ categories, ...tally }) => ({
        ...tally,
        incidents: incidents.find((row) => row.currency === tally.currency)?.incidents ?? 0,
        // The three largest causes, for a glance; the finance page has them all.
        topCategories: categories
          .filter((c) => c.amountMinor > 0)
          .sort((a, b) => b.amountMinor - a.amountMinor)
          .slice(0, 3),
        topIncidents: incidents
          .filter((row) => row.currency === tally.currency)
          .map(({ number, incidents: _, currency: __, ...row }) => ({ ...row, reference: incidentReference(number) })),
      })),
    };
  }
}
