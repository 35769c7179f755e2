import { asPlatform, sampleOrder, toNdjson } from '../orders.js';
import { sampleLabelCost, sampleTotal, type EngineStack, type OrderSpec, type SeededOrder } from '../remediation-stack.js';

let sequence = 0;

/**
 * Orders of one device model placed in the last hours (so a detection pass
 * sees them as a burst), each paid at the Stripe stand-in and its shipment
 * registered at the fulfilment stand-in, as `seedOrders` does. Each customer
 * ships to an address of their own, so no shared-address hit ties two
 * models' bursts into one proposal.
 */
export async function seedRecentOrders(
  stack: EngineStack,
  device: { model: string; firmware: string },
  specs: OrderSpec[],
): Promise<SeededOrder[]> {
  const payloads: unknown[] = [];
  const seeded: Omit<SeededOrder, 'id'>[] = [];
  const now = Date.now();
  for (const [index, spec] of specs.entries()) {
    sequence += 1;
    const currency = spec.currency ?? 'USD';
    const intent = await stack.stripeClient.paymentIntents.create({
      amount: sampleTotal,
      currency: currency.toLowerCase(),
      payment_method: spec.card ?? 'pm_card_visa',
      confirm: true,
    });
    const externalId = `${device.model}-${String(sequence).padStart(4, '0')}`;
    const email = `${device.model.toLowerCase()}-${spec.customer}@example.test`;
    const name = spec.customerName ?? `${device.model} customer ${spec.customer}`;
    payloads.push(
      sampleOrder({
        externalId,
        // Spread over the last two hours, newest last.
        placedAt: new Date(now - (specs.length - index) * 5 * 60_000).toISOString(),
        currency,
        customer: { externalId: `${device.model}-CUST-${spec.customer}`, email, name },
        device: { id: `${device.model}-DEV-${spec.customer}`, model: device.model, firmwareVersion: device.firmware },
        paymentReference: intent.id,
        fulfilment: { state: spec.state },
        shipTo: { name, line1: `${spec.customer} ${device.model} Way`, city: 'Austin', postalCode: '73301', country: 'US' },
      }),
    );
    seeded.push({ ...spec, externalId, paymentIntent: intent.id, charge: intent.latest_charge as string, email });
  }
  await asPlatform(stack.api.http.post('/api/orders/bulk'))
    .set('Content-Type', 'application/x-ndjson')
    .send(toNdjson(payloads))
    .expect(200);
  const { rows } = await stack.api.db.query<{ id: string; external_id: string }>(
    `SELECT id, external_id FROM orders WHERE external_id = ANY($1)`,
    [seeded.map((order) => order.externalId)],
  );
  const ids = new Map(rows.map((row) => [row.external_id, row.id]));
  const orders = seeded.map((order) => ({ ...order, id: ids.get(order.externalId)! }));
  for (const order of orders) {
    if (order.state === 'cancelled') continue;
    const answer = await stack.fulfilment.call('POST', '/v1/shipments', {
      body: {
        reference: order.id,
        state: order.state,
        carrier: 'ups',
        labelCostMinor: sampleLabelCost,
        shippingPaidMinor: 499,
        currency: order.currency ?? 'USD',
      },
    });
    if (answer.status !== 201) throw new Error(`shipment of ${order.externalId}: ${answer.status} ${JSON.stringify(answer.body)}`);
  }
  return orders;
}
