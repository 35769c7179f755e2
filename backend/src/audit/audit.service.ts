import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { requestContext } from '../observability/request-context.js';
import { AuditEntry } from './audit-entry.entity.js';

export interface AuditRecord {
  action: string;
  targetType: string;
  targetId?: string | null;
  reason?: string | null;
  /** What changed: field names with before/after, counts, amounts. Never secrets. */
  summary?: Record<string, unknown>;
}

export interface Actor {
  /** Null for machines (the commerce platform, the command line). */
  id: string | null;
  email: string;
  roles: string[];
}

/**
 * Writes audit rows. Takes the caller's EntityManager so the row commits or
 * rolls back with the change it records — an audit log that can say something
 * happened when it did not is worse than none.
 */
@Injectable()
export class AuditService {
  async record(manager: EntityManager, record: AuditRecord, actor?: Actor): Promise<AuditEntry> {
    const context = requestContext.current();
    const who = actor ?? context?.actor;
    const row = manager.create(AuditEntry, {
      actorId: who?.id ?? null,
      actorEmail: who?.email ?? null,
      actorRoles: who?.roles ?? [],
      action: record.action,
      targetType: record.targetType,
      targetId: record.targetId ?? null,
      reason: record.reason?.trim() || null,
      requestId: context?.requestId ?? null,
      ip: context?.ip ?? null,
      summary: record.summary ?? {},
    });
    return manager.save(AuditEntry, row);
  }
}
