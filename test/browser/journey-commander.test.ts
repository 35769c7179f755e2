import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { dialogShot, idFromUrl, money, openFromMenu, shot, unexpectedErrors } from '../support/journeys/journey.js';
import {
  getRun,
  requestRun,
  sampleTotal,
  seedOrders,
  startEngineStack,
  waitForRun,
  type EngineStack,
  type SeededOrder,
} from '../support/remediation-stack.js';

interface Progress {
  action: string;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  cancelled: number;
}

/**
 * The incident commander's journey, start to finish, through the UI only:
 * declares an incident from an order filter (after the exact count), triages
 * and confirms its orders; an agent (another person, through the API)
 * requests a refund run above the approval threshold; the commander finds it
 * waiting, approves it with a reason, follows it live to the end, and walks
 * the incident through monitoring and resolved to closed with its
 * post-incident summary. Every figure on screen is checked against the API.
 */
describe('journey of an incident commander, in Chromium', () => {
  let stack: EngineStack;
  let browser: TestBrowser;
  let orders: SeededOrder[];
  let incidentId: string;
  let runId: string;

  beforeAll(async () => {
    stack = await startEngineStack({
      appEnv: {
        // USD refunds above $200.00 wait for a commander who did not request them.
        REFUND_APPROVAL_THRESHOLDS: 'USD:20000,EUR:1000000,JPY:1000000000',
        // Slow enough that the run page shows the run in motion.
        STRIPE_RATE_LIMIT_PER_SECOND: '2',
      },
    });
    const states = ['unfulfilled', 'label_created', 'in_transit', 'delivered'] as const;
    orders = await seedOrders(
      stack,
      'Locker',
      Array.from({ length: 10 }, (_, i) => ({ state: states[i % 4]!, customer: 1 + (i % 5) })),
    );
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, 60_000);

  const api = <T = any>(path: string) =>
    stack.commander
      .as(stack.api.http.get(path))
      .expect(200)
      .then((res) => res.body as T);
  const incident = () => api(`/api/incidents/${incidentId}`);

  /** Moves the incident to `to` through its lifecycle button and confirmation dialog. */
  async function transition(to: string, reason: string) {
    const { page } = browser;
    await page.getByTestId(`incident-transition-${to}`).click();
    const dialog = page.getByTestId('incident-transition-dialog');
    await dialog.getByTestId('incident-reason-input').fill(reason);
    await dialog.getByTestId('incident-dialog-confirm').click();
    await page.locator(`[data-testid="incident-show"][data-status="${to}"]`).waitFor();
    expect((await incident()).status).toBe(to);
  }

  it('signs in and declares an incident from the orders of one model, after seeing the exact count', async () => {
    const { page } = browser;
    await signInThroughUi(page, stack.api.baseUrl, stack.commander.email, stack.commander.password);
    await shot(browser, 'journey-commander-dashboard');
    const expected = (await api('/api/orders?model=Locker&_perPage=1')).total as number;
    expect(expected).toBe(orders.length);
    await openFromMenu(page, 'Orders');
    await page.waitForURL(/#\/orders/);
    await page.goto(`${stack.api.baseUrl}/#/orders?filter=${encodeURIComponent(JSON.stringify({ model: 'Locker' }))}`);
    await page.getByTestId('orders-declare-incident-button').click();
    await page.locator(`[data-testid="incident-declare-count"][data-count="${expected}"]`).waitFor();
    await page.locator('input[name="title"]').fill('Locker fleet ordering door sensors');
    await page.getByRole('combobox', { name: 'Severity' }).click();
    await page.getByRole('option', { name: 'High' }).click();
    await page.getByTestId('incident-declare-submit').click();
    const dialog = page.getByTestId('incident-declare-dialog');
    await dialog.locator(`[data-testid="incident-declare-confirm-count"][data-count="${expected}"]`).waitFor();
    await dialog.getByTestId('incident-dialog-confirm').click();
    await page.getByTestId('incident-show').waitFor();
    incidentId = idFromUrl(page, 'incidents');
    const body = await incident();
    expect(body).toMatchObject({ title: 'Locker fleet ordering door sensors', severity: 'high', status: 'declared' });
    expect(body.members.suspected).toBe(orders.length);
    expect(await page.getByTestId('incident-reference').innerText()).toBe(body.reference);
    await page.locator(`[data-testid="incident-figure-suspected"][data-value="${orders.length}"]`).waitFor();
  });

  it('starts triage and confirms every order of the fleet', async () => {
    const { page } = browser;
    await transition('triage', 'support confirmed the pattern');
    await page.getByTestId('incident-tab-orders').click();
    await page.getByTestId('incident-members-by-filter').click();
    const dialog = page.getByTestId('incident-members-filter-dialog');
    await dialog.locator('input[name="model"]').fill('Locker');
    await dialog.locator(`[data-testid="incident-members-count"][data-count="${orders.length}"]`).waitFor();
    await dialog.getByTestId('incident-reason-input').fill('every Locker order of the night is fraudulent');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="incident-figure-confirmed"][data-value="${orders.length}"]`).waitFor();
    expect((await incident()).members).toMatchObject({ confirmed: orders.length, suspected: 0 });
  });

  it('finds the refund run an agent requested waiting for approval, and approves it with a reason', async () => {
    const { page } = browser;
    // Another person: the agent asks for the refunds (above the USD threshold, so they wait for a commander).
    runId = await requestRun(stack, incidentId, ['refund', 'notify']);
    expect(await getRun(stack, runId)).toMatchObject({ status: 'awaiting_approval', requestedBy: stack.agent.id });

    // The landing page now has something to show (an open incident, a run waiting): the README's dashboard.
    await openFromMenu(page, 'Dashboard');
    await page.getByTestId('dashboard').waitFor();
    // Only for the picture: let its cards load (it may poll, so idle is not guaranteed).
    await page.waitForLoadState('networkidle', { timeout: 5_000 }).catch(() => undefined);
    await shot(browser, 'dashboard', { readme: true });

    await openFromMenu(page, 'Remediation runs');
    const toggle = page.getByTestId('runs-awaiting-my-approval');
    await expect.poll(() => toggle.getAttribute('data-count'), { timeout: 10_000 }).toBe('1');
    await toggle.click();
    await page.locator('[data-testid="runs-awaiting-my-approval"][data-active="true"]').waitFor();
    const run = await getRun(stack, runId);
    await page.getByTestId('runs-list').getByText(run.reference).first().click();
    await page.locator('[data-testid="run-show"][data-status="awaiting_approval"]').waitFor();
    expect(idFromUrl(page, 'runs')).toBe(runId);
    expect(await page.getByTestId('run-approval-panel').getAttribute('data-why')).toBe('can_approve');

    await page.getByTestId('run-approve-button').click();
    const dialog = page.getByTestId('run-control-dialog');
    await dialog.waitFor();
    const usd = run.preview.refund.totals.find((t: { currency: string }) => t.currency === 'USD');
    expect(usd).toMatchObject({ amountMinor: orders.length * sampleTotal, orders: orders.length });
    expect(await dialog.getByTestId('run-control-scope-refund').innerText()).toBe(
      `Refund ${orders.length} orders: ${money(usd.amountMinor, 'USD')}`,
    );
    await dialog.getByTestId('incident-reason-input').fill('scope checked against the order list');
    await dialogShot(browser, 'journey-commander-approve');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
  });

  it('follows the run live to the end: the screen’s counts are the API’s', async () => {
    const { page } = browser;
    await page.locator('[data-testid="run-show"][data-status="running"], [data-testid="run-show"][data-status="completed"]').waitFor({
      timeout: 30_000,
    });
    // Caught in motion (two refunds a second): the README's progress screen.
    if ((await page.getByTestId('run-show').getAttribute('data-status')) === 'running') {
      await page.locator('[data-testid="run-progress-refund"]:not([data-done="0"])').waitFor({ timeout: 10_000 });
      await shot(browser, 'run-progress', { readme: true });
    }
    const run = await waitForRun(stack, runId, 'completed', 60_000);
    await page.locator('[data-testid="run-show"][data-status="completed"]').waitFor({ timeout: 10_000 });
    expect(run).toMatchObject({ decidedBy: stack.commander.id, decisionReason: 'scope checked against the order list' });
    expect(await page.getByTestId('run-decided-reason').innerText()).toBe('scope checked against the order list');
    for (const p of run.progress as Progress[]) {
      const bar = page.getByTestId(`run-progress-${p.action}`);
      for (const key of ['done', 'failed', 'skipped', 'pending', 'cancelled'] as const) {
        await expect.poll(() => bar.getAttribute(`data-${key}`), { message: `${p.action} ${key}` }).toBe(String(p[key]));
      }
    }
    const refund = (run.progress as Progress[]).find((p) => p.action === 'refund')!;
    expect(refund).toMatchObject({ done: orders.length, failed: 0 });
    // Stripe holds a refund of every charge, in full.
    const refunds = await stack.stripeClient.refunds.list({ limit: 100 });
    expect(refunds.data.map((r) => r.payment_intent).sort()).toEqual(orders.map((o) => o.paymentIntent).sort());
    await page.getByTestId('run-report').waitFor();
    await shot(browser, 'journey-commander-run-completed');
  }, 90_000);

  it('walks the incident through monitoring and resolved, writes the summary and closes it', async () => {
    const { page } = browser;
    await page.getByTestId('run-incident-link').click();
    await page.getByTestId('incident-show').waitFor();
    expect(idFromUrl(page, 'incidents')).toBe(incidentId);
    const body = await incident();
    expect(body.status).toBe('remediating');
    const usd = body.value.confirmed.find((v: { currency: string }) => v.currency === 'USD');
    const cell = page.locator('[data-testid="incident-value-row"][data-currency="USD"] td[data-state="confirmed"]');
    expect(await cell.getAttribute('data-minor')).toBe(String(usd.totalMinor));
    await page.getByTestId('incident-tab-remediation').click();
    await page.locator(`[data-testid="incident-run-row"][data-run-id="${runId}"][data-status="completed"]`).waitFor();
    // The cockpit: status, figures, and the runs with their progress.
    await shot(browser, 'incident-cockpit', { readme: true });

    await transition('monitoring', 'every refund went through');
    await transition('resolved', 'no new Locker orders for a day');

    // Closing needs the post-incident summary: written on its tab, then the last step.
    await page.getByTestId('incident-tab-summary').click();
    const summary = 'Locker firmware hijacked; 10 orders refunded in full; vendor patched the firmware.';
    await page.getByTestId('incident-summary-input').fill(summary);
    await page.getByTestId('incident-summary-save').click();
    await expect.poll(async () => (await incident()).summary).toBe(summary);
    await shot(browser, 'journey-commander-summary');
    await transition('closed', 'post-incident review held');
    const closed = await incident();
    expect(closed.closedAt).toBeTruthy();
    expect(await page.getByTestId('incident-status').innerText()).toBe('Closed');
    expect(await page.locator('[data-testid^="incident-transition-"]').count()).toBe(0);

    // The timeline tells the story, newest first, as the API has it.
    await page.getByTestId('incident-tab-timeline').click();
    const timeline = await api(`/api/incidents/${incidentId}/timeline?_perPage=100`);
    await expect.poll(() => page.getByTestId('incident-timeline-event').count()).toBe(timeline.total);
    expect(unexpectedErrors(browser.errors)).toEqual([]);
  }, 60_000);
});
