import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { asPlatform, sampleOrder, toNdjson } from '../support/orders.js';
import { startSmtpSink, type SmtpSinkProcess } from '../stand-ins/smtp-sink.js';
import {
  getRun,
  incidentOf,
  sampleLabelCost,
  seedOrders,
  startEngineStack,
  waitForRun,
  type EngineStack,
  type SeededOrder,
} from '../support/remediation-stack.js';

interface Money {
  currency: string;
  amountMinor: number;
  orders?: number;
}

/** What the UI's one money formatter prints for these minor units (locale `en`). */
function money({ amountMinor, currency }: Money) {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}
const moneyList = (amounts: Money[]) => new Intl.ListFormat('en', { style: 'long', type: 'conjunction' }).format(amounts.map(money));
const ALL_ACTIONS = ['stop_shipment', 'refund', 'notify', 'quarantine_devices'];

/**
 * A remediation run through the UI, against the real API, worker process and
 * Stripe / fulfilment / SMTP stand-ins: an agent previews a run on a confirmed
 * incident (figures checked against the API's own preview) and requests it
 * with a reason; the USD refund crosses its approval threshold, so a
 * commander who did not request it approves it; the run page follows the run
 * live to the end, shows the failed refund with its reason and retries it,
 * and shows the report beside the preview.
 */
describe('remediation run in Chromium', () => {
  let stack: EngineStack;
  let agentBrowser: TestBrowser;
  let commanderBrowser: TestBrowser;
  let incidentId: string;
  let runId: string;
  let orders: SeededOrder[];
  let missingPaymentOrderId: string;
  // The mail sink the API sends to and the run page's outbox links to (SMTP_SINK_URL needs its address up front).
  let sink: SmtpSinkProcess;

  beforeAll(async () => {
    sink = await startSmtpSink({ LOG_LEVEL: 'warn' });
    stack = await startEngineStack({
      appEnv: {
        SMTP_URL: sink.smtpUrl,
        SMTP_SINK_URL: sink.httpUrl,
        // USD refunds above $200.00 wait for a commander; EUR and JPY stay under theirs.
        REFUND_APPROVAL_THRESHOLDS: 'USD:20000,EUR:1000000,JPY:1000000000',
        // Slow enough that the run page shows a run in motion.
        STRIPE_RATE_LIMIT_PER_SECOND: '2',
      },
    });
    orders = await seedOrders(stack, 'Kiosk', [
      { state: 'unfulfilled', customer: 1, customerName: 'Ada Ito' },
      { state: 'unfulfilled', customer: 1 },
      { state: 'label_created', customer: 2, customerName: 'Ben Okafor' },
      { state: 'in_transit', customer: 2 },
      { state: 'delivered', customer: 3, customerName: 'Chloé Martin' },
      { state: 'cancelled', customer: 3 },
      { state: 'unfulfilled', customer: 4, currency: 'EUR', customerName: 'Dana Weiss' },
      { state: 'label_created', customer: 5, currency: 'JPY', customerName: 'Eiji Sato' },
      { state: 'delivered', customer: 5, currency: 'JPY' },
    ]);
    // One order whose charge Stripe does not know: its refund fails (resource_missing), for the failed-steps panel.
    const missing = sampleOrder({
      externalId: 'Kiosk-9999',
      currency: 'USD',
      customer: { externalId: 'Kiosk-CUST-6', email: 'kiosk-6@example.test', name: 'Femi Adeyemi' },
      device: { id: 'Kiosk-DEV-6', model: 'Kiosk', firmwareVersion: '1.0.0' },
      paymentReference: 'pi_ui_unknown_to_stripe',
      fulfilment: { state: 'unfulfilled' },
    });
    await asPlatform(stack.api.http.post('/api/orders/bulk'))
      .set('Content-Type', 'application/x-ndjson')
      .send(toNdjson([missing]))
      .expect(200);
    const { rows } = await stack.api.db.query<{ id: string }>(`SELECT id FROM orders WHERE external_id = 'Kiosk-9999'`);
    missingPaymentOrderId = rows[0]!.id;
    // Its customer's address was mistyped: the relay is given no recipient, so their notice fails (fixed and retried later).
    await stack.api.db.query(`UPDATE customer SET email = 'kiosk-6 at example.test' WHERE external_id = 'Kiosk-CUST-6'`);
    await stack.fulfilment.call('POST', '/v1/shipments', {
      body: {
        reference: missingPaymentOrderId,
        state: 'unfulfilled',
        carrier: 'ups',
        labelCostMinor: sampleLabelCost,
        shippingPaidMinor: 499,
        currency: 'USD',
      },
    });
    incidentId = await incidentOf(stack, 'Kiosk', [...orders, { id: missingPaymentOrderId } as SeededOrder]);
    // One confirmed order turns out legitimate: excluded, so the preview skips it.
    await stack.commander
      .as(stack.api.http.post(`/api/incidents/${incidentId}/members`))
      .send({ action: 'exclude', orderIds: [orders[1]!.id], reason: 'customer confirmed this one' })
      .expect(200);

    [agentBrowser, commanderBrowser] = await Promise.all([openBrowser(), openBrowser()]);
    await signInThroughUi(agentBrowser.page, stack.api.baseUrl, stack.agent.email, stack.agent.password);
    await signInThroughUi(commanderBrowser.page, stack.api.baseUrl, stack.commander.email, stack.commander.password);
  }, 120_000);

  afterAll(async () => {
    await agentBrowser?.close();
    await commanderBrowser?.close();
    await stack?.close();
    await sink?.stop();
  }, 60_000);

  /** Full-page screenshot from the top, nothing focused. */
  async function shot(browser: TestBrowser, name: string) {
    await browser.page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await browser.screenshot(name);
  }
  /** A dialog in full: a tall window for the shot, so nothing inside it scrolls. */
  async function dialogShot(browser: TestBrowser, name: string) {
    await browser.page.setViewportSize({ width: 1366, height: 1500 });
    await browser.page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await browser.screenshot(name);
    await browser.page.setViewportSize({ width: 1366, height: 850 });
  }
  const attr = (page: Page, testId: string, name: string) => page.getByTestId(testId).getAttribute(name);

  it('an agent previews a run with the API’s figures and requests it with a reason', async () => {
    const { page } = agentBrowser;
    await page.goto(`${stack.api.baseUrl}/#/incidents/${incidentId}/show`);
    await page.getByTestId('incident-tab-remediation').click();
    await page.getByTestId('incident-runs-empty').waitFor();
    await page.getByTestId('run-new-button').click();
    const dialog = page.getByTestId('run-new-dialog');
    await dialog.waitFor();
    for (const action of ALL_ACTIONS) expect(await page.getByTestId(`run-action-${action}`).isChecked()).toBe(true);
    await dialogShot(agentBrowser, 'run-new-actions');
    await page.getByTestId('run-preview-button').click();
    await page.getByTestId('run-preview').waitFor();

    // The same dry run, straight from the API.
    const preview = (
      await stack.agent
        .as(stack.api.http.post(`/api/incidents/${incidentId}/runs/preview`))
        .send({ actions: ALL_ACTIONS })
        .expect(200)
    ).body;
    expect(preview.blockers).toEqual([]);
    expect(preview.approval.required).toBe(true);
    expect(preview.refund.totals.map((t: Money) => t.currency)).toEqual(['EUR', 'JPY', 'USD']);

    expect(await attr(page, 'run-preview-orders', 'data-value')).toBe(String(preview.orders.confirmed));
    expect(await attr(page, 'run-preview-stop', 'data-value')).toBe(String(preview.stop_shipment.orders));
    expect(await attr(page, 'run-preview-refund', 'data-value')).toBe(String(preview.refund.orders));
    expect(await attr(page, 'run-preview-customers', 'data-value')).toBe(String(preview.notify.customers));
    expect(await attr(page, 'run-preview-devices', 'data-value')).toBe(String(preview.quarantine_devices.devices));
    for (const total of preview.refund.totals as Money[]) {
      const cell = page.getByTestId(`run-preview-refund-${total.currency}`);
      expect(await cell.getAttribute('data-minor')).toBe(String(total.amountMinor));
      expect(await cell.getAttribute('data-orders')).toBe(String(total.orders));
      expect(await cell.innerText()).toBe(money(total));
    }
    for (const op of preview.stop_shipment.byOperation as { operation: string; orders: number }[]) {
      expect(await attr(page, `run-preview-stop-${op.operation}`, 'data-orders')).toBe(String(op.orders));
    }
    expect(preview.stop_shipment.byOperation.map((o: { operation: string }) => o.operation)).toEqual([
      'cancel',
      'void_label',
      'intercept',
      'request_return',
    ]);
    // The carrier's intercept fee, per currency, labelled estimated (the provider names it only when it intercepts).
    const intercept = preview.stop_shipment.byOperation.find((o: { operation: string }) => o.operation === 'intercept');
    expect(intercept.interceptFee).toEqual([{ currency: 'USD', orders: 1, perOrderMinor: 1600, amountMinor: 1600, estimated: true }]);
    const fee = page.locator('[data-testid="run-preview-intercept-fee"][data-currency="USD"]');
    expect(await fee.getAttribute('data-minor')).toBe('1600');
    expect(await fee.innerText()).toMatch(
      new RegExp(`${money({ currency: 'USD', amountMinor: 1600 }).replace(/[$.]/g, '\\$&')}.*estimated`, 's'),
    );
    for (const action of ALL_ACTIONS) {
      for (const skip of preview[action].skipped as { reason: string; count: number }[]) {
        const row = page.locator(`[data-testid="run-preview-skipped"][data-action="${action}"][data-reason="${skip.reason}"]`);
        expect(await row.getAttribute('data-count')).toBe(String(skip.count));
      }
    }
    // The excluded order and the cancelled shipment are skipped, each with its reason.
    await page.locator('[data-testid="run-preview-skipped"][data-action="refund"][data-reason="excluded"]').waitFor();
    await page.locator('[data-testid="run-preview-skipped"][data-action="stop_shipment"][data-reason="already_stopped"]').waitFor();
    expect(await attr(page, 'run-preview-approval', 'data-required')).toBe('true');
    expect(await page.getByTestId('run-preview-approval').innerText()).toContain(money(preview.approval.over[0]));
    await dialogShot(agentBrowser, 'run-preview');

    // Confirm with the exact scope stated, and a reason.
    await page.getByTestId('run-preview-next').click();
    const scope = page.getByTestId('run-confirm-scope');
    await scope.waitFor();
    expect(await page.getByTestId('run-confirm-scope-refund').innerText()).toBe(
      `Refund ${preview.refund.orders} orders: ${moneyList(preview.refund.totals)}`,
    );
    expect(await page.getByTestId('run-confirm-scope-notify').innerText()).toBe(`Notify ${preview.notify.customers} customers by e-mail`);
    expect(await page.getByTestId('run-confirm-scope-quarantine_devices').innerText()).toBe(
      `Quarantine ${preview.quarantine_devices.devices} devices`,
    );
    expect(await page.getByTestId('run-request-submit').isDisabled()).toBe(true);
    await page.getByTestId('run-reason-input').fill('Kiosk fleet hijacked: stop, refund and tell the customers');
    await dialogShot(agentBrowser, 'run-request');
    await page.getByTestId('run-request-submit').click();

    // The run's page, waiting for approval; the agent cannot approve it and is told why.
    await page.locator('[data-testid="run-show"][data-status="awaiting_approval"]').waitFor();
    const listed = (await stack.agent.as(stack.api.http.get(`/api/runs?incidentId=${incidentId}`)).expect(200)).body;
    expect(listed.total).toBe(1);
    runId = listed.data[0].id;
    const run = await getRun(stack, runId);
    expect(run).toMatchObject({
      status: 'awaiting_approval',
      requestedBy: stack.agent.id,
      reason: 'Kiosk fleet hijacked: stop, refund and tell the customers',
    });
    expect(run.preview.refund.totals).toEqual(preview.refund.totals);
    expect(page.url()).toContain(`#/runs/${runId}/show`);
    expect(await page.getByTestId('run-reference').innerText()).toBe(run.reference);
    expect(await attr(page, 'run-approval-panel', 'data-why')).toBe('requester_no_role');
    expect(await page.getByTestId('run-approve-button').count()).toBe(0);
    expect(await page.getByTestId('run-pause-button').count()).toBe(0);
    await page.getByTestId('run-cancel-button').waitFor(); // the requester may withdraw it
    expect(await page.getByTestId('run-requested-reason').innerText()).toBe(run.reason);
    await shot(agentBrowser, 'run-awaiting-approval');
  }, 60_000);

  it('a commander finds the run under “Awaiting my approval”; the agent who requested it is not offered the filter', async () => {
    const { page } = commanderBrowser;
    await page.goto(`${stack.api.baseUrl}/#/runs`);
    const toggle = page.getByTestId('runs-awaiting-my-approval');
    await expect.poll(() => toggle.getAttribute('data-count'), { timeout: 10_000 }).toBe('1');
    expect(await toggle.getAttribute('data-active')).toBe('false');
    await toggle.click();
    await page.locator('[data-testid="runs-awaiting-my-approval"][data-active="true"]').waitFor();
    expect(decodeURIComponent(page.url())).toContain('"awaitingMyApproval":true');
    await expect.poll(() => page.locator('[data-testid="runs-list"] tbody tr').count(), { timeout: 10_000 }).toBe(1);
    await page
      .getByText((await getRun(stack, runId)).reference)
      .first()
      .waitFor();
    await shot(commanderBrowser, 'runs-awaiting-my-approval');
    await toggle.click();
    await page.locator('[data-testid="runs-awaiting-my-approval"][data-active="false"]').waitFor();

    await agentBrowser.page.goto(`${stack.api.baseUrl}/#/runs`);
    await agentBrowser.page.getByTestId('runs-list').waitFor();
    expect(await agentBrowser.page.getByTestId('runs-awaiting-my-approval').count()).toBe(0);
  }, 60_000);

  it('a commander who did not request it approves it, and the run page follows it live to the end', async () => {
    const { page } = commanderBrowser;
    await page.goto(`${stack.api.baseUrl}/#/runs/${runId}/show`);
    await page.locator('[data-testid="run-show"][data-status="awaiting_approval"]').waitFor();
    expect(await attr(page, 'run-approval-panel', 'data-why')).toBe('can_approve');
    await page.getByTestId('run-approve-button').click();
    const dialog = page.getByTestId('run-control-dialog');
    await dialog.waitFor();
    const before = await getRun(stack, runId);
    expect(await dialog.getByTestId('run-control-scope-refund').innerText()).toBe(
      `Refund ${before.preview.refund.orders} orders: ${moneyList(before.preview.refund.totals)}`,
    );
    await dialog.getByTestId('incident-reason-input').fill('checked the scope with finance');
    await dialogShot(commanderBrowser, 'run-approve');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });

    // Live: the page polls while the engine works; catch it in motion when the rate limit allows.
    await page
      .locator('[data-testid="run-show"][data-status="running"], [data-testid="run-show"][data-status="completed"]')
      .waitFor({ timeout: 30_000 });
    if ((await attr(page, 'run-show', 'data-status')) === 'running') await shot(commanderBrowser, 'run-running');
    await waitForRun(stack, runId, 'completed', 60_000);
    await page.locator('[data-testid="run-show"][data-status="completed"]').waitFor({ timeout: 10_000 });

    const run = await getRun(stack, runId);
    expect(run).toMatchObject({ decidedBy: stack.commander.id, decisionReason: 'checked the scope with finance' });
    expect(await page.getByTestId('run-decided').innerText()).toContain(stack.commander.email);
    expect(await page.getByTestId('run-decided-reason').innerText()).toBe('checked the scope with finance');
    for (const p of run.progress as { action: string; done: number; failed: number; skipped: number; pending: number }[]) {
      const bar = page.getByTestId(`run-progress-${p.action}`);
      for (const key of ['done', 'failed', 'skipped', 'pending'] as const) {
        expect(await bar.getAttribute(`data-${key}`), `${p.action} ${key}`).toBe(String(p[key]));
      }
    }
    // The unknown charge: one refund failed, with the provider's code.
    const refund = run.progress.find((p: { action: string }) => p.action === 'refund');
    expect(refund.failed).toBe(1);
    const failed = (await stack.agent.as(stack.api.http.get(`/api/runs/${runId}/steps?status=failed`)).expect(200)).body;
    expect(failed.total).toBe(1);
    const failedRow = page.locator(`[data-testid="run-failed-step"][data-step-id="${failed.data[0].id}"]`);
    await failedRow.waitFor();
    expect(await failedRow.getAttribute('data-code')).toBe(failed.data[0].errorCode);
    expect(await failedRow.innerText()).toContain('Kiosk-9999');

    // The report beside the preview, its differences highlighted.
    const report = page.getByTestId('run-report');
    await report.waitFor();
    expect(await report.getAttribute('data-matches')).toBe(String(run.report.matchesPreview));
    expect(run.report.matchesPreview).toBe(false);
    for (const d of run.report.differences as { figure: string }[]) {
      await page.locator(`[data-testid="run-report-row"][data-figure="${d.figure}"][data-differs="true"]`).waitFor();
    }
    expect(await page.getByTestId('run-report-summary').innerText()).toContain('Completed');
    // The intercept fee the carrier charged (UPS, 16 USD at the stand-in) beside the preview's estimate.
    expect(run.report.fees.intercept).toEqual([
      { currency: 'USD', estimated: { orders: 1, amountMinor: 1600, perOrderMinor: 1600 }, charged: { orders: 1, amountMinor: 1600 } },
    ]);
    const feeRow = page.locator('[data-testid="run-report-intercept-fee"][data-currency="USD"]');
    expect(await feeRow.getAttribute('data-estimated-minor')).toBe('1600');
    expect(await feeRow.getAttribute('data-charged-minor')).toBe('1600');
    await shot(commanderBrowser, 'run-completed');
  }, 120_000);

  it('retries the failed step from the run page', async () => {
    const { page } = agentBrowser;
    await page.goto(`${stack.api.baseUrl}/#/runs/${runId}/show`);
    await page.locator('[data-testid="run-show"][data-status="completed"]').waitFor();
    const failedBefore = (await stack.agent.as(stack.api.http.get(`/api/runs/${runId}/steps?status=failed`)).expect(200)).body.data[0];
    await page.getByTestId('run-retry-button').click();
    const dialog = page.getByTestId('run-retry-dialog');
    // The exact scope: the failed refunds with their amount through the one money formatter.
    expect(await dialog.getByTestId('run-retry-scope').innerText()).toMatch(/^1 refund of \S+$/);
    await dialog.getByTestId('incident-reason-input').fill('Stripe support restored the charge');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    // The step goes back to the engine (same idempotency key), the run reopens and finishes again.
    await expect
      .poll(
        async () => {
          const { rows } = await stack.api.db.query<{ attempts: number; status: string }>(
            `SELECT attempts, status FROM remediation_step WHERE id = $1`,
            [failedBefore.id],
          );
          return rows[0]!.attempts > failedBefore.attempts && ['failed', 'succeeded', 'skipped'].includes(rows[0]!.status);
        },
        { timeout: 30_000, interval: 250 },
      )
      .toBe(true);
    await waitForRun(stack, runId, 'completed', 30_000);
    await page.locator('[data-testid="run-show"][data-status="completed"]').waitFor({ timeout: 10_000 });
    const { rows: audit } = await stack.api.db.query<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE action = 'runs.retry' AND target_id = $1`,
      [runId],
    );
    expect(audit.map((a: { reason: string }) => a.reason)).toEqual(['Stripe support restored the charge']);
  }, 60_000);

  it('shows the run’s outbox, links sent notices to the mail sink, and retries the failed one with a reason', async () => {
    const { page } = agentBrowser;
    await page.goto(`${stack.api.baseUrl}/#/runs/${runId}/show`);
    await page.locator('[data-testid="run-show"][data-status="completed"]').waitFor();
    const outbox = page.getByTestId('run-outbox');
    await outbox.waitFor();
    const listed = (await stack.agent.as(stack.api.http.get(`/api/runs/${runId}/notices?_perPage=100`)).expect(200)).body;
    expect(listed.total).toBe(6);
    expect(await outbox.getAttribute('data-total')).toBe(String(listed.total));
    const failed = listed.data.filter((n: { status: string }) => n.status === 'failed');
    expect(failed).toEqual([
      expect.objectContaining({ toAddress: 'kiosk-6 at example.test', errorMessage: expect.stringMatching(/No recipients/) }),
    ]);
    expect(await outbox.getAttribute('data-failed')).toBe('1');

    // Each sent notice links to the sink's rendered copy of that very message (found by its Message-ID).
    for (const notice of listed.data.filter((n: { status: string }) => n.status === 'sent')) {
      const row = page.locator(`[data-testid="run-notice"][data-notice-id="${notice.id}"]`);
      await row.waitFor();
      expect(await row.getByTestId('run-notice-recipient').innerText()).toBe(notice.toAddress);
      const link = row.getByTestId('run-notice-sink-link');
      await link.waitFor();
      const href = (await link.getAttribute('href'))!;
      expect(href).toBe(`/api/runs/${runId}/notices/${notice.id}/message`);
      // The API finds the message by its Message-ID and sends the browser (with its session) to the sink's copy.
      const answer = await agentBrowser.context.request.get(`${stack.api.baseUrl}${href}`, { maxRedirects: 0 });
      expect(answer.status()).toBe(302);
      const location = answer.headers()['location']!;
      expect(location).toMatch(new RegExp(`^${sink.httpUrl}/messages/msg_[0-9a-f]+/html$`));
      const message = (await sink.get(location.slice(sink.httpUrl.length, -'/html'.length))).body;
      expect([message.messageId, message.to, message.subject]).toEqual([notice.messageId, [notice.toAddress], notice.subject]);
    }
    // Opened, the link shows the message as the customer got it, in a tab of its own.
    const first = listed.data.find((n: { status: string }) => n.status === 'sent');
    const [tab] = await Promise.all([
      agentBrowser.context.waitForEvent('page'),
      page.locator(`[data-testid="run-notice"][data-notice-id="${first.id}"]`).getByTestId('run-notice-sink-link').click(),
    ]);
    await tab.waitForLoadState();
    expect(tab.url()).toMatch(new RegExp(`^${sink.httpUrl}/messages/msg_[0-9a-f]+/html$`));
    expect(await tab.locator('body').innerText()).toContain('What happens next');
    await tab.close();
    const failedRow = page.locator(`[data-testid="run-notice"][data-notice-id="${failed[0].id}"]`);
    expect(await failedRow.getAttribute('data-status')).toBe('failed');
    expect(await failedRow.getByTestId('run-notice-error').innerText()).toBe(failed[0].errorMessage);
    expect(await failedRow.getByTestId('run-notice-sink-link').count()).toBe(0);

    // The filter asks the API for one status only.
    await page.getByTestId('run-outbox-filter-failed').click();
    await expect.poll(() => page.locator('[data-testid="run-notice"]').count(), { timeout: 10_000 }).toBe(1);
    await shot(agentBrowser, 'run-outbox-failed');
    await page.getByTestId('run-outbox-filter-all').click();
    await expect.poll(() => page.locator('[data-testid="run-notice"]').count(), { timeout: 10_000 }).toBe(6);

    // The address is corrected; the failed notice is sent again (a reason is required) and the run finishes again.
    await stack.api.db.query(`UPDATE customer SET email = 'kiosk-6@example.test' WHERE external_id = 'Kiosk-CUST-6'`);
    await page.getByTestId('run-retry-notices-button').click();
    const dialog = page.getByTestId('run-retry-notices-dialog');
    await dialog.waitFor();
    // No reason, no retry: the form says so and nothing is sent.
    await dialog.getByTestId('run-retry-notices-dialog-confirm').click();
    const reason = dialog.getByTestId('run-retry-notices-dialog-reason');
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('customer corrected the address by phone');
    await dialogShot(agentBrowser, 'run-retry-notices');
    await dialog.getByTestId('run-retry-notices-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await waitForRun(stack, runId, 'completed', 30_000);
    await expect
      .poll(async () => (await stack.agent.as(stack.api.http.get(`/api/runs/${runId}/notices?status=failed`)).expect(200)).body.total, {
        timeout: 10_000,
      })
      .toBe(0);
    await page.locator(`[data-testid="run-notice"][data-notice-id="${failed[0].id}"][data-status="sent"]`).waitFor({ timeout: 15_000 });
    await page
      .locator(`[data-testid="run-notice"][data-notice-id="${failed[0].id}"] [data-testid="run-notice-sink-link"]`)
      .waitFor({ timeout: 10_000 });
    expect(await page.getByTestId('run-retry-notices-button').count()).toBe(0);
    const delivered = (await sink.get(`/messages?to=kiosk-6@example.test`)).body;
    expect(delivered.data.map((m: { messageId: string }) => m.messageId)).toEqual([failed[0].messageId]);
    const { rows: audit } = await stack.api.db.query<{ reason: string }>(
      `SELECT reason FROM audit_log WHERE action = 'runs.retry-notices' AND target_id = $1`,
      [runId],
    );
    expect(audit.map((a) => a.reason)).toEqual(['customer corrected the address by phone']);
    await shot(agentBrowser, 'run-outbox');
  }, 90_000);

  it('starts a run under the threshold at once, and pauses, resumes and cancels it with reasons', async () => {
    const { page } = agentBrowser;
    // 20 EUR orders: €1,679.20 in all, under the EUR threshold; refunds at 2 per second keep it running for a while.
    const lockers = await seedOrders(
      stack,
      'Locker',
      Array.from({ length: 20 }, (_, i) => ({ state: 'unfulfilled' as const, customer: i % 4, currency: 'EUR' })),
    );
    const lockerIncident = await incidentOf(stack, 'Locker', lockers);
    await page.goto(`${stack.api.baseUrl}/#/incidents/${lockerIncident}/show?tab=remediation`);
    await page.getByTestId('run-new-button').click();
    for (const action of ['stop_shipment', 'notify', 'quarantine_devices']) await page.getByTestId(`run-action-${action}`).uncheck();
    await page.getByTestId('run-preview-button').click();
    await page.getByTestId('run-preview').waitFor();
    expect(await attr(page, 'run-preview-approval', 'data-required')).toBe('false');
    expect(await page.getByTestId('run-preview-refund-EUR').innerText()).toBe(money({ currency: 'EUR', amountMinor: 20 * 8396 }));
    await page.getByTestId('run-preview-next').click();
    expect(await page.getByTestId('run-confirm-scope-refund').innerText()).toBe(
      `Refund 20 orders: ${money({ currency: 'EUR', amountMinor: 20 * 8396 })}`,
    );
    expect(await page.getByTestId('run-confirm-scope-stop_shipment').count()).toBe(0);
    expect(await page.getByTestId('run-request-submit').innerText()).toMatch(/start run/i);
    await page.getByTestId('run-reason-input').fill('Locker fleet: refunds only');
    await page.getByTestId('run-request-submit').click();

    // No approval: it runs at once; pause it while refunds are still pending.
    await page.locator('[data-testid="run-show"][data-status="running"]').waitFor({ timeout: 20_000 });
    const lockerRunId = decodeURIComponent(/#\/runs\/([^/]+)\/show/.exec(page.url())![1]!);
    await page.getByTestId('run-pause-button').click();
    let dialog = page.getByTestId('run-control-dialog');
    await dialog.getByTestId('incident-reason-input').fill('bank asked us to hold for a minute');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="run-show"][data-status="paused"]').waitFor();
    await page.getByTestId('run-resume-button').waitFor();
    expect(await page.getByTestId('run-pause-button').count()).toBe(0);
    const paused = await getRun(stack, lockerRunId);
    expect(paused.status).toBe('paused');
    await shot(agentBrowser, 'run-paused');

    await page.getByTestId('run-resume-button').click();
    dialog = page.getByTestId('run-control-dialog');
    await dialog.getByTestId('incident-reason-input').fill('bank is fine again');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('[data-testid="run-show"][data-status="running"]').waitFor();

    // Cancel: pending steps are cancelled, steps in flight finish, and the run ends with its report.
    await page.getByTestId('run-cancel-button').click();
    dialog = page.getByTestId('run-control-dialog');
    await dialog.getByTestId('run-control-scope-refund').waitFor();
    await dialog.getByTestId('incident-reason-input').fill('the rest goes through chargebacks');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    const cancelled = await waitForRun(stack, lockerRunId, 'cancelled', 30_000);
    await page.locator('[data-testid="run-show"][data-status="cancelled"]').waitFor({ timeout: 10_000 });
    const refund = cancelled.progress.find((p: { action: string }) => p.action === 'refund');
    expect(refund.cancelled).toBeGreaterThan(0);
    expect(await attr(page, 'run-progress-refund', 'data-cancelled')).toBe(String(refund.cancelled));
    expect(await attr(page, 'run-progress-refund', 'data-done')).toBe(String(refund.done));
    expect(await attr(page, 'run-report', 'data-matches')).toBe('false');
    expect(await page.getByTestId('run-report-summary').innerText()).toContain('Cancelled');
    await page.locator('[data-testid="run-report-row"][data-figure="refund.cancelled"][data-differs="true"]').waitFor();
    expect(await page.locator('[data-testid="run-controls"] button').count()).toBe(0);
    const { rows } = await stack.api.db.query<{ action: string; reason: string }>(
      `SELECT action, reason FROM audit_log WHERE target_id = $1 AND action LIKE 'runs.%' AND reason IS NOT NULL ORDER BY id`,
      [lockerRunId],
    );
    expect(rows).toEqual([
      { action: 'runs.create', reason: 'Locker fleet: refunds only' },
      { action: 'runs.pause', reason: 'bank asked us to hold for a minute' },
      { action: 'runs.resume', reason: 'bank is fine again' },
      { action: 'runs.cancel', reason: 'the rest goes through chargebacks' },
    ]);
    await shot(agentBrowser, 'run-cancelled');
  }, 90_000);

  it('lists the run on the incident’s Remediation tab and in the runs list, without console errors', async () => {
    const { page } = commanderBrowser;
    const run = await getRun(stack, runId);
    await page.goto(`${stack.api.baseUrl}/#/incidents/${incidentId}/show?tab=remediation`);
    const row = page.locator(`[data-testid="incident-run-row"][data-run-id="${runId}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-status')).toBe('completed');
    expect(await row.innerText()).toContain(run.reference);
    await shot(commanderBrowser, 'incident-remediation-tab');

    await page.goto(`${stack.api.baseUrl}/#/runs`);
    await page.getByTestId('runs-list').waitFor();
    await page.getByText(run.reference).first().waitFor();
    // Each row counts its steps: done, failed, skipped and cancelled (the cancelled Locker run has some).
    const rows = (await stack.agent.as(stack.api.http.get(`/api/runs?_perPage=100`)).expect(200)).body.data;
    const cancelledRun = rows.find((r: { status: string }) => r.status === 'cancelled');
    expect(cancelledRun.steps.cancelled).toBeGreaterThan(0);
    const bars = page.getByTestId('run-row-progress');
    await expect.poll(() => bars.count()).toBe(rows.length);
    const shown = await bars.evaluateAll((els) => els.map((el) => Number(el.getAttribute('data-cancelled'))));
    expect(shown.sort()).toEqual(rows.map((r: { steps: { cancelled: number } }) => r.steps.cancelled).sort());
    await shot(commanderBrowser, 'runs-list');
    await page.getByText(run.reference).first().click();
    await page.locator(`[data-testid="run-show"][data-status="completed"]`).waitFor();

    for (const browser of [agentBrowser, commanderBrowser]) expect(browser.errors.filter((e) => !/401/.test(e))).toEqual([]);
  }, 60_000);
});
