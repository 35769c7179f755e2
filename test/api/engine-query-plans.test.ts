import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PreparedStatement } from '../../backend/src/database/prepared-statement.js';
import { customerOrders } from '../../backend/src/remediation/engine/notice-content.js';
import { afterSteps } from '../../backend/src/remediation/engine/step-follow-ups.js';
import { asPlatform, sampleOrder, toNdjson } from '../support/orders.js';
import { startPlannerWorker, type PlannerWorker } from '../support/planner-worker.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

const customers = 600;
const ordersPerCustomer = 2;

/** Shared buffers a statement touched (hits and reads, its whole plan), from EXPLAIN (ANALYZE, BUFFERS). */
async function buffersOf(api: TestApp, statement: PreparedStatement, values: unknown[]): Promise<number> {
  const { rows } = await api.db.query(`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`, values);
  const plan = rows[0]['QUERY PLAN'][0].Plan as Record<string, number>;
  return plan['Shared Hit Blocks']! + plan['Shared Read Blocks']!;
}

/**
 * The engine's after-steps and notice-content statements touch a few dozen buffers per step or notice however large the run,
 * even when the planner's statistics still have the run's tables as they were before it was planned
 * (autovacuum had not analyzed them yet): in the remediate bench such plans read every pending notice
 * of the run for each step, or every confirmed member of the incident for each notice. Here the
 * statistics are frozen on purpose (analyzed before the incident was confirmed and the run planned,
 * autovacuum off for these tables), and the statements are measured with EXPLAIN's buffer counts.
 */
describe('engine statements on a just-planned run (statistics not caught up)', () => {
  let api: TestApp;
  let planner: PlannerWorker;
  let agent: TestUser;
  let commander: TestUser;
  let incidentId: string;
  let runId: string;

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '100000', REFUND_APPROVAL_THRESHOLDS: 'USD:1000000000' });
    planner = startPlannerWorker(api, 'test-engine-plans-planner');
    [agent, commander] = await Promise.all([userWithRoles(api, ['support_agent']), userWithRoles(api, ['incident_commander'])]);

    const orders = Array.from({ length: customers * ordersPerCustomer }, (_, i) => {
      const customer = i % customers;
      return sampleOrder({
        externalId: `Plan-${String(i).padStart(5, '0')}`,
        placedAt: new Date(Date.parse('2026-11-21T08:00:00Z') + i * 1_000).toISOString(),
        currency: 'USD',
        customer: { externalId: `Plan-CUST-${customer}`, email: `plan-${customer}@example.com`, name: `Customer ${customer}` },
        device: { id: `Plan-DEV-${customer}`, model: 'Plan', firmwareVersion: '1.0.0' },
        paymentReference: `pi_plan_${i}`,
        fulfilment: { state: 'unfulfilled' },
      });
    });
    await asPlatform(api.http.post('/api/orders/bulk')).set('Content-Type', 'application/x-ndjson').send(toNdjson(orders)).expect(200);
    incidentId = (
      await commander
        .as(api.http.post('/api/incidents'))
        .send({ title: 'Plan fleet', severity: 'high', orderFilter: { model: 'Plan' }, expectedCount: orders.length })
        .expect(201)
    ).body.id;
    await commander
      .as(api.http.post(`/api/incidents/${incidentId}/transition`))
      .send({ to: 'triage', reason: 'working it' })
      .expect(200);

    // The statistics as a planner sees them right after a big confirm and a run's planning: members all
    // suspected, no steps, no notices; kept that way for the rest of the test.
    for (const table of ['incident_order', 'remediation_step', 'notification_outbox']) {
      await api.db.query(`ALTER TABLE ${table} SET (autovacuum_enabled = false)`);
      await api.db.query(`ANALYZE ${table}`);
    }

    const { rows } = await api.db.query(`SELECT order_id FROM incident_order WHERE incident_id = $1`, [incidentId]);
    await agent
      .as(api.http.post(`/api/incidents/${incidentId}/members`))
      .send({ action: 'confirm', orderIds: rows.map((row) => row.order_id), reason: 'checked by hand' })
      .expect(200);
    runId = (
      await agent
        .as(api.http.post(`/api/incidents/${incidentId}/runs`))
        .send({ actions: ['stop_shipment', 'refund', 'notify'], reason: 'fraudulent fleet orders' })
        .expect(201)
    ).body.id;
    const deadline = Date.now() + 30_000;
    while ((await api.db.query(`SELECT status FROM remediation_run WHERE id = $1`, [runId])).rows[0].status !== 'running') {
      if (Date.now() > deadline) throw new Error('the run was not planned in 30 s');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }, 120_000);

  afterAll(async () => {
    await planner?.close();
    await api?.close();
  });

  it('plans every order and every customer notice, with the planner statistics still showing none', async () => {
    const { rows } = await api.db.query(
      `SELECT (SELECT count(*)::int FROM remediation_step WHERE run_id = $1) AS steps,
              (SELECT count(*)::int FROM notification_outbox WHERE run_id = $1 AND status = 'pending') AS notices,
              (SELECT reltuples FROM pg_class WHERE relname = 'notification_outbox') AS outbox_estimate`,
      [runId],
    );
    expect(rows[0]).toEqual({ steps: customers * ordersPerCustomer * 2, notices: customers, outbox_estimate: 0 });
  });

  it("after a chunk of steps: their customers' notices and the run's open work read a few dozen buffers per step, not the run's notices", async () => {
    // A chunk of steps half-way down the run, finished as the engine leaves them, so their customers' notices become due.
    const chunk = 25;
    const { rows } = await api.db.query(
      `UPDATE remediation_step SET status = 'succeeded', finished_at = now()
        WHERE id IN (SELECT id FROM remediation_step WHERE run_id = $1 ORDER BY id OFFSET $2 LIMIT $3) RETURNING id`,
      [runId, customers, chunk],
    );
    // EXPLAIN ANALYZE runs the statement: the notices it hands to the (never added) job are given back after.
    const buffers = await buffersOf(api, afterSteps, [rows.map((row) => row.id), runId, 'notices-plan-test']);
    await api.db.query(`UPDATE notification_outbox SET job_id = NULL WHERE run_id = $1`, [runId]);
    expect(buffers).toBeGreaterThan(0);
    expect(buffers / chunk).toBeLessThan(60);
  });

  it("a notice's content reads the customer's orders only, not the incident's confirmed members", async () => {
    const { rows } = await api.db.query(`SELECT customer_id FROM notification_outbox WHERE run_id = $1 ORDER BY customer_id LIMIT 1`, [
      runId,
    ]);
    const buffers = await buffersOf(api, customerOrders, [[incidentId], [rows[0].customer_id]]);
    expect(buffers).toBeGreaterThan(0);
    expect(buffers).toBeLessThan(150);
  });
});
