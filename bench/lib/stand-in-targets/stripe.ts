import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Stripe from 'stripe';
import { createStripeClient } from '../../../backend/src/payments/stripe-client.js';
import { freePort, type ChildServer } from '../child-server.js';
import { inParallel, waitUntil, type Target } from './target.js';

/** The key the Stripe stand-ins are started with (STRIPE_SECRET_KEY) and called with. */
export const stripeApiKey = 'sk_test_bench_stand_ins';
const concurrency = 16;

/** What the floor server answers every request with: a refund as the stand-in answers one. */
const refundAnswer = JSON.stringify({
  id: 're_3QxFloorFloorFloorFloor00',
  object: 'refund',
  amount: 8396,
  balance_transaction: 'txn_3QxFloorFloorFloorFloor00',
  charge: 'ch_3QxFloorFloorFloorFloor00',
  created: 1_790_000_000,
  currency: 'usd',
  destination_details: {
    card: { reference_status: 'pending', reference_type: 'acquirer_reference_number', type: 'refund' },
    type: 'card',
  },
  metadata: { order_id: 'ord_floor', step_id: 'step_floor', incident_id: 'inc_floor' },
  payment_intent: 'pi_3QxFloorFloorFloorFloor00',
  reason: 'fraudulent',
  receipt_number: null,
  source_transfer_reversal: null,
  status: 'succeeded',
  transfer_reversal: null,
});

/**
 * The Stripe side of a remediation: refunds through the official SDK (the backend's
 * createStripeClient, retries off as StripePayments needs), each with an
 * Idempotency-Key. Against a stand-in, the PaymentIntents are paid first (not measured), and
 * the measured work includes the webhooks the refunds send, received and signature-checked here.
 */
export async function stripeTarget(
  label: string,
  start: (port: number, answer: string) => Promise<ChildServer>,
  isStandIn = false,
): Promise<Target> {
  const port = await freePort();
  const server = await start(port, refundAnswer);
  // The backend's own client, retries off as StripePayments needs.
  const stripe = createStripeClient({ secretKey: stripeApiKey, apiBase: `http://127.0.0.1:${port}`, maxNetworkRetries: 0 });
  const receiver = isStandIn ? await WebhookCounter.start(stripe) : undefined;
  if (receiver) {
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    receiver.secret = endpoint.secret!;
  }
  const stats = async () => (await (await fetch(`http://127.0.0.1:${port}/__stand-in/stats`)).json()) as StandInStats;
  const idle = async () => {
    const { webhooks } = await stats();
    return webhooks.queued === 0 && webhooks.waiting === 0 && webhooks.inFlight === 0;
  };
  let batch = 0;

  return {
    label,
    cpuMs: server.cpuMs,
    async prepare(units) {
      batch++;
      const intents: string[] = new Array(units);
      if (receiver) {
        await inParallel(units, concurrency, async (i) => {
          const intent = await stripe.paymentIntents.create({
            amount: 8396,
            currency: 'usd',
            payment_method: 'pm_card_visa',
            confirm: true,
            metadata: { order_id: `ord_${batch}_${i}` },
          });
          intents[i] = intent.id;
        });
        await waitUntil(idle, 'the payments’ webhooks to be delivered', 120_000, 200);
      } else {
        for (let i = 0; i < units; i++) intents[i] = `pi_floor_${batch}_${i}`;
      }
      const refundEventsBefore = receiver?.refundEvents ?? 0;
      return {
        run: () =>
          inParallel(units, concurrency, (i) =>
            stripe.refunds.create(
              {
                payment_intent: intents[i]!,
                reason: 'fraudulent',
                metadata: { order_id: `ord_${batch}_${i}`, step_id: `step_${batch}_${i}` },
              },
              { idempotencyKey: `bench-${label}-${batch}-${i}` },
            ),
          ),
        settle: async () => {
          if (!receiver) return;
          await waitUntil(() => receiver.refundEvents >= refundEventsBefore + 2 * units, 'the refunds’ webhooks', 120_000, 10);
          // Each delivery is journaled once its 200 is back: give the last ones that moment.
          await new Promise((resolve) => setTimeout(resolve, 100));
        },
        check: async () => {
          if (!receiver) return;
          if (receiver.badSignatures > 0) throw new Error(`${label}: ${receiver.badSignatures} webhooks with a bad signature`);
          if (!(await idle())) throw new Error(`${label}: webhooks still pending after the measurement`);
          const { requests } = await stats();
          if (Object.keys(requests.byStatus).some((status) => status !== '200')) {
            throw new Error(`${label}: answers other than 200: ${JSON.stringify(requests.byStatus)}`);
          }
        },
      };
    },
    stop: async () => receiver?.close(),
  };
}

interface StandInStats {
  requests: { byStatus: Record<string, number> };
  webhooks: { queued: number; waiting: number; inFlight: number };
}

/** The webhook endpoint: checks each signature as the backend does and answers 200. */
class WebhookCounter {
  secret = '';
  refundEvents = 0;
  badSignatures = 0;

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(stripe: Stripe): Promise<WebhookCounter> {
    const server = createServer();
    server.keepAliveTimeout = 65_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const counter = new WebhookCounter(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/stripe`);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        try {
          const event = stripe.webhooks.constructEvent(Buffer.concat(chunks), String(req.headers['stripe-signature']), counter.secret);
          if (event.type === 'refund.created' || event.type === 'charge.refunded') counter.refundEvents++;
        } catch {
          counter.badSignatures++;
        }
        res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"received":true}');
      });
    });
    return counter;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
