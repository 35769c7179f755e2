import type Stripe from 'stripe';
import { startFulfilmentStandIn, fulfilmentKey, type FulfilmentProcess } from '../stand-ins/fulfilment-stand-in.js';
import { startSmtpSink, type SmtpSinkProcess } from '../stand-ins/smtp-sink.js';
import { startStripeStandIn, testKey, type StandInProcess } from '../stand-ins/stripe-stand-in.js';
import { asPlatform, sampleOrder, toNdjson } from './orders.js';
import { startBackendProcess, type RunningProcess } from './processes.js';
import { startTestApp, type TestApp } from './test-app.js';
import { userWithRoles, type TestUser } from './users.js';

/**
 * Everything a remediation run touches, real and private to one test file:
 * the API on its own database and queue prefix, Stripe, fulfilment and SMTP
 * stand-ins on free ports (so fault knobs never reach another file), a Stripe
 * webhook endpoint pointing at the API, and worker processes.
 */
export interface EngineStack {
  api: TestApp;
  stripe: StandInProcess;
  stripeClient: Stripe;
  fulfilment: FulfilmentProcess;
  smtp: SmtpSinkProcess;
  webhookSecret: string;
  workers: RunningProcess[];
  commander: TestUser;
  agent: TestUser;
  startWorker(): Promise<RunningProcess>;
  close(): Promise<void>;
}

/** sampleOrder's total (2 × 34.99 + 8.99 + 4.99 shipping) in minor units, and its label cost. */
export const sampleTotal = 8396;
export const sampleLabelCost = 420;

export async function startEngineStack(
  options: {
    stripeEnv?: Record<string, string>;
    fulfilmentEnv?: Record<string, string>;
    appEnv?: Record<string, string>;
    workers?: number;
  } = {},
): Promise<EngineStack> {
  const stripe = await startStripeStandIn({
    RATE_LIMIT_RPS: '0',
    ALLOW_RESET: '1',
    WEBHOOK_RETRY_BASE_MS: '200',
    WEBHOOK_TIMEOUT_MS: '5000',
    LOG_LEVEL: 'warn',
    ...options.stripeEnv,
  });
  const stripeClient = stripe.stripe();
  // The secret exists once the endpoint does; the API's address once it listens: create first, point it after.
  const endpoint = await stripeClient.webhookEndpoints.create({ url: 'http://127.0.0.1:9/not-yet', enabled_events: ['*'] });
  const fulfilment = await startFulfilmentStandIn({ RATE_LIMIT_RPS: '0', LOG_LEVEL: 'warn', ...options.fulfilmentEnv });
  const smtp = await startSmtpSink({ LOG_LEVEL: 'warn' });
  const api = await startTestApp({
    STRIPE_API_BASE: stripe.baseUrl,
    STRIPE_SECRET_KEY: testKey,
    STRIPE_WEBHOOK_SECRETS: endpoint.secret!,
    FULFILMENT_API_BASE: fulfilment.baseUrl,
    FULFILMENT_API_KEY: fulfilmentKey,
    SMTP_URL: smtp.smtpUrl,
    SMTP_FROM: 'Recovery Desk <desk@example.test>',
    REFUND_APPROVAL_THRESHOLDS: 'USD:1000000000,EUR:1000000000,JPY:1000000000',
    LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    ...options.appEnv,
  });
  await stripeClient.webhookEndpoints.update(endpoint.id, { url: `${api.baseUrl}/api/webhooks/stripe` });
  const [commander, agent] = await Promise.all([userWithRoles(api, ['incident_commander']), userWithRoles(api, ['support_agent'])]);

  const workers: RunningProcess[] = [];
  const startWorker = async () => {
    const worker = startBackendProcess('worker', api.env);
    workers.push(worker);
    await worker.waitFor(/"msg":"worker started"/);
    return worker;
  };
  for (let i = 0; i < (options.workers ?? 1); i++) await startWorker();

  return {
    api,
    stripe,
    stripeClient,
    fulfilment,
    smtp,
    webhookSecret: endpoint.secret!,
    workers,
    commander,
    agent,
    startWorker,
    async close() {
      await Promise.all(workers.map((worker) => worker.stop('SIGKILL')));
      await api.close();
      await Promise.all([stripe.stop(), fulfilment.stop(), smtp.stop()]);
    },
  };
}

export interface OrderSpec {
  state: 'unfulfilled' | 'label_created' | 'in_transit' | 'delivered' | 'cancelled';
  customer: number;
  currency?: string;
  /** Stripe test card; `pm_card_refundFail` pays, and its refunds fail a moment later. */
  card?: string;
  customerName?: string;
}

export interface SeededOrder extends OrderSpec {
  id: string;
  externalId: string;
  paymentIntent: string;
  charge: string;
  email: string;
}

let sequence = 0;

/** What differs between seedings: when an order was placed, its customer's name, the firmware, where it ships. */
export interface OrderShape {
  placedAt: string;
  customerName: string;
  firmware: string;
  shipTo?: Record<string, string>;
}

/**
 * Orders of one device model as the platform would send them, each paid
 * through the Stripe stand-in, with its shipment registered at the
 * fulfilment stand-in in the order's state (keyed by our order id).
 */
export async function seedOrders(stack: EngineStack, model: string, specs: OrderSpec[]): Promise<SeededOrder[]> {
  // A customer's name as the first of their orders gives it (the platform sends it with every order).
  const names = new Map<number, string>();
  for (const spec of specs) if (spec.customerName && !names.has(spec.customer)) names.set(spec.customer, spec.customerName);
  return seedPaidOrders(stack, model, specs, (spec, number) => ({
    placedAt: new Date(Date.parse('2026-11-21T08:00:00Z') + number * 60_000).toISOString(),
    customerName: names.get(spec.customer) ?? `${model} customer ${spec.customer}`,
    firmware: '1.0.0',
  }));
}

/** `seedOrders` with each order's shape given (`number`: the order's sequence number, `index`: its place in `specs`). */
export async function seedPaidOrders(
  stack: EngineStack,
  model: string,
  specs: OrderSpec[],
  shape: (spec: OrderSpec, number: number, index: number) => OrderShape,
): Promise<SeededOrder[]> {
  const seeded: Omit<SeededOrder, 'id'>[] = [];
  const payloads: unknown[] = [];
  for (const [index, spec] of specs.entries()) {
    sequence += 1;
    const { placedAt, customerName, firmware, shipTo } = shape(spec, sequence, index);
    const currency = spec.currency ?? 'USD';
    const intent = await stack.stripeClient.paymentIntents.create({
      amount: sampleTotal,
      currency: currency.toLowerCase(),
      payment_method: spec.card ?? 'pm_card_visa',
      confirm: true,
    });
    const externalId = `${model}-${String(sequence).padStart(4, '0')}`;
    const email = `${model.toLowerCase()}-${spec.customer}@example.test`;
    payloads.push(
      sampleOrder({
        externalId,
        placedAt,
        currency,
        customer: { externalId: `${model}-CUST-${spec.customer}`, email, name: customerName },
        device: { id: `${model}-DEV-${spec.customer}`, model, firmwareVersion: firmware },
        paymentReference: intent.id,
        fulfilment: { state: spec.state },
        ...(shipTo ? { shipTo } : {}),
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

/** Declares an incident over the model's orders, moves it to triage and confirms them all. */
export async function incidentOf(stack: EngineStack, model: string, orders: SeededOrder[]): Promise<string> {
  const { commander, agent, api } = stack;
  const declared = await commander
    .as(api.http.post('/api/incidents'))
    .send({ title: `${model} fleet`, severity: 'high', orderFilter: { model }, expectedCount: orders.length })
    .expect(201);
  const id = declared.body.id as string;
  await commander
    .as(api.http.post(`/api/incidents/${id}/transition`))
    .send({ to: 'triage', reason: 'working it' })
    .expect(200);
  await agent
    .as(api.http.post(`/api/incidents/${id}/members`))
    .send({ action: 'confirm', orderIds: orders.map((order) => order.id), reason: 'checked by hand' })
    .expect(200);
  return id;
}

export async function requestRun(stack: EngineStack, incidentId: string, actions: string[]): Promise<string> {
  const res = await stack.agent
    .as(stack.api.http.post(`/api/incidents/${incidentId}/runs`))
    .send({ actions, reason: 'fraudulent fleet orders' });
  if (res.status !== 201 && res.status !== 200) throw new Error(`run request: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

export async function getRun(stack: EngineStack, runId: string) {
  return (await stack.commander.as(stack.api.http.get(`/api/runs/${runId}`)).expect(200)).body;
}

/**
 * Polls the run until it has `status`, `pollMs` apart (a bench polls slower, not to load the machine it
 * measures); fails with what is still open after `timeoutMs`.
 */
export async function waitForRun(stack: EngineStack, runId: string, status: string, timeoutMs = 60_000, pollMs = 200) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await getRun(stack, runId);
    if (run.status === status) return run;
    if (Date.now() > deadline) {
      const { rows } = await stack.api.db.query(
        `SELECT action, status, error_code, count(*)::int AS n FROM remediation_step WHERE run_id = $1 GROUP BY 1, 2, 3`,
        [runId],
      );
      const { rows: notices } = await stack.api.db.query(
        `SELECT status, count(*)::int AS n FROM notification_outbox WHERE run_id = $1 GROUP BY 1`,
        [runId],
      );
      throw new Error(
        `run ${runId} is ${run.status}, not ${status}, after ${timeoutMs} ms: steps ${JSON.stringify(rows)} notices ${JSON.stringify(notices)}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

export interface SinkMessage {
  id: string;
  to: string[];
  subject: string;
  messageId: string | null;
  text: string | null;
  html: string | null;
  headers: Record<string, string>;
}

/** Every message the SMTP sink received, in full. */
export async function sinkMessages(stack: EngineStack): Promise<SinkMessage[]> {
  const list = await stack.smtp.get('/messages?limit=1000');
  const full = await Promise.all(
    (list.body.data as { id: string }[]).map(async ({ id }) => (await stack.smtp.get(`/messages/${id}`)).body),
  );
  return full as SinkMessage[];
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
