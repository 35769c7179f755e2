import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleOrder, ingestOrders } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

const incidentTables = ['incident', 'incident_order', 'incident_event', 'audit_log'];
/** sampleOrder's total: 2 × 34.99 + 8.99 + 4.99 shipping. */
const sampleTotal = 8396;

/** Orders of one device model (the filter the tests declare over), placed an hour apart from `start`. */
function fleetOrders(model: string, count: number, options: { currency?: string; start?: string; devices?: number } = {}) {
  const start = Date.parse(options.start ?? '2026-11-20T10:00:00Z');
  return Array.from({ length: count }, (_, i) =>
    sampleOrder({
      externalId: `${model}-${i}`,
      placedAt: new Date(start + i * 3_600_000).toISOString(),
      currency: options.currency ?? 'USD',
      device: { id: `${model}-DEV-${i % (options.devices ?? 2)}`, model, firmwareVersion: '9.9.1' },
    }),
  );
}

describe('incidents: declaring, lifecycle, summary', () => {
  let api: TestApp;
  let commander: TestUser;
  let agent: TestUser;
  let finance: TestUser;

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '10000' });
    [commander, agent, finance] = await Promise.all([
      userWithRoles(api, ['incident_commander']),
      userWithRoles(api, ['support_agent']),
      userWithRoles(api, ['finance']),
    ]);
    const orders = [
      ...fleetOrders('Alpha', 5),
      ...fleetOrders('Bravo', 3, { currency: 'EUR' }),
      ...fleetOrders('Charlie', 4),
      ...fleetOrders('Delta', 2),
      ...fleetOrders('Echo', 2),
    ];
    await ingestOrders(api, orders);
  });
  afterAll(() => api?.close());

  const declare = (body: Record<string, unknown>, as: TestUser = commander) => as.as(api.http.post('/api/incidents')).send(body);
  const transition = (id: string, to: string, reason?: string) =>
    commander.as(api.http.post(`/api/incidents/${id}/transition`)).send({ to, ...(reason ? { reason } : {}) });

  it('declares from an order filter only when the confirmed count still matches, writing nothing otherwise', async () => {
    const before = await tableCounts(api, incidentTables);
    const stale = await declare({
      title: 'Alpha printers ordering toner',
      severity: 'high',
      orderFilter: { model: 'Alpha' },
      expectedCount: 4,
    }).expect(409);
    expect(stale.body.message).toMatch(/^The filter now matches 5 orders, not 4/);
    expect(await tableCounts(api, incidentTables)).toEqual(before);

    const res = await declare({
      title: 'Alpha printers ordering toner',
      severity: 'high',
      orderFilter: { model: 'Alpha' },
      expectedCount: 5,
      reason: 'spotted by support',
    }).expect(201);
    expect(res.body).toMatchObject({
      reference: 'INC-0001',
      title: 'Alpha printers ordering toner',
      severity: 'high',
      status: 'declared',
      commanderId: commander.id,
      commanderEmail: commander.email,
      members: { suspected: 5, confirmed: 0, excluded: 0 },
      value: { confirmed: [], suspected: [{ currency: 'USD', orders: 5, totalMinor: 5 * sampleTotal }] },
      devices: 2,
      devicesByModel: [{ model: 'Alpha', firmware: '9.9.1', devices: 2, orders: 5 }],
      allowedTransitions: ['triage'],
    });
    // The attack started with its first order; a person found it when declaring.
    expect(res.body.startedAt).toBe('2026-11-20T10:00:00.000Z');
    expect(res.body.detectedAt).toBe(res.body.declaredAt);
    expect(res.body.metrics.timeToDetectSeconds).toBe(
      Math.round((Date.parse(res.body.detectedAt) - Date.parse(res.body.startedAt)) / 1000),
    );
    expect(res.body.metrics).toMatchObject({ timeToMitigateSeconds: null, timeToResolveSeconds: null });
    const devices = await commander.as(api.http.get(`/api/devices?incidentId=${res.body.id}`)).expect(200);
    expect(devices.body.total).toBe(2);
    expect(devices.body.data.every((d: { model: string }) => d.model === 'Alpha')).toBe(true);

    const audit = await api.db.query(`SELECT action, actor_id, reason, summary FROM audit_log WHERE target_id = $1`, [res.body.id]);
    expect(audit.rows).toEqual([
      { action: 'incidents.create', actor_id: commander.id, reason: 'spotted by support', summary: expect.objectContaining({ orders: 5 }) },
    ]);
    const timeline = await commander.as(api.http.get(`/api/incidents/${res.body.id}/timeline`)).expect(200);
    expect(timeline.body).toMatchObject({ total: 1, data: [{ kind: 'declared', actorEmail: commander.email }] });
  });

  it('refuses orders already in another open incident with 409 listing them, writing nothing', async () => {
    const before = await tableCounts(api, incidentTables);
    // Alpha is in INC-0001; "9.9.1" matches Alpha and every other model.
    const res = await declare({
      title: 'All 9.9.1',
      severity: 'low',
      orderFilter: { firmware: '9.9.1', currency: 'USD' },
      expectedCount: 13,
    }).expect(409);
    expect(res.body.message).toMatch(/^5 of these orders are already in another open incident/);
    expect(res.body.message.match(/\(INC-0001\)/g)).toHaveLength(5);
    expect(await tableCounts(api, incidentTables)).toEqual(before);
  });

  it('lets commanders and admins declare, not finance or agents (403 naming the action); everyone reads', async () => {
    const body = { title: 'x', severity: 'low', orderFilter: { model: 'Echo' }, expectedCount: 2 };
    expect((await declare(body, finance).expect(403)).body.message).toContain('"incidents.create"');
    await declare(body, agent).expect(403);
    await finance.as(api.http.get('/api/incidents')).expect(200);
    await agent
      .as(api.http.post(`/api/incidents/${randomUUID()}/transition`))
      .send({ to: 'triage' })
      .expect(403);
  });

  it('rejects bad declarations with 400 naming each field, writing nothing', async () => {
    const before = await tableCounts(api, incidentTables);
    const missing = await declare({ orderFilter: { model: 'Echo' } }).expect(400);
    expect(missing.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['expectedCount', 'severity', 'title']);
    const unknown = await declare({ title: 'x', severity: 'low', orderFilter: { model: 'Echo', colour: 'red' }, expectedCount: 2 }).expect(
      400,
    );
    expect(unknown.body.fields).toEqual([{ field: 'orderFilter.colour', message: expect.stringMatching(/not a known field/) }]);
    const neither = await declare({ title: 'x', severity: 'low' }).expect(400);
    expect(neither.body.fields[0].field).toBe('orderFilter');
    const nothing = await declare({ title: 'x', severity: 'low', orderFilter: { model: 'Zulu' }, expectedCount: 0 }).expect(400);
    expect(nothing.body.fields).toEqual([{ field: 'orderFilter', message: 'matches no orders' }]);
    const badFilter = await declare({ title: 'x', severity: 'low', orderFilter: { totalMin: 5 }, expectedCount: 1 }).expect(400);
    expect(badFilter.body.fields[0].field).toBe('orderFilter.currency');
    const notCommander = await declare({
      title: 'x',
      severity: 'low',
      orderFilter: { model: 'Echo' },
      expectedCount: 2,
      commanderId: agent.id,
    }).expect(400);
    expect(notCommander.body.fields).toEqual([{ field: 'commanderId', message: expect.stringMatching(/incident commander or admin/) }]);
    expect(await tableCounts(api, incidentTables)).toEqual(before);
  });

  it('walks the lifecycle forward, refuses other moves with 409 naming the states, and keeps timestamps in order', async () => {
    const { body: incident } = await declare({
      title: 'Bravo fridges',
      severity: 'medium',
      orderFilter: { model: 'Bravo' },
      expectedCount: 3,
    }).expect(201);
    const skip = await transition(incident.id, 'remediating').expect(409);
    expect(skip.body.message).toBe(`Cannot move ${incident.reference} from declared to remediating: from declared it can move to triage`);
    const same = await transition(incident.id, 'declared').expect(409);
    expect(same.body.message).toMatch(/already declared/);
    await transition(incident.id, 'triage').expect(200);
    await transition(incident.id, 'remediating', 'cancelling shipments').expect(200);
    const monitoring = (await transition(incident.id, 'monitoring').expect(200)).body;
    expect(monitoring.mitigatedAt).not.toBeNull();
    // Flare-up: back to remediating; the mitigation did not hold, so it is stamped again later.
    const flare = (await transition(incident.id, 'remediating', 'new orders seen').expect(200)).body;
    expect(flare.mitigatedAt).toBeNull();
    await transition(incident.id, 'monitoring').expect(200);
    const resolved = (await transition(incident.id, 'resolved').expect(200)).body;
    expect(resolved.allowedTransitions).toEqual(['closed']);

    const stamps = ['startedAt', 'detectedAt', 'declaredAt', 'triageAt', 'mitigatedAt', 'resolvedAt'].map((k) => Date.parse(resolved[k]));
    expect(stamps.every((t) => Number.isFinite(t))).toBe(true);
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    const m = resolved.metrics;
    expect(m.timeToDetectSeconds).toBeGreaterThan(0);
    expect(m.timeToMitigateSeconds).toBeGreaterThanOrEqual(0);
    expect(m.timeToResolveSeconds).toBeGreaterThanOrEqual(m.timeToMitigateSeconds);

    // The database refuses out-of-order stamps whatever the code does.
    await expect(
      api.db.query(`UPDATE incident SET triage_at = started_at - interval '1 day' WHERE id = $1`, [incident.id]),
    ).rejects.toThrow(/incident_timestamps_in_order/);

    const timeline = (await commander.as(api.http.get(`/api/incidents/${incident.id}/timeline?kind=status_changed&_perPage=2`)).expect(200))
      .body;
    expect(timeline.total).toBe(6);
    expect(timeline.data.map((e: { data: { to: string } }) => e.data.to)).toEqual(['resolved', 'monitoring']);
    const audit = await api.db.query(`SELECT count(*)::int AS n FROM audit_log WHERE target_id = $1 AND action = 'incidents.transition'`, [
      incident.id,
    ]);
    expect(audit.rows[0].n).toBe(6);
  });

  it('allows the false-alarm shortcut triage → resolved', async () => {
    const { body: incident } = await declare({
      title: 'Delta: false alarm?',
      severity: 'low',
      orderFilter: { model: 'Delta' },
      expectedCount: 2,
    }).expect(201);
    await transition(incident.id, 'triage').expect(200);
    expect((await transition(incident.id, 'resolved', 'legit bulk order').expect(200)).body).toMatchObject({
      status: 'resolved',
      mitigatedAt: null,
      metrics: { timeToMitigateSeconds: null },
    });
  });

  it('closes only with a post-incident summary, then frees the orders for a new incident and refuses further changes', async () => {
    const [{ id }] = (await commander.as(api.http.get('/api/incidents?q=INC-0001')).expect(200)).body.data;
    for (const to of ['triage', 'remediating', 'monitoring', 'resolved']) await transition(id, to).expect(200);
    const refused = await transition(id, 'closed').expect(409);
    expect(refused.body.message).toMatch(/needs a post-incident summary/);

    const edited = await commander
      .as(api.http.patch(`/api/incidents/${id}`))
      .send({ summary: 'Firmware 9.9.1 let anyone place orders. Patched and blocked.', severity: 'critical', reason: 'wrap-up' })
      .expect(200);
    expect(edited.body).toMatchObject({ severity: 'critical', summary: expect.stringMatching(/^Firmware/) });
    const closed = (await transition(id, 'closed').expect(200)).body;
    expect(closed.status).toBe('closed');
    expect(closed.allowedTransitions).toEqual([]);
    const open = await api.db.query(`SELECT count(*)::int AS n FROM incident_order WHERE incident_id = $1 AND open`, [id]);
    expect(open.rows[0].n).toBe(0);

    expect((await transition(id, 'resolved').expect(409)).body.message).toMatch(/closed is final/);
    await commander
      .as(api.http.patch(`/api/incidents/${id}`))
      .send({ title: 'renamed' })
      .expect(409);
    // Its orders may join a new incident now.
    await declare({ title: 'Alpha again', severity: 'high', orderFilter: { model: 'Alpha' }, expectedCount: 5 }).expect(201);
  });

  it('edits title, severity and commander, checking the commander and auditing each change', async () => {
    const { body: incident } = await declare({
      title: 'Charlie cars',
      severity: 'low',
      orderFilter: { model: 'Charlie' },
      expectedCount: 4,
    }).expect(201);
    const bad = await commander
      .as(api.http.patch(`/api/incidents/${incident.id}`))
      .send({ commanderId: finance.id })
      .expect(400);
    expect(bad.body.fields[0].field).toBe('commanderId');
    await commander
      .as(api.http.patch(`/api/incidents/${incident.id}`))
      .send({})
      .expect(400);
    const admin = await userWithRoles(api, ['admin']);
    const res = await commander
      .as(api.http.patch(`/api/incidents/${incident.id}`))
      .send({ title: 'Charlie cars ordering tyres', commanderId: admin.id, reason: 'handover' })
      .expect(200);
    expect(res.body).toMatchObject({ title: 'Charlie cars ordering tyres', commanderEmail: admin.email });
    const audit = await api.db.query(`SELECT reason, summary FROM audit_log WHERE target_id = $1 AND action = 'incidents.edit'`, [
      incident.id,
    ]);
    expect(audit.rows).toEqual([
      {
        reason: 'handover',
        summary: expect.objectContaining({ changes: { title: expect.any(Object), commanderId: { from: commander.id, to: admin.id } } }),
      },
    ]);
  });

  it('posts updates on the timeline (agents too), newest first, and limits their length', async () => {
    const [{ id }] = (await agent.as(api.http.get('/api/incidents?q=Charlie')).expect(200)).body.data;
    const posted = await agent
      .as(api.http.post(`/api/incidents/${id}/updates`))
      .send({ message: 'Carrier confirmed intercepts' })
      .expect(201);
    expect(posted.body).toMatchObject({ kind: 'update', actorEmail: agent.email, message: 'Carrier confirmed intercepts' });
    const tooLong = await agent
      .as(api.http.post(`/api/incidents/${id}/updates`))
      .send({ message: 'x'.repeat(5001) })
      .expect(400);
    expect(tooLong.body.fields[0].field).toBe('message');
    const page = (await agent.as(api.http.get(`/api/incidents/${id}/timeline?_perPage=1`)).expect(200)).body;
    expect(page.data[0].message).toBe('Carrier confirmed intercepts');
    expect(page.total).toBe(3);
    const audit = await api.db.query(`SELECT actor_id FROM audit_log WHERE target_id = $1 AND action = 'incidents.post-update'`, [id]);
    expect(audit.rows).toEqual([{ actor_id: agent.id }]);
  });

  it('lists incidents with status, severity and INC-number filters and severity sort', async () => {
    const list = async (query: string) => (await finance.as(api.http.get(`/api/incidents?${query}`)).expect(200)).body;
    const all = await list('_perPage=100');
    expect(all.total).toBe(5);
    expect(all.data[0]).toMatchObject({ reference: expect.stringMatching(/^INC-\d{4}$/), members: expect.any(Object) });
    // Each row carries the same value figures as the incident's own page.
    for (const row of all.data) {
      const one = (await finance.as(api.http.get(`/api/incidents/${row.id}`)).expect(200)).body;
      expect(row.value).toEqual(one.value);
    }
    expect((await list('status=resolved&status=closed')).data.map((i: { reference: string }) => i.reference).sort()).toEqual([
      'INC-0001',
      'INC-0002',
      'INC-0003',
    ]);
    expect((await list('q=inc-2')).data.map((i: { title: string }) => i.title)).toEqual(['Bravo fridges']);
    expect((await list('_sort=severity&_order=ASC')).data[0].severity).toBe('critical');
    expect((await list('severity=low')).total).toBe(2);
    expect((await finance.as(api.http.get('/api/incidents?status=lost')).expect(400)).body.fields[0].field).toMatch(/^status/);
  });

  it('writes the post-incident summary as Markdown from the data', async () => {
    const [{ id }] = (await finance.as(api.http.get('/api/incidents?q=INC-0001')).expect(200)).body.data;
    const res = await finance.as(api.http.get(`/api/incidents/${id}/summary.md`)).expect(200);
    expect(res.headers['content-type']).toMatch(/^text\/markdown/);
    expect(res.headers['content-disposition']).toBe('attachment; filename="INC-0001-summary.md"');
    const md = res.text;
    expect(md).toContain('# INC-0001: Alpha printers ordering toner');
    expect(md).toContain('Severity: **critical** · Status: **closed**');
    expect(md).toContain('| Started (first fraudulent order) | 2026-11-20 10:00:00 UTC |');
    expect(md).toMatch(/- Time to detect: \d+ d/);
    expect(md).toMatch(/- Time to resolve: (\d+ (s|min))/);
    expect(md).toContain('| Suspected | USD | 5 | USD 419.80 |');
    expect(md).toContain('Devices involved: 2');
    expect(md).toContain('| Alpha | 9.9.1 | 2 | 5 |');
    expect(md).toContain('Loss ledger not yet available');
    expect(md).toContain('resolved → closed');
    expect(md).toContain('Firmware 9.9.1 let anyone place orders. Patched and blocked.');
  });

  it('answers 404 for unknown and malformed ids', async () => {
    for (const path of ['not-a-uuid', randomUUID(), `${randomUUID()}/timeline`, `${randomUUID()}/orders`, `${randomUUID()}/summary.md`]) {
      await finance.as(api.http.get(`/api/incidents/${path}`)).expect(404);
    }
    await transition('nope', 'triage').expect(404);
    await commander
      .as(api.http.patch(`/api/incidents/${randomUUID()}`))
      .send({ title: 'x' })
      .expect(404);
  });
});
