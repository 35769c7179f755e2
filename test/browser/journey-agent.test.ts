import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, signInThroughUi, type TestBrowser } from '../support/browser.js';
import { dialogShot, idFromUrl, openFromMenu, shot, unexpectedErrors } from '../support/journeys/journey.js';
import { seedRecentOrders } from '../support/journeys/recent-orders.js';
import { getRun, sinkMessages, startEngineStack, waitForRun, type EngineStack, type SeededOrder } from '../support/remediation-stack.js';

interface Proposal {
  id: string;
  title: string;
  status: string;
  orderCount: number;
  orderIds: string[];
  evidence: { rule: string; summary: string; strength: number }[];
}
interface Progress {
  action: string;
  done: number;
  failed: number;
  skipped: number;
  pending: number;
  cancelled: number;
}

const vendo = { model: 'Vendo', firmware: '3.1.4' };
const scale = { model: 'Scale', firmware: '1.0.2' };

/**
 * The support agent's day, start to finish, through the UI only: the
 * detection queue holds two proposals; the agent reads the evidence of each,
 * dismisses the store promotion with a reason, and hands the Vendo fleet to
 * the commander (who declares it — another person, through the API). The
 * agent confirms the incident's orders, then stops their shipments and tells
 * the customers (no refunds, so no approval), and follows the run to its end.
 * Every figure on screen is checked against the API; the notices against the
 * SMTP sink.
 */
describe('journey of a support agent, in Chromium', () => {
  let stack: EngineStack;
  let browser: TestBrowser;
  let fleet: SeededOrder[];
  let incidentId: string;
  let runId: string;

  beforeAll(async () => {
    stack = await startEngineStack({ appEnv: { FULFILMENT_RATE_LIMIT_PER_SECOND: '3', EMAIL_RATE_LIMIT_PER_SECOND: '3' } });
    const states = ['unfulfilled', 'label_created', 'in_transit', 'delivered'] as const;
    // Six Vendo machines on one firmware, two orders each: a fleet burst.
    fleet = await seedRecentOrders(
      stack,
      vendo,
      Array.from({ length: 12 }, (_, i) => ({ state: states[i % 4]!, customer: 1 + (i % 6) })),
    );
    // Five shop scales ordering the same kit: a burst too, but a store promotion.
    await seedRecentOrders(
      stack,
      scale,
      Array.from({ length: 5 }, (_, i) => ({ state: 'unfulfilled' as const, customer: 1 + i })),
    );
    // The scheduled detection pass, as the system (a commander's right) runs it.
    const pass = (await stack.commander.as(stack.api.http.post('/api/proposals/run')).expect(200)).body;
    expect(pass.proposalsCreated).toBe(2);
    browser = await openBrowser();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await stack?.close();
  }, 60_000);

  const api = <T = any>(path: string) =>
    stack.agent
      .as(stack.api.http.get(path))
      .expect(200)
      .then((res) => res.body as T);
  const openProposals = async () => (await api<{ data: Proposal[] }>('/api/proposals?status=open&_perPage=100')).data;
  const proposalOf = async (model: string) => (await openProposals()).find((p) => p.title.includes(model))!;

  it('signs in and opens the proposal queue, which lists what detection proposed', async () => {
    const { page } = browser;
    await signInThroughUi(page, stack.api.baseUrl, stack.agent.email, stack.agent.password);
    await shot(browser, 'journey-agent-dashboard');
    await openFromMenu(page, 'Proposals');
    const list = page.getByTestId('proposals-list');
    await list.waitFor();
    const open = await openProposals();
    expect(open).toHaveLength(2);
    for (const proposal of open) await list.getByText(proposal.title).waitFor();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(open.length);
    // Agents triage; running detection is the commander's.
    expect(await page.getByTestId('proposals-run-button').count()).toBe(0);
    await shot(browser, 'journey-agent-proposals');
  });

  it('reads the shop scales’ evidence and dismisses the proposal with a reason', async () => {
    const { page } = browser;
    const target = await api<Proposal>(`/api/proposals/${(await proposalOf(scale.model)).id}`);
    await page.getByTestId('proposals-list').getByText(target.title).click();
    await page.getByTestId('proposal-show').waitFor();
    expect(await page.getByTestId('proposal-title').innerText()).toBe(target.title);
    expect(await page.getByTestId('proposal-order-count').innerText()).toBe(String(target.orderCount));
    // The strongest hit, in full (two SKUs may tie: either is the strongest).
    const top = Math.max(...target.evidence.map((hit) => hit.strength));
    const strongest = target.evidence.filter((hit) => hit.strength === top).map((hit) => hit.summary);
    expect(strongest).toContain(await page.getByTestId('evidence-summary').first().innerText());

    await page.getByTestId('proposal-dismiss-button').click();
    const dialog = page.getByTestId('proposal-dismiss-dialog');
    await dialog.getByTestId('proposal-dismiss-dialog-reason').fill('store promotion on calibration kits, confirmed by the shop');
    await dialog.getByTestId('proposal-dismiss-dialog-confirm').click();
    await page.locator('[data-testid="proposal-outcome"][data-status="dismissed"]').waitFor();
    expect(await api<Proposal & { dismissedReason: string }>(`/api/proposals/${target.id}`)).toMatchObject({
      status: 'dismissed',
      dismissedReason: 'store promotion on calibration kits, confirmed by the shop',
    });
  });

  it('reads the Vendo fleet’s evidence, which the commander then declares as an incident', async () => {
    const { page } = browser;
    const target = await api<Proposal>(`/api/proposals/${(await proposalOf(vendo.model)).id}`);
    expect([...target.orderIds].sort()).toEqual(fleet.map((o) => o.id).sort());
    await openFromMenu(page, 'Proposals');
    await page.getByTestId('proposals-list').getByText(target.title).click();
    await page.getByTestId('proposal-show').waitFor();
    expect(idFromUrl(page, 'proposals')).toBe(target.id);
    expect(await page.getByTestId('proposal-order-count').innerText()).toBe(String(fleet.length));
    const group = page.locator('[data-testid="proposal-evidence-group"][data-rule="fleet-burst"]');
    await group.getByTestId('evidence-measured').getByText('6', { exact: true }).waitFor();
    // Declaring is the commander's call: the agent is not offered it.
    expect(await page.getByTestId('proposal-declare-button').count()).toBe(0);
    await shot(browser, 'proposal-evidence', { readme: true });

    // The commander, told by the agent, declares it and starts triage (another person: the API).
    const declared = await stack.commander
      .as(stack.api.http.post('/api/incidents'))
      .send({ proposalId: target.id, reason: 'agent confirmed the Vendo pattern' })
      .expect(201);
    incidentId = declared.body.id;
    await stack.commander
      .as(stack.api.http.post(`/api/incidents/${incidentId}/transition`))
      .send({ to: 'triage', reason: 'agents confirm the orders' })
      .expect(200);
    await page.reload();
    await page.getByTestId('proposal-incident-link').waitFor();
  });

  it('confirms the incident’s orders by filter after seeing the exact count', async () => {
    const { page } = browser;
    const incident = await api(`/api/incidents/${incidentId}`);
    await openFromMenu(page, 'Incidents');
    await page.getByTestId('incidents-list').getByText(incident.reference).first().click();
    await page.locator(`[data-testid="incident-show"][data-status="triage"]`).waitFor();
    expect(idFromUrl(page, 'incidents')).toBe(incidentId);
    await page.locator(`[data-testid="incident-figure-suspected"][data-value="${fleet.length}"]`).waitFor();

    await page.getByTestId('incident-members-by-filter').click();
    const dialog = page.getByTestId('incident-members-filter-dialog');
    await dialog.locator('input[name="model"]').fill(vendo.model);
    await dialog.locator(`[data-testid="incident-members-count"][data-count="${fleet.length}"]`).waitFor();
    await dialog.getByTestId('incident-reason-input').fill('same kit, six machines, one firmware');
    await dialog.getByTestId('incident-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`[data-testid="incident-figure-confirmed"][data-value="${fleet.length}"]`).waitFor();
    expect((await api(`/api/incidents/${incidentId}`)).members).toMatchObject({ confirmed: fleet.length, suspected: 0 });
  });

  it('previews stopping the shipments and telling the customers, and requests it with a reason', async () => {
    const { page } = browser;
    await page.getByTestId('incident-tab-remediation').click();
    await page.getByTestId('run-new-button').click();
    await page.getByTestId('run-new-dialog').waitFor();
    await page.getByTestId('run-action-refund').uncheck();
    await page.getByTestId('run-action-quarantine_devices').uncheck();
    await page.getByTestId('run-preview-button').click();
    await page.getByTestId('run-preview').waitFor();

    const actions = ['stop_shipment', 'notify'];
    const preview = (
      await stack.agent
        .as(stack.api.http.post(`/api/incidents/${incidentId}/runs/preview`))
        .send({ actions })
        .expect(200)
    ).body;
    expect(preview.approval.required).toBe(false);
    expect(preview.notify.customers).toBe(6);
    const attr = (id: string, name: string) => page.getByTestId(id).getAttribute(name);
    expect(await attr('run-preview-orders', 'data-value')).toBe(String(preview.orders.confirmed));
    expect(await attr('run-preview-stop', 'data-value')).toBe(String(preview.stop_shipment.orders));
    expect(await attr('run-preview-customers', 'data-value')).toBe(String(preview.notify.customers));
    for (const op of preview.stop_shipment.byOperation as { operation: string; orders: number }[]) {
      expect(await attr(`run-preview-stop-${op.operation}`, 'data-orders')).toBe(String(op.orders));
    }
    await dialogShot(browser, 'run-preview', { readme: true, height: 1000 });

    await page.getByTestId('run-preview-next').click();
    expect(await page.getByTestId('run-confirm-scope-notify').innerText()).toBe(`Notify ${preview.notify.customers} customers by e-mail`);
    await page.getByTestId('run-reason-input').fill('Vendo fleet hijacked: stop the parcels and tell the customers');
    await page.getByTestId('run-request-submit').click();
    await page.waitForURL(/#\/runs\/[0-9a-f-]{36}\/show/);
    runId = idFromUrl(page, 'runs');
    const run = await getRun(stack, runId);
    expect(run).toMatchObject({ requestedBy: stack.agent.id, actions, approvalRequired: false });
  });

  it('follows the run live to the end: the screen’s counts are the API’s, the notices are in the mail sink', async () => {
    const { page } = browser;
    await page.locator('[data-testid="run-show"][data-status="running"], [data-testid="run-show"][data-status="completed"]').waitFor();
    if ((await page.getByTestId('run-show').getAttribute('data-status')) === 'running') await shot(browser, 'journey-agent-run-running');
    const run = await waitForRun(stack, runId, 'completed', 60_000);
    await page.locator('[data-testid="run-show"][data-status="completed"]').waitFor({ timeout: 10_000 });

    for (const p of run.progress as Progress[]) {
      const bar = page.getByTestId(`run-progress-${p.action}`);
      for (const key of ['done', 'failed', 'skipped', 'pending', 'cancelled'] as const) {
        await expect.poll(() => bar.getAttribute(`data-${key}`), { message: `${p.action} ${key}` }).toBe(String(p[key]));
      }
    }
    const stop = (run.progress as Progress[]).find((p) => p.action === 'stop_shipment')!;
    const notify = (run.progress as Progress[]).find((p) => p.action === 'notify')!;
    expect(stop.done + stop.skipped).toBe(fleet.length);
    expect(stop.failed).toBe(0);
    expect(notify.done).toBe(6);

    // One notice per customer, each in the sink, to that customer.
    const notices = await api<{ total: number; data: { status: string; toAddress: string }[] }>(`/api/runs/${runId}/notices?_perPage=100`);
    expect(notices.total).toBe(6);
    expect(await page.getByTestId('run-outbox').getAttribute('data-total')).toBe('6');
    const messages = await sinkMessages(stack);
    const emails = [...new Set(fleet.map((o) => o.email))].sort();
    expect(messages.flatMap((m) => m.to).sort()).toEqual(emails);
    expect(notices.data.map((n) => n.toAddress).sort()).toEqual(emails);
    expect(notices.data.every((n) => n.status === 'sent')).toBe(true);
    await page.getByTestId('run-report').waitFor();
    await shot(browser, 'journey-agent-run-completed');

    // The fulfilment provider stopped what could be stopped: no order of the fleet is still on its way unchecked.
    const { rows } = await stack.api.db.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM remediation_step WHERE run_id = $1 AND action = 'stop_shipment' GROUP BY 1`,
      [runId],
    );
    expect(rows.reduce((n, r) => n + r.n, 0)).toBe(fleet.length);
    expect(unexpectedErrors(browser.errors)).toEqual([]);
  }, 90_000);
});
