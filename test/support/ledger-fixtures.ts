import { randomUUID } from 'node:crypto';
import { DataSource, type EntityManager } from 'typeorm';
import { LedgerWriter } from '../../backend/src/ledger/ledger-writer.js';
import { ingestOrders, sampleOrder } from './orders.js';
import type { TestApp } from './test-app.js';

/** What a ledger test needs of an order: its currency, fulfilment state and money. */
export interface LedgerOrderSpec {
  currency: string;
  state: 'unfulfilled' | 'label_created' | 'in_transit' | 'delivered' | 'cancelled' | 'intercepted' | 'returned';
  /** Unit price of the one line (quantity 1). */
  priceMinor: number;
  costMinor: number;
  shippingChargedMinor: number;
  labelCostMinor: number;
  externalId?: string;
  paymentReference?: string;
}

export interface LedgerOrder extends LedgerOrderSpec {
  id: string;
  externalId: string;
  totalMinor: number;
}

/**
 * Orders as the platform sends them (bulk NDJSON), each one line, and an
 * incident with all of them confirmed — written straight into the database
 * (a fixture: declaring incidents has its own tests).
 */
export async function incidentWithOrders(
  api: TestApp,
  specs: LedgerOrderSpec[],
  title = 'Ledger fixture',
): Promise<{ incidentId: string; orders: LedgerOrder[] }> {
  const tag = randomUUID().slice(0, 8);
  const orders = specs.map((spec, index) => ({
    ...spec,
    externalId: spec.externalId ?? `L-${tag}-${index}`,
    totalMinor: spec.priceMinor + spec.shippingChargedMinor,
  }));
  await ingestOrders(
    api,
    orders.map((order, index) =>
      sampleOrder({
        externalId: order.externalId,
        // Placed before now, as real orders are (a reconciliation by date lists refunds from the first order on).
        placedAt: new Date(Date.now() - 3_600_000).toISOString(),
        currency: order.currency,
        customer: { externalId: `L-${tag}-CUST-${index % 3}`, email: `l-${tag}-${index % 3}@example.test`, name: 'Ledger Customer' },
        device: { id: `L-${tag}-DEV-${index % 3}`, model: `Ledger-${tag}`, firmwareVersion: '1.0.0' },
        lines: [{ sku: 'TONER-BK-3000', quantity: 1, unitPriceMinor: order.priceMinor, unitCostMinor: order.costMinor }],
        shippingChargedMinor: order.shippingChargedMinor,
        shippingLabelCostMinor: order.labelCostMinor,
        paymentReference: order.paymentReference ?? `pi_${tag}${index}`,
        fulfilment: { state: order.state },
      }),
    ),
  );
  const { rows } = await api.db.query<{ id: string; external_id: string }>(
    `SELECT id, external_id FROM orders WHERE external_id = ANY($1)`,
    [orders.map((o) => o.externalId)],
  );
  const ids = new Map(rows.map((row) => [row.external_id, row.id]));
  const incidentId = await insertIncident(api, title);
  await api.db.query(
    `INSERT INTO incident_order (incident_id, order_id, status, reason) SELECT $1, unnest($2::uuid[]), 'confirmed', 'fixture'`,
    [incidentId, [...ids.values()]],
  );
  return { incidentId, orders: orders.map((order) => ({ ...order, id: ids.get(order.externalId)! })) };
}

export async function insertIncident(api: TestApp, title: string): Promise<string> {
  const { rows } = await api.db.query<{ id: string }>(
    `INSERT INTO incident (title, severity, status, detected_at, declared_at) VALUES ($1, 'high', 'remediating', now(), now()) RETURNING id`,
    [title],
  );
  return rows[0]!.id;
}

/** Runs writer calls in one transaction of the app's own data source, as the engine and webhooks will. */
export function inLedgerTransaction<T>(api: TestApp, work: (writer: LedgerWriter, manager: EntityManager) => Promise<T>): Promise<T> {
  const writer = api.app.get(LedgerWriter);
  return api.app.get(DataSource).transaction((manager) => work(writer, manager));
}
