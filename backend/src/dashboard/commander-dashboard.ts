import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { Role } from '../auth/roles.js';
import { incidentReference, incidentStatuses, severityRank, type IncidentStatus } from '../incidents/incident-lifecycle.js';
import type { LedgerCategory } from '../ledger/ledger-categories.js';
import { RunsQueryService } from '../remediation/runs-query.service.js';
import { dashboardIncidentLimit, dashboardTopN } from './dashboard-limits.js';

/** Open until closed: a resolved incident still waits for its commander to close it (as incident_order.open). */
export const openIncidentStatuses = incidentStatuses.filter((status) => status !== 'closed');

/** Refunds to cardholders net of refunds that failed, as the ledger tally's `refundedMinor`. */
const refundCategories: LedgerCategory[] = ['refund_issued', 'refund_reversed'];

interface IncidentRow {
  id: string;
  number: number;
  title: string;
  severity: string;
  status: IncidentStatus;
  declaredAt: Date;
  confirmed: number;
  suspected: number;
  /** Confirmed orders whose every remediation step (of this incident's runs, not cancelled) succeeded or was skipped. */
  handled: number;
  /** Confirmed orders with a failed step. */
  failed: number;
}

interface MoneyRow {
  incidentId: string;
  currency: string;
  refundedMinor: number;
  netLossMinor: number;
}

/**
 * GET /api/dashboard/commander: the open incidents, most severe first, each
 * with its recovery progress (confirmed orders handled, failed; refunded and
 * net loss per currency from the ledger), and the runs waiting for this
 * commander's approval (the runs list's own "awaiting my approval" rule).
 */
@Injectable()
export class CommanderDashboard {
  constructor(
    private readonly dataSource: DataSource,
    private readonly runs: RunsQueryService,
  ) {}

  async read(viewer: { id: string; roles: readonly Role[] }) {
    const [statusCounts, incidents, approvals] = await Promise.all([
      this.dataSource.query(`SELECT status, count(*) AS n FROM incident WHERE status = ANY($1::text[]) GROUP BY status`, [
        openIncidentStatuses,
      ]) as Promise<{ status: IncidentStatus; n: number }[]>,
      this.dataSource.query(
        `SELECT i.id, i.number, i.title, i.severity, i.status, i.declared_at AS "declaredAt",
                m.confirmed, m.suspected, m.handled, m.failed
         FROM incident i
         JOIN LATERAL (
           SELECT count(*) FILTER (WHERE io.status = 'confirmed') AS confirmed, count(*) FILTER (WHERE io.status = 'suspected') AS suspected,
                  count(*) FILTER (WHERE io.status = 'confirmed' AND s.steps > 0 AND s.unfinished = 0) AS handled,
                  count(*) FILTER (WHERE io.status = 'confirmed' AND s.failed > 0) AS failed
           FROM incident_order io
           LEFT JOIN (
             SELECT st.order_id, count(*) AS steps,
                    count(*) FILTER (WHERE st.status NOT IN ('succeeded', 'skipped')) AS unfinished,
                    count(*) FILTER (WHERE st.status = 'failed') AS failed
             FROM remediation_step st JOIN remediation_run r ON r.id = st.run_id
             WHERE r.incident_id = i.id AND st.status <> 'cancelled'
             GROUP BY st.order_id) s ON s.order_id = io.order_id
           WHERE io.incident_id = i.id) m ON true
         WHERE i.status = ANY($1::text[])
         ORDER BY ${severityRank}, i.declared_at DESC, i.number DESC LIMIT $2`,
        [openIncidentStatuses, dashboardIncidentLimit],
      ) as Promise<IncidentRow[]>,
      this.runs.list({ awaitingMyApproval: true, _page: 1, _perPage: dashboardTopN, _sort: 'requestedAt', _order: 'ASC' }, viewer),
    ]);
    const money: MoneyRow[] = incidents.length
      ? await this.dataSource.query(
          `SELECT incident_id AS "incidentId", trim(currency) AS currency,
                  COALESCE(sum(amount_minor) FILTER (WHERE category = ANY($2::text[])), 0)::bigint AS "refundedMinor",
                  sum(amount_minor)::bigint AS "netLossMinor"
           FROM ledger_entry WHERE incident_id = ANY($1::uuid[]) GROUP BY incident_id, currency ORDER BY currency`,
          [incidents.map((i) => i.id), refundCategories],
        )
      : [];
    const byStatus = Object.fromEntries(openIncidentStatuses.map((s) => [s, 0])) as Record<IncidentStatus, number>;
    for (const row of statusCounts) byStatus[row.status] = row.n;
    return {
      openIncidents: {
        total: Object.values(byStatus).reduce((a, b) => a + b, 0),
        byStatus,
        top: incidents.map(({ number, confirmed, suspected, handled, failed, ...incident }) => ({
          ...incident,
          reference: incidentReference(number),
          orders: { confirmed, suspected, handled, failed },
          money: money.filter((m) => m.incidentId === incident.id).map(({ incidentId: _, ...figures }) => figures),
        })),
      },
      awaitingMyApproval: {
        total: approvals.total,
        runs: approvals.data.map((run) => ({
          id: run.id,
          reference: run.reference,
          incidentId: run.incidentId,
          incidentReference: run.incidentReference,
          incidentTitle: run.incidentTitle,
          actions: run.actions,
          reason: run.reason,
          requestedByEmail: run.requestedByEmail,
          requestedAt: run.requestedAt,
          refundTotals: run.refundTotals,
        })),
      },
    };
  }
}
