import { BadRequestException, ConflictException } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { SqlFilter } from '../database/sql-filter.js';
import { buildOrderFilter } from '../orders/orders-query.service.js';
import type { OrderFilter } from '../orders/orders.schemas.js';
import { incidentReference, type MembershipStatus } from './incident-lifecycle.js';

/** Which orders a membership change is about: named ids, or every order matching a filter. */
export type OrderSelection =
  { kind: 'ids'; orderIds: string[] } | { kind: 'filter'; filter: OrderFilter; expectedCount: number; field: string };

const maxConflictsListed = 20;

/**
 * Resolves a selection to a SQL filter over `orders o` and its exact count,
 * refusing unknown ids, a filter that matches nothing, and a filter whose
 * count is no longer the one the person confirmed.
 */
export async function resolveSelection(manager: EntityManager, selection: OrderSelection): Promise<{ filter: SqlFilter; count: number }> {
  if (selection.kind === 'ids') {
    const ids = [...new Set(selection.orderIds.map((id) => id.toLowerCase()))];
    const filter = new SqlFilter().where((p) => `o.id = ANY(${p(ids)}::uuid[])`);
    const missing: { id: string }[] = await manager.query(
      `SELECT id::text FROM unnest($1::uuid[]) AS wanted(id) WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.id = wanted.id) LIMIT 20`,
      [ids],
    );
    if (missing.length) {
      throw new BadRequestException({
        message: `Unknown order ids: ${missing.map((m) => m.id).join(', ')}`,
        fields: [{ field: 'orderIds', message: `name orders that do not exist (${missing.map((m) => m.id).join(', ')})` }],
      });
    }
    return { filter, count: ids.length };
  }

  const filter = buildOrderFilter(selection.filter);
  const [{ count }] = await manager.query(`SELECT count(*) AS count FROM orders o ${filter.sql}`, filter.params);
  if (count === 0) {
    throw new BadRequestException({
      message: 'The filter matches no orders; nothing was changed',
      fields: [{ field: selection.field, message: 'matches no orders' }],
    });
  }
  if (count !== selection.expectedCount) {
    throw new ConflictException(
      `The filter now matches ${count} orders, not ${selection.expectedCount}; check the scope again and confirm the new count`,
    );
  }
  return { filter, count };
}

/**
 * An order is suspected or confirmed in at most one open incident. Refuses
 * with the first conflicting orders and their incidents, so the person can
 * exclude them from the selection or from the other incident.
 */
export async function assertNoConflicts(manager: EntityManager, filter: SqlFilter, exceptIncidentId: string | null): Promise<void> {
  const params = [...filter.params, exceptIncidentId];
  const rows: { orderId: string; number: number; total: number }[] = await manager.query(
    `SELECT io.order_id AS "orderId", i.number, count(*) OVER () AS total
     FROM incident_order io JOIN incident i ON i.id = io.incident_id
     WHERE io.open AND io.status <> 'excluded'
       AND ($${params.length}::uuid IS NULL OR io.incident_id <> $${params.length}::uuid)
       AND io.order_id IN (SELECT o.id FROM orders o ${filter.sql})
     ORDER BY i.number, io.order_id LIMIT ${maxConflictsListed}`,
    params,
  );
  if (!rows.length) return;
  const total = rows[0]!.total;
  const listed = rows.map((r) => `${r.orderId} (${incidentReference(r.number)})`).join(', ');
  throw new ConflictException(
    `${total} of these orders ${total === 1 ? 'is' : 'are'} already in another open incident; nothing was written. ` +
      `${total > rows.length ? `The first ${rows.length}: ` : ''}${listed}`,
  );
}

export interface MembershipCounts {
  /** Orders the selection named. */
  matched: number;
  /** Newly joined the incident. */
  added: number;
  /** Were members with another status. */
  changed: number;
  /** Already had this status (their earlier reason is kept). */
  unchanged: number;
}

/** Sets the selected orders' status in the incident, adding those not yet members. */
export async function writeMembers(
  manager: EntityManager,
  options: { incidentId: string; filter: SqlFilter; count: number; status: MembershipStatus; reason: string | null; actorId: string },
): Promise<MembershipCounts> {
  const { filter } = options;
  const params = [...filter.params, options.incidentId, options.status, options.reason, options.actorId];
  const n = filter.params.length;
  const [{ added, changed }] = await manager.query(
    `WITH written AS (
       INSERT INTO incident_order (incident_id, order_id, status, reason, changed_by, changed_at)
       SELECT $${n + 1}::uuid, o.id, $${n + 2}, $${n + 3}, $${n + 4}::uuid, now() FROM orders o ${filter.sql}
       ON CONFLICT (incident_id, order_id) DO UPDATE
         SET status = EXCLUDED.status, reason = EXCLUDED.reason, changed_by = EXCLUDED.changed_by, changed_at = EXCLUDED.changed_at
         WHERE incident_order.status <> EXCLUDED.status
       RETURNING (xmax = 0) AS inserted
     )
     SELECT count(*) FILTER (WHERE inserted) AS added, count(*) FILTER (WHERE NOT inserted) AS changed FROM written`,
    params,
  );
  return { matched: options.count, added, changed, unchanged: options.count - added - changed };
}

/**
 * The attack started with its first fraudulent order: the earliest member not
 * excluded. It cannot have started after it was detected (orders that joined
 * later extend the attack, they do not start it), hence the cap.
 */
export async function refreshStartedAt(manager: EntityManager, incidentId: string): Promise<void> {
  await manager.query(
    `UPDATE incident i SET started_at = LEAST(first.placed_at, i.detected_at), updated_at = now()
     FROM (SELECT min(o.placed_at) AS placed_at FROM incident_order io JOIN orders o ON o.id = io.order_id
           WHERE io.incident_id = $1 AND io.status <> 'excluded') first
     WHERE i.id = $1 AND first.placed_at IS NOT NULL AND i.started_at IS DISTINCT FROM LEAST(first.placed_at, i.detected_at)`,
    [incidentId],
  );
}
