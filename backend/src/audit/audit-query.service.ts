import { Injectable, NotFoundException } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { z } from 'zod';
import type { ListResult } from '../http/list-query.js';
import { AuditEntry } from './audit-entry.entity.js';
import type { auditListSchema } from './audit.schemas.js';

const sortColumns = {
  at: 'a.at',
  action: 'a.action',
  actorEmail: 'a.actor_email',
  targetType: 'a.target_type',
  targetId: 'a.target_id',
} as const;

/** Read side of the audit log: filters mapped onto its indexes. */
@Injectable()
export class AuditQueryService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: z.infer<typeof auditListSchema>): Promise<ListResult<AuditEntry>> {
    const builder = this.dataSource.getRepository(AuditEntry).createQueryBuilder('a');
    if (query.actorEmail) builder.andWhere('a.actor_email = :email', { email: query.actorEmail });
    if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.targetType) builder.andWhere('a.target_type = :targetType', { targetType: query.targetType });
    if (query.targetId) builder.andWhere('a.target_id = :targetId', { targetId: query.targetId });
    if (query.from) builder.andWhere('a.at >= :from', { from: query.from });
    if (query.to) builder.andWhere('a.at <= :to', { to: query.to });
    if (query.id) builder.andWhere('a.id IN (:...ids)', { ids: query.id });
    builder
      .orderBy(sortColumns[query._sort], query._order, 'NULLS LAST')
      .addOrderBy('a.id', query._order)
      .skip((query._page - 1) * query._perPage)
      .take(query._perPage);
    const [data, total] = await builder.getManyAndCount();
    return { data, total };
  }

  async get(id: string): Promise<AuditEntry> {
    const entry = /^\d{1,18}$/.test(id) ? await this.dataSource.getRepository(AuditEntry).findOneBy({ id }) : null;
    if (!entry) throw new NotFoundException(`No audit entry with id "${id}"`);
    return entry;
  }
}
