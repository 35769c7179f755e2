import type { EntityManager } from 'typeorm';
import { PreparedStatement } from '../../database/prepared-statement.js';
import type { NoticeContent, NoticeOrder, NoticeTemplate, RefundOutcome, ShipmentOutcome } from '../../notifications/customer-notice.js';

interface OrderRow {
  orderId: string;
  externalId: string;
  placedAt: Date;
  currency: string;
  totalMinor: number;
  paymentState: string;
  shipStatus: string | null;
  shipOperation: string | null;
  shipCode: string | null;
  refundStatus: string | null;
  refundCode: string | null;
  refundId: string | null;
  refundAmountMinor: number | null;
  refundCurrency: string | null;
  refundProviderStatus: string | null;
}

/**
 * The step that speaks for an order and action: at most one is neither cancelled nor skipped
 * (the once-per-order index); without one, the latest skip says why nothing was done.
 */
const latestStep = (action: 'stop_shipment' | 'refund') =>
  `SELECT st.status, st.operation, st.error_code, st.provider_ref FROM remediation_step st
    WHERE st.order_id = o.id AND st.action = '${action}' AND st.status <> 'cancelled'
    ORDER BY st.status = 'skipped', st.updated_at DESC LIMIT 1`;

/**
 * Each wanted (incident, customer)'s orders confirmed in that incident, with their steps and refund.
 * Driven from the customers' orders (a few each; materialized so the planner keeps it that way),
 * each looked up in the incident by key behind an OFFSET 0 fence: joined freely, a planner whose
 * statistics still had the just-confirmed incident empty read every confirmed member for each
 * notice (10,000 rows per notice in a 10k-order run). Exported for test/api/engine-query-plans.test.ts,
 * which holds it to that.
 */
export const customerOrders = new PreparedStatement(`
  WITH theirs AS MATERIALIZED (
    SELECT w.incident_id, w.customer_id, o.id FROM unnest($1::uuid[], $2::uuid[]) AS w(incident_id, customer_id)
      JOIN orders o ON o.customer_id = w.customer_id)
  SELECT t.incident_id AS "incidentId", t.customer_id AS "customerId",
         o.id AS "orderId", o.external_id AS "externalId", o.placed_at AS "placedAt", o.currency, o.total_minor AS "totalMinor",
         o.payment_state AS "paymentState",
         ss.status AS "shipStatus", ss.operation AS "shipOperation", ss.error_code AS "shipCode",
         rs.status AS "refundStatus", rs.error_code AS "refundCode", pr.id AS "refundId", pr.amount_minor AS "refundAmountMinor",
         pr.currency AS "refundCurrency", pr.status AS "refundProviderStatus"
    FROM theirs t
    JOIN orders o ON o.id = t.id
    CROSS JOIN LATERAL (SELECT io.status FROM incident_order io WHERE io.incident_id = t.incident_id AND io.order_id = o.id OFFSET 0) io
    LEFT JOIN LATERAL (${latestStep('stop_shipment')}) ss ON true
    LEFT JOIN LATERAL (${latestStep('refund')}) rs ON true
    LEFT JOIN payment_refund pr ON pr.id = rs.provider_ref
   WHERE io.status = 'confirmed'
   ORDER BY o.placed_at, o.external_id`);

/** What a notice's content is built for. */
export interface NoticeSubject {
  incidentId: string;
  customerId: string;
  template: NoticeTemplate;
  incidentNumber: number;
  customerName: string | null;
  runActions: string[];
}

/**
 * The facts of customers' notices (one read for them all), from the steps and
 * refunds as they are now: every order of the customer confirmed in the
 * incident, what happened to its shipment, and whether it was refunded. A
 * refund counts as refunded only while no one has said it failed.
 */
export async function buildNoticeContents(manager: EntityManager, notices: NoticeSubject[]): Promise<NoticeContent[]> {
  if (!notices.length) return [];
  const rows = await customerOrders.run<OrderRow & { incidentId: string; customerId: string }>(manager, [
    notices.map((notice) => notice.incidentId),
    notices.map((notice) => notice.customerId),
  ]);
  const ordersOf = new Map<string, NoticeOrder[]>();
  for (const row of rows) {
    const key = `${row.incidentId}/${row.customerId}`;
    const list = ordersOf.get(key);
    if (list) list.push(toNoticeOrder(row));
    else ordersOf.set(key, [toNoticeOrder(row)]);
  }
  return notices.map((notice) => ({
    template: notice.template,
    customerName: notice.customerName,
    incidentNumber: notice.incidentNumber,
    devicesBlocked: notice.runActions.includes('quarantine_devices'),
    orders: ordersOf.get(`${notice.incidentId}/${notice.customerId}`) ?? [],
  }));
}

/** One customer's notice content (buildNoticeContents for one). */
export async function buildNoticeContent(manager: EntityManager, notice: NoticeSubject): Promise<NoticeContent> {
  return (await buildNoticeContents(manager, [notice]))[0]!;
}

function toNoticeOrder(row: OrderRow): NoticeOrder {
  const currency = row.currency.trim();
  const order: NoticeOrder = {
    orderId: row.orderId,
    externalId: row.externalId,
    placedAt: new Date(row.placedAt).toISOString(),
    total: { amountMinor: Number(row.totalMinor), currency },
    shipment: shipmentOutcome(row),
    refund: refundOutcome(row),
  };
  if (row.refundId && (order.refund === 'refunded' || order.refund === 'failed')) {
    order.refundId = row.refundId;
    order.refunded = { amountMinor: Number(row.refundAmountMinor), currency: row.refundCurrency!.trim() };
  }
  return order;
}

function shipmentOutcome(row: OrderRow): ShipmentOutcome {
  if (row.shipStatus === 'succeeded') return row.shipOperation === 'request_return' ? 'return_requested' : 'stopped';
  if (row.shipStatus === 'skipped' && row.shipCode === 'already_stopped') return 'stopped';
  if (row.shipStatus === 'skipped' || row.shipStatus === 'failed') return 'not_stopped';
  return 'none';
}

function refundOutcome(row: OrderRow): RefundOutcome {
  switch (row.refundStatus) {
    case 'succeeded':
      return row.refundProviderStatus === 'failed' || row.refundProviderStatus === 'canceled' ? 'failed' : 'refunded';
    case 'failed':
      return 'failed';
    case 'skipped':
      if (row.refundCode === 'already_refunded') return 'already_refunded';
      if (row.refundCode === 'disputed') return 'disputed';
      if (row.refundCode === 'no_payment') return 'no_payment';
      return 'none';
    default:
      return row.paymentState === 'refunded' ? 'already_refunded' : 'none';
  }
}
