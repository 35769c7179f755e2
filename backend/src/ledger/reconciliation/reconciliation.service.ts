import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuditService } from '../../audit/audit.service.js';
import { SqlFilter } from '../../database/sql-filter.js';
import { isUuid } from '../../http/is-uuid.js';
import type { ListResult } from '../../http/list-query.js';
import { assertIncidentExists, notFound } from '../../incidents/incident-store.js';
import { JobQueueService } from '../../jobs/job-queue.service.js';
import type { ReconciliationListQuery, RequestReconciliationInput } from '../ledger.schemas.js';

const columns = `
  r.id, r.number, r.incident_id AS "incidentId", r.status, r.strategy, r.reason, r.requested_by AS "requestedBy", u.email AS "requestedByEmail",
  r.requested_at AS "requestedAt", r.started_at AS "startedAt", r.finished_at AS "finishedAt", r.attempts, r.clean, r.summary,
  r.error_message AS "errorMessage"`;
const joins = `LEFT JOIN app_user u ON u.id = r.requested_by`;
const sort = { requestedAt: 'r.requested_at', number: 'r.number' } as const;

/** A queued reconciliation whose job may have been lost with Redis is handed to the queue again when asked for again. */
const jobId = (id: string) => `reconcile-${id}`;

/**
 * Reconciliation requests and reports (the work is the `ledger.reconcile`
 * job, reconciliation-runner.ts). One open reconciliation per incident: asking
 * again while one is queued or running answers that one.
 */
@Injectable()
export class ReconciliationService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
    private readonly jobs: JobQueueService,
  ) {}

  async request(incidentId: string, input: RequestReconciliationInput, userId: string): Promise<Record<string, unknown>> {
    const id = await this.dataSource.transaction(async (manager) => {
      await assertIncidentExists(manager, incidentId);
      const [created] = await manager.query(
        `INSERT INTO ledger_reconciliation (incident_id, strategy, requested_by, reason) VALUES ($1, $2, $3, $4)
         ON CONFLICT (incident_id) WHERE status IN ('queued', 'running') DO NOTHING RETURNING id`,
        [incidentId, input.strategy, userId, input.reason || null],
      );
      if (!created) {
        const [open] = await manager.query(
          `SELECT id FROM ledger_reconciliation WHERE incident_id = $1 AND status IN ('queued', 'running')`,
          [incidentId],
        );
        return open.id as string;
      }
      await this.audit.record(manager, {
        action: 'ledger.reconciliation.requested',
        targetType: 'incident',
        targetId: incidentId,
        reason: input.reason,
        summary: { reconciliationId: created.id, strategy: input.strategy },
      });
      return created.id as string;
    });
    // After the commit; a no-op while the job still waits (same job id).
    await this.jobs.enqueue('ledger.reconcile', { reconciliationId: id }, { jobId: jobId(id) });
    return this.get(incidentId, id);
  }

  async list(incidentId: string, query: ReconciliationListQuery): Promise<ListResult<Record<string, unknown>>> {
    await assertIncidentExists(this.dataSource.manager, incidentId);
    const filter = new SqlFilter().where((p) => `r.incident_id = ${p(incidentId)}`);
    if (query.status) filter.where((p) => `r.status = ANY(${p(query.status)}::text[])`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${columns} FROM ledger_reconciliation r ${joins} ${filter.sql}
         ORDER BY ${sort[query._sort]} ${query._order}, r.number ${query._order} LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM ledger_reconciliation r ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  /** One report with every difference found. */
  async get(incidentId: string, id: string): Promise<Record<string, unknown>> {
    if (!isUuid(incidentId)) throw notFound(incidentId);
    if (!isUuid(id)) throw new NotFoundException(`No reconciliation with id "${id}"`);
    const [row] = await this.dataSource.query(
      `SELECT ${columns}, COALESCE(r.discrepancies, '[]'::jsonb) AS discrepancies FROM ledger_reconciliation r ${joins}
        WHERE r.id = $1 AND r.incident_id = $2`,
      [id, incidentId],
    );
    if (!row) {
      await assertIncidentExists(this.dataSource.manager, incidentId);
      throw new NotFoundException(`No reconciliation with id "${id}" in this incident`);
    }
    return row;
  }
}
