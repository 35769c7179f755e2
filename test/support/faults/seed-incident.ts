import { asPlatform, sampleOrder, toNdjson } from '../orders.js';
import { sampleLabelCost, sampleTotal, type EngineStack } from '../remediation-stack.js';

const states = ['unfulfilled', 'label_created', 'in_transit', 'delivered'] as const;

export interface SeededIncident {
  incidentId: string;
  orderIds: string[];
  customers: number;
  /** A customer's e-mail address, as the notices are sent to it. */
  emailOf(customer: number): string;
  customerIds: string[];
}

/**
 * `count` orders of one device model, as remediation-stack's seedOrders makes
 * them but in parallel and in chunks (10k orders in a minute or two): each
 * paid through the Stripe stand-in, ingested as the platform, its shipment
 * registered at the fulfilment stand-in in one of four states; two orders a
 * customer; then an incident over the model with every order confirmed.
 */
export async function seedIncident(stack: EngineStack, model: string, count: number): Promise<SeededIncident> {
  const customers = Math.ceil(count / 2);
  const emailOf = (customer: number) => `${model.toLowerCase()}-${customer}@example.test`;
  const payloads: unknown[] = new Array(count);
  await inParallel(count, 16, async (i) => {
    const intent = await stack.stripeClient.paymentIntents.create({
      amount: sampleTotal,
      currency: 'usd',
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const customer = i % customers;
    payloads[i] = sampleOrder({
      externalId: `${model}-${String(i).padStart(6, '0')}`,
      placedAt: new Date(Date.parse('2026-11-21T08:00:00Z') + i * 1_000).toISOString(),
      currency: 'USD',
      customer: { externalId: `${model}-CUST-${customer}`, email: emailOf(customer), name: `${model} customer ${customer}` },
      device: { id: `${model}-DEV-${customer}`, model, firmwareVersion: '1.0.0' },
      paymentReference: intent.id,
      fulfilment: { state: states[i % states.length] },
    });
  });
  for (let i = 0; i < count; i += 2_000) {
    await asPlatform(stack.api.http.post('/api/orders/bulk'))
      .set('Content-Type', 'application/x-ndjson')
      .send(toNdjson(payloads.slice(i, i + 2_000)))
      .expect(200);
  }
  const { rows } = await stack.api.db.query<{ id: string; external_id: string; customer_id: string }>(
    `SELECT id, external_id, customer_id FROM orders WHERE device_model = $1 ORDER BY external_id`,
    [model],
  );
  if (rows.length !== count) throw new Error(`${model}: ${rows.length} orders stored, ${count} sent`);
  await inParallel(count, 16, async (i) => {
    const answer = await stack.fulfilment.call('POST', '/v1/shipments', {
      body: {
        reference: rows[i]!.id,
        state: states[i % states.length],
        carrier: 'ups',
        labelCostMinor: sampleLabelCost,
        shippingPaidMinor: 499,
        currency: 'USD',
      },
    });
    if (answer.status !== 201) throw new Error(`shipment of ${rows[i]!.external_id}: ${answer.status} ${JSON.stringify(answer.body)}`);
  });

  const { commander, agent, api } = stack;
  const declared = await commander
    .as(api.http.post('/api/incidents'))
    .send({ title: `${model} fleet`, severity: 'critical', orderFilter: { model }, expectedCount: count })
    .expect(201);
  const incidentId = declared.body.id as string;
  await commander
    .as(api.http.post(`/api/incidents/${incidentId}/transition`))
    .send({ to: 'triage', reason: 'fault suite' })
    .expect(200);
  const orderIds = rows.map((row) => row.id);
  for (let i = 0; i < count; i += 5_000) {
    await agent
      .as(api.http.post(`/api/incidents/${incidentId}/members`))
      .send({ action: 'confirm', orderIds: orderIds.slice(i, i + 5_000), reason: 'fault suite' })
      .expect(200);
  }
  return { incidentId, orderIds, customers, emailOf, customerIds: [...new Set(rows.map((row) => row.customer_id))] };
}

async function inParallel(count: number, width: number, work: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
