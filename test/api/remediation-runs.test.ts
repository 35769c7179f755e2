import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Queue } from 'bullmq';
import { queues } from '../../backend/src/jobs/job-catalogue.js';
import { QueueStepDispatcher } from '../../backend/src/remediation/engine/queue-step-dispatcher.js';
import { RunProgress } from '../../backend/src/remediation/run-progress.js';
import { asPlatform, sampleOrder, toNdjson } from '../support/orders.js';
import { startPlannerWorker, type PlannerWorker } from '../support/planner-worker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

/** sampleOrder's total: 2 × 34.99 + 8.99 + 4.99 shipping (in minor units of whatever currency). */
const sampleTotal = 8396;
const sampleLabelCost = 420;
const runTables = ['remediation_run', 'remediation_step', 'notification_outbox', 'quarantine', 'incident_event', 'audit_log'];

let sequence = 0;
/** One order of a model's fleet; customers, devices, currency, state and payment chosen per order. */
function order(
  model: string,
  options: { currency?: string; state?: string; customer?: number; device?: number; payment?: string | null; noEmail?: boolean } = {},
) {
  sequence += 1;
  const customer = options.customer ?? 0;
  return sampleOrder({
    externalId: `${model}-${String(sequence).padStart(3, '0')}`,
    placedAt: new Date(Date.parse('2026-11-21T08:00:00Z') + sequence * 60_000).toISOString(),
    currency: options.currency ?? 'USD',
    customer: {
      externalId: `${model}-CUST-${customer}`,
      email: options.noEmail ? null : `${model.toLowerCase()}-${customer}@example.com`,
      name: `${model} customer ${customer}`,
    },
    device: { id: `${model}-DEV-${options.device ?? 0}`, model, firmwareVersion: '1.0.0' },
    paymentReference: options.payment === undefined ? `pi_${model}_${sequence}` : options.payment,
    fulfilment: { state: options.state ?? 'unfulfilled' },
  });
}

/**
 * Alpha: every case the preview must get right — each fulfilment state, three
 * currencies, no payment, disputed, refunded in full and in part, excluded,
 * still suspected, a customer without an e-mail address.
 */
const alphaOrders = [
  { key: 'usd-unfulfilled-1', options: { customer: 1, device: 1 } },
  { key: 'usd-unfulfilled-2', options: { customer: 1, device: 1 } },
  { key: 'usd-label', options: { state: 'label_created', customer: 2, device: 2 } },
  { key: 'usd-transit', options: { state: 'in_transit', customer: 2, device: 3 } },
  { key: 'usd-delivered', options: { state: 'delivered', customer: 3, device: 4 } },
  { key: 'usd-cancelled', options: { state: 'cancelled', customer: 3, device: 4 } },
  { key: 'eur-unfulfilled', options: { currency: 'EUR', customer: 4, device: 5 } },
  { key: 'eur-transit', options: { currency: 'EUR', state: 'in_transit', customer: 4, device: 5 } },
  { key: 'eur-delivered', options: { currency: 'EUR', state: 'delivered', customer: 5, device: 6, noEmail: true } },
  { key: 'jpy-unfulfilled', options: { currency: 'JPY', customer: 6, device: 7 } },
  { key: 'jpy-label', options: { currency: 'JPY', state: 'label_created', customer: 6, device: 7 } },
  { key: 'usd-no-payment', options: { customer: 1, device: 1, payment: null } },
  { key: 'usd-disputed', options: { state: 'in_transit', customer: 2, device: 2 } },
  { key: 'usd-refunded', options: { state: 'delivered', customer: 3, device: 4 } },
  { key: 'usd-part-refunded', options: { customer: 3, device: 8 } },
  { key: 'usd-excluded-1', options: { customer: 7, device: 9 } },
  { key: 'usd-excluded-2', options: { state: 'in_transit', customer: 7, device: 9 } },
  { key: 'usd-suspected', options: { customer: 8, device: 10 } },
].map((o) => ({ ...o, order: order('Alpha', o.options) }));

interface MemberRow {
  id: string;
  externalId: string;
  membership: string;
  currency: string;
  fulfilmentState: string;
  paymentReference: string | null;
  paymentState: string;
  totalMinor: number;
  refundedMinor: number;
  labelCostMinor: number;
  customerId: string;
  email: string | null;
  deviceId: string | null;
}

/**
 * The expected preview, computed here from the orders by a separate, plain
 * reading of docs/remediation.md (not the production SQL).
 */
function expectedFigures(rows: MemberRow[]) {
  const stopOperation: Record<string, string | undefined> = {
    unfulfilled: 'cancel',
    label_created: 'void_label',
    in_transit: 'intercept',
    delivered: 'request_return',
  };
  const count = (map: Map<string, number>, key: string, n = 1) => map.set(key, (map.get(key) ?? 0) + n);
  const stop = { operations: new Map<string, number>(), skipped: new Map<string, number>(), labelCredit: new Map<string, number>() };
  const refund = { totals: new Map<string, number>(), orders: new Map<string, number>(), skipped: new Map<string, number>() };
  const customers = new Set<string>();
  const customersWithoutEmail = new Set<string>();
  const devices = new Set<string>();
  for (const row of rows) {
    if (row.membership === 'excluded') {
      count(stop.skipped, 'excluded');
      count(refund.skipped, 'excluded');
      continue;
    }
    if (row.membership !== 'confirmed') continue;
    const operation = stopOperation[row.fulfilmentState];
    if (operation) count(stop.operations, operation);
    else count(stop.skipped, 'already_stopped');
    if (operation === 'void_label') count(stop.labelCredit, row.currency, row.labelCostMinor);
    if (!row.paymentReference) count(refund.skipped, 'no_payment');
    else if (row.paymentState === 'disputed') count(refund.skipped, 'disputed');
    else if (row.refundedMinor >= row.totalMinor) count(refund.skipped, 'already_refunded');
    else {
      count(refund.totals, row.currency, row.totalMinor - row.refundedMinor);
      count(refund.orders, row.currency);
    }
    (row.email ? customers : customersWithoutEmail).add(row.customerId);
    if (row.deviceId) devices.add(row.deviceId);
  }
  const reasons = (map: Map<string, number>) =>
    [...map].map(([reason, n]) => ({ reason, count: n })).sort((a, b) => a.reason.localeCompare(b.reason));
  return {
    stopOperations: Object.fromEntries(stop.operations),
    stopSkipped: reasons(stop.skipped),
    labelCredit: Object.fromEntries(stop.labelCredit),
    refundTotals: [...refund.totals]
      .map(([currency, amountMinor]) => ({ currency, orders: refund.orders.get(currency)!, amountMinor }))
      .sort((a, b) => a.currency.localeCompare(b.currency)),
    refundSkipped: reasons(refund.skipped),
    customers: customers.size,
    customersWithoutEmail: customersWithoutEmail.size,
    devices: devices.size,
  };
}

describe('remediation runs: preview, request, approval, planning and controls', () => {
  let api: TestApp;
  let planner: PlannerWorker;
  let commander: TestUser;
  let otherCommander: TestUser;
  let agent: TestUser;
  let finance: TestUser;
  let alphaId: string;
  let bravoId: string;
  let charlieId: string;
  const ids = new Map<string, string>();
  let alphaRunId: string;
  let bravoRunId: string;

  const declare = async (model: string, count: number) =>
    (
      await commander
        .as(api.http.post('/api/incidents'))
        .send({ title: `${model} fleet`, severity: 'high', orderFilter: { model }, expectedCount: count })
        .expect(201)
    ).body.id as string;
  const transition = (id: string, to: string) =>
    commander
      .as(api.http.post(`/api/incidents/${id}/transition`))
      .send({ to, reason: 'working it' })
      .expect(200);
  const members = (incidentId: string, action: string, orderIds: string[]) =>
    agent
      .as(api.http.post(`/api/incidents/${incidentId}/members`))
      .send({ action, orderIds, reason: 'checked by hand' })
      .expect(200);
  const preview = (incidentId: string, actions: string[], as: TestUser = agent) =>
    as.as(api.http.post(`/api/incidents/${incidentId}/runs/preview`)).send({ actions });
  const requestRun = (incidentId: string, actions: string[], as: TestUser = agent, reason = 'fraudulent fleet orders') =>
    as.as(api.http.post(`/api/incidents/${incidentId}/runs`)).send({ actions, reason });
  const control = (runId: string, verb: string, as: TestUser = agent, body: Record<string, unknown> = { reason: `${verb} for the test` }) =>
    as.as(api.http.post(`/api/runs/${runId}/${verb}`)).send(body);
  const getRun = async (runId: string) => (await finance.as(api.http.get(`/api/runs/${runId}`)).expect(200)).body;
  const runProgress = () => api.app.get(RunProgress);

  async function waitForStatus(runId: string, status: string, timeoutMs = 20_000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const run = await getRun(runId);
      if (run.status === status) return run;
      if (Date.now() > deadline) throw new Error(`run ${runId} is ${run.status}, not ${status}, after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** Running, and the planner has handed every step to the engine (the placeholder queues them). */
  async function waitForDispatch(runId: string) {
    await waitForStatus(runId, 'running');
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM remediation_step WHERE run_id = $1 AND status = 'pending'`, [
        runId,
      ]);
      if (rows[0].n === 0) return getRun(runId);
      if (Date.now() > deadline) throw new Error(`run ${runId} still has ${rows[0].n} pending steps`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function memberRows(incidentId: string): Promise<MemberRow[]> {
    const { rows } = await api.db.query<MemberRow>(
      `SELECT o.id, o.external_id AS "externalId", io.status AS membership, o.currency, o.fulfilment_state AS "fulfilmentState",
              o.payment_reference AS "paymentReference", o.payment_state AS "paymentState", o.total_minor::int AS "totalMinor",
              o.refunded_minor::int AS "refundedMinor", o.shipping_label_cost_minor::int AS "labelCostMinor", o.customer_id AS "customerId",
              c.email, o.device_id AS "deviceId"
       FROM incident_order io JOIN orders o ON o.id = io.order_id JOIN customer c ON c.id = o.customer_id WHERE io.incident_id = $1`,
      [incidentId],
    );
    return rows;
  }

  /** The run's steps, as the figures the preview states them in. */
  async function stepFigures(runId: string) {
    const { rows } = await api.db.query<{
      action: string;
      operation: string | null;
      status: string;
      code: string | null;
      currency: string;
      n: number;
      amount: number;
    }>(
      `SELECT action, operation, status, error_code AS code, currency, count(*)::int AS n, coalesce(sum(amount_minor), 0)::int AS amount
       FROM remediation_step WHERE run_id = $1 GROUP BY 1, 2, 3, 4, 5`,
      [runId],
    );
    const pick = (action: string, status: string) => rows.filter((r) => r.action === action && r.status === status);
    const operations: Record<string, number> = {};
    for (const r of pick('stop_shipment', 'pending').concat(pick('stop_shipment', 'queued')))
      operations[r.operation!] = (operations[r.operation!] ?? 0) + r.n;
    const refunds = new Map<string, { currency: string; orders: number; amountMinor: number }>();
    for (const r of pick('refund', 'pending').concat(pick('refund', 'queued'))) {
      const t = refunds.get(r.currency) ?? { currency: r.currency, orders: 0, amountMinor: 0 };
      t.orders += r.n;
      t.amountMinor += r.amount;
      refunds.set(r.currency, t);
    }
    const skipped = (action: string) => {
      const map = new Map<string, number>();
      for (const r of pick(action, 'skipped')) map.set(r.code!, (map.get(r.code!) ?? 0) + r.n);
      return [...map].map(([reason, count]) => ({ reason, count })).sort((a, b) => a.reason.localeCompare(b.reason));
    };
    return {
      operations,
      refundTotals: [...refunds.values()].sort((a, b) => a.currency.localeCompare(b.currency)),
      stopSkipped: skipped('stop_shipment'),
      refundSkipped: skipped('refund'),
    };
  }

  beforeAll(async () => {
    api = await startTestApp({
      LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
      REFUND_APPROVAL_THRESHOLDS: 'USD:100000,EUR:100000,JPY:1000000',
      // No EUR estimate: its parcels in transit are previewed without one.
      INTERCEPT_FEE_ESTIMATES: 'USD:1600,JPY:2500',
    });
    // Planning only: the engine's jobs wait in Redis (see startPlannerWorker).
    planner = startPlannerWorker(api, 'test-remediation-planner');
    [commander, otherCommander, agent, finance] = await Promise.all([
      userWithRoles(api, ['incident_commander']),
      userWithRoles(api, ['incident_commander']),
      userWithRoles(api, ['support_agent']),
      userWithRoles(api, ['finance']),
    ]);
    const bravo = Array.from({ length: 13 }, (_, i) =>
      order('Bravo', { customer: i % 3, device: i % 4, state: i % 2 ? 'in_transit' : 'unfulfilled' }),
    );
    const charlie = [order('Charlie'), order('Charlie')];
    await asPlatform(api.http.post('/api/orders/bulk'))
      .set('Content-Type', 'application/x-ndjson')
      .send(toNdjson([...alphaOrders.map((o) => o.order), ...bravo, ...charlie]))
      .expect(200);
    const { rows } = await api.db.query<{ id: string; external_id: string }>(`SELECT id, external_id FROM orders`);
    const byExternal = new Map(rows.map((r) => [r.external_id, r.id]));
    for (const o of alphaOrders) ids.set(o.key, byExternal.get(o.order.externalId)!);
    // What the payment provider has said about some charges (the webhooks write these).
    await api.db.query(`UPDATE orders SET payment_state = 'disputed' WHERE id = $1`, [ids.get('usd-disputed')]);
    await api.db.query(`UPDATE orders SET payment_state = 'refunded', refunded_minor = total_minor WHERE id = $1`, [
      ids.get('usd-refunded'),
    ]);
    await api.db.query(`UPDATE orders SET payment_state = 'partially_refunded', refunded_minor = 1000 WHERE id = $1`, [
      ids.get('usd-part-refunded'),
    ]);

    alphaId = await declare('Alpha', alphaOrders.length);
    bravoId = await declare('Bravo', 13);
    charlieId = await declare('Charlie', 2);
    await transition(alphaId, 'triage');
    await transition(bravoId, 'triage');
    const alphaKeys = [...ids.keys()];
    await members(
      alphaId,
      'confirm',
      alphaKeys.filter((k) => !k.startsWith('usd-excluded') && k !== 'usd-suspected').map((k) => ids.get(k)!),
    );
    await members(alphaId, 'exclude', [ids.get('usd-excluded-1')!, ids.get('usd-excluded-2')!]);
    const bravoIds = (await api.db.query<{ id: string }>(`SELECT order_id AS id FROM incident_order WHERE incident_id = $1`, [bravoId]))
      .rows;
    await members(
      bravoId,
      'confirm',
      bravoIds.map((r) => r.id),
    );
  }, 90_000);
  afterAll(async () => {
    await planner?.close();
    await api?.close();
  });

  it('previews exactly the figures an independent reading of the orders gives, writing nothing', async () => {
    const before = await tableCounts(api, runTables);
    const res = await preview(alphaId, ['quarantine_devices', 'refund', 'notify', 'stop_shipment', 'refund']).expect(200);
    const body = res.body;
    const expected = expectedFigures(await memberRows(alphaId));

    // Actions once each, in the catalogue's order.
    expect(body.actions).toEqual(['stop_shipment', 'refund', 'notify', 'quarantine_devices']);
    expect(body.orders).toEqual({ confirmed: 15, excluded: 2, suspected: 1, confirmedAfterRequest: 0 });

    // Stop shipment: the split by fulfilment state → operation, the voided labels' credit per currency.
    const operations = Object.fromEntries(
      body.stop_shipment.byOperation.map((o: { operation: string; orders: number }) => [o.operation, o.orders]),
    );
    expect(operations).toEqual(expected.stopOperations);
    expect(operations).toEqual({ cancel: 6, void_label: 2, intercept: 3, request_return: 3 });
    expect(body.stop_shipment.byOperation.map((o: { fulfilmentState: string }) => o.fulfilmentState)).toEqual([
      'unfulfilled',
      'label_created',
      'in_transit',
      'delivered',
    ]);
    const voided = body.stop_shipment.byOperation.find((o: { operation: string }) => o.operation === 'void_label');
    expect(
      Object.fromEntries(voided.labelCredit.map((m: { currency: string; amountMinor: number }) => [m.currency, m.amountMinor])),
    ).toEqual(expected.labelCredit);
    expect(expected.labelCredit).toEqual({ USD: sampleLabelCost, JPY: sampleLabelCost });
    // Parcels in transit are intercepted for a carrier fee the provider names only when it acts: an estimate per currency.
    const intercepted = body.stop_shipment.byOperation.find((o: { operation: string }) => o.operation === 'intercept');
    expect(intercepted.interceptFee).toEqual([
      { currency: 'EUR', orders: 1, perOrderMinor: null, amountMinor: null, estimated: true },
      { currency: 'USD', orders: 2, perOrderMinor: 1600, amountMinor: 3200, estimated: true },
    ]);
    expect(voided.interceptFee).toBeUndefined();
    expect(body.stop_shipment.orders).toBe(14);
    expect(body.stop_shipment.skipped).toEqual(expected.stopSkipped);

    // Refund: totals per currency, never summed across currencies; the rest of a partly refunded charge only.
    expect(body.refund.totals).toEqual(expected.refundTotals);
    expect(body.refund.totals).toEqual([
      { currency: 'EUR', orders: 3, amountMinor: 3 * sampleTotal },
      { currency: 'JPY', orders: 2, amountMinor: 2 * sampleTotal },
      { currency: 'USD', orders: 7, amountMinor: 7 * sampleTotal - 1000 },
    ]);
    expect(body.refund.skipped).toEqual(expected.refundSkipped);
    expect(body.refund.skipped).toEqual([
      { reason: 'already_refunded', count: 1 },
      { reason: 'disputed', count: 1 },
      { reason: 'excluded', count: 2 },
      { reason: 'no_payment', count: 1 },
    ]);
    // The split by fulfilment state adds up to the totals, per currency.
    for (const total of body.refund.totals) {
      const parts = body.refund.byFulfilmentState.filter((p: { currency: string }) => p.currency === total.currency);
      expect(parts.reduce((n: number, p: { amountMinor: number }) => n + p.amountMinor, 0)).toBe(total.amountMinor);
    }

    // One notice per customer; a customer without an address is skipped, saying so.
    expect(body.notify.customers).toBe(expected.customers);
    expect(body.notify.skipped).toEqual([{ reason: 'no_email', count: expected.customersWithoutEmail }]);
    expect(body.quarantine_devices).toEqual({ devices: expected.devices, ordersWithoutDevice: 0, skipped: [] });

    // A sample of the skipped orders, by reason.
    expect(body.skippedSample).toEqual(
      expect.arrayContaining([
        { orderId: ids.get('usd-disputed'), externalId: expect.any(String), action: 'refund', reason: 'disputed' },
        { orderId: ids.get('usd-cancelled'), externalId: expect.any(String), action: 'stop_shipment', reason: 'already_stopped' },
      ]),
    );
    expect(body.approval).toEqual({ required: false, over: [] });
    expect(body.blockers).toEqual([]);
    expect(await tableCounts(api, runTables)).toEqual(before);
  });

  it('refuses bad input with 400 naming the field, and preview to those who may not act (403)', async () => {
    const unknown = await preview(alphaId, ['explode']).expect(400);
    expect(unknown.body.fields).toEqual([{ field: 'actions.0', message: expect.stringMatching(/must be one of stop_shipment, refund/) }]);
    const none = await preview(alphaId, []).expect(400);
    expect(none.body.fields[0]).toMatchObject({ field: 'actions', message: 'must name at least one action' });
    const noReason = await agent
      .as(api.http.post(`/api/incidents/${alphaId}/runs`))
      .send({ actions: ['refund'] })
      .expect(400);
    expect(noReason.body.fields).toEqual([{ field: 'reason', message: expect.stringMatching(/is required/) }]);
    const forbidden = await preview(alphaId, ['refund'], finance).expect(403);
    expect(forbidden.body.message).toContain('"runs.preview"');
    await preview(randomUUID(), ['refund']).expect(404);
  });

  it('refuses a run on an incident not in triage or remediating, or without confirmed orders: 409, nothing changed', async () => {
    const before = await tableCounts(api, runTables);
    const declared = await requestRun(charlieId, ['refund']).expect(409);
    expect(declared.body.message).toMatch(
      /INC-\d{4} is declared; runs can be requested in triage or remediating \(move it to triage first\)/,
    );
    expect(declared.body.message).toMatch(/has no confirmed orders \(2 are still suspected\)/);
    await transition(charlieId, 'triage');
    const afterTriage = await tableCounts(api, runTables);
    const unconfirmed = await requestRun(charlieId, ['refund', 'notify']).expect(409);
    expect(unconfirmed.body.message).toMatch(
      /^INC-\d{4} has no confirmed orders \(2 are still suspected\): confirm the orders to act on first; nothing was changed$/,
    );
    expect(await tableCounts(api, runTables)).toEqual(afterTriage);
    expect(afterTriage.remediation_run).toBe(before.remediation_run);
    const incident = (await agent.as(api.http.get(`/api/incidents/${charlieId}`)).expect(200)).body;
    expect(incident.status).toBe('triage');
    // The preview says the same, before anyone tries.
    expect((await preview(charlieId, ['refund']).expect(200)).body.blockers).toEqual([
      unconfirmed.body.message.replace('; nothing was changed', ''),
    ]);
  });

  it('queues a run under the threshold, moves the incident to remediating, and plans exactly the previewed steps', async () => {
    const actions = ['stop_shipment', 'refund', 'notify', 'quarantine_devices'];
    const shown = (await preview(alphaId, actions).expect(200)).body;
    const res = await requestRun(alphaId, actions).expect(201);
    alphaRunId = res.body.id;
    expect(res.body).toMatchObject({
      status: 'queued',
      approvalRequired: false,
      reason: 'fraudulent fleet orders',
      requestedByEmail: agent.email,
      reference: expect.stringMatching(/^RUN-\d{4}$/),
      actions,
    });
    const { computedAt: _a, ...previewFigures } = shown;
    const { computedAt: _b, ...storedFigures } = res.body.preview;
    expect(storedFigures).toEqual(previewFigures);

    const run = await waitForDispatch(alphaRunId);
    expect(run.startedAt).toEqual(expect.any(String));
    const { computedAt: _c, approval: _d, blockers: _e, incidentId: _f, ...planFigures } = run.preview;
    expect(run.plan).toEqual(planFigures);

    // Preview equals plan: the steps written are the previewed figures.
    const steps = await stepFigures(alphaRunId);
    expect(steps.operations).toEqual(
      Object.fromEntries(shown.stop_shipment.byOperation.map((o: { operation: string; orders: number }) => [o.operation, o.orders])),
    );
    expect(steps.refundTotals).toEqual(shown.refund.totals);
    // Excluded orders are reported, never written as steps.
    const withoutExcluded = (list: { reason: string }[]) => list.filter((s) => s.reason !== 'excluded');
    expect(steps.stopSkipped).toEqual(withoutExcluded(shown.stop_shipment.skipped));
    expect(steps.refundSkipped).toEqual(withoutExcluded(shown.refund.skipped));
    const { rows: outbox } = await api.db.query(
      `SELECT customer_id, template, message_id, status FROM notification_outbox WHERE run_id = $1`,
      [alphaRunId],
    );
    expect(outbox).toHaveLength(shown.notify.customers);
    for (const row of outbox)
      expect(row).toMatchObject({
        template: 'incident_notice',
        status: 'pending',
        message_id: expect.stringMatching(/^<[0-9a-f-]{36}@[\w.-]+>$/),
      });
    const { rows: quarantines } = await api.db.query(`SELECT scope, reason FROM quarantine WHERE incident_id = $1`, [alphaId]);
    expect(quarantines).toHaveLength(shown.quarantine_devices.devices);
    expect(quarantines[0]).toMatchObject({
      scope: 'device',
      reason: expect.stringMatching(/^Remediation RUN-\d{4} of INC-\d{4}: fraudulent fleet orders$/),
    });
    const { rows: devices } = await api.db.query(`SELECT count(*)::int AS n FROM device WHERE state = 'quarantined' AND id LIKE 'Alpha-%'`);
    expect(devices[0].n).toBe(shown.quarantine_devices.devices);

    // Idempotency keys come from the step, never at random; the placeholder engine only queued the work.
    const { rows: keys } = await api.db.query(`SELECT id, operation, idempotency_key, status FROM remediation_step WHERE run_id = $1`, [
      alphaRunId,
    ]);
    for (const step of keys) expect(step.idempotency_key).toBe(`rd_${step.id}_${step.operation ?? 'skipped'}`);
    expect(new Set(keys.filter((k) => k.status !== 'skipped').map((k) => k.status))).toEqual(new Set(['queued']));

    // Live progress per action.
    const refund = run.progress.find((p: { action: string }) => p.action === 'refund');
    expect(refund).toMatchObject({ unit: 'orders', total: 15, done: 0, skipped: 3, pending: 12, failed: 0, inFlight: 0 });
    expect(run.progress.map((p: { action: string }) => p.action)).toEqual(actions);

    // The incident moved to remediating; the timeline and the audit log say who, what and why.
    const incident = (await agent.as(api.http.get(`/api/incidents/${alphaId}`)).expect(200)).body;
    expect(incident.status).toBe('remediating');
    const timeline = (await agent.as(api.http.get(`/api/incidents/${alphaId}/timeline?_sort=at&_order=ASC&_perPage=100`)).expect(200)).body
      .data;
    const messages = timeline.map((e: { kind: string; message: string }) => `${e.kind}: ${e.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^status_changed: triage → remediating: RUN-\d{4} requested$/),
        expect.stringMatching(
          /^remediation: Requested RUN-\d{4}: stop 14 shipments, refund 12 orders \(EUR 251\.88, JPY 16792, USD 577\.72\), notify 5 customers, quarantine 8 devices; queued\. Reason: fraudulent fleet orders$/,
        ),
        expect.stringMatching(
          /^remediation: RUN-\d{4} planned: 26 steps to run, 4 skipped; 5 customer notices; 8 devices quarantined; matches its preview$/,
        ),
      ]),
    );
    const { rows: audit } = await api.db.query(`SELECT action, reason, actor_email FROM audit_log WHERE target_id = $1 ORDER BY at, id`, [
      alphaRunId,
    ]);
    expect(audit).toEqual([
      { action: 'runs.create', reason: 'fraudulent fleet orders', actor_email: agent.email },
      { action: 'runs.plan', reason: null, actor_email: 'machine:remediation' },
    ]);
  });

  it('hands the planned steps to the engine in chunks of the provider budget, one job each, and a second hand-over adds none', async () => {
    const { rows } = await api.db.query<{ id: string; action: string; job_id: string }>(
      `SELECT id, action, job_id FROM remediation_step WHERE run_id = $1 AND status = 'queued' ORDER BY job_id, id`,
      [alphaRunId],
    );
    const chunks = new Map<string, { action: string; stepIds: string[] }>();
    for (const row of rows) {
      const chunk = chunks.get(row.job_id) ?? { action: row.action, stepIds: [] };
      chunk.stepIds.push(row.id);
      chunks.set(row.job_id, chunk);
    }
    // 12 refunds and 14 shipments at the default budgets (20 calls/s each): chunks of at most 5, numbered per run.
    expect([...chunks.keys()].sort()).toEqual(
      [0, 1, 2].flatMap((n) => [`refunds-${alphaRunId}-${n}`, `shipments-${alphaRunId}-${n}`]).sort(),
    );
    expect([...chunks.values()].map((chunk) => chunk.stepIds.length).sort()).toEqual([2, 4, 5, 5, 5, 5]);
    const queueOf = { refund: 'payments', stop_shipment: 'fulfilment' } as const;
    const open = new Map(
      (['payments', 'fulfilment'] as const).map((key) => [
        key,
        new Queue(queues[key], { connection: planner.redis, prefix: api.env.QUEUE_PREFIX }),
      ]),
    );
    try {
      const counts = () =>
        Promise.all([...open.values()].map((queue) => queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active')));
      for (const [jobId, chunk] of chunks) {
        const queue = open.get(queueOf[chunk.action as keyof typeof queueOf])!;
        // Added after the planning transaction's commit: wait for it.
        let job = await queue.getJob(jobId);
        for (let i = 0; !job && i < 100; i++) {
          await new Promise((resolve) => setTimeout(resolve, 50));
          job = await queue.getJob(jobId);
        }
        expect(job, jobId).toMatchObject({
          name: chunk.action === 'refund' ? 'remediation.refunds' : 'remediation.shipments',
          data: { runId: alphaRunId, stepIds: chunk.stepIds },
        });
      }
      const before = await counts();
      await api.app.get(QueueStepDispatcher).dispatchQueued(alphaRunId);
      expect(await counts()).toEqual(before);
    } finally {
      await Promise.all([...open.values()].map((queue) => queue.close()));
    }
  });

  it('waits for another incident commander above the threshold: the requester cannot approve, others may not, a reason is required', async () => {
    const shown = (await preview(bravoId, ['refund', 'stop_shipment'], commander).expect(200)).body;
    expect(shown.approval).toEqual({ required: true, over: [{ currency: 'USD', amountMinor: 13 * sampleTotal, thresholdMinor: 100000 }] });
    const res = await requestRun(bravoId, ['refund', 'stop_shipment'], commander, 'whole fleet hijacked').expect(201);
    bravoRunId = res.body.id;
    expect(res.body).toMatchObject({
      status: 'awaiting_approval',
      approvalRequired: true,
      allowedControls: ['approve', 'reject', 'cancel'],
    });
    // "Awaiting my approval": another incident commander sees it; the requester, an agent and finance do not.
    const awaiting = (as: TestUser, query = '') =>
      as
        .as(api.http.get(`/api/runs?awaitingMyApproval=true${query}`))
        .expect(200)
        .then((r) => r.body);
    expect((await awaiting(otherCommander)).data.map((r: { id: string }) => r.id)).toEqual([bravoRunId]);
    expect(await awaiting(otherCommander, `&incidentId=${alphaId}`)).toEqual({ data: [], total: 0 });
    expect(await awaiting(commander)).toEqual({ data: [], total: 0 });
    expect(await awaiting(agent)).toEqual({ data: [], total: 0 });
    expect(await awaiting(finance)).toEqual({ data: [], total: 0 });
    expect((await otherCommander.as(api.http.get(`/api/runs?awaitingMyApproval=false`)).expect(200)).body.total).toBeGreaterThan(1);
    const notBoolean = await otherCommander.as(api.http.get(`/api/runs?awaitingMyApproval=yes`)).expect(400);
    expect(notBoolean.body.fields[0]).toMatchObject({ field: 'awaitingMyApproval', message: 'must be true or false' });

    const before = await tableCounts(api, runTables);
    const own = await control(bravoRunId, 'approve', commander, { reason: 'looks right to me' }).expect(409);
    expect(own.body.message).toBe('You requested this run; another incident commander must approve it');
    const ownReject = await control(bravoRunId, 'reject', commander, { reason: 'changed my mind' }).expect(409);
    expect(ownReject.body.message).toMatch(/^You requested this run/);
    const byAgent = await control(bravoRunId, 'approve', agent, { reason: 'fine' }).expect(403);
    expect(byAgent.body.message).toContain('"runs.approve"');
    const noReason = await control(bravoRunId, 'approve', otherCommander, {}).expect(400);
    expect(noReason.body.fields).toEqual([{ field: 'reason', message: expect.stringMatching(/is required/) }]);
    expect(await tableCounts(api, runTables)).toEqual(before);
    expect((await getRun(bravoRunId)).status).toBe('awaiting_approval');
    // The database holds the rule too, whatever the code does.
    await expect(
      api.db.query(`UPDATE remediation_run SET decided_by = requested_by, status = 'queued' WHERE id = $1`, [bravoRunId]),
    ).rejects.toThrow(/remediation_run_approver_is_not_requester/);

    const approved = await control(bravoRunId, 'approve', otherCommander, { reason: 'checked the fleet list' }).expect(200);
    expect(approved.body).toMatchObject({ decidedByEmail: otherCommander.email, decisionReason: 'checked the fleet list' });
    expect((await otherCommander.as(api.http.get(`/api/runs?awaitingMyApproval=true`)).expect(200)).body.total).toBe(0);
    const again = await control(bravoRunId, 'approve', otherCommander, { reason: 'twice' }).expect(409);
    expect(again.body.message).toMatch(/^RUN-\d{4} is (queued|planning|running); approval needs a run that is awaiting approval/);
    const run = await waitForDispatch(bravoRunId);
    expect(run.progress.find((p: { action: string }) => p.action === 'refund')).toMatchObject({ total: 13, pending: 13 });
  });

  it('pauses, resumes and cancels by the rules: nothing new starts, steps in flight finish, a cancelled run stays cancelled', async () => {
    const stepCounts = async () =>
      Object.fromEntries(
        (
          await api.db.query<{ status: string; n: number }>(
            `SELECT status, count(*)::int AS n FROM remediation_step WHERE run_id = $1 GROUP BY 1`,
            [bravoRunId],
          )
        ).rows.map((r) => [r.status, r.n]),
      );
    const running = await control(bravoRunId, 'resume').expect(409);
    expect(running.body.message).toBe(`${(await getRun(bravoRunId)).reference} is already running; nothing was changed`);

    // The engine holds one step in flight (its claim, done by hand).
    const [first] = (
      await api.db.query(
        `UPDATE remediation_step SET status = 'in_flight', attempts = 1, started_at = now()
         WHERE id = (SELECT id FROM remediation_step WHERE run_id = $1 AND action = 'refund' ORDER BY id LIMIT 1) RETURNING id`,
        [bravoRunId],
      )
    ).rows;

    const paused = await control(bravoRunId, 'pause').expect(200);
    expect(paused.body.status).toBe('paused');
    expect(await stepCounts()).toEqual({ pending: 25, in_flight: 1 });
    const twice = await control(bravoRunId, 'pause').expect(409);
    expect(twice.body.message).toMatch(/is already paused; nothing was changed$/);
    const noFailed = await control(bravoRunId, 'retry').expect(409);
    expect(noFailed.body.message).toMatch(/has no failed steps to retry; nothing was changed$/);

    const resumed = await control(bravoRunId, 'resume').expect(200);
    expect(resumed.body.status).toBe('running');
    expect(await stepCounts()).toEqual({ queued: 25, in_flight: 1 });

    const cancelling = await control(bravoRunId, 'cancel').expect(200);
    expect(cancelling.body.status).toBe('cancelling');
    expect(await stepCounts()).toEqual({ cancelled: 25, in_flight: 1 });
    const early = await finance.as(api.http.get(`/api/runs/${bravoRunId}/report`)).expect(409);
    expect(early.body.message).toMatch(/is cancelling; its report is written when it finishes/);

    // The step in flight finishes; the engine says so, and the run is cancelled with its report.
    await api.db.query(`UPDATE remediation_step SET status = 'succeeded', provider_ref = 're_test_1', finished_at = now() WHERE id = $1`, [
      first.id,
    ]);
    expect(await runProgress().stepFinished(bravoRunId)).toBe('cancelled');
    const report = (await finance.as(api.http.get(`/api/runs/${bravoRunId}/report`)).expect(200)).body;
    expect(report).toMatchObject({ outcome: 'cancelled', status: 'cancelled', matchesPreview: false });
    expect(report.differences).toEqual(
      expect.arrayContaining([
        { figure: 'refund.orders', preview: 13, executed: 1 },
        { figure: 'refund.amount_minor.USD', preview: 13 * sampleTotal, executed: sampleTotal },
        { figure: 'refund.cancelled', preview: 0, executed: 12 },
        { figure: 'stop_shipment.cancelled', preview: 0, executed: 13 },
      ]),
    );

    const before = await tableCounts(api, runTables);
    for (const verb of ['resume', 'pause', 'cancel', 'retry']) {
      const res = await control(bravoRunId, verb).expect(409);
      expect(res.body.message).toMatch(
        /^RUN-\d{4} is cancelled; .* \(a cancelled run is final; request a new run for what is left\); nothing was changed$/,
      );
    }
    expect(await tableCounts(api, runTables)).toEqual(before);

    // Cancelled steps free their orders for a later run; the one refunded is held.
    const next = (await preview(bravoId, ['refund'], commander).expect(200)).body;
    expect(next.refund).toMatchObject({ orders: 12, skipped: [{ reason: 'in_another_run', count: 1 }] });
  });

  it('rejects by another commander, and lets the requester withdraw by cancelling', async () => {
    const first = (await requestRun(bravoId, ['refund'], commander, 'second try').expect(201)).body;
    expect(first.status).toBe('awaiting_approval');
    const rejected = await control(first.id, 'reject', otherCommander, { reason: 'wait for the bank' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', decidedByEmail: otherCommander.email, allowedControls: [] });
    const second = (await requestRun(bravoId, ['refund'], commander, 'third try').expect(201)).body;
    const withdrawn = await control(second.id, 'cancel', commander, { reason: 'wrong scope' }).expect(200);
    expect(withdrawn.body.status).toBe('cancelled');
    const timeline = (await agent.as(api.http.get(`/api/incidents/${bravoId}/timeline?kind=remediation&_perPage=100`)).expect(200)).body
      .data;
    expect(timeline.map((e: { message: string }) => e.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^Rejected RUN-\d{4}: wait for the bank$/),
        expect.stringMatching(/^Cancelled RUN-\d{4} before it started \(request withdrawn\): wrong scope$/),
      ]),
    );
  });

  it('completes with a report when the engine finishes the last step, and retries failed steps (never a succeeded one)', async () => {
    // The engine's part, done by hand: every queued step final, one refund failed, the notices sent.
    const stepOf = async (key: string) =>
      (
        await api.db.query(`SELECT id FROM remediation_step WHERE run_id = $1 AND action = 'refund' AND order_id = $2`, [
          alphaRunId,
          ids.get(key),
        ])
      ).rows[0].id as string;
    const failed = await stepOf('usd-unfulfilled-1');
    const succeeded = await stepOf('usd-label');
    await api.db.query(
      `UPDATE remediation_step SET status = CASE WHEN id = $2 THEN 'failed' ELSE 'succeeded' END, attempts = 1, started_at = now(), finished_at = now(),
              error_code = CASE WHEN id = $2 THEN 'card_declined' END
       WHERE run_id = $1 AND status = 'queued'`,
      [alphaRunId, failed],
    );
    expect(await runProgress().stepFinished(alphaRunId)).toBeNull(); // the notices are still to send
    await api.db.query(`UPDATE notification_outbox SET status = 'sent', sent_at = now() WHERE run_id = $1`, [alphaRunId]);
    expect(await runProgress().notificationFinished(alphaRunId)).toBe('completed');

    const run = await getRun(alphaRunId);
    expect(run).toMatchObject({ status: 'completed', finishedAt: expect.any(String), allowedControls: ['retry'] });
    expect(run.progress.find((p: { action: string }) => p.action === 'refund')).toMatchObject({
      done: 11,
      failed: 1,
      skipped: 3,
      pending: 0,
      etaSeconds: 0,
    });
    const report = (await finance.as(api.http.get(`/api/runs/${alphaRunId}/report`)).expect(200)).body;
    expect(report).toMatchObject({ outcome: 'completed', matchesPreview: false });
    expect(report.differences).toEqual([
      { figure: 'refund.amount_minor.USD', preview: 7 * sampleTotal - 1000, executed: 6 * sampleTotal - 1000 },
      { figure: 'refund.failed.card_declined', preview: 0, executed: 1 },
      { figure: 'refund.orders', preview: 12, executed: 11 },
    ]);
    expect(report.figures).toEqual(expect.arrayContaining([{ figure: 'notify.customers', preview: 5, planned: 5, executed: 5 }]));

    const before = await tableCounts(api, runTables);
    const wrong = await control(alphaRunId, 'retry', agent, { stepIds: [succeeded, failed], reason: 'provider fixed' }).expect(409);
    expect(wrong.body.message).toBe(`Only failed steps can be retried: ${succeeded} is succeeded; nothing was changed`);
    const stranger = await control(alphaRunId, 'retry', agent, { stepIds: [randomUUID()], reason: 'provider fixed' }).expect(400);
    expect(stranger.body.fields[0].field).toBe('stepIds');
    expect(await tableCounts(api, runTables)).toEqual(before);
    expect((await getRun(alphaRunId)).status).toBe('completed');

    const retried = await control(alphaRunId, 'retry', agent, { reason: 'provider fixed' }).expect(200);
    expect(retried.body).toMatchObject({ status: 'running', finishedAt: null });
    const { rows: again } = await api.db.query(`SELECT status, finished_at FROM remediation_step WHERE id = $1`, [failed]);
    expect(again).toEqual([{ status: 'queued', finished_at: null }]);
    await api.db.query(`UPDATE remediation_step SET status = 'succeeded', error_code = NULL, finished_at = now() WHERE id = $1`, [failed]);
    expect(await runProgress().stepFinished(alphaRunId)).toBe('completed');
    const final = (await finance.as(api.http.get(`/api/runs/${alphaRunId}/report`)).expect(200)).body;
    expect(final).toMatchObject({ matchesPreview: true, differences: [] });
    expect(final.summary).toMatch(
      /^Completed: 14 shipments stopped; 12 orders refunded \(EUR 251\.88, JPY 16792, USD 577\.72\); 5 notices sent; 8 devices quarantined; matches its preview$/,
    );
  });

  it('never gives an order and action to two runs: a second run skips them as in_another_run', async () => {
    await members(alphaId, 'confirm', [ids.get('usd-suspected')!]);
    const shown = (await preview(alphaId, ['stop_shipment', 'refund']).expect(200)).body;
    expect(shown.stop_shipment).toMatchObject({ orders: 1, skipped: expect.arrayContaining([{ reason: 'in_another_run', count: 14 }]) });
    // Skipped steps of the first run hold nothing: those orders are skipped for their own reason again.
    expect(shown.refund.skipped).toEqual([
      { reason: 'already_refunded', count: 1 },
      { reason: 'disputed', count: 1 },
      { reason: 'excluded', count: 2 },
      { reason: 'in_another_run', count: 12 },
      { reason: 'no_payment', count: 1 },
    ]);
    const run = (await requestRun(alphaId, ['stop_shipment', 'refund']).expect(201)).body;
    expect(run.status).toBe('queued');
    await waitForDispatch(run.id);
    const steps = await stepFigures(run.id);
    expect(steps.operations).toEqual({ cancel: 1 });
    expect(steps.refundTotals).toEqual([{ currency: 'USD', orders: 1, amountMinor: sampleTotal }]);
    expect(steps.refundSkipped).toEqual(shown.refund.skipped.filter((s: { reason: string }) => s.reason !== 'excluded'));
    const { rows: twice } = await api.db.query(
      `SELECT order_id, action, count(*) FROM remediation_step WHERE status NOT IN ('cancelled', 'skipped') GROUP BY 1, 2 HAVING count(*) > 1`,
    );
    expect(twice).toEqual([]);
  });

  it('lists runs and steps with filters in the list shape, for every role that reads', async () => {
    const list = (await finance.as(api.http.get(`/api/runs?incidentId=${alphaId}&_sort=number&_order=ASC`)).expect(200)).body;
    expect(list.total).toBe(2);
    expect(list.data[0]).toMatchObject({
      id: alphaRunId,
      status: 'completed',
      incidentReference: expect.stringMatching(/^INC-/),
      steps: { total: 30, done: 26, failed: 0, skipped: 4, cancelled: 0, open: 0 },
    });
    // Cancelled steps are counted next to done, failed and skipped (the cancelled run: 25 of 26 cancelled, 1 refunded).
    const bravo = (await finance.as(api.http.get(`/api/runs?id=${bravoRunId}`)).expect(200)).body.data[0];
    expect(bravo.steps).toEqual({ total: 26, done: 1, failed: 0, skipped: 0, cancelled: 25, open: 0 });
    const cancelled = (await agent.as(api.http.get(`/api/runs?status=cancelled&status=rejected`)).expect(200)).body;
    expect(cancelled.data.map((r: { status: string }) => r.status).sort()).toEqual(['cancelled', 'cancelled', 'rejected']);
    const bad = await agent.as(api.http.get('/api/runs?status=exploded')).expect(400);
    expect(bad.body.fields[0].field).toBe('status');

    const skipped = (
      await finance.as(api.http.get(`/api/runs/${alphaRunId}/steps?action=refund&status=skipped&_sort=externalId&_order=ASC`)).expect(200)
    ).body;
    expect(skipped.total).toBe(3);
    expect(skipped.data.map((s: { errorCode: string; orderId: string }) => [s.orderId, s.errorCode]).sort()).toEqual(
      [
        [ids.get('usd-no-payment'), 'no_payment'],
        [ids.get('usd-disputed'), 'disputed'],
        [ids.get('usd-refunded'), 'already_refunded'],
      ].sort(),
    );
    expect(skipped.data[0]).toMatchObject({
      action: 'refund',
      status: 'skipped',
      errorMessage: expect.any(String),
      externalId: expect.stringMatching(/^Alpha-/),
    });
    await finance.as(api.http.get(`/api/runs/${randomUUID()}`)).expect(404);
    await finance.as(api.http.get(`/api/runs/not-a-uuid/steps`)).expect(404);
  });
});
