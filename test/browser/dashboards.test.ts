import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues } from '../../backend/src/jobs/job-catalogue.js';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { incidentWithOrders, inLedgerTransaction, type LedgerOrderSpec } from '../support/ledger-fixtures.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

/** What the UI's one money formatter prints for these minor units (locale `en`). */
function money(amountMinor: number, currency: string) {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/** Console noise a signed-out first visit legitimately produces (the session probe's 401). */
const expected401 = (message: string) => /401/.test(message);

const spec = (currency: string, state: LedgerOrderSpec['state'], priceMinor: number): LedgerOrderSpec => ({
  currency,
  state,
  priceMinor,
  costMinor: Math.round(priceMinor / 4),
  shippingChargedMinor: 0,
  labelCostMinor: 300,
});

/**
 * Each role signs in through the login form and lands on its own dashboard
 * section, whose figures must be the API's (the same user's /api/dashboard
 * read), reachable by keyboard, with no console errors; the admin follows the
 * link to the queue dashboard (Bull Board, offline, under our CSP).
 */
describe('landing dashboards per role, in Chromium', () => {
  let api: TestApp;
  let browser: TestBrowser;
  let agent: TestUser;
  let finance: TestUser;
  let commander: TestUser;
  let requester: TestUser;
  let admin: TestUser;
  let incidentId: string;

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '100000', REFUND_APPROVAL_THRESHOLDS: 'USD:1,EUR:1,JPY:1' });
    [agent, finance, commander, requester, admin] = await Promise.all([
      userWithRoles(api, ['support_agent'], { email: 'alex.agent@example.test' }),
      userWithRoles(api, ['finance'], { email: 'fran.finance@example.test' }),
      userWithRoles(api, ['incident_commander'], { email: 'casey.commander@example.test' }),
      userWithRoles(api, ['incident_commander'], { email: 'robin.requester@example.test' }),
      userWithRoles(api, ['admin'], { email: 'ada.admin@example.test' }),
    ]);
    for (const [title, severity, score] of [
      ['Printer fleet re-ordering toner', 'critical', 88],
      ['Cars ordering winter tyres', 'high', 64],
    ] as const) {
      await api.db.query(
        `INSERT INTO detection_proposal (fingerprint, title, rules, score, severity, order_ids, order_count, device_count,
                                         value_by_currency, evidence, first_order_at, last_order_at)
         VALUES ($1, $2, ARRAY['fleet-burst'], $3, $4, '{}', 40, 12, '[{"currency": "USD", "orders": 40, "totalMinor": 359600}]',
                 '{}', now() - interval '2 days', now() - interval '1 hour')`,
        [randomUUID(), title, score, severity],
      );
    }
    const incident = await incidentWithOrders(
      api,
      [spec('USD', 'delivered', 12_000), spec('USD', 'unfulfilled', 8_000), spec('EUR', 'delivered', 25_000)],
      'Fridges ordering milk',
    );
    incidentId = incident.incidentId;
    const [usdDelivered, usdOpen, eurDelivered] = incident.orders;
    for (const [order, id] of [
      [usdDelivered!, 're_dash_usd'],
      [eurDelivered!, 're_dash_eur'],
    ] as const) {
      await inLedgerTransaction(api, (writer, manager) =>
        writer.recordRefund(manager, {
          incidentId,
          orderId: order.id,
          refund: { id, amountMinor: order.totalMinor, currency: order.currency, status: 'succeeded' },
          eventId: `evt_${id}`,
        }),
      );
    }
    // A running run: one refund done, one failed (to retry).
    const { rows } = await api.db.query<{ id: string }>(
      `INSERT INTO remediation_run (incident_id, actions, status, reason, preview, approval_required, requested_by, started_at)
       VALUES ($1, ARRAY['refund'], 'running', 'refund the fridge orders', '{}', false, $2, now()) RETURNING id`,
      [incidentId, agent.id],
    );
    for (const [order, status] of [
      [usdDelivered!, 'succeeded'],
      [usdOpen!, 'failed'],
    ] as const) {
      await api.db.query(
        `INSERT INTO remediation_step (run_id, order_id, action, operation, status, idempotency_key, error_message, finished_at)
         VALUES ($1, $2, 'refund', 'refund', $3, $4, $5, now())`,
        [rows[0]!.id, order.id, status, randomUUID(), status === 'failed' ? 'card_declined' : null],
      );
    }
    // A second incident with a run requested by another commander: it waits for approval.
    const second = await incidentWithOrders(api, [spec('USD', 'in_transit', 9_000)], 'Tyres to a new address');
    await requester
      .as(api.http.post(`/api/incidents/${second.incidentId}/runs`))
      .send({ actions: ['refund'], reason: 'refund the tyre orders' })
      .expect(201);
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  /** A fresh page load signed in as `user`, on the dashboard. */
  async function signInAs(user: TestUser) {
    await browser.context.clearCookies();
    await browser.page.goto('about:blank');
    await signInThroughUi(browser.page, api.baseUrl, user.email, user.password);
  }

  const read = async (user: TestUser, section: string) => (await user.as(api.http.get(`/api/dashboard/${section}`)).expect(200)).body;
  const valueOf = async (testId: string) => Number(await browser.page.getByTestId(testId).first().getAttribute('data-value'));

  it('shows the agent the proposals to triage and the runs to retry, as the API counts them', async () => {
    await signInAs(agent);
    const { page } = browser;
    const section = page.getByTestId('dashboard-agent');
    await section.getByTestId('agent-open-proposals').waitFor();
    const data = await read(agent, 'agent');
    expect(data.proposals.open).toBe(2);
    expect(await valueOf('agent-open-proposals')).toBe(data.proposals.open);
    expect(await valueOf('agent-proposals-critical')).toBe(1);
    const proposals = section.getByTestId('agent-proposal');
    await expect(proposals.count()).resolves.toBe(data.proposals.top.length);
    await expect(proposals.first().textContent()).resolves.toContain('Printer fleet re-ordering toner');
    await expect(proposals.first().textContent()).resolves.toContain(money(359600, 'USD'));
    expect(await valueOf('agent-runs-to-retry')).toBe(1);
    const run = section.getByTestId('agent-run');
    await expect(run.getAttribute('data-failed')).resolves.toBe(String(data.runsToRetry.top[0].failedSteps));
    // Only the agent's section.
    await expect(page.getByTestId('dashboard-finance').count()).resolves.toBe(0);
    await expect(page.getByTestId('dashboard-admin').count()).resolves.toBe(0);
    await browser.screenshot('dashboard-agent');

    // Keyboard: the run's link is a real link; Enter opens the run page.
    const link = run.getByRole('link', { name: data.runsToRetry.top[0].reference });
    await link.focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`#/runs/${data.runsToRetry.top[0].id}/show`));
    expect(browser.errors.filter((e) => !expected401(e))).toEqual([]);
  });

  it('shows finance the net loss per currency and the incidents that lost most, to the minor unit', async () => {
    await signInAs(finance);
    const { page } = browser;
    await page.getByTestId('dashboard-finance').getByTestId('finance-currency').first().waitFor();
    const data = await read(finance, 'finance');
    expect(data.currencies.map((c: { currency: string }) => c.currency)).toEqual(['EUR', 'USD']);
    for (const currency of data.currencies) {
      const card = page.getByTestId(`finance-currency-${currency.currency}`);
      for (const [key, minor] of [
        ['net_loss', currency.netLossMinor],
        ['cost', currency.costMinor],
        ['recovered', currency.recoveredMinor],
      ] as const) {
        const figure = card.getByTestId(`finance-${key}`).locator('[data-minor]');
        await expect(figure.getAttribute('data-minor')).resolves.toBe(String(minor));
        await expect(figure.textContent()).resolves.toBe(money(minor, currency.currency));
      }
      const rows = card.getByTestId('finance-top-incident');
      await expect(rows.count()).resolves.toBe(currency.topIncidents.length);
      await expect(rows.first().getAttribute('data-net-minor')).resolves.toBe(String(currency.topIncidents[0].netLossMinor));
    }
    await browser.screenshot('dashboard-finance');
    expect(browser.errors.filter((e) => !expected401(e))).toEqual([]);
  });

  it('shows the commander the open incidents with recovery progress and the run awaiting approval', async () => {
    await signInAs(commander);
    const { page } = browser;
    await page.getByTestId('dashboard-commander').getByTestId('commander-incident').first().waitFor();
    const data = await read(commander, 'commander');
    expect(await valueOf('commander-open-incidents')).toBe(data.openIncidents.total);
    expect(await valueOf('commander-approvals')).toBe(1);
    await expect(page.getByTestId('commander-approval').textContent()).resolves.toContain('robin.requester@example.test');
    const shown = data.openIncidents.top.find((i: { id: string }) => i.id === incidentId);
    expect(shown.orders).toMatchObject({ confirmed: 3, handled: 1, failed: 1 });
    const row = page.locator(`[data-testid="commander-incident"][data-incident-id="${incidentId}"]`);
    await expect(row.getByTestId('commander-handled').getAttribute('data-handled')).resolves.toBe('1');
    await expect(row.getByTestId('commander-handled').getAttribute('data-confirmed')).resolves.toBe('3');
    for (const m of shown.money) {
      const refunded = row.getByTestId('commander-refunded').locator(`[data-currency="${m.currency}"]`);
      await expect(refunded.getAttribute('data-minor')).resolves.toBe(String(m.refundedMinor));
      await expect(refunded.textContent()).resolves.toBe(money(m.refundedMinor, m.currency));
    }
    await browser.screenshot('dashboard-commander');
    expect(browser.errors.filter((e) => !expected401(e))).toEqual([]);
  });

  it('shows the admin users, thresholds, queues and health, and opens the queue dashboard', async () => {
    await signInAs(admin);
    const { page } = browser;
    await page.getByTestId('admin-queue').first().waitFor();
    await page.getByTestId('health-card').getByText('database', { exact: false }).first().waitFor();
    const data = await read(admin, 'admin');
    expect(await valueOf('admin-users-total')).toBe(data.users.total);
    expect(await valueOf('admin-role-incident_commander')).toBe(2);
    await expect(page.getByTestId('admin-rule').count()).resolves.toBe(data.detectionRules.length);
    await expect(page.getByTestId('admin-queue').count()).resolves.toBe(Object.keys(queues).length);
    await browser.screenshot('dashboard-admin');

    await page.getByTestId('queue-board-link').focus();
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/admin\/queues/);
    await page.getByText('payments', { exact: false }).first().waitFor({ timeout: 20_000 });
    // The board's overview has read every queue through its API (behind the same session cookie).
    await expect.poll(() => page.getByText(/^Loading/).count(), { timeout: 20_000 }).toBe(0);
    await browser.screenshot('queue-board');
    // Offline and under our CSP: nothing refused, nothing from outside.
    expect(browser.errors.filter((e) => !expected401(e))).toEqual([]);
  });
});
