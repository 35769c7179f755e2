import Stripe from 'stripe';
import type { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import type { AppConfig } from '../config/app-config.js';
import { generateOrders, type GeneratedOrder } from '../fleet-generator/generate-orders.js';
import { OrderIngestionService } from '../ingestion/order-ingestion.service.js';
import { createStripeClient } from '../payments/stripe-client.js';
import type { DemoSeeder } from './demo-seeders.js';

const demoSource = 'iot-store';
const concurrency = 6;

/**
 * A generated fleet with months of orders and two live attacks, each order
 * paid through the Stripe API (a PaymentIntent confirmed with pm_card_visa),
 * so the same seed works against Stripe's test mode or the local stand-in.
 */
export function demoOrdersSeeder(config: AppConfig): DemoSeeder {
  return {
    name: 'demo orders',
    async run(dataSource: DataSource) {
      const [{ present }] = await dataSource.query(`SELECT EXISTS (SELECT 1 FROM orders WHERE source = $1) AS present`, [demoSource]);
      if (present) return 'already there';
      const stripe = createStripeClient({ secretKey: config.stripeSecretKey, apiBase: config.stripeApiBase });
      const generated = [...generateOrders({ seed: 20261124, orders: config.demoOrders, now: new Date(), source: demoSource })];
      await payAll(stripe, generated);

      const ingestion = new OrderIngestionService(dataSource, new AuditService());
      const valid = generated.map((g) => ingestion.validate(g.order)).flatMap((result) => (result.ok ? [result.order] : []));
      const result = await ingestion.writeMany(valid, {
        action: 'orders.seed',
        actor: { id: null, email: 'machine:demo-seed', roles: [] },
      });
      const shipments = await registerShipments(config, dataSource, generated);
      const attacks = generated.filter((g) => g.scenario !== 'legit').length;
      return `${result.created} orders (${attacks} from the two attacks), each paid through Stripe; ${shipments} shipments at the fulfilment provider`;
    },
  };
}

async function payAll(stripe: Stripe, orders: GeneratedOrder[]) {
  let next = 0;
  const worker = async () => {
    while (next < orders.length) {
      const { order } = orders[next++]!;
      const amount = order.lines.reduce((sum, line) => sum + line.quantity * line.unitPriceMinor, 0) + order.shippingChargedMinor;
      const intent = await withRateLimitRetry(() =>
        stripe.paymentIntents.create(
          {
            amount,
            currency: order.currency.toLowerCase(),
            payment_method: 'pm_card_visa',
            confirm: true,
            description: `Order ${order.externalId}`,
            metadata: { order_external_id: order.externalId, source: order.source },
          },
          // Re-running the seed replays the same payments instead of charging twice.
          { idempotencyKey: `demo-seed-${order.source}-${order.externalId}` },
        ),
      );
      order.paymentReference = intent.id;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/**
 * The shop registers each shipment with its fulfilment provider (referenced by
 * our order id, as docs/fulfilment-api.md says), so remediation runs in the
 * demo can cancel, void, intercept or return them. Orders already stopped
 * (cancelled, intercepted, returned) have nothing left to register.
 */
const registrable = new Set(['unfulfilled', 'label_created', 'in_transit', 'delivered']);

async function registerShipments(config: AppConfig, dataSource: DataSource, orders: GeneratedOrder[]): Promise<number> {
  if (!config.fulfilmentApiBase) return 0;
  const rows: { id: string; external_id: string }[] = await dataSource.query(`SELECT id, external_id FROM orders WHERE source = $1`, [
    demoSource,
  ]);
  const idOf = new Map(rows.map((row) => [row.external_id, row.id]));
  const shipped = orders.filter(({ order }) => registrable.has(order.fulfilment.state) && idOf.has(order.externalId));
  let next = 0;
  const worker = async () => {
    while (next < shipped.length) {
      const { order } = shipped[next++]!;
      const response = await withProviderRetry(() =>
        fetch(new URL('/v1/shipments', config.fulfilmentApiBase), {
          method: 'POST',
          headers: { Authorization: `Bearer ${config.fulfilmentApiKey}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({
            reference: idOf.get(order.externalId),
            state: order.fulfilment.state,
            carrier: order.fulfilment.carrier ?? 'UPS',
            labelCostMinor: order.shippingLabelCostMinor,
            shippingPaidMinor: order.shippingChargedMinor,
            currency: order.currency,
          }),
        }),
      );
      // 409: registered by an earlier, interrupted seed; that is the state we want.
      if (!response.ok && response.status !== 409) {
        throw new Error(`registering the shipment of ${order.externalId} failed: ${response.status} ${await response.text()}`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return shipped.length;
}

/** The provider answers 429 (with Retry-After) when its request budget is spent; wait as told and try again. */
async function withProviderRetry(call: () => Promise<Response>): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await call();
    if (response.status !== 429 || attempt >= 20) return response;
    await response.body?.cancel();
    const seconds = Number(response.headers.get('retry-after')) || attempt * 0.2;
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}

/** Stripe answers 429 when the account's request budget is spent; wait and try again. */
async function withRateLimitRetry<T>(call: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      if (!(error instanceof Stripe.errors.StripeRateLimitError) || attempt >= 20) throw error;
      await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
    }
  }
}
