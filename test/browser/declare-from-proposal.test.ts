import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOrders } from '../../backend/src/fleet-generator/generate-orders.js';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { ingestOrders } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

interface ProposalRow {
  id: string;
  title: string;
  score: number;
  status: string;
  orderCount: number;
  valueByCurrency: { currency: string; orders: number; totalMinor: number }[];
}
interface ProposalDetail extends ProposalRow {
  orderIds: string[];
  incidentId: string | null;
  dismissedReason: string | null;
  evidence: { rule: string; summary: string; strength: number; devices?: number; sku?: string }[];
}

/** Console noise a first visit legitimately produces (the session probe's 401). */
const unexpected = (errors: string[]) => errors.filter((e) => !/401/.test(e));
const digits = (text: string) => text.replace(/[^\d]/g, '');

describe('declaring an incident from a detection proposal, in Chromium', () => {
  let api: TestApp;
  let browser: TestBrowser;
  let commander: TestUser;
  // Attacks happen in the generated world's last days, so "now" must be the real now for detection to see them.
  const fleet = [...generateOrders({ seed: 11, orders: 3000, now: new Date() })];

  beforeAll(async () => {
    api = await startTestApp();
    await ingestOrders(
      api,
      fleet.map((g) => g.order),
    );
    commander = await userWithRoles(api, ['incident_commander']);
    browser = await openBrowser();
    await signInThroughUi(browser.page, api.baseUrl, commander.email, commander.password);
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  const openProposals = async () =>
    (await commander.as(api.http.get('/api/proposals?status=open&_perPage=100')).expect(200)).body.data as ProposalRow[];
  const proposal = async (id: string) => (await commander.as(api.http.get(`/api/proposals/${id}`)).expect(200)).body as ProposalDetail;

  it('runs detection from the queue, which then lists what the API proposes', async () => {
    const { page } = browser;
    await page.goto(`${api.baseUrl}/#/proposals`);
    await page.getByTestId('proposals-list').waitFor();
    await page.getByTestId('proposals-run-button').click();
    await page
      .getByTestId('proposals-run-result')
      .getByText(/new proposals/)
      .waitFor();
    const open = await openProposals();
    expect(open.length).toBeGreaterThan(0);
    const fleetBurst = open.find((p) => p.title.startsWith('Fleet burst'));
    expect(fleetBurst).toBeDefined();
    await page.getByTestId('proposals-list').getByText(fleetBurst!.title).waitFor();
    await browser.screenshot('proposals-list');
  });

  it('shows the evidence and figures the API has, and declares the incident through the dialog', async () => {
    const { page } = browser;
    const row = (await openProposals()).find((p) => p.title.startsWith('Fleet burst'))!;
    const detail = await proposal(row.id);

    await page.getByTestId('proposals-list').getByText(detail.title).click();
    await page.waitForURL(new RegExp(`#/proposals/${detail.id}/show`));
    const show = page.getByTestId('proposal-show');
    await show.waitFor();

    // Figures, as the API has them.
    await expect(page.getByTestId('proposal-title').innerText()).resolves.toBe(detail.title);
    await expect(page.getByTestId('proposal-order-count').innerText()).resolves.toBe(String(detail.orderCount));
    await expect(page.getByTestId('proposal-score').locator('[data-score]').getAttribute('data-score')).resolves.toBe(String(detail.score));
    for (const value of detail.valueByCurrency) {
      const amount = await page
        .getByTestId('proposal-value')
        .locator(`[data-currency="${value.currency}"] [data-testid="value-amount"]`)
        .innerText();
      expect(digits(amount)).toBe(String(value.totalMinor));
    }
    const { rows } = await api.db.query(`SELECT count(DISTINCT device_id)::int AS n FROM orders WHERE id = ANY($1::uuid[])`, [
      detail.orderIds,
    ]);
    await page.getByTestId('proposal-device-count').getByText(String(rows[0].n), { exact: true }).waitFor();

    // One block per rule that fired: the strongest hit in full (baseline, by how much it was exceeded,
    // its orders), every hit counted.
    const byRule = new Map<string, ProposalDetail['evidence']>();
    for (const hit of detail.evidence) byRule.set(hit.rule, [...(byRule.get(hit.rule) ?? []), hit]);
    await expect(show.getByTestId('proposal-evidence-group').count()).resolves.toBe(byRule.size);
    for (const [rule, hits] of byRule) {
      const group = show.locator(`[data-testid="proposal-evidence-group"][data-rule="${rule}"]`);
      await expect(group.getAttribute('data-hits')).resolves.toBe(String(hits.length));
      const strongest = hits.reduce((a, b) => (b.strength > a.strength ? b : a));
      const card = group.getByTestId('proposal-evidence-hit');
      await expect(card.getByTestId('evidence-strength').getAttribute('data-strength')).resolves.toBe(String(strongest.strength));
      await expect(card.getByTestId('evidence-summary').innerText()).resolves.toBe(strongest.summary);
      if (rule === 'fleet-burst') await expect(card.getByTestId('evidence-measured').innerText()).resolves.toBe(String(strongest.devices));
      if (hits.length > 1) {
        await expect(group.getByTestId('proposal-evidence-row').count()).resolves.toBe(Math.min(hits.length, 10));
      }
    }
    const firstOrderLink = await show.getByTestId('evidence-order-link').first().getAttribute('href');
    expect(detail.orderIds).toContain(decodeURIComponent(/orders\/([^/]+)\/show/.exec(firstOrderLink!)![1]!));
    await show.getByTestId('evidence-order-link').first().waitFor();
    await browser.screenshot('proposal-show');

    // Declare: the dialog starts from the proposal's title and severity.
    await page.getByTestId('proposal-declare-button').click();
    const dialog = page.getByTestId('proposal-declare-dialog');
    await dialog.waitFor();
    await expect(dialog.getByTestId('proposal-declare-title').inputValue()).resolves.toBe(detail.title);
    await dialog.getByRole('textbox', { name: /reason/i }).fill('compromised firmware 4.2.1');
    await browser.screenshot('proposal-declare-dialog');
    expect(unexpected(browser.errors)).toEqual([]);
    await dialog.getByTestId('proposal-declare-submit').click();
    await page.waitForURL(/#\/incidents\/[0-9a-f-]{36}\/show/);
    const incidentId = /#\/incidents\/([0-9a-f-]{36})\/show/.exec(page.url())![1]!;

    // The API's facts: the incident holds the proposal's orders, the proposal is declared as it.
    const incident = (await commander.as(api.http.get(`/api/incidents/${incidentId}`)).expect(200)).body;
    expect(incident).toMatchObject({ title: detail.title, proposalId: detail.id, members: { suspected: detail.orderCount } });
    const members = (await commander.as(api.http.get(`/api/incidents/${incidentId}/orders?_perPage=500`)).expect(200)).body;
    expect(members.data.map((m: { id: string }) => m.id).sort()).toEqual([...detail.orderIds].sort());
    expect(await proposal(detail.id)).toMatchObject({ status: 'declared', incidentId });
    await page.getByTestId('proposal-show').waitFor({ state: 'detached' });
    await browser.screenshot('incident-declared-from-proposal');

    // The proposal now shows its outcome, linked to the incident.
    await page.goto(`${api.baseUrl}/#/proposals/${detail.id}/show`);
    await page.getByTestId('proposal-outcome').waitFor();
    await expect(page.getByTestId('proposal-incident-link').getAttribute('href')).resolves.toContain(`/incidents/${incidentId}/show`);
    await expect(page.getByTestId('proposal-declare-button').count()).resolves.toBe(0);
  });

  it('dismisses a proposal only with a reason', async () => {
    const { page } = browser;
    const errorsBefore = browser.errors.length;
    const target = (await openProposals()).at(-1)!;
    await page.goto(`${api.baseUrl}/#/proposals/${target.id}/show`);
    await page.getByTestId('proposal-dismiss-button').click();
    const dialog = page.getByTestId('proposal-dismiss-dialog');
    // The dialog names the proposal and its exact scope, and puts the keyboard in the reason field.
    await dialog.getByText(`Dismiss “${target.title}”?`).waitFor();
    const orders = target.orderCount.toLocaleString('en');
    expect(await dialog.getByTestId('proposal-dismiss-scope').innerText()).toMatch(new RegExp(`^It covers ${orders} orders? worth .+\\.$`));
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('data-testid')))
      .toBe('proposal-dismiss-dialog-reason');
    await dialog.getByTestId('proposal-dismiss-dialog-confirm').click();
    await dialog.getByText('Required').waitFor(); // refused in the browser: nothing sent
    expect((await proposal(target.id)).status).toBe('open');
    await dialog.getByTestId('proposal-dismiss-dialog-reason').fill('known bulk buyer, verified by phone');
    await dialog.getByTestId('proposal-dismiss-dialog-confirm').click();
    await page.locator('[data-testid="proposal-outcome"][data-status="dismissed"]').waitFor();
    await expect(page.getByTestId('proposal-dismissed-reason').innerText()).resolves.toContain('known bulk buyer, verified by phone');
    expect(await proposal(target.id)).toMatchObject({ status: 'dismissed', dismissedReason: 'known bulk buyer, verified by phone' });
    await browser.screenshot('proposal-dismissed');
    expect(unexpected(browser.errors.slice(errorsBefore))).toEqual([]);
  });

  it('quarantines a device from its page, with a preview of what it covers, and releases it with a reason', async () => {
    const { page } = browser;
    const errorsBefore = browser.errors.length;
    const deviceId = fleet.find((g) => g.scenario === 'velocity-spike')!.order.device.id;
    await page.goto(`${api.baseUrl}/#/devices/${encodeURIComponent(deviceId)}/show`);
    await page.getByTestId('device-quarantine-button').click();
    const form = page.getByTestId('quarantine-create');
    await form.waitFor();
    await expect(page.getByTestId('quarantine-device-input').inputValue()).resolves.toBe(deviceId);
    await page.locator('[data-testid="quarantine-preview-summary"][data-devices="1"]').waitFor();
    await page.getByTestId('quarantine-reason-input').fill('ordering far above its own rhythm');
    await browser.screenshot('quarantine-create');
    await form.getByRole('button', { name: 'Save' }).click();
    await page.waitForURL(/#\/quarantines\/[0-9a-f-]{36}\/show/);
    const quarantineId = /#\/quarantines\/([0-9a-f-]{36})\/show/.exec(page.url())![1]!;
    const created = (await commander.as(api.http.get(`/api/quarantines/${quarantineId}`)).expect(200)).body;
    expect(created).toMatchObject({ scope: 'device', deviceId, reason: 'ordering far above its own rhythm', status: 'active' });
    await page.locator('[data-testid="quarantine-show"][data-status="active"]').waitFor();
    await browser.screenshot('quarantine-show');

    await page.getByTestId('quarantine-release-button').click();
    const dialog = page.getByTestId('quarantine-release-dialog');
    await dialog.getByText(`Release the quarantine of device ${deviceId}?`).waitFor();
    expect(await dialog.getByTestId('quarantine-release-scope').innerText()).toBe(`It names ${created.devicesNamed} device now.`);
    await dialog.getByTestId('quarantine-release-dialog-reason').fill('owner confirmed the orders');
    await dialog.getByTestId('quarantine-release-dialog-confirm').click();
    await page.locator('[data-testid="quarantine-show"][data-status="released"]').waitFor();
    expect((await commander.as(api.http.get(`/api/quarantines/${quarantineId}`)).expect(200)).body).toMatchObject({
      status: 'released',
      releaseReason: 'owner confirmed the orders',
    });
    await page.goto(`${api.baseUrl}/#/quarantines?filter=${encodeURIComponent('{}')}`);
    await page.getByTestId('quarantines-list').getByText(deviceId).waitFor();
    await browser.screenshot('quarantines-list');
    await page.goto(`${api.baseUrl}/#/detection-rules`);
    await page.getByTestId('detection-rules-list').getByText('Fleet burst').waitFor();
    await browser.screenshot('detection-rules-list');
    expect(unexpected(browser.errors.slice(errorsBefore))).toEqual([]);
  });
});
