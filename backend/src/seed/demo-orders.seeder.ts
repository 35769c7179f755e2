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
      const attacks = generated.filter((g) => g.scenario !== 'legit').length;
      return `${result.created} orders (${attacks} from the two attacks), each paid through Stripe`;
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
