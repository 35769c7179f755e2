import { BadRequestException, ConflictException, NotFoundException } from '@nestjs/common';
import { QueryFailedError, type DataSource, type EntityManager } from 'typeorm';
import type { IncidentStatus } from './incident-lifecycle.js';
import type { IncidentEventKind } from './incident-event.entity.js';
import { isUuid } from '../http/is-uuid.js';

export interface IncidentRow {
  id: string;
  number: number;
  title: string;
  severity: string;
  status: IncidentStatus;
  commanderId: string | null;
  summary: string | null;
}

/** Who acts, as the timeline shows it. */
export interface IncidentActor {
  id: string;
  email: string;
}

export function notFound(id: string) {
  return new NotFoundException(`No incident with id "${id}"`);
}

/**
 * Reads an incident for a change and locks its row, so changes to one
 * incident (transitions, edits, membership) happen one after the other.
 * Malformed ids are simply unknown: 404, never a database error.
 */
export async function lockIncident(manager: EntityManager, id: string): Promise<IncidentRow> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await manager.query(
    `SELECT id, number, title, severity, status, commander_id AS "commanderId", summary FROM incident WHERE id = $1 FOR UPDATE`,
    [id],
  );
  if (!row) throw notFound(id);
  return row;
}

export async function assertIncidentExists(manager: EntityManager, id: string): Promise<void> {
  if (!isUuid(id)) throw notFound(id);
  const [row] = await manager.query(`SELECT 1 FROM incident WHERE id = $1`, [id]);
  if (!row) throw notFound(id);
}

/** Closed incidents are the record of what happened: nothing about them changes any more. */
export function assertNotClosed(incident: IncidentRow, reference: string) {
  if (incident.status === 'closed') throw new ConflictException(`${reference} is closed; a closed incident cannot be changed`);
}

/** The commander must be someone who may run an incident: an active commander or admin. */
export async function assertCommander(manager: EntityManager, userId: string): Promise<void> {
  const [row] = await manager.query(
    `SELECT 1 FROM app_user WHERE id = $1 AND active AND roles && ARRAY['incident_commander', 'admin']::text[]`,
    [userId],
  );
  if (!row) {
    throw new BadRequestException({
      message: 'The commander must be an active user with the incident commander or admin role',
      fields: [{ field: 'commanderId', message: 'must be an active incident commander or admin' }],
    });
  }
}

/** Appends one entry to the incident's timeline, in the caller's transaction. A machine (a worker) has no user id. */
export async function recordEvent(
  manager: EntityManager,
  incidentId: string,
  kind: IncidentEventKind,
  actor: { id: string | null; email: string },
  message: string,
  data: Record<string, unknown> = {},
) {
  const [event] = await manager.query(
    `INSERT INTO incident_event (incident_id, kind, actor_id, actor_email, message, data) VALUES ($1, $2, $3, $4, $5, $6)
     RETURNING id::text AS id, at, kind, actor_id AS "actorId", actor_email AS "actorEmail", message, data`,
    [incidentId, kind, actor.id, actor.email, message, data],
  );
  return event as Record<string, unknown>;
}

/**
 * Runs incident changes in one REPEATABLE READ transaction: the count a person
 * confirmed and the rows written come from the same snapshot. Two changes
 * racing for the same orders or incident lose cleanly with a 409, never a 500.
 */
export async function incidentTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await dataSource.transaction('REPEATABLE READ', work);
  } catch (error) {
    const code = error instanceof QueryFailedError ? (error.driverError as { code?: string; constraint?: string }) : undefined;
    if (code?.code === '40001') {
      throw new ConflictException('The incident or its orders changed at the same moment; nothing was written, try again');
    }
    if (code?.code === '23505' && code.constraint === 'incident_order_one_open_incident') {
      throw new ConflictException('Some of these orders joined another open incident at the same moment; nothing was written, try again');
    }
    throw error;
  }
}
