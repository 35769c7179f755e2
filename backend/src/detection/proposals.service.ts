import { ConflictException, Injectable, NotFoundException } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { z } from 'zod';
import { AuditService } from '../audit/audit.service.js';
import { SqlFilter } from '../database/sql-filter.js';
import { requestContext } from '../observability/request-context.js';
import type { ListResult } from '../http/list-query.js';
import type { proposalListSchema } from './proposals.schemas.js';
import { isUuid } from '../http/is-uuid.js';
import type { IncidentSeverity } from '../incidents/incident-lifecycle.js';

export type Severity = IncidentSeverity;

/** What the incidents module needs to declare an incident from a proposal. */
export interface ProposalForDeclaration {
  id: string;
  title: string;
  suggestedSeverity: Severity;
  /** The orders the proposal's evidence names; they join the incident as suspected. */
  orderIds: string[];
  /** When the first order of the pattern was placed (for time-to-detect). */
  firstOrderAt: Date;
  /** When detection proposed it. */
  proposedAt: Date;
  evidence: unknown;
}

const columns = `
  p.id, p.title, p.rules, p.score, p.severity, p.status, p.order_count AS "orderCount", p.device_count AS "deviceCount", p.value_by_currency AS "valueByCurrency",
  p.first_order_at AS "firstOrderAt", p.last_order_at AS "lastOrderAt", p.created_at AS "createdAt", p.updated_at AS "updatedAt",
  p.incident_id AS "incidentId", p.dismissed_reason AS "dismissedReason"`;
const sortColumns = {
  score: 'p.score',
  createdAt: 'p.created_at',
  orderCount: 'p.order_count',
  deviceCount: 'p.device_count',
  lastOrderAt: 'p.last_order_at',
} as const;

/** The proposals queue: what detection found, until a person declares or dismisses it. */
@Injectable()
export class ProposalsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  async list(query: z.infer<typeof proposalListSchema>): Promise<ListResult<Record<string, unknown>>> {
    const filter = new SqlFilter();
    if (query.status) filter.where((p) => `p.status = ANY(${p(query.status)}::text[])`);
    if (query.severity) filter.where((p) => `p.severity = ${p(query.severity)}`);
    if (query.id) filter.where((p) => `p.id = ANY(${p(query.id)}::uuid[])`);
    const countParams = [...filter.params];
    const limit = filter.bind(query._perPage);
    const offset = filter.bind((query._page - 1) * query._perPage);
    const [data, [{ total }]] = await Promise.all([
      this.dataSource.query(
        `SELECT ${columns} FROM detection_proposal p ${filter.sql} ORDER BY ${sortColumns[query._sort]} ${query._order}, p.id LIMIT ${limit} OFFSET ${offset}`,
        filter.params,
      ),
      this.dataSource.query(`SELECT count(*) AS total FROM detection_proposal p ${filter.sql}`, countParams),
    ]);
    return { data, total };
  }

  async get(id: string) {
    const [proposal] = isUuid(id)
      ? await this.dataSource.query(`SELECT ${columns}, p.evidence, p.order_ids AS "orderIds" FROM detection_proposal p WHERE p.id = $1`, [
          id,
        ])
      : [];
    if (!proposal) throw new NotFoundException(`No proposal with id "${id}"`);
    return proposal;
  }

  async dismiss(id: string, reason: string) {
    await this.dataSource.transaction(async (manager) => {
      const proposal = await this.lockOpen(manager, id);
      await manager.query(
        `UPDATE detection_proposal SET status = 'dismissed', dismissed_reason = $2, dismissed_by = $3, updated_at = now() WHERE id = $1`,
        [id, reason, requestContext.current()?.actor?.id ?? null],
      );
      await this.audit.record(manager, {
        action: 'proposals.dismiss',
        targetType: 'proposal',
        targetId: id,
        reason,
        summary: { title: proposal.title, orders: proposal.order_count },
      });
    });
    return this.get(id);
  }

  /** 404 for an unknown id, 409 when the proposal is no longer open (declared or dismissed). */
  async getForDeclaration(id: string, manager: EntityManager = this.dataSource.manager): Promise<ProposalForDeclaration> {
    const row = await this.lockOpen(manager, id);
    return {
      id: row.id,
      title: row.title,
      suggestedSeverity: row.severity,
      orderIds: row.order_ids,
      firstOrderAt: row.first_order_at,
      proposedAt: row.created_at,
      evidence: row.evidence,
    };
  }

  /** Marks the proposal declared as `incidentId`, in the caller's transaction. */
  async markDeclared(manager: EntityManager, proposalId: string, incidentId: string): Promise<void> {
    await manager.query(`UPDATE detection_proposal SET status = 'declared', incident_id = $2, updated_at = now() WHERE id = $1`, [
      proposalId,
      incidentId,
    ]);
  }

  private async lockOpen(manager: EntityManager, id: string) {
    const [row] = isUuid(id) ? await manager.query(`SELECT * FROM detection_proposal WHERE id = $1 FOR UPDATE`, [id]) : [];
    if (!row) throw new NotFoundException(`No proposal with id "${id}"`);
    if (row.status !== 'open') throw new ConflictException(`Proposal "${row.title}" is already ${row.status}`);
    return row;
  }
}
