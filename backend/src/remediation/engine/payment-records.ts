import type { EntityManager } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';
import { uuidOrNull } from '../../http/is-uuid.js';
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
  /** Why the provider failed or cancelled it, as now recorded. */
  failureReason: string | null;
  orderId: string | null;
  stepId: string | null;
}

/**
 * Inserts refunds as first known (their order and step when they are ours) or merges known ones
 * forward, in one round trip, in id order: each `inserted`, or `changed` (moved to a later state),
 * or neither (known at this state or a later one: read as it is). Either way the rows are locked
 * until commit (ON CONFLICT DO UPDATE locks the conflicting row even when its WHERE leaves it
 * unchanged). A row a concurrent transaction committed while this one waited is not in this
 * statement's snapshot: then it does not come back and `refundsLock` reads it.
 */
const refundsUpsert = new PreparedStatement(
  `WITH input AS (
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[], $5::uuid[], $6::bigint[], $7::text[], $8::text[], $9::text[],
                          $10::float8[])
       AS i(id, charge_id, payment_intent_id, order_id, step_id, amount_minor, currency, status, failure_reason, created)
   ), up AS (
     INSERT INTO payment_refund (id, charge_id, payment_intent_id, order_id, step_id, amount_minor, currency, status, failure_reason, provider_created_at)
     SELECT i.id, i.charge_id, i.payment_intent_id,
            COALESCE((SELECT id FROM orders WHERE id = i.order_id),
                     (SELECT id FROM orders WHERE payment_reference IN (i.payment_intent_id, i.charge_id) ORDER BY placed_at LIMIT 1)),
            (SELECT id FROM remediation_step WHERE id = i.step_id), i.amount_minor, i.currency, i.status, i.failure_reason, to_timestamp(i.created)
       FROM input i ORDER BY i.id
       ON CONFLICT (id) DO UPDATE SET status = EXCLUDED.status, failure_reason = COALESCE(EXCLUDED.failure_reason, payment_refund.failure_reason),
                                      updated_at = now()
          WHERE ${refundRankOf('EXCLUDED.status')} > ${refundRankOf('payment_refund.status')}
       RETURNING id, xmax = 0 AS inserted, true AS changed, status, failure_reason, order_id, step_id)
   SELECT * FROM up
   UNION ALL
   SELECT p.id, false, false, p.status, p.failure_reason, p.order_id, p.step_id FROM payment_refund p
    WHERE p.id = ANY($1::text[]) AND NOT EXISTS (SELECT 1 FROM up WHERE up.id = p.id)`,
);
const refundsLock = new PreparedStatement(
  `SELECT id, false AS inserted, false AS changed, status, failure_reason, order_id, step_id FROM payment_refund
    WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE`,
);

interface UpsertedRefund {
  id: string;
  inserted: boolean;
  changed: boolean;
  status: RefundStatus;
  failure_reason: string | null;
  order_id: string | null;
  step_id: string | null;
}

/**
 * Inserts or merges refunds (in the caller's transaction) and refreshes the payment summary of every
 * order one of them changed. Two records of one refund (two events carrying it) count as the more
 * advanced one. Returns each refund's change by id.
 */
export async function recordRefunds(manager: EntityManager, records: RefundRecord[]): Promise<Map<string, RefundChange>> {
  const changes = new Map<string, RefundChange>();
  if (!records.length) return changes;
  const latest = new Map<string, RefundRecord>();
  for (const record of records) {
    const known = latest.get(record.id);
    if (!known || refundRank[record.status] > refundRank[known.status]) latest.set(record.id, record);
  }
  const refunds = [...latest.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
  const rows = await refundsUpsert.run<UpsertedRefund>(manager, [
    refunds.map((refund) => refund.id),
    refunds.map((refund) => refund.chargeId),
    refunds.map((refund) => refund.paymentIntentId),
    refunds.map((refund) => uuidOrNull(refund.metadata.order_id)),
    refunds.map((refund) => uuidOrNull(refund.metadata.step_id)),
    refunds.map((refund) => refund.amountMinor),
    refunds.map((refund) => refund.currency),
    refunds.map((refund) => refund.status),
    refunds.map((refund) => refund.failureReason),
    refunds.map((refund) => refund.created),
  ]);
  const missing = refunds.filter((refund) => !rows.some((row) => row.id === refund.id)).map((refund) => refund.id);
  if (missing.length) rows.push(...(await refundsLock.run<UpsertedRefund>(manager, [missing])));
  for (const row of rows) {
    changes.set(row.id, {
      changed: row.inserted || row.changed,
      after: row.status,
      failureReason: row.failure_reason,
      orderId: row.order_id,
      stepId: row.step_id,
    });
  }
  // A repeat of what we knew (a webhook for a refund the step already recorded) leaves the order as it is.
  const touched = [...new Set(rows.filter((row) => row.order_id && (row.inserted || row.changed)).map((row) => row.order_id!))];
  await refreshOrderPayments(manager, touched);
  return changes;
}

/** Inserts or merges one refund (recordRefunds for one). */
export async function recordRefund(manager: EntityManager, refund: RefundRecord): Promise<RefundChange> {
  return (await recordRefunds(manager, [refund])).get(refund.id)!;
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
  if (orderId) await refreshOrderPayments(manager, [orderId]);
  return { orderId, applied: rows.length > 0 };
}

/**
 * `orders.payment_state` and `refunded_minor` from the refunds and disputes we
 * know of: refunds in the order's currency that are not failed count as
 * refunded (a pending refund is on its way). The orders are locked in id
 * order first, as every writer of several orders does.
 */
const orderPaymentRefresh = new PreparedStatement(
  `WITH locked AS MATERIALIZED (SELECT id FROM orders WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE)
   UPDATE orders o
        SET refunded_minor = LEAST(o.total_minor, r.refunded),
            payment_state = CASE
              WHEN d.disputed THEN 'disputed'
              WHEN r.refunded >= o.total_minor AND o.total_minor > 0 THEN 'refunded'
              WHEN r.failed THEN 'refund_failed'
              WHEN r.refunded > 0 THEN 'partially_refunded'
              ELSE 'captured' END,
            updated_at = now()
       FROM locked l
            CROSS JOIN LATERAL (
              SELECT COALESCE(sum(p.amount_minor) FILTER (WHERE p.status IN ('pending', 'requires_action', 'succeeded')), 0) AS refunded,
                     COALESCE(bool_or(p.status IN ('failed', 'canceled')), false) AS failed
                FROM payment_refund p JOIN orders po ON po.id = p.order_id
               WHERE p.order_id = l.id AND p.currency = po.currency) r
            CROSS JOIN LATERAL (SELECT EXISTS (SELECT 1 FROM payment_dispute WHERE order_id = l.id AND ${openOrLostDispute}) AS disputed) d
      WHERE o.id = l.id`,
);

/** Refreshes the orders' payment summary (see `orderPaymentRefresh`). */
export async function refreshOrderPayments(manager: EntityManager, orderIds: string[]): Promise<void> {
  if (orderIds.length) await orderPaymentRefresh.run(manager, [orderIds]);
}
