import { ConflictException, NotFoundException } from '@nestjs/common';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { Actor } from '../audit/audit.service.js';
import { isUuid } from '../http/is-uuid.js';
import type { RunFigures } from './run-figures.js';
import type { RunAction, RunStatus } from './run-lifecycle.js';

export interface RunRow {
  id: string;
  number: number;
  incidentId: string;
  incidentNumber: number;
  actions: RunAction[];
  status: RunStatus;
  reason: string;
  approvalRequired: boolean;
  requestedBy: string;
  requestedAt: Date;
  preview: RunFigures;
}

/** Who the audit log and the timeline name for what the workers do to a run (they have no user account). */
export const remediationActor: Actor = { id: null, email: 'machine:remediation', roles: [] };

export function runNotFound(id: string) {
  return new NotFoundException(`No remediation run with id "${id}"`);
}

/**
 * Reads a run for a change and locks its row, so controls of one run (approve,
 * pause, cancel, planning, finishing) happen one after the other. Malformed
 * ids are simply unknown: 404.
 */
export async function lockRun(manager: EntityManager, id: string): Promise<RunRow> {
  if (!isUuid(id)) throw runNotFound(id);
  const [row] = await manager.query(
    `SELECT r.id, r.number, r.incident_id AS "incidentId", i.number AS "incidentNumber", r.actions, r.status, r.reason,
            r.approval_required AS "approvalRequired", r.requested_by AS "requestedBy", r.requested_at AS "requestedAt", r.preview
     FROM remediation_run r JOIN incident i ON i.id = r.incident_id WHERE r.id = $1 FOR UPDATE OF r`,
    [id],
  );
  if (!row) throw runNotFound(id);
  return row;
}

/**
 * Run changes in one transaction; two changes racing lose cleanly with a 409.
 * READ COMMITTED for controls, whose step updates must skip over steps the
 * engine claims meanwhile (REPEATABLE READ would fail them); REPEATABLE READ
 * where figures and the rows written must come from one snapshot (a request).
 */
export async function runTransaction<T>(
  dataSource: DataSource,
  work: (manager: EntityManager) => Promise<T>,
  isolation: 'READ COMMITTED' | 'REPEATABLE READ' = 'READ COMMITTED',
): Promise<T> {
  try {
    return await dataSource.transaction(isolation, work);
  } catch (error) {
    const driver = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    if (driver?.code === '40001')
      throw new ConflictException('The run or its incident changed at the same moment; nothing was written, try again');
    if (driver?.code === '23514' && driver.constraint === 'remediation_run_approver_is_not_requester') {
      throw new ConflictException('You requested this run; another incident commander must approve it');
    }
    throw error;
  }
}
