import { parse } from 'csv-parse/sync';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { money, openFromMenu, shot, unexpectedErrors } from '../support/journeys/journey.js';
import { incidentOf, requestRun, seedOrders, startEngineStack, waitForRun, type EngineStack } from '../support/remediation-stack.js';
import { userWithRoles, type TestUser } from '../support/users.js';

interface CurrencyTally {
  currency: string;
  costMinor: number;
  recoveredMinor: number;
  netLossMinor: number;
  entries: number;
  categories: { category: string; amountMinor: number; entries: number }[];
}

/**
 * Finance's journey, start to finish, through the UI only. Before it, a
 * commander and an agent (other people, through the API) ran a real
 * remediation of a USD and EUR fleet: the engine stopped the shipments and
 * refunded the charges at the Stripe stand-in, writing the loss ledger as it
 * went. Finance reviews the loss on the finance page, exports the CSV (its
 * totals must be the API's), opens the incident's Ledger tab, reconciles it
 * with Stripe and sees it come back clean.
 */
describe('journey of finance, in Chromium', () => {
  let stack: EngineStack;
  let browser: TestBrowser;
  let finance: TestUser;
  let incidentId: string;

  beforeAll(async () => {
    stack = await startEngineStack({ appEnv: { RECONCILIATION_RATE_LIMIT_PER_SECOND: '100' } });
    const states = ['unfulfilled', 'label_created', 'in_transit', 'delivered'] as const;
    const orders = await seedOrders(
      stack,
      'Meter',
      Array.from({ length: 12 }, (_, i) => ({ state: states[i % 4]!, customer: 1 + (i % 6), currency: i % 3 === 0 ? 'EUR' : 'USD' })),
    );
    incidentId = await incidentOf(stack, 'Meter', orders);
    const runId = await requestRun(stack, incidentId, ['stop_shipment', 'refund']);
    await waitForRun(stack, runId, 'completed', 60_000);
    finance = await userWithRoles(stack.api, ['finance']);
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, 60_000);

  const api = <T = any>(path: string) =>
    finance
      .as(stack.api.http.get(path))
      .expect(200)
      .then((res) => res.body as T);
  let range: { from: string; to: string };

  it('signs in and reviews the loss of the last 30 days on the finance page', async () => {
    const { page } = browser;
    await signInThroughUi(page, stack.api.baseUrl, finance.email, finance.password);
    await openFromMenu(page, 'Finance');
    await page.getByTestId('finance-page').waitFor();
    range = { from: await page.getByTestId('finance-from').inputValue(), to: await page.getByTestId('finance-to').inputValue() };
    const report = await api(`/api/finance/report?from=${range.from}&to=${range.to}`);
    await page.locator(`[data-testid="finance-report"][data-from="${report.from}"]`).waitFor();
    expect(report.currencies.map((c: CurrencyTally) => c.currency)).toEqual(['EUR', 'USD']);
    for (const c of report.currencies as CurrencyTally[]) {
      expect(c.netLossMinor).toBeGreaterThan(0);
      const card = page.locator(`[data-testid="finance-currency"][data-currency="${c.currency}"]`);
      for (const [figure, minor] of [
        ['cost', c.costMinor],
        ['recovered', c.recoveredMinor],
        ['net_loss', c.netLossMinor],
      ] as const) {
        const cell = card.getByTestId(`finance-figure-${figure}`);
        expect(await cell.getAttribute('data-minor')).toBe(String(minor));
        expect(await cell.innerText()).toContain(money(minor, c.currency));
      }
      for (const k of c.categories) {
        const cell = page.locator(`[data-testid="finance-totals"] tr[data-category="${k.category}"] td[data-currency="${c.currency}"]`);
        expect(await cell.getAttribute('data-minor')).toBe(String(k.amountMinor));
      }
    }
    await expect.poll(() => page.getByTestId('finance-incident-row').count()).toBe(report.incidents.length);
    await shot(browser, 'finance-page', { readme: true });
  });

  it('exports the range as CSV whose totals are the API’s', async () => {
    const { page } = browser;
    const report = await api(`/api/finance/report?from=${range.from}&to=${range.to}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('finance-export').click()]);
    expect(download.suggestedFilename()).toMatch(/\.csv$/);
    const rows = parse(readFileSync((await download.path())!, 'utf8').replace(/^\uFEFF/, ''), { columns: true }) as Record<
      string,
      string
    >[];
    expect(rows.length).toBe((report.currencies as CurrencyTally[]).reduce((n, c) => n + c.entries, 0));
    // Per currency: the sum of the rows is the net loss, the positive rows the cost; per category, the API's amount.
    for (const c of report.currencies as CurrencyTally[]) {
      const mine = rows.filter((r) => r.currency === c.currency).map((r) => ({ category: r.category!, minor: Number(r.amount_minor) }));
      expect(mine.reduce((sum, r) => sum + r.minor, 0)).toBe(c.netLossMinor);
      expect(mine.filter((r) => r.minor > 0).reduce((sum, r) => sum + r.minor, 0)).toBe(c.costMinor);
      for (const k of c.categories) {
        expect(
          mine.filter((r) => r.category === k.category).reduce((sum, r) => sum + r.minor, 0),
          k.category,
        ).toBe(k.amountMinor);
      }
    }
    // The export is audited, under finance's name.
    const { rows: audit } = await stack.api.db.query<{ actor_id: string }>(
      `SELECT actor_id FROM audit_log WHERE action = 'finance.export'`,
    );
    expect(audit.map((a) => a.actor_id)).toEqual([finance.id]);
  });

  it('opens the incident’s Ledger tab from the report, with the API’s tally', async () => {
    const { page } = browser;
    const incident = await api(`/api/incidents/${incidentId}`);
    const row = page.locator(`[data-testid="finance-incident-row"][data-incident-id="${incidentId}"][data-currency="USD"]`);
    await row.locator('a').click();
    await page.getByTestId('incident-ledger').waitFor();
    expect(await page.getByTestId('incident-reference').innerText()).toBe(incident.reference);
    const tally = await api(`/api/incidents/${incidentId}/ledger/tally?bucket=day`);
    await expect.poll(() => page.getByTestId('ledger-currency').count()).toBe(tally.currencies.length);
    for (const c of tally.currencies as CurrencyTally[]) {
      const card = page.locator(`[data-testid="ledger-currency"][data-currency="${c.currency}"]`);
      for (const [figure, minor] of [
        ['cost', c.costMinor],
        ['recovered', c.recoveredMinor],
        ['net_loss', c.netLossMinor],
      ] as const) {
        expect(await card.getByTestId(`ledger-figure-${figure}`).getAttribute('data-minor')).toBe(String(minor));
      }
      expect(await card.getByTestId('ledger-entries').getAttribute('data-value')).toBe(String(c.entries));
      const chart = page.locator(`[data-testid="ledger-category-chart"][data-currency="${c.currency}"]`);
      await expect.poll(() => chart.getByTestId('ledger-category').count()).toBe(c.categories.filter((k) => k.amountMinor !== 0).length);
    }
    await shot(browser, 'ledger-tab', { readme: true, at: page.getByTestId('incident-tab-ledger') });
  });

  it('reconciles the incident with Stripe and sees the clean result', async () => {
    const { page } = browser;
    await page.getByTestId('ledger-reconciliation-empty').waitFor();
    await page.getByTestId('ledger-reconcile-button').click();
    const clean = page.getByTestId('ledger-reconciliation-clean');
    await clean.waitFor({ timeout: 30_000 });
    const reports = await api(`/api/incidents/${incidentId}/reconciliations`);
    expect(reports.total).toBe(1);
    const report = await api(`/api/incidents/${incidentId}/reconciliations/${reports.data[0].id}`);
    expect(report).toMatchObject({ status: 'completed', clean: true, requestedByEmail: finance.email });
    expect(await clean.innerText()).toBe(report.summary.message);
    for (const total of report.summary.totals as { currency: string; ledgerMinor: number; providerMinor: number }[]) {
      expect(total.ledgerMinor).toBe(total.providerMinor);
      const line = page.locator(`[data-testid="ledger-reconciliation-totals"] tr[data-currency="${total.currency}"]`);
      expect(await line.getAttribute('data-ledger-minor')).toBe(String(total.ledgerMinor));
      expect(await line.getAttribute('data-provider-minor')).toBe(String(total.providerMinor));
    }
    await shot(browser, 'journey-finance-reconciliation');
    expect(unexpectedErrors(browser.errors)).toEqual([]);
  }, 60_000);
});
