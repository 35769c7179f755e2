import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { incidentWithOrders, inLedgerTransaction, insertIncident, type LedgerOrderSpec } from '../support/ledger-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

/**
 * The landing dashboards, one read per role: each section's figures against
 * the data this file creates (its own database), recomputed here from the
 * fixtures or read from the tables directly, and who may read which section.
 */
let api: TestApp;
let agent: TestUser;
let finance: TestUser;
let commander: TestUser;
let requester: TestUser;
let admin: TestUser;
let agentAndFinance: TestUser;

/** Incidents of this file, by name. */
const incidents: Record<string, string> = {};
/** Runs with failed steps, in the order they last failed. */
let retryRuns: { id: string; failed: number }[] = [];
let approvalRunId: string;

const order = (currency: string, state: LedgerOrderSpec['state'], priceMinor: number): LedgerOrderSpec => ({
  currency,
  state,
  priceMinor,
  costMinor: Math.round(priceMinor / 4),
  shippingChargedMinor: 0,
  labelCostMinor: 300,
});

async function insertProposal(title: string, severity: string, score: number, status: string, ageMinutes: number) {
  await api.db.query(
    `INSERT INTO detection_proposal (fingerprint, title, rules, score, severity, status, order_ids, order_count, device_count,
                                     value_by_currency, evidence, first_order_at, last_order_at, created_at)
     VALUES ($1, $2, ARRAY['fleet-burst'], $3, $4, $5, '{}', 12, 4, '[{"currency": "USD", "orders": 12, "totalMinor": 120000}]',
             '{}', now() - interval '2 days', now() - interval '1 hour', now() - make_interval(mins => $6))`,
    [randomUUID(), title, score, severity, status, ageMinutes],
  );
}

/** A run of an incident (a fixture, as planning would leave it) with steps in the given states, one order each. */
async function insertRun(incidentId: string, status: string, steps: { orderId: string; status: string; finishedMinutesAgo?: number }[]) {
  const { rows } = await api.db.query<{ id: string }>(
    `INSERT INTO remediation_run (incident_id, actions, status, reason, preview, approval_required, requested_by, started_at)
     VALUES ($1, ARRAY['refund'], $2, 'dashboard fixture', '{}', false, $3, now()) RETURNING id`,
    [incidentId, status, agent.id],
  );
  const runId = rows[0]!.id;
  for (const step of steps) {
    const final = ['succeeded', 'failed', 'skipped', 'cancelled'].includes(step.status);
    await api.db.query(
      `INSERT INTO remediation_step (run_id, order_id, action, operation, status, idempotency_key, error_code, finished_at)
       VALUES ($1, $2, 'refund', 'refund', $3, $4, $5, CASE WHEN $6 THEN now() - make_interval(mins => $7) END)`,
      [
        runId,
        step.orderId,
        step.status,
        randomUUID(),
        step.status === 'skipped' ? 'already_refunded' : null,
        final,
        step.finishedMinutesAgo ?? 1,
      ],
    );
  }
  return runId;
}

async function refund(
  incidentId: string,
  orderId: string,
  id: string,
  amountMinor: number,
  currency: string,
  status: 'succeeded' | 'failed',
) {
  await inLedgerTransaction(api, (writer, manager) =>
    writer.recordRefund(manager, { incidentId, orderId, refund: { id, amountMinor, currency, status }, eventId: `evt_${id}_${status}` }),
  );
}

beforeAll(async () => {
  // Every refund run needs approval, so a run requested through the API waits for another commander.
  api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '100000', REFUND_APPROVAL_THRESHOLDS: 'USD:1,EUR:1,JPY:1' });
  [agent, finance, commander, requester, admin, agentAndFinance] = await Promise.all([
    userWithRoles(api, ['support_agent']),
    userWithRoles(api, ['finance']),
    userWithRoles(api, ['incident_commander']),
    userWithRoles(api, ['incident_commander']),
    userWithRoles(api, ['admin']),
    userWithRoles(api, ['support_agent', 'finance']),
  ]);

  // Proposals: three open (one critical, two high), one dismissed and one declared that are not work any more.
  await insertProposal('High, older, top score', 'high', 90, 'open', 60);
  await insertProposal('High, newer, lower score', 'high', 70, 'open', 5);
  await insertProposal('Critical fleet burst', 'critical', 50, 'open', 30);
  await insertProposal('Dismissed one', 'critical', 99, 'dismissed', 10);
  await insertProposal('Declared one', 'critical', 99, 'declared', 10);

  // Alpha (USD, high): four confirmed orders with refunds and runs. Bravo (EUR and USD): a larger loss.
  const alpha = await incidentWithOrders(
    api,
    [
      order('USD', 'delivered', 10_000),
      order('USD', 'unfulfilled', 4_000),
      order('USD', 'unfulfilled', 6_000),
      order('USD', 'in_transit', 8_000),
    ],
    'Alpha printers',
  );
  incidents.alpha = alpha.incidentId;
  const [a0, a1, a2, a3] = alpha.orders;
  await refund(incidents.alpha, a0!.id, 're_alpha_0', 10_000, 'USD', 'succeeded');
  await refund(incidents.alpha, a1!.id, 're_alpha_1', 4_000, 'USD', 'succeeded');
  await refund(incidents.alpha, a1!.id, 're_alpha_1', 4_000, 'USD', 'failed');

  const bravo = await incidentWithOrders(
    api,
    [order('EUR', 'delivered', 50_000), order('EUR', 'delivered', 20_000), order('USD', 'delivered', 30_000)],
    'Bravo fridges',
  );
  incidents.bravo = bravo.incidentId;
  await refund(incidents.bravo, bravo.orders[0]!.id, 're_bravo_0', 50_000, 'EUR', 'succeeded');
  await refund(incidents.bravo, bravo.orders[2]!.id, 're_bravo_2', 30_000, 'USD', 'succeeded');

  // Runs on Alpha: a running one (a0 done, a1 failed), a completed one (a2 skipped, a3 failed, later);
  // a cancelled one with a failed step (cannot be retried) and a clean one are not listed.
  const running = await insertRun(incidents.alpha, 'running', [
    { orderId: a0!.id, status: 'succeeded' },
    { orderId: a1!.id, status: 'failed', finishedMinutesAgo: 20 },
  ]);
  const completed = await insertRun(incidents.alpha, 'completed', [
    { orderId: a2!.id, status: 'skipped' },
    { orderId: a3!.id, status: 'failed', finishedMinutesAgo: 2 },
  ]);
  const charlie = await incidentWithOrders(api, [order('USD', 'unfulfilled', 1_000)], 'Charlie cars');
  incidents.charlie = charlie.incidentId;
  await insertRun(incidents.charlie, 'cancelled', [{ orderId: charlie.orders[0]!.id, status: 'failed' }]);
  await insertRun(incidents.charlie, 'completed', [{ orderId: charlie.orders[0]!.id, status: 'cancelled' }]);
  retryRuns = [
    { id: completed, failed: 1 },
    { id: running, failed: 1 },
  ];

  // Delta: declared and critical (first on the commander's list); Echo: closed (not on it).
  incidents.delta = await insertIncident(api, 'Delta tyres');
  await api.db.query(`UPDATE incident SET status = 'declared', severity = 'critical' WHERE id = $1`, [incidents.delta]);
  incidents.echo = await insertIncident(api, 'Echo closed');
  await api.db.query(`UPDATE incident SET status = 'closed', closed_at = now() WHERE id = $1`, [incidents.echo]);

  // A refund run on Bravo requested through the API by another commander: it waits for approval.
  const requested = await requester
    .as(api.http.post(`/api/incidents/${incidents.bravo}/runs`))
    .send({ actions: ['refund'], reason: 'refund the fridge orders' });
  expect(requested.status, JSON.stringify(requested.body)).toBe(201);
  expect(requested.body.status).toBe('awaiting_approval');
  approvalRunId = requested.body.id;
}, 120_000);

afterAll(() => api?.close());

describe('who may read which section', () => {
  const sections = ['agent', 'finance', 'commander', 'admin'] as const;

  it('answers 401 without a session', async () => {
    for (const section of sections) {
      const res = await api.http.get(`/api/dashboard/${section}`);
      expect(res.status, section).toBe(401);
    }
  });

  it('gives each role its own section only, and a user with several roles each of theirs', async () => {
    const allowed = new Map<TestUser, string[]>([
      [agent, ['agent']],
      [finance, ['finance']],
      [commander, ['commander']],
      [admin, ['admin']],
      [agentAndFinance, ['agent', 'finance']],
    ]);
    for (const [user, mine] of allowed) {
      for (const section of sections) {
        const res = await user.as(api.http.get(`/api/dashboard/${section}`));
        if (mine.includes(section)) expect(res.status, `${user.roles} ${section}`).toBe(200);
        else {
          expect(res.status, `${user.roles} ${section}`).toBe(403);
          expect(res.body.message).toContain(`"dashboard.${section}"`);
        }
      }
    }
    const me = await agentAndFinance.as(api.http.get('/api/auth/me')).expect(200);
    expect(me.body.allowedActions).toEqual(expect.arrayContaining(['dashboard.agent', 'dashboard.finance']));
    expect(me.body.allowedActions).not.toContain('dashboard.commander');
  });
});

describe("the agent's work queue", () => {
  it('counts open proposals per severity and lists the most severe, highest-scoring, newest first', async () => {
    const { body } = await agent.as(api.http.get('/api/dashboard/agent')).expect(200);
    expect(body.proposals.open).toBe(3);
    expect(body.proposals.bySeverity).toEqual({ critical: 1, high: 2, medium: 0, low: 0 });
    expect(body.proposals.top.map((p: { title: string }) => p.title)).toEqual([
      'Critical fleet burst',
      'High, older, top score',
      'High, newer, lower score',
    ]);
    expect(body.proposals.top[0]).toMatchObject({ severity: 'critical', score: 50, orderCount: 12, deviceCount: 4 });
    expect(body.proposals.top[0].valueByCurrency).toEqual([{ currency: 'USD', orders: 12, totalMinor: 120000 }]);
  });

  it('lists runs whose failed steps can be retried, the latest failure first, with links to their incidents', async () => {
    const { body } = await agent.as(api.http.get('/api/dashboard/agent')).expect(200);
    expect(body.runsToRetry.runs).toBe(2);
    expect(body.runsToRetry.failedSteps).toBe(2);
    expect(body.runsToRetry.top.map((r: { id: string; failedSteps: number }) => ({ id: r.id, failed: r.failedSteps }))).toEqual(retryRuns);
    expect(body.runsToRetry.top[0]).toMatchObject({
      status: 'completed',
      incidentId: incidents.alpha,
      incidentTitle: 'Alpha printers',
      reference: expect.stringMatching(/^RUN-\d{4}$/),
      incidentReference: expect.stringMatching(/^INC-\d{4}$/),
    });
    // The same runs as their own pages say: each has failed steps and may be retried.
    for (const run of body.runsToRetry.top) {
      const shown = (await agent.as(api.http.get(`/api/runs/${run.id}`)).expect(200)).body;
      expect(shown.allowedControls).toContain('retry');
      expect(shown.reference).toBe(run.reference);
    }
  });
});

describe("finance's losses", () => {
  it('gives each currency the net loss, cost and recovered of the whole ledger, and the incidents that lost most', async () => {
    const { body } = await finance.as(api.http.get('/api/dashboard/finance')).expect(200);
    // Recomputed from the ledger table itself, per currency and per incident.
    const { rows: sums } = await api.db.query<{ currency: string; net: number; cost: number; recovered: number; incidents: number }>(
      `SELECT trim(currency) AS currency, sum(amount_minor)::int AS net, sum(greatest(amount_minor, 0))::int AS cost,
              -sum(least(amount_minor, 0))::int AS recovered, count(DISTINCT incident_id)::int AS incidents
       FROM ledger_entry GROUP BY 1 ORDER BY 1`,
    );
    expect(sums.map((s) => s.currency)).toEqual(['EUR', 'USD']);
    expect(
      body.currencies.map((c: Record<string, unknown>) => ({
        currency: c.currency,
        net: c.netLossMinor,
        cost: c.costMinor,
        recovered: c.recoveredMinor,
        incidents: c.incidents,
      })),
    ).toEqual(sums);
    const { rows: perIncident } = await api.db.query<{ incidentId: string; currency: string; net: number }>(
      `SELECT incident_id AS "incidentId", trim(currency) AS currency, sum(amount_minor)::int AS net
       FROM ledger_entry GROUP BY 1, 2 ORDER BY 2, 3 DESC`,
    );
    for (const currency of body.currencies) {
      expect(
        currency.topIncidents.map((i: { incidentId: string; netLossMinor: number }) => ({ incidentId: i.incidentId, net: i.netLossMinor })),
      ).toEqual(
        perIncident
          .filter((row) => row.currency === currency.currency)
          .slice(0, 5)
          .map(({ incidentId, net }) => ({ incidentId, net })),
      );
    }
    const usd = body.currencies.find((c: { currency: string }) => c.currency === 'USD');
    // Bravo's one USD order (30,000 refunded, goods and label lost) outweighs Alpha's.
    expect(usd.topIncidents[0]).toMatchObject({
      incidentId: incidents.bravo,
      title: 'Bravo fridges',
      reference: expect.stringMatching(/^INC-/),
    });
    // The refund of 4,000 that failed came back: refunds net 10,000 + 30,000 in USD.
    expect(usd.topCategories.find((c: { category: string }) => c.category === 'refund_issued').amountMinor).toBe(10_000 + 4_000 + 30_000);
  });

  it('agrees with the finance report over a range holding every entry', async () => {
    const { body } = await finance.as(api.http.get('/api/dashboard/finance')).expect(200);
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 86_400_000).toISOString();
    const report = (await finance.as(api.http.get('/api/finance/report').query({ from, to })).expect(200)).body;
    for (const tally of report.currencies) {
      const mine = body.currencies.find((c: { currency: string }) => c.currency === tally.currency);
      expect(mine).toMatchObject({ netLossMinor: tally.netLossMinor, costMinor: tally.costMinor, recoveredMinor: tally.recoveredMinor });
    }
    expect(body.currencies).toHaveLength(report.currencies.length);
  });
});

describe("the commander's open incidents and approvals", () => {
  it('lists open incidents, most severe first, with orders handled and refunds per currency from the ledger', async () => {
    const { body } = await commander.as(api.http.get('/api/dashboard/commander')).expect(200);
    expect(body.openIncidents.total).toBe(4);
    expect(body.openIncidents.byStatus).toEqual({ declared: 1, triage: 0, remediating: 3, monitoring: 0, resolved: 0 });
    const ids = body.openIncidents.top.map((i: { id: string }) => i.id);
    expect(ids[0]).toBe(incidents.delta);
    expect(ids).not.toContain(incidents.echo);
    expect(ids).toHaveLength(4);

    const alpha = body.openIncidents.top.find((i: { id: string }) => i.id === incidents.alpha);
    // a0 refunded, a2 skipped: handled; a1 and a3 failed.
    expect(alpha.orders).toEqual({ confirmed: 4, suspected: 0, handled: 2, failed: 2 });
    const { rows: alphaNet } = await api.db.query<{ net: number }>(
      `SELECT sum(amount_minor)::int AS net FROM ledger_entry WHERE incident_id = $1`,
      [incidents.alpha],
    );
    // Refunded net of the one that failed.
    expect(alpha.money).toEqual([{ currency: 'USD', refundedMinor: 10_000, netLossMinor: alphaNet[0]!.net }]);

    const bravo = body.openIncidents.top.find((i: { id: string }) => i.id === incidents.bravo);
    expect(bravo.orders).toEqual({ confirmed: 3, suspected: 0, handled: 0, failed: 0 });
    expect(bravo.money.map((m: { currency: string; refundedMinor: number }) => [m.currency, m.refundedMinor])).toEqual([
      ['EUR', 50_000],
      ['USD', 30_000],
    ]);
    // The incident's own ledger tally says the same.
    const tally = (await commander.as(api.http.get(`/api/incidents/${incidents.bravo}/ledger/tally`)).expect(200)).body;
    for (const m of bravo.money) {
      expect(tally.currencies.find((c: { currency: string }) => c.currency === m.currency).netLossMinor).toBe(m.netLossMinor);
    }
    const delta = body.openIncidents.top[0];
    expect(delta).toMatchObject({
      severity: 'critical',
      status: 'declared',
      orders: { confirmed: 0, suspected: 0, handled: 0, failed: 0 },
      money: [],
    });
  });

  it('lists the runs waiting for this commander, never the ones they requested', async () => {
    const mine = (await commander.as(api.http.get('/api/dashboard/commander')).expect(200)).body.awaitingMyApproval;
    expect(mine.total).toBe(1);
    expect(mine.runs).toEqual([
      expect.objectContaining({
        id: approvalRunId,
        incidentId: incidents.bravo,
        reason: 'refund the fridge orders',
        requestedByEmail: requester.email,
        actions: ['refund'],
      }),
    ]);
    const api_ = (await commander.as(api.http.get('/api/runs?awaitingMyApproval=true')).expect(200)).body;
    expect(api_.total).toBe(mine.total);
    const theirs = (await requester.as(api.http.get('/api/dashboard/commander')).expect(200)).body.awaitingMyApproval;
    expect(theirs).toEqual({ total: 0, runs: [] });
  });
});

describe("the admin's users, thresholds and queues", () => {
  it('counts users per role, lists the newest, and shows the detection rules as their page does', async () => {
    await api.db.query(`UPDATE app_user SET active = false WHERE id = $1`, [agentAndFinance.id]);
    const { body } = await admin.as(api.http.get('/api/dashboard/admin')).expect(200);
    const { rows } = await api.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM app_user`);
    expect(body.users.total).toBe(rows[0]!.n);
    expect(body.users.active).toBe(rows[0]!.n - 1);
    expect(body.users.activeByRole).toEqual({ support_agent: 1, finance: 1, incident_commander: 2, admin: 1 });
    expect(body.users.recent).toHaveLength(5);
    expect(body.users.recent[0]).not.toHaveProperty('passwordHash');
    expect(body.users.recent[0]).not.toHaveProperty('password_hash');

    const rules = (await admin.as(api.http.get('/api/detection-rules')).expect(200)).body.data;
    expect(body.detectionRules).toEqual(
      rules.map((r: Record<string, unknown>) => ({
        id: r.id,
        title: r.title,
        enabled: r.enabled,
        thresholds: r.thresholds,
        updatedAt: r.updatedAt,
      })),
    );
    expect(body.detectionRules.length).toBeGreaterThanOrEqual(4);
    expect(body.queueBoard).toEqual({ path: '/admin/queues' });
    await api.db.query(`UPDATE app_user SET active = true WHERE id = $1`, [agentAndFinance.id]);
  });
});
