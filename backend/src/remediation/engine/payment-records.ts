import type { EntityManager } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';
import { isUuid } from '../../http/is-uuid.js';
import type { RefundRecord, RefundStatus } from '../../payments/payment-provider.js';

/**
 * What we know of the payment provider's refunds and disputes, written by the
 * refund steps and by the provider's webhooks alike — whichever comes first —
 * and the order's payment summary (`orders.payment_state`, `refunded_minor`)
 * derived from them. Every write merges: a state only moves forward, so an
 * event that arrives late, twice or out of order changes nothing it should not.
 */

/** A refund's states in the order they can follow each other; failed and canceled are final. */
export const refundRank: Record<RefundStatus, number> = { pending: 0, requires_action: 1, succeeded: 2, failed: 3, canceled: 3 };

/** `refundRank` in SQL, of a status column or expression. */
export const refundRankOf = (expression: string) =>
  `CASE ${expression} ${Object.entries(refundRank)
    .map(([status, rank]) => `WHEN '${status}' THEN ${rank}`)
    .join(' ')} END`;

export interface RefundChange {
  /** First known now, or moved forward from an earlier state: false when it was known at `after` already. */
  changed: boolean;
  after: RefundStatus;
  orderId: string | null;
  stepId: string | null;
}

/**
 * Inserts a refund as first known (its order and step when they are ours) or merges a known one
 * forward, in one round trip: `inserted`, or `changed` (moved to a later state), or neither (known
 * at this state or a later one: read as it is). Either way the row is locked until commit (ON
 * CONFLICT DO UPDATE locks the conflicting row even when its WHERE leaves it unchanged). A row a
 * concurrent transaction committed while this one waited is not in this statement's snapshot:
 * then nothing comes back and `refundLock` reads it.
 */
const refundUpsert = new PreparedStatement(
  `WITH up AS (
     INSERT INTO payment_refund (id, charge_id, payment_intent_id, order_id, step_id, amount_minor, currency, status, failure_reason, provider_created_at)
       VALUES ($1, $2, $3,
               COALESCE((SELECT id FROM orders WHERE id = $4::uuid), (SELECT id FROM orders WHERE payment_reference = ANY($5::text[]) ORDER BY placed_at LIMIT 1)),
               (SELECT id FROM remediation_step WHERE id = $6::uuid), $7, $8, $9, $10, to_timestamp($11))
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, failure_reason = COALESCE(EXCLUDED.failure_reason, payment_refund.failure_reason),
                                      updated_at = now()
          WHERE ${refundRankOf('EXCLUDED.status')} > ${refundRankOf('payment_refund.status')}
       RETURNING xmax = 0 AS inserted, true AS changed, status, order_id, step_id)
   SELECT * FROM up
   UNION ALL
   SELECT false, false, status, order_id, step_id FROM payment_refund WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM up)`,
);
const refundLock = new PreparedStatement(
  `SELECT false AS inserted, false AS changed, status, order_id, step_id FROM payment_refund WHERE id = $1 FOR UPDATE`,
);

interface UpsertedRefund {
  inserted: boolean;
  changed: boolean;
  status: RefundStatus;
  order_id: string | null;
  step_id: string | null;
}

/** Inserts or merges one refund (in the caller's transaction) and refreshes its order's payment summary. */
export async function recordRefund(manager: EntityManager, refund: RefundRecord): Promise<RefundChange> {
  const stepId = refund.metadata.step_id && isUuid(refund.metadata.step_id) ? refund.metadata.step_id : null;
  const orderId = refund.metadata.order_id && isUuid(refund.metadata.order_id) ? refund.metadata.order_id : null;
  const references = [refund.paymentIntentId, refund.chargeId].filter((ref): ref is string => Boolean(ref));
  const [upserted] = await refundUpsert.run<UpsertedRefund>(manager, [
    refund.id,
    refund.chargeId,
    refund.paymentIntentId,
    orderId,
    references,
    stepId,
    refund.amountMinor,
    refund.currency,
    refund.status,
    refund.failureReason,
    refund.created,
  ]);
  const row = upserted ?? (await refundLock.run<UpsertedRefund>(manager, [refund.id]))[0]!;
  const changed = row.inserted || row.changed;
  // A repeat of what we knew (a webhook for a refund the step already recorded) leaves the order as it is.
  if (row.order_id && changed) await refreshOrderPayment(manager, row.order_id);
  return { changed, after: row.status, orderId: row.order_id, stepId: row.step_id };
}

/** Stripe's dispute states by how far along they are; a closed dispute does not reopen. */
const disputeRank = `CASE $S WHEN 'won' THEN 2 WHEN 'lost' THEN 2 WHEN 'warning_closed' THEN 2 WHEN 'prevented' THEN 2
  WHEN 'under_review' THEN 1 WHEN 'warning_under_review' THEN 1 ELSE 0 END`;
const rankOf = (expression: string) => disputeRank.replace('$S', expression);

/** Dispute states in which the money is (or may end up) with the cardholder's bank: the order is not refunded by us. */
export const openOrLostDispute = `status NOT IN ('won', 'warning_closed', 'prevented')`;

export interface DisputeRecord {
  id: string;
  chargeId: string;
  paymentIntentId: string | null;
  status: string;
  reason: string | null;
  amountMinor: number;
  currency: string;
  /** The event's `created` (unix seconds): the newer event wins, equal ones by how far along the state is. */
  eventCreated: number;
}

export async function recordDispute(manager: EntityManager, dispute: DisputeRecord): Promise<{ orderId: string | null; applied: boolean }> {
  const rows = await manager.query(
    `INSERT INTO payment_dispute AS d (id, charge_id, payment_intent_id, order_id, status, reason, amount_minor, currency, event_created_at)
     VALUES ($1, $2, $3, (SELECT id FROM orders WHERE payment_reference = ANY($4::text[]) ORDER BY placed_at LIMIT 1), $5, $6, $7, $8, to_timestamp($9))
     ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, reason = EXCLUDED.reason, amount_minor = EXCLUDED.amount_minor,
       event_created_at = EXCLUDED.event_created_at, order_id = COALESCE(d.order_id, EXCLUDED.order_id), updated_at = now()
     WHERE (EXCLUDED.event_created_at, ${rankOf('EXCLUDED.status')}) > (d.event_created_at, ${rankOf('d.status')})
     RETURNING order_id`,
    [
      dispute.id,
      dispute.chargeId,
      dispute.paymentIntentId,
      [dispute.chargeId, dispute.paymentIntentId].filter(Boolean),
      dispute.status,
      dispute.reason,
      dispute.amountMinor,
      dispute.currency,
      dispute.eventCreated,
    ],
  );
  const orderId: string | null = rows[0]?.order_id ?? null;
  if (orderId) await refreshOrderPayment(manager, orderId);
  return { orderId, applied: rows.length > 0 };
}

/**
 * `orders.payment_state` and `refunded_minor` from the refunds and disputes we
 * know of: refunds in the order's currency that are not failed count as
 * refunded (a pending refund is on its way).
 */
const orderPaymentRefresh = new PreparedStatement(
  `UPDATE orders o
        SET refunded_minor = LEAST(o.total_minor, r.refunded),
            payment_state = CASE
              WHEN d.disputed THEN 'disputed'
              WHEN r.refunded >= o.total_minor AND o.total_minor > 0 THEN 'refunded'
              WHEN r.failed THEN 'refund_failed'
              WHEN r.refunded > 0 THEN 'partially_refunded'
              ELSE 'captured' END,
            updated_at = now()
       FROM (SELECT COALESCE(sum(p.amount_minor) FILTER (WHERE p.status IN ('pending', 'requires_action', 'succeeded')), 0) AS refunded,
                    COALESCE(bool_or(p.status IN ('failed', 'canceled')), false) AS failed
               FROM payment_refund p JOIN orders po ON po.id = p.order_id
              WHERE p.order_id = $1 AND p.currency = po.currency) r,
            (SELECT EXISTS (SELECT 1 FROM payment_dispute WHERE order_id = $1 AND ${openOrLostDispute}) AS disputed) d
      WHERE o.id = $1`,
);

/** Refreshes the order's payment summary (see `orderPaymentRefresh`). */
export async function refreshOrderPayment(manager: EntityManager, orderId: string): Promise<void> {
  await orderPaymentRefresh.run(manager, [orderId]);
}
