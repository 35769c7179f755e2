import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { holdQuarantinedOrders } from '../quarantine/hold-quarantined-orders.js';
import type { NormalisedOrder } from './normalise-order.js';

export interface BatchResult {
  created: number;
  updated: number;
  unchanged: number;
}

/** Joins SKU lists into one text per order (unnest cannot take ragged 2-D arrays). */
const skuSeparator = '\u001f';

/**
 * Writes a batch of orders with their customers, devices and lines in a few
 * set-based statements (multi-row INSERT … SELECT FROM unnest … ON CONFLICT),
 * idempotent by (source, external id): a re-send updates in place, and an
 * identical re-send writes nothing at all. Runs in the caller's transaction.
 */
export async function writeOrderBatch(manager: EntityManager, batch: NormalisedOrder[]): Promise<BatchResult> {
  const orders = lastPerKey(batch, (o) => `${o.source}\u0000${o.externalId}`);
  if (orders.length === 0) return { created: 0, updated: 0, unchanged: 0 };

  const customerIds = await upsertCustomers(manager, orders);
  await upsertDevices(manager, orders, customerIds);
  const written = await upsertOrders(manager, orders, customerIds);
  // Same transaction as the write: an order from a quarantined device is never visible unheld.
  const writtenIds = written.map((row) => row.id);
  await holdQuarantinedOrders(manager, writtenIds);
  await replaceLines(manager, orders, written);

  const created = written.filter((row) => row.inserted).length;
  return { created, updated: written.length - created, unchanged: batch.length - written.length };
}

/** The last item per key, in key order: concurrent batches then lock rows in one order and cannot deadlock. */
function lastPerKey<T>(items: T[], key: (item: T) => string): T[] {
  const map = new Map<string, T>();
  for (const item of items) map.set(key(item), item);
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
}

async function upsertCustomers(manager: EntityManager, orders: NormalisedOrder[]): Promise<Map<string, string>> {
  const customers = lastPerKey(
    orders.map((o) => o.customer),
    (c) => c.externalId,
  );
  // Unchanged customers are not rewritten; the final SELECT still returns their ids
  // (a CTE's outer query sees the table as it was, so the two halves never overlap).
  const rows: { id: string; external_id: string }[] = await manager.query(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[]) AS t(external_id, email, name)
     ), upserted AS (
       INSERT INTO customer (external_id, email, name)
       SELECT external_id, email, name FROM input
       ON CONFLICT (external_id) DO UPDATE
         SET email = COALESCE(EXCLUDED.email, customer.email), name = COALESCE(EXCLUDED.name, customer.name), updated_at = now()
         WHERE (customer.email, customer.name) IS DISTINCT FROM (COALESCE(EXCLUDED.email, customer.email), COALESCE(EXCLUDED.name, customer.name))
       RETURNING id, external_id
     )
     SELECT id, external_id FROM upserted
     UNION ALL
     SELECT c.id, c.external_id FROM customer c JOIN input i USING (external_id)
     WHERE NOT EXISTS (SELECT 1 FROM upserted u WHERE u.external_id = c.external_id)`,
    [customers.map((c) => c.externalId), customers.map((c) => c.email), customers.map((c) => c.name)],
  );
  const ids = new Map(rows.map((row) => [row.external_id, row.id]));
  // A customer inserted by a concurrent batch that committed while we waited on
  // its row is invisible to the statement above (its snapshot is older); a new
  // statement sees it.
  const missing = customers.filter((c) => !ids.has(c.externalId)).map((c) => c.externalId);
  if (missing.length) {
    const late: { id: string; external_id: string }[] = await manager.query(
      `SELECT id, external_id FROM customer WHERE external_id = ANY($1::text[])`,
      [missing],
    );
    for (const row of late) ids.set(row.external_id, row.id);
  }
  return ids;
}

async function upsertDevices(manager: EntityManager, orders: NormalisedOrder[], customerIds: Map<string, string>) {
  // The newest order in the batch says what model and firmware a device runs now.
  const newestFirst = [...orders].filter((o) => o.device).sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  const devices = lastPerKey(newestFirst, (o) => o.device!.id);
  if (devices.length === 0) return;
  await manager.query(
    `INSERT INTO device (id, model, firmware_version, customer_id)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::uuid[])
     ON CONFLICT (id) DO UPDATE
       SET model = EXCLUDED.model, firmware_version = EXCLUDED.firmware_version, customer_id = EXCLUDED.customer_id, updated_at = now()
       WHERE (device.model, device.firmware_version, device.customer_id) IS DISTINCT FROM (EXCLUDED.model, EXCLUDED.firmware_version, EXCLUDED.customer_id)`,
    [
      devices.map((o) => o.device!.id),
      devices.map((o) => o.device!.model),
      devices.map((o) => o.device!.firmwareVersion),
      devices.map((o) => customerIds.get(o.customer.externalId)),
    ],
  );
}

interface WrittenOrder {
  id: string;
  source: string;
  external_id: string;
  inserted: boolean;
}

async function upsertOrders(manager: EntityManager, orders: NormalisedOrder[], customerIds: Map<string, string>): Promise<WrittenOrder[]> {
  const column = <T>(pick: (o: NormalisedOrder) => T) => orders.map(pick);
  return manager.query(
    `INSERT INTO orders (source, external_id, customer_id, device_id, device_model, firmware_version, placed_at, currency,
                         subtotal_minor, shipping_charged_minor, total_minor, shipping_label_cost_minor, cost_of_goods_minor,
                         payment_reference, fulfilment_state, carrier, tracking_number, ship_to, ship_to_hash, skus, line_count, content_hash)
     SELECT source, external_id, customer_id, device_id, device_model, firmware_version, placed_at, currency,
            subtotal, shipping_charged, subtotal + shipping_charged, label_cost, cost_of_goods,
            payment_reference, fulfilment_state, carrier, tracking_number, ship_to, ship_to_hash,
            string_to_array(skus, E'\\x1f'), line_count, content_hash
     FROM unnest($1::text[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[],
                 $9::bigint[], $10::bigint[], $11::bigint[], $12::bigint[], $13::text[], $14::text[], $15::text[], $16::text[],
                 $17::jsonb[], $18::text[], $19::text[], $20::int[], $21::text[])
       AS t(source, external_id, customer_id, device_id, device_model, firmware_version, placed_at, currency,
            subtotal, shipping_charged, label_cost, cost_of_goods, payment_reference, fulfilment_state, carrier, tracking_number,
            ship_to, ship_to_hash, skus, line_count, content_hash)
     ON CONFLICT (source, external_id) DO UPDATE SET
       customer_id = EXCLUDED.customer_id, device_id = EXCLUDED.device_id, device_model = EXCLUDED.device_model,
       firmware_version = EXCLUDED.firmware_version, placed_at = EXCLUDED.placed_at, currency = EXCLUDED.currency,
       subtotal_minor = EXCLUDED.subtotal_minor, shipping_charged_minor = EXCLUDED.shipping_charged_minor,
       total_minor = EXCLUDED.total_minor, shipping_label_cost_minor = EXCLUDED.shipping_label_cost_minor,
       cost_of_goods_minor = EXCLUDED.cost_of_goods_minor, payment_reference = EXCLUDED.payment_reference,
       fulfilment_state = EXCLUDED.fulfilment_state, carrier = EXCLUDED.carrier, tracking_number = EXCLUDED.tracking_number,
       ship_to = EXCLUDED.ship_to, ship_to_hash = EXCLUDED.ship_to_hash, skus = EXCLUDED.skus, line_count = EXCLUDED.line_count,
       content_hash = EXCLUDED.content_hash, updated_at = now()
       WHERE orders.content_hash <> EXCLUDED.content_hash
     RETURNING id, source, external_id, (xmax = 0) AS inserted`,
    [
      column((o) => o.source),
      column((o) => o.externalId),
      column((o) => customerIds.get(o.customer.externalId)),
      column((o) => o.device?.id ?? null),
      column((o) => o.device?.model ?? null),
      column((o) => o.device?.firmwareVersion ?? null),
      column((o) => o.placedAt.toISOString()),
      column((o) => o.currency),
      column((o) => o.subtotalMinor),
      column((o) => o.shippingChargedMinor),
      column((o) => o.shippingLabelCostMinor),
      column((o) => o.costOfGoodsMinor),
      column((o) => o.paymentReference),
      column((o) => o.fulfilmentState),
      column((o) => o.carrier),
      column((o) => o.trackingNumber),
      column((o) => JSON.stringify(o.shipTo)),
      column((o) => o.shipToHash),
      column((o) => o.skus.join(skuSeparator)),
      column((o) => o.lines.length),
      column(contentHash),
    ],
  );
}

async function replaceLines(manager: EntityManager, orders: NormalisedOrder[], written: WrittenOrder[]) {
  if (written.length === 0) return;
  const byKey = new Map(orders.map((o) => [`${o.source}\u0000${o.externalId}`, o]));
  const updatedIds = written.filter((row) => !row.inserted).map((row) => row.id);
  if (updatedIds.length) await manager.query(`DELETE FROM order_line WHERE order_id = ANY($1::uuid[])`, [updatedIds]);

  const columns: [string[], number[], string[], number[], number[], number[]] = [[], [], [], [], [], []];
  for (const row of written) {
    const order = byKey.get(`${row.source}\u0000${row.external_id}`)!;
    order.lines.forEach((line, index) => {
      columns[0].push(row.id);
      columns[1].push(index + 1);
      columns[2].push(line.sku);
      columns[3].push(line.quantity);
      columns[4].push(line.unitPriceMinor);
      columns[5].push(line.unitCostMinor);
    });
  }
  await manager.query(
    `INSERT INTO order_line (order_id, line_no, sku, quantity, unit_price_minor, unit_cost_minor)
     SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::int[], $5::bigint[], $6::bigint[])`,
    columns,
  );
}

function contentHash(order: NormalisedOrder): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        order.customer,
        order.device,
        order.placedAt,
        order.currency,
        order.lines,
        order.shippingChargedMinor,
        order.shippingLabelCostMinor,
        order.paymentReference,
        order.fulfilmentState,
        order.carrier,
        order.trackingNumber,
        order.shipTo,
      ]),
    )
    .digest('base64url');
}
