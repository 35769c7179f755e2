import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import type { GeneratedOrder } from '../../backend/src/fleet-generator/generate-orders.js';
import { normaliseOrder } from '../../backend/src/ingestion/normalise-order.js';
import { orderInputSchema } from '../../backend/src/ingestion/order-input.schema.js';

export type CopyFiles = Record<'customer' | 'device' | 'orders' | 'order_line', string>;

const columns = {
  customer: 'id, external_id, email, name',
  device: 'id, model, firmware_version, customer_id',
  orders:
    'id, source, external_id, customer_id, device_id, device_model, firmware_version, placed_at, currency, subtotal_minor, shipping_charged_minor, total_minor, shipping_label_cost_minor, cost_of_goods_minor, payment_reference, fulfilment_state, carrier, tracking_number, ship_to, ship_to_hash, skus, line_count, content_hash',
  order_line: 'order_id, line_no, sku, quantity, unit_price_minor, unit_cost_minor',
} as const;

const escape = (value: unknown) =>
  value === null || value === undefined ? '\\N' : String(value).replace(/\\/g, '\\\\').replace(/\t/g, '\\t').replace(/\n/g, '\\n');
const row = (values: unknown[]) => values.map(escape).join('\t') + '\n';

/**
 * Tab-separated COPY input for customers, devices, orders and lines, derived
 * by the same validation and normalisation as ingestion, so both paths store
 * identical rows. Written before any clock starts.
 */
export async function writeCopyFiles(orders: Iterable<GeneratedOrder>, dir: string): Promise<CopyFiles> {
  const files: CopyFiles = {
    customer: join(dir, 'customer.tsv'),
    device: join(dir, 'device.tsv'),
    orders: join(dir, 'orders.tsv'),
    order_line: join(dir, 'order_line.tsv'),
  };
  const out = Object.fromEntries(Object.entries(files).map(([table, file]) => [table, createWriteStream(file)])) as unknown as Record<
    keyof CopyFiles,
    WriteStream
  >;
  const customers = new Map<string, string>();
  const devices = new Set<string>();
  for (const generated of orders) {
    const order = normaliseOrder(orderInputSchema.parse(generated.order));
    let customerId = customers.get(order.customer.externalId);
    if (!customerId) {
      customerId = randomUUID();
      customers.set(order.customer.externalId, customerId);
      out.customer.write(row([customerId, order.customer.externalId, order.customer.email, order.customer.name]));
    }
    if (order.device && !devices.has(order.device.id)) {
      devices.add(order.device.id);
      out.device.write(row([order.device.id, order.device.model, order.device.firmwareVersion, customerId]));
    }
    const orderId = randomUUID();
    const skus = `{${order.skus.map((s) => `"${s.replace(/"/g, '\\"')}"`).join(',')}}`;
    // prettier-ignore
    out.orders.write(row([orderId, order.source, order.externalId, customerId, order.device?.id, order.device?.model, order.device?.firmwareVersion,
      order.placedAt.toISOString(), order.currency, order.subtotalMinor, order.shippingChargedMinor, order.totalMinor, order.shippingLabelCostMinor,
      order.costOfGoodsMinor, order.paymentReference, order.fulfilmentState, order.carrier, order.trackingNumber, JSON.stringify(order.shipTo),
      order.shipToHash, skus, order.lines.length, 'copy']));
    order.lines.forEach((line, index) =>
      out.order_line.write(row([orderId, index + 1, line.sku, line.quantity, line.unitPriceMinor, line.unitCostMinor])),
    );
  }
  await Promise.all(Object.values(out).map((stream) => new Promise<void>((resolve) => stream.end(() => resolve()))));
  return files;
}

/**
 * COPYs the files into a migrated database, table by table (parents first).
 * `vacuum` leaves the tables as autovacuum would shortly after a bulk load:
 * statistics gathered and pages marked all-visible (index-only scans need it).
 */
export async function copyLoad(databaseUrl: string, files: CopyFiles, options: { vacuum?: boolean } = {}): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const table of ['customer', 'device', 'orders', 'order_line'] as const) {
      await pipeline(createReadStream(files[table]), client.query(copyStreams.from(`COPY ${table} (${columns[table]}) FROM STDIN`)));
    }
    if (options.vacuum) await client.query('VACUUM ANALYZE');
  } finally {
    await client.end();
  }
}
