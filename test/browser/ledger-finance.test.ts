import { parse } from 'csv-parse/sync';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type Stripe from 'stripe';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStripeClient } from '../../backend/src/payments/stripe-client.js';
import { StripePayments } from '../../backend/src/payments/stripe-payments.js';
import { startStripeStandIn, testKey, type StandInProcess } from '../stand-ins/stripe-stand-in.js';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { incidentWithOrders, inLedgerTransaction, type LedgerOrder } from '../support/ledger-fixtures.js';
import { startBackendProcess, type RunningProcess } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

interface CurrencyTally {
  currency: string;
  costMinor: number;
  recoveredMinor: number;
  netLossMinor: number;
  entries: number;
  categories: { category: string; amountMinor: number; entries: number }[];
}

/** What the UI's one money formatter prints for these minor units (locale `en`). */
function money(amountMinor: number, currency: string) {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  const digits = format.resolvedOptions().maximumFractionDigits ?? 2;
  return format.format(amountMinor / 10 ** digits);
}

/** `hour` o'clock UTC, `days` days ago: fixed hours, so two events of one day fall in different hourly buckets. */
const daysAgoAt = (days: number, hour: number) => {
  const at = new Date();
  at.setUTCHours(hour, 0, 0, 0);
  at.setUTCDate(at.getUTCDate() - days);
  return at;
};

/**
 * The loss ledger and finance reporting through the UI, against the real API,
 * a worker process and the Stripe stand-in: an incident whose orders were
 * paid at the stand-in, stopped and refunded the way the engine does it
 * (the backend's Stripe adapter, then LedgerWriter in a transaction). The
 * Ledger tab must show the API's tally to the minor unit, a reconciliation
 * run from the tab must come back clean, and the finance dashboard must show
 * the API's report and export the same range as CSV.
 */
describe('ledger tab and finance dashboard in Chromium', () => {
  let stripe: StandInProcess;
  let stripeClient: Stripe;
  let payments: StripePayments;
  let api: TestApp;
  let worker: RunningProcess;
  let browser: TestBrowser;
  let finance: TestUser;
  let incidentId: string;
  let orders: LedgerOrder[];

  beforeAll(async () => {
    stripe = await startStripeStandIn({ RATE_LIMIT_RPS: '0', LOG_LEVEL: 'warn' });
    stripeClient = stripe.stripe();
    payments = new StripePayments(createStripeClient({ secretKey: testKey, apiBase: stripe.baseUrl, maxNetworkRetries: 0 }));
    api = await startTestApp({
      STRIPE_API_BASE: stripe.baseUrl,
      STRIPE_SECRET_KEY: testKey,
      RECONCILIATION_RATE_LIMIT_PER_SECOND: '100',
      LOGIN_MAX_ATTEMPTS_PER_IP: '100000',
    });
    worker = startBackendProcess('worker', api.env);
    await worker.waitFor(/"msg":"worker started"/);
    finance = await userWithRoles(api, ['finance']);

    // Four orders paid at the stand-in (USD and JPY), in different fulfilment states.
    const specs = [
      { currency: 'USD', state: 'delivered' as const },
      { currency: 'USD', state: 'label_created' as const },
      { currency: 'USD', state: 'in_transit' as const },
      { currency: 'JPY', state: 'delivered' as const },
    ];
    const intents: Stripe.PaymentIntent[] = [];
    for (const spec of specs) {
      intents.push(
        await stripeClient.paymentIntents.create({
          amount: 8499,
          currency: spec.currency.toLowerCase(),
          payment_method: 'pm_card_visa',
          confirm: true,
        }),
      );
    }
    ({ incidentId, orders } = await incidentWithOrders(
      api,
      specs.map((spec, i) => ({
        ...spec,
        priceMinor: 8000,
        costMinor: 2500,
        shippingChargedMinor: 499,
        labelCostMinor: 420,
        paymentReference: intents[i]!.id,
      })),
      'Smart fridges ordering filters',
    ));
    const runId = randomUUID();
    const stop = (order: LedgerOrder, operation: 'void_label' | 'intercept', figures: Record<string, number>, at: Date) =>
      inLedgerTransaction(api, (writer, manager) =>
        writer.recordStepOutcome(manager, {
          incidentId,
          runId,
          stepId: randomUUID(),
          orderId: order.id,
          action: 'stop_shipment',
          status: 'succeeded',
          operation,
          shipment: { currency: order.currency, actionId: `act_${order.externalId}`, ...figures },
          occurredAt: at,
        }),
      );
    // A refund step as the engine runs it: the adapter with our key and metadata, then the ledger hook.
    const refund = async (order: LedgerOrder, amountMinor: number, at: Date) => {
      const stepId = randomUUID();
      const made = await payments.refund({
        paymentReference: order.paymentReference!,
        amountMinor,
        currency: order.currency,
        idempotencyKey: `rd_${stepId}_refund`,
        metadata: { order_id: order.id, incident_id: incidentId, run_id: runId, step_id: stepId },
      });
      await inLedgerTransaction(api, (writer, manager) =>
        writer.recordStepOutcome(manager, {
          incidentId,
          runId,
          stepId,
          orderId: order.id,
          action: 'refund',
          status: 'succeeded',
          operation: 'refund',
          refund: made,
          occurredAt: at,
        }),
      );
    };
    const [delivered, labelled, inTransit, jpy] = orders as [LedgerOrder, LedgerOrder, LedgerOrder, LedgerOrder];
    // Three days of USD events (two of them yesterday, hours apart) and one JPY refund.
    await stop(labelled, 'void_label', { labelCreditMinor: 420 }, daysAgoAt(3, 10));
    await stop(inTransit, 'intercept', { interceptFeeMinor: 1600 }, daysAgoAt(2, 10));
    await refund(delivered, 8499, daysAgoAt(1, 2));
    await refund(jpy, 8499, daysAgoAt(1, 5));
    await refund(inTransit, 4000, daysAgoAt(1, 20));

    browser = await openBrowser();
    await signInThroughUi(browser.page, api.baseUrl, finance.email, finance.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await worker?.stop('SIGKILL');
    await api?.close();
    await stripe?.stop();
  }, 60_000);

  const get = async (path: string) => (await finance.as(api.http.get(path)).expect(200)).body;
  /** Full-page screenshot from the top, nothing focused (the app bar hides on scroll). */
  async function shot(name: string) {
    await browser.page.evaluate(() => {
      (document.activeElement as HTMLElement | null)?.blur();
      window.scrollTo(0, 0);
    });
    await browser.screenshot(name);
  }

  it('shows the API’s tally on the Ledger tab: figures, categories, recovery by day and hour, entries', async () => {
    const { page } = browser;
    const tally = await get(`/api/incidents/${incidentId}/ledger/tally?bucket=day`);
    expect(tally.currencies.map((c: CurrencyTally) => c.currency)).toEqual(['JPY', 'USD']);

    await page.goto(`${api.baseUrl}/#/incidents/${incidentId}/show`);
    await page.getByTestId('incident-tab-ledger').click();
    await page.getByTestId('incident-ledger').waitFor();
    await expect.poll(() => page.getByTestId('ledger-currency').count()).toBe(tally.currencies.length);
    for (const c of tally.currencies as CurrencyTally[]) {
      const card = page.locator(`[data-testid="ledger-currency"][data-currency="${c.currency}"]`);
      for (const [figure, minor] of [
        ['cost', c.costMinor],
        ['recovered', c.recoveredMinor],
        ['net_loss', c.netLossMinor],
      ] as const) {
        const cell = card.getByTestId(`ledger-figure-${figure}`);
        expect(await cell.getAttribute('data-minor')).toBe(String(minor));
        expect(await cell.innerText()).toContain(money(minor, c.currency));
      }
      expect(await card.getByTestId('ledger-entries').getAttribute('data-value')).toBe(String(c.entries));
      // Loss by category: every non-zero category of the API, with its amount; nothing else.
      const chart = page.locator(`[data-testid="ledger-category-chart"][data-currency="${c.currency}"]`);
      const nonZero = c.categories.filter((k) => k.amountMinor !== 0);
      await expect.poll(() => chart.getByTestId('ledger-category').count()).toBe(nonZero.length);
      for (const k of nonZero) {
        const row = chart.locator(`[data-category="${k.category}"]`);
        expect(await row.getAttribute('data-minor')).toBe(String(k.amountMinor));
        expect(await row.innerText()).toContain(money(k.amountMinor, c.currency));
      }
      // Recovery over time: one point per bucket of the API; the last cumulative is the net loss.
      const points = tally.recovery.points.filter((p: { currency: string }) => p.currency === c.currency);
      const recovery = page.locator(`[data-testid="ledger-recovery-chart"][data-currency="${c.currency}"]`);
      expect(await recovery.getAttribute('data-points')).toBe(String(points.length));
      expect(points.at(-1).cumulativeNetLossMinor).toBe(c.netLossMinor);
    }
    // The categories the fixtures booked are all there, with their signs.
    const usd = (tally.currencies as CurrencyTally[]).find((c) => c.currency === 'USD')!;
    const usdCategory = (name: string) => usd.categories.find((k) => k.category === name)!.amountMinor;
    expect(usdCategory('label_credit')).toBe(-420);
    expect(usdCategory('intercept_fee')).toBe(1600);
    expect(usdCategory('refund_issued')).toBe(8499 + 4000);
    await shot('ledger-tab');

    // By hour: the chart follows the API's hourly series; the totals do not change.
    const hourly = await get(`/api/incidents/${incidentId}/ledger/tally?bucket=hour`);
    expect(hourly.recovery.points.length).toBeGreaterThan(tally.recovery.points.length);
    await page.getByTestId('ledger-bucket-hour').click();
    await page.locator('[data-testid="ledger-recovery"] [data-bucket="hour"]').waitFor();
    for (const c of hourly.currencies as CurrencyTally[]) {
      const points = hourly.recovery.points.filter((p: { currency: string }) => p.currency === c.currency);
      await expect
        .poll(() => page.locator(`[data-testid="ledger-recovery-chart"][data-currency="${c.currency}"]`).getAttribute('data-points'))
        .toBe(String(points.length));
      const card = page.locator(`[data-testid="ledger-currency"][data-currency="${c.currency}"]`);
      expect(await card.getByTestId('ledger-figure-net_loss').getAttribute('data-minor')).toBe(String(c.netLossMinor));
    }
    expect(page.url()).toContain('bucket=hour');

    // Entries: the server's list, filtered by currency on the server.
    const entries = await get(`/api/incidents/${incidentId}/ledger?_perPage=25`);
    const table = page.getByTestId('ledger-entries-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(Math.min(25, entries.total));
    const jpy = await get(`/api/incidents/${incidentId}/ledger?currency=JPY&_perPage=25`);
    expect(jpy.total).toBeLessThan(entries.total);
    await page.getByTestId('ledger-entries-filter-currency').click();
    await page.getByRole('option', { name: 'JPY', exact: true }).click();
    await expect.poll(() => table.locator('tbody tr').count()).toBe(jpy.total);
    for (const entry of jpy.data) await table.getByText(money(entry.amountMinor, 'JPY'), { exact: true }).first().waitFor();
    await shot('ledger-entries-jpy');
  });

  it('reconciles with Stripe from the tab and shows the clean report', async () => {
    const { page } = browser;
    await page.goto(`${api.baseUrl}/#/incidents/${incidentId}/show?tab=ledger`);
    await page.getByTestId('ledger-reconciliation-empty').waitFor();
    await page.getByTestId('ledger-reconcile-button').click();
    const clean = page.getByTestId('ledger-reconciliation-clean');
    await clean.waitFor({ timeout: 30_000 });

    const reports = await get(`/api/incidents/${incidentId}/reconciliations`);
    expect(reports.total).toBe(1);
    const report = await get(`/api/incidents/${incidentId}/reconciliations/${reports.data[0].id}`);
    expect(report).toMatchObject({ status: 'completed', clean: true, requestedByEmail: finance.email });
    expect(report.summary.message).toMatch(/^Clean: /);
    expect(await clean.innerText()).toBe(report.summary.message);
    // Money back per currency on both sides, equal.
    for (const total of report.summary.totals as { currency: string; ledgerMinor: number; providerMinor: number }[]) {
      const row = page.locator(`[data-testid="ledger-reconciliation-totals"] tr[data-currency="${total.currency}"]`);
      expect(await row.getAttribute('data-ledger-minor')).toBe(String(total.ledgerMinor));
      expect(await row.getAttribute('data-provider-minor')).toBe(String(total.providerMinor));
    }
    await shot('ledger-reconciliation-clean');
  });

  it('shows the finance report of the last 30 days and exports it as CSV', async () => {
    const { page } = browser;
    await page.goto(`${api.baseUrl}/#/`);
    await page.getByTestId('menu-finance').click();
    await page.getByTestId('finance-page').waitFor();
    const from = await page.getByTestId('finance-from').inputValue();
    const to = await page.getByTestId('finance-to').inputValue();
    expect((Date.parse(to) - Date.parse(from)) / 86_400_000).toBe(29);
    expect(to).toBe(new Date().toISOString().slice(0, 10));

    const report = await get(`/api/finance/report?from=${from}&to=${to}`);
    await page.locator(`[data-testid="finance-report"][data-from="${report.from}"]`).waitFor();
    expect(report.currencies.map((c: CurrencyTally) => c.currency)).toEqual(['JPY', 'USD']);
    for (const c of report.currencies as CurrencyTally[]) {
      const card = page.locator(`[data-testid="finance-currency"][data-currency="${c.currency}"]`);
      expect(await card.getByTestId('finance-figure-net_loss').getAttribute('data-minor')).toBe(String(c.netLossMinor));
      expect(await card.getByTestId('finance-figure-net_loss').innerText()).toContain(money(c.netLossMinor, c.currency));
      expect(await card.getByTestId('finance-figure-cost').getAttribute('data-minor')).toBe(String(c.costMinor));
      expect(await card.getByTestId('finance-figure-recovered').getAttribute('data-minor')).toBe(String(c.recoveredMinor));
      // Totals per currency × category: every category, zero or not.
      for (const k of c.categories) {
        const cell = page.locator(`[data-testid="finance-totals"] tr[data-category="${k.category}"] td[data-currency="${c.currency}"]`);
        expect(await cell.getAttribute('data-minor')).toBe(String(k.amountMinor));
      }
      const net = page.locator(`[data-testid="finance-totals"] tr[data-category="net_loss"] td[data-currency="${c.currency}"]`);
      expect(await net.innerText()).toBe(money(c.netLossMinor, c.currency));
    }
    // One row per incident and currency, each linking to the incident's ledger.
    await expect.poll(() => page.getByTestId('finance-incident-row').count()).toBe(report.incidents.length);
    for (const row of report.incidents as { incidentId: string; currency: string; netLossMinor: number }[]) {
      const line = page.locator(
        `[data-testid="finance-incident-row"][data-incident-id="${row.incidentId}"][data-currency="${row.currency}"]`,
      );
      expect(await line.getAttribute('data-net-minor')).toBe(String(row.netLossMinor));
      expect(await line.locator('a').getAttribute('href')).toBe(`#/incidents/${row.incidentId}/show?tab=ledger`);
    }
    await shot('finance-dashboard');

    // Export: the same range, downloaded with the session cookie; header and rows as the API streams them.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('finance-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const csv = readFileSync((await download.path())!, 'utf8');
    const direct = (await finance.as(api.http.get(`/api/finance/export.csv?from=${from}&to=${to}`)).expect(200)).text;
    const rows = parse(csv.replace(/^\uFEFF/, ''), { relax_column_count: false }) as string[][];
    const directRows = parse(direct.replace(/^\uFEFF/, '')) as string[][];
    expect(rows[0]).toEqual(directRows[0]);
    expect(rows[0]).toEqual(
      expect.arrayContaining(['entry_id', 'occurred_at', 'incident', 'category', 'currency', 'amount_minor', 'amount']),
    );
    const entries = (report.currencies as CurrencyTally[]).reduce((n, c) => n + c.entries, 0);
    expect(rows.length - 1).toBe(entries);
    expect(rows.length).toBe(directRows.length);

    // A reversed range: the API's 400 names `to`, and the page says so (and offers no export).
    await page.getByTestId('finance-to').fill('2020-01-01');
    const error = page.getByTestId('finance-error');
    await error.waitFor();
    const refused = (await finance.as(api.http.get(`/api/finance/report?from=${from}&to=2020-01-01`)).expect(400)).body;
    expect(refused.fields).toEqual([expect.objectContaining({ field: 'to' })]);
    expect(await error.innerText()).toBe(refused.message);
    expect(await page.getByTestId('finance-export').getAttribute('aria-disabled')).toBe('true');
    await shot('finance-reversed-range');
    await page.getByRole('button', { name: 'Last 30 days' }).click();
    await page.locator(`[data-testid="finance-report"][data-from="${report.from}"]`).waitFor();
    await error.waitFor({ state: 'detached' });

    // Only the expected 400 of the reversed range reached the console.
    expect(browser.errors.filter((e) => !/401|400 \(Bad Request\)/.test(e))).toEqual([]);
  });
});
