import type { EntityManager } from 'typeorm';
import { underActiveQuarantine } from '../quarantine/quarantine-match.sql.js';
import { incidentNoticeTemplate, stepActions, type RunAction } from './run-lifecycle.js';

/** Which orders a run looks at. */
export interface RunScope {
  incidentId: string;
  actions: readonly RunAction[];
  /**
   * A requested run acts on the orders that were confirmed when it was
   * requested (and are still confirmed): an order confirmed later needs a new
   * run, so planning never acts beyond what the requester and approver saw.
   * Null for a preview: the orders confirmed now.
   */
  confirmedBy: Date | null;
}

/**
 * THE rule of what a run does to each order — "may this order be refunded?",
 * "how is its shipment stopped?" — in one place, used by both the preview and
 * the planning job, so a plan is its preview by construction.
 *
 * It classifies in set-based SQL into temporary tables of the caller's
 * transaction (dropped at commit), which the preview summarises and planning
 * both summarises and writes from:
 * - `rd_run_orders`: the incident's orders in scope (confirmed, and excluded ones to report);
 * - `rd_step_plan`: one row per (order, step action) with its operation, or the reason it is skipped;
 * - `rd_notice_plan`: one row per customer of the confirmed orders (when the run notifies);
 * - `rd_device_plan`: one row per device of the confirmed orders (when it quarantines).
 *
 * The transaction must not be read-only (temporary tables) and should be
 * REPEATABLE READ, so every figure comes from one snapshot.
 */
export async function classifyRun(manager: EntityManager, scope: RunScope): Promise<void> {
  await manager.query(`
    DROP TABLE IF EXISTS rd_run_orders, rd_step_plan, rd_notice_plan, rd_device_plan;
    CREATE TEMP TABLE rd_run_orders (
      order_id uuid PRIMARY KEY, external_id text, membership text, customer_id uuid, device_id text, currency char(3),
      fulfilment_state text, payment_reference text, payment_state text, total_minor bigint, refunded_minor bigint,
      shipping_label_cost_minor bigint) ON COMMIT DROP;
    CREATE TEMP TABLE rd_step_plan (
      order_id uuid, external_id text, customer_id uuid, currency char(3), fulfilment_state text, action text,
      operation text, skip_reason text, amount_minor bigint, label_cost_minor bigint) ON COMMIT DROP;
    CREATE TEMP TABLE rd_notice_plan (customer_id uuid PRIMARY KEY, email text, orders bigint, skip_reason text) ON COMMIT DROP;
    CREATE TEMP TABLE rd_device_plan (device_id text PRIMARY KEY, orders bigint, skip_reason text) ON COMMIT DROP`);

  await manager.query(
    `INSERT INTO rd_run_orders
     SELECT o.id, o.external_id, io.status, o.customer_id, o.device_id, o.currency, o.fulfilment_state, o.payment_reference,
            o.payment_state, o.total_minor, o.refunded_minor, o.shipping_label_cost_minor
     FROM incident_order io JOIN orders o ON o.id = io.order_id
     WHERE io.incident_id = $1
       AND (io.status = 'excluded' OR (io.status = 'confirmed' AND ($2::timestamptz IS NULL OR io.changed_at <= $2::timestamptz)))`,
    [scope.incidentId, scope.confirmedBy],
  );

  const actions = stepActions.filter((action) => scope.actions.includes(action));
  if (actions.length) {
    // The first matching reason wins. An order another run holds is that run's, whatever else is true of it.
    await manager.query(
      `INSERT INTO rd_step_plan
       SELECT ro.order_id, ro.external_id, ro.customer_id, ro.currency, ro.fulfilment_state, a.action, op.operation,
              CASE
                WHEN ro.membership = 'excluded' THEN 'excluded'
                WHEN EXISTS (SELECT 1 FROM remediation_step s WHERE s.order_id = ro.order_id AND s.action = a.action
                               AND s.status NOT IN ('cancelled', 'skipped')) THEN 'in_another_run'
                WHEN op.operation IS NULL THEN 'already_stopped'
                WHEN a.action = 'refund' AND (ro.payment_reference IS NULL OR ro.total_minor = 0) THEN 'no_payment'
                WHEN a.action = 'refund' AND ro.payment_state = 'disputed' THEN 'disputed'
                WHEN a.action = 'refund' AND (ro.payment_state = 'refunded' OR ro.refunded_minor >= ro.total_minor) THEN 'already_refunded'
              END,
              -- A partly refunded charge is refunded for the rest only.
              CASE WHEN a.action = 'refund' THEN ro.total_minor - ro.refunded_minor END,
              -- Voiding a label gets its cost credited back.
              CASE WHEN op.operation = 'void_label' THEN ro.shipping_label_cost_minor END
       FROM rd_run_orders ro
       CROSS JOIN unnest($1::text[]) AS a(action)
       CROSS JOIN LATERAL (
         SELECT CASE
           WHEN a.action = 'refund' THEN 'refund'
           -- The goods are still here: cancel. A label exists: void it. On the road: intercept. Arrived: ask for them back.
           ELSE CASE ro.fulfilment_state
             WHEN 'unfulfilled' THEN 'cancel' WHEN 'label_created' THEN 'void_label'
             WHEN 'in_transit' THEN 'intercept' WHEN 'delivered' THEN 'request_return' END
         END AS operation) op`,
      [actions],
    );
  }

  if (scope.actions.includes('notify')) {
    // One notice per customer and incident, however many orders they had. Skipped: already_notified, no_email.
    await manager.query(
      `INSERT INTO rd_notice_plan
       SELECT cu.id, cu.email, count(*),
              CASE
                WHEN EXISTS (SELECT 1 FROM notification_outbox n WHERE n.incident_id = $1 AND n.customer_id = cu.id
                               AND n.template = $2 AND n.status <> 'cancelled') THEN 'already_notified'
                WHEN cu.email IS NULL OR btrim(cu.email) = '' THEN 'no_email'
              END
       FROM rd_run_orders ro JOIN customer cu ON cu.id = ro.customer_id
       WHERE ro.membership = 'confirmed'
       GROUP BY cu.id`,
      [scope.incidentId, incidentNoticeTemplate],
    );
  }

  if (scope.actions.includes('quarantine_devices')) {
    // Skipped: already_quarantined (by any active quarantine: device, firmware or model).
    const quarantined = underActiveQuarantine({ deviceId: 'd.id', model: 'd.model', firmware: 'd.firmware_version' });
    await manager.query(
      `INSERT INTO rd_device_plan
       SELECT d.id, count(*), CASE WHEN ${quarantined} THEN 'already_quarantined' END
       FROM rd_run_orders ro JOIN device d ON d.id = ro.device_id
       WHERE ro.membership = 'confirmed'
       GROUP BY d.id`,
    );
  }
}
