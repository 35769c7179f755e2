import { DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectionService } from '../../backend/src/detection/detection.service.js';
import { deviceVelocityRule } from '../../backend/src/detection/rules/device-velocity.rule.js';
import { fleetBurstRule } from '../../backend/src/detection/rules/fleet-burst.rule.js';
import { sharedNewAddressRule } from '../../backend/src/detection/rules/shared-new-address.rule.js';
import { valueOutlierRule } from '../../backend/src/detection/rules/value-outlier.rule.js';
import { generateOrders } from '../../backend/src/fleet-generator/generate-orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { sampleOrder, ingestOrders } from '../support/orders.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

const hour = 3_600_000;
const now = new Date('2026-11-20T12:00:00Z');
const at = (hoursAgo: number) => new Date(now.getTime() - hoursAgo * hour).toISOString();

/** A device's order; every call is its own order. */
let sequence = 0;
const order = (device: string, hoursAgo: number, overrides: Record<string, unknown> = {}) =>
  sampleOrder({
    externalId: `C-${++sequence}`,
    placedAt: at(hoursAgo),
    device: { id: device, model: 'InkJet 3000', firmwareVersion: '4.2.0' },
    customer: { externalId: `CUST-${device}`, email: null, name: null },
    shipTo: { name: 'X', line1: `${device} Home St`, city: 'Austin', postalCode: '73301', country: 'US' },
    ...overrides,
  });

describe('detection rules on crafted orders', () => {
  let api: TestApp;
  let manager: DataSource['manager'];
  beforeAll(async () => {
    api = await startTestApp();
    manager = api.app.get(DataSource).manager;
  });
  afterAll(() => api?.close());
  const load = (orders: unknown[]) => ingestOrders(api, orders);

  it('device velocity: hits a device far above its own rhythm, not one keeping it', async () => {
    // Both devices ordered monthly for months; one then orders 8 times in a day.
    const history = (device: string) => Array.from({ length: 5 }, (_, i) => order(device, 24 * (10 + 30 * i)));
    await load([
      ...history('VEL-SPIKE'),
      ...history('VEL-CALM'),
      ...Array.from({ length: 8 }, (_, i) => order('VEL-SPIKE', 2 + i)),
      order('VEL-CALM', 3),
    ]);
    const hits = await deviceVelocityRule.detect(manager, { windowHours: 48, baselineDays: 60, minOrders: 5, factor: 4 }, now);
    expect(hits.map((h) => h.key)).toEqual(['device:VEL-SPIKE']);
    expect(hits[0]!.orderIds).toHaveLength(8);
    expect(hits[0]!.evidence).toMatchObject({ deviceId: 'VEL-SPIKE', recentOrders: 8 });
  });

  it('fleet burst: hits many devices of one firmware ordering a new SKU, not the usual consumable', async () => {
    const kit = { lines: [{ sku: 'FUSER-KIT-3000', quantity: 1, unitPriceMinor: 34900, unitCostMinor: 21000 }] };
    const burst = Array.from({ length: 7 }, (_, i) =>
      order(`FLEET-${i}`, 5 + i, { ...kit, device: { id: `FLEET-${i}`, model: 'InkJet 3000', firmwareVersion: '9.9.9' } }),
    );
    // Toner every day from 7 devices for two months: 7 more in 72 h is normal for them.
    const toner = Array.from({ length: 60 }, (_, d) =>
      order(`TONER-${d % 7}`, 24 * d + 1, { device: { id: `TONER-${d % 7}`, model: 'InkJet 3000', firmwareVersion: '8.8.8' } }),
    );
    await load([...burst, ...toner]);
    const hits = await fleetBurstRule.detect(manager, { windowHours: 72, baselineDays: 60, minDevices: 5, factor: 5 }, now);
    expect(hits.map((h) => h.key)).toEqual(['fleet:InkJet 3000:9.9.9:FUSER-KIT-3000']);
    expect(hits[0]!.evidence).toMatchObject({ devices: 7, usualOrdersPerWindow: 0 });
  });

  it('shared new address: hits a never-seen address used by several customers, not a long-used one', async () => {
    const drop = { name: 'Someone', line1: '1 Drop Lane', city: 'Berlin', postalCode: '10115', country: 'DE' };
    const office = { name: 'Office', line1: '5 Office Park', city: 'Austin', postalCode: '73301', country: 'US' };
    await load([
      ...[1, 2, 3].map((i) => order(`DROP-${i}`, 10 + i, { shipTo: drop, customer: { externalId: `DROP-C${i}` } })),
      order('OFFICE-0', 24 * 20, { shipTo: office, customer: { externalId: 'OFFICE-C0' } }),
      ...[1, 2, 3].map((i) => order(`OFFICE-${i}`, 10 + i, { shipTo: office, customer: { externalId: `OFFICE-C${i}` } })),
    ]);
    const hits = await sharedNewAddressRule.detect(manager, { windowHours: 72, minCustomers: 3 }, now);
    expect(hits.map((h) => (h.evidence as { address: { line1: string } }).address.line1)).toEqual(['1 Drop Lane']);
  });

  it('value outlier: hits an order far above its model’s usual high in its currency only', async () => {
    const usual = Array.from({ length: 30 }, (_, i) =>
      order(`VAL-${i}`, 24 * (5 + i), {
        currency: 'EUR',
        lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 2000 + i * 10, unitCostMinor: 500 }],
        shippingChargedMinor: 0,
        device: { id: `VAL-${i}`, model: 'FreshCube', firmwareVersion: '1' },
      }),
    );
    const big = order('VAL-BIG', 2, {
      currency: 'EUR',
      lines: [{ sku: 'WAGYU', quantity: 1, unitPriceMinor: 44900, unitCostMinor: 31000 }],
      shippingChargedMinor: 0,
      device: { id: 'VAL-BIG', model: 'FreshCube', firmwareVersion: '1' },
    });
    const normal = order('VAL-OK', 2, {
      currency: 'EUR',
      lines: [{ sku: 'A', quantity: 1, unitPriceMinor: 2100, unitCostMinor: 500 }],
      shippingChargedMinor: 0,
      device: { id: 'VAL-OK', model: 'FreshCube', firmwareVersion: '1' },
    });
    await load([...usual, big, normal]);
    const hits = await valueOutlierRule.detect(manager, { windowHours: 72, baselineDays: 60, factor: 2.5, minBaselineOrders: 20 }, now);
    const freshCube = hits.filter((h) => (h.evidence as { model: string }).model === 'FreshCube');
    expect(freshCube).toHaveLength(1);
    expect(freshCube[0]!.evidence).toMatchObject({ currency: 'EUR', totalMinor: 44900 });
  });
});

describe('proposals from generated attacks', () => {
  let api: TestApp;
  let commander: TestUser;
  let agent: TestUser;
  const generatedNow = new Date();
  const fleet = [...generateOrders({ seed: 99, orders: 4000, now: generatedNow })];
  beforeAll(async () => {
    api = await startTestApp();
    commander = await userWithRoles(api, ['incident_commander']);
    agent = await userWithRoles(api, ['support_agent']);
    await ingestOrders(
      api,
      fleet.map((g) => g.order),
    );
  });
  afterAll(() => api?.close());

  it('proposes the firmware attack and the velocity spikes with their evidence, and little else', async () => {
    const run = await commander.as(api.http.post('/api/proposals/run')).expect(200);
    expect(run.body.proposalsCreated).toBeGreaterThan(0);
    const { body } = await agent.as(api.http.get('/api/proposals?status=open&_perPage=100')).expect(200);
    const ids = new Map<string, string>((await api.db.query(`SELECT id, external_id FROM orders`)).rows.map((r) => [r.id, r.external_id]));
    const scenarioOf = new Map(fleet.map((g) => [g.order.externalId, g.scenario]));
    const proposed = new Set<string>();
    for (const summary of body.data) {
      const proposal = (await agent.as(api.http.get(`/api/proposals/${summary.id}`)).expect(200)).body;
      expect(proposal.evidence.length).toBeGreaterThan(0);
      expect(proposal.valueByCurrency.length).toBeGreaterThan(0);
      for (const id of proposal.orderIds) proposed.add(scenarioOf.get(ids.get(id)!)!);
      const [{ devices }] = (
        await api.db.query(`SELECT count(DISTINCT device_id)::int AS devices FROM orders WHERE id = ANY($1::uuid[])`, [proposal.orderIds])
      ).rows;
      expect(summary.deviceCount).toBe(devices);
      for (const id of proposal.orderIds) if (scenarioOf.get(ids.get(id)!) !== 'legit') proposed.add(`hit:${ids.get(id)}`);
    }
    const firmware = fleet.filter((g) => g.scenario === 'firmware-compromise');
    const velocity = fleet.filter((g) => g.scenario === 'velocity-spike');
    const recall = (list: typeof fleet) => list.filter((g) => proposed.has(`hit:${g.order.externalId}`)).length / list.length;
    expect(recall(firmware)).toBeGreaterThanOrEqual(0.9);
    expect(recall(velocity)).toBeGreaterThanOrEqual(0.9);
    const fleetProposal = body.data.find((p: { title: string }) => p.title.startsWith('Fleet burst'));
    expect(fleetProposal).toMatchObject({ severity: expect.stringMatching(/critical|high/) });
    expect(fleetProposal.title).toMatch(/InkJet 3000 devices on firmware 4\.2\.1 ordering FUSER-KIT-3000/);
  });

  it('declares an incident from a proposal: its orders join as suspected and detection leaves them out', async () => {
    const { body } = await agent.as(api.http.get('/api/proposals?status=open&_perPage=100')).expect(200);
    const fleetProposal = body.data.find((p: { title: string }) => p.title.startsWith('Fleet burst'));
    const declared = await commander
      .as(api.http.post('/api/incidents'))
      .send({ proposalId: fleetProposal.id, reason: 'compromised firmware' })
      .expect(201);
    expect(declared.body).toMatchObject({
      title: fleetProposal.title,
      status: 'declared',
      members: { suspected: fleetProposal.orderCount },
    });
    expect(Date.parse(declared.body.startedAt)).toBe(Date.parse(fleetProposal.firstOrderAt));
    expect((await agent.as(api.http.get(`/api/proposals/${fleetProposal.id}`)).expect(200)).body).toMatchObject({
      status: 'declared',
      incidentId: declared.body.id,
    });
    await commander.as(api.http.post('/api/incidents')).send({ proposalId: fleetProposal.id }).expect(409);
    await commander.as(api.http.post('/api/proposals/run')).expect(200);
    const reopened = (await agent.as(api.http.get('/api/proposals?status=open&_perPage=100')).expect(200)).body.data;
    expect(reopened.filter((p: { title: string }) => p.title.startsWith('Fleet burst'))).toEqual([]);
  });

  it('refreshes the same proposals on a second pass instead of duplicating them', async () => {
    const before = (await agent.as(api.http.get('/api/proposals?status=open')).expect(200)).body.total;
    const again = await commander.as(api.http.post('/api/proposals/run')).expect(200);
    expect(again.body.proposalsCreated).toBe(0);
    expect((await agent.as(api.http.get('/api/proposals?status=open')).expect(200)).body.total).toBe(before);
  });

  it('dismisses with a reason only, and a dismissed pattern is not proposed again', async () => {
    const { body } = await agent.as(api.http.get('/api/proposals?status=open&_sort=score&_order=ASC')).expect(200);
    const target = body.data[0];
    const before = await tableCounts(api, ['detection_proposal', 'audit_log']);
    const missing = await agent
      .as(api.http.post(`/api/proposals/${target.id}/dismiss`))
      .send({})
      .expect(400);
    expect(missing.body.fields[0].field).toBe('reason');
    expect(await tableCounts(api, ['detection_proposal', 'audit_log'])).toEqual(before);
    await agent
      .as(api.http.post(`/api/proposals/${target.id}/dismiss`))
      .send({ reason: 'known bulk buyer' })
      .expect(200);
    await agent
      .as(api.http.post(`/api/proposals/${target.id}/dismiss`))
      .send({ reason: 'again' })
      .expect(409);
    await commander.as(api.http.post('/api/proposals/run')).expect(200);
    const open = (await agent.as(api.http.get('/api/proposals?status=open&_perPage=100')).expect(200)).body.data;
    expect(open.map((p: { title: string }) => p.title)).not.toContain(target.title);
  });

  it('lets admins tune thresholds within range, naming the bad field', async () => {
    const admin = await userWithRoles(api, ['admin']);
    const bad = await admin
      .as(api.http.patch('/api/detection-rules/fleet-burst'))
      .send({ thresholds: { factor: 0.5 } })
      .expect(400);
    expect(bad.body.fields).toEqual([{ field: 'thresholds.factor', message: 'must be at least 1.5' }]);
    const ok = await admin
      .as(api.http.patch('/api/detection-rules/fleet-burst'))
      .send({ thresholds: { minDevices: 8 }, reason: 'fewer false alarms' })
      .expect(200);
    expect(ok.body.thresholds).toMatchObject({ minDevices: 8, factor: 5 });
    await admin.as(api.http.patch('/api/detection-rules/nope')).send({ enabled: false }).expect(404);
    await agent.as(api.http.patch('/api/detection-rules/fleet-burst')).send({ enabled: false }).expect(403);
    await agent.as(api.http.get('/api/proposals/not-a-uuid')).expect(404);
  });
});
