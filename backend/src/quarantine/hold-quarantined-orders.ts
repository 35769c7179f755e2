import type { EntityManager } from 'typeorm';
import { activeQuarantine, quarantineCovers } from './quarantine-match.sql.js';

/**
 * Holds just-written orders whose device — or the model and firmware the order
 * was placed with — is under an active quarantine, in one statement per batch.
 * The first InitPlan skips all per-order work while nothing is quarantined,
 * which is the common case, so ingestion throughput is unchanged. A hold is
 * never lifted here: releasing an order is a person's decision.
 */
export async function holdQuarantinedOrders(manager: EntityManager, orderIds: string[]): Promise<number> {
  if (orderIds.length === 0) return 0;
  const covers = quarantineCovers('q', { deviceId: 'o.device_id', model: 'o.device_model', firmware: 'o.firmware_version' });
  const [, held] = await manager.query(
    `WITH matched AS (
       SELECT o.id, (SELECT q.reason FROM quarantine q WHERE ${activeQuarantine('q')} AND ${covers}
                     ORDER BY q.created_at LIMIT 1) AS reason
       FROM orders o
       WHERE o.id = ANY($1::uuid[]) AND NOT o.held
         AND EXISTS (SELECT 1 FROM quarantine aq WHERE ${activeQuarantine('aq')})
     )
     UPDATE orders o SET held = true, hold_reason = 'device quarantined: ' || m.reason, updated_at = now()
     FROM matched m WHERE o.id = m.id AND m.reason IS NOT NULL`,
    [orderIds],
  );
  return held;
}
