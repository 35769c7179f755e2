import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { incidentReference, incidentSeverities, severityRank, type IncidentSeverity } from '../incidents/incident-lifecycle.js';
import { controlProblem, runReference, runStatuses } from '../remediation/run-lifecycle.js';
import { dashboardTopN } from './dashboard-limits.js';

/** Run states in which failed steps can be retried: the run lifecycle's one rule, asked rather than restated. */
export const retryableRunStatuses = runStatuses.filter((status) => controlProblem('retry', '', status) === null);

/** Most severe first: the incidents' own severity order, applied to the proposal's suggested severity. */
const proposalSeverityRank = severityRank.replace('i.severity', 'p.severity');

/**
 * GET /api/dashboard/agent: the support agent's work queue. Open proposals to
 * triage (counts per severity; the most severe, highest-scoring, newest few)
 * and runs whose failed steps can be retried. Counts and sums by PostgreSQL,
 * lists cut at a few rows.
 */
@Injectable()
export class AgentDashboard {
  constructor(private readonly dataSource: DataSource) {}

  async read() {
    const [severities, proposals, runTotals, runs] = await Promise.all([
      this.dataSource.query(`SELECT severity, count(*) AS n FROM detection_proposal WHERE status = 'open' GROUP BY severity`) as Promise<
        { severity: IncidentSeverity; n: number }[]
      >,
      this.dataSource.query(
        `SELECT p.id, p.title, p.severity, p.score, p.rules, p.order_count AS "orderCount", p.device_count AS "deviceCount",
                p.value_by_currency AS "valueByCurrency", p.created_at AS "createdAt", p.last_order_at AS "lastOrderAt"
         FROM detection_proposal p WHERE p.status = 'open'
         ORDER BY ${proposalSeverityRank}, p.score DESC, p.created_at DESC, p.id LIMIT $1`,
        [dashboardTopN],
      ),
      this.dataSource.query(
        `SELECT count(*) AS runs, COALESCE(sum(f.failed), 0)::bigint AS "failedSteps"
         FROM remediation_run r ${failedStepsJoin} WHERE r.status = ANY($1::text[])`,
        [retryableRunStatuses],
      ) as Promise<{ runs: number; failedSteps: number }[]>,
      this.dataSource.query(
        `SELECT r.id, r.number, r.status, r.incident_id AS "incidentId", i.number AS "incidentNumber", i.title AS "incidentTitle",
                r.requested_at AS "requestedAt", f.failed AS "failedSteps", f."lastFailedAt"
         FROM remediation_run r ${failedStepsJoin} JOIN incident i ON i.id = r.incident_id
         WHERE r.status = ANY($1::text[])
         ORDER BY f."lastFailedAt" DESC, r.number DESC LIMIT $2`,
        [retryableRunStatuses, dashboardTopN],
      ) as Promise<({ number: number; incidentNumber: number } & Record<string, unknown>)[]>,
    ]);
    const bySeverity = Object.fromEntries(incidentSeverities.map((s) => [s, 0])) as Record<IncidentSeverity, number>;
    for (const row of severities) bySeverity[row.severity] = row.n;
    return {
      proposals: { open: Object.values(bySeverity).reduce((a, b) => a + b, 0), bySeverity, top: proposals },
      runsToRetry: {
        runs: runTotals[0]!.runs,
        failedSteps: runTotals[0]!.failedSteps,
        top: runs.map(({ number, incidentNumber, ...run }) => ({
          ...run,
          reference: runReference(number),
          incidentReference: incidentReference(incidentNumber),
        })),
      },
    };
  }
}

/** Runs with at least one failed step, with how many and when the last one failed (the step index by run, action, status). */
const failedStepsJoin = `JOIN LATERAL (
  SELECT count(*) AS failed, max(s.finished_at) AS "lastFailedAt" FROM remediation_step s WHERE s.run_id = r.id AND s.status = 'failed'
) f ON f.failed > 0`;
