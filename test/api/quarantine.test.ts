import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { asPlatform, sampleOrder, ingestOrders } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

const tables = ['quarantine', 'audit_log', 'device'];

describe('quarantines', () => {
  let api: TestApp;
  let commander: TestUser;
  let admin: TestUser;
  let finance: TestUser;
  let agent: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    [commander, admin, finance, agent] = await Promise.all([
      userWithRoles(api, ['incident_commander']),
      userWithRoles(api, ['admin']),
      userWithRoles(api, ['finance']),
      userWithRoles(api, ['support_agent']),
    ]);
    await api.db.query(`
      INSERT INTO device (id, model, firmware_version) VALUES
        ('PRN-1', 'InkJet 3000', '4.2.1'), ('PRN-2', 'InkJet 3000', '4.2.1'), ('PRN-3', 'InkJet 3000', '4.2.0'),
        ('CAR-1', 'Roadster', '2.0'), ('CAR-2', 'Roadster', '2.1'), ('FRIDGE-1', 'CoolBox', '1.0')`);
  });
  afterAll(() => api?.close());

  const create = (user: TestUser, body: Record<string, unknown>) => user.as(api.http.post('/api/quarantines')).send(body);
  const states = async (ids: string[]) =>
    Object.fromEntries(
      (await api.db.query(`SELECT id, state FROM device WHERE id = ANY($1) ORDER BY id`, [ids])).rows.map((r) => [r.id, r.state]),
    );

  it('quarantines a device: 201 with the record, device state and an audit row in the same change', async () => {
    const incidentId = randomUUID();
    const res = await create(commander, { scope: 'device', deviceId: 'PRN-3', reason: 'ordering 40 fuser kits a day', incidentId }).expect(
      201,
    );
    expect(res.body).toMatchObject({
      id: expect.any(String),
      scope: 'device',
      deviceId: 'PRN-3',
      model: null,
      firmwareVersion: null,
      reason: 'ordering 40 fuser kits a day',
      incidentId,
      createdBy: commander.id,
      createdByEmail: commander.email,
      expiresAt: null,
      releasedAt: null,
      active: true,
      status: 'active',
      devicesNamed: 1,
    });
    expect(await states(['PRN-3'])).toEqual({ 'PRN-3': 'quarantined' });
    const { rows } = await api.db.query(
      `SELECT actor_id, action, target_type, target_id, reason, summary FROM audit_log WHERE action = 'quarantines.create' AND target_id = $1`,
      [res.body.id],
    );
    expect(rows).toEqual([
      {
        actor_id: commander.id,
        action: 'quarantines.create',
        target_type: 'quarantine',
        target_id: res.body.id,
        reason: 'ordering 40 fuser kits a day',
        summary: expect.objectContaining({ scope: 'device', deviceId: 'PRN-3', incidentId, devicesQuarantined: 1 }),
      },
    ]);
  });

  it('quarantines a firmware version and a model, marking exactly their devices', async () => {
    const fw = await create(admin, {
      scope: 'firmware',
      model: 'InkJet 3000',
      firmwareVersion: '4.2.1',
      reason: 'compromised build',
    }).expect(201);
    expect(fw.body).toMatchObject({ scope: 'firmware', model: 'InkJet 3000', firmwareVersion: '4.2.1', deviceId: null, devicesNamed: 2 });
    const model = await create(commander, { scope: 'model', model: 'Roadster', reason: 'whole fleet hijacked' }).expect(201);
    expect(model.body).toMatchObject({ scope: 'model', model: 'Roadster', firmwareVersion: null, devicesNamed: 2 });
    expect(await states(['PRN-1', 'PRN-2', 'CAR-1', 'CAR-2', 'FRIDGE-1'])).toEqual({
      'CAR-1': 'quarantined',
      'CAR-2': 'quarantined',
      'FRIDGE-1': 'active',
      'PRN-1': 'quarantined',
      'PRN-2': 'quarantined',
    });
    // A model nobody has reported yet may be quarantined ahead of time.
    await create(commander, { scope: 'model', model: 'Not Yet Seen', reason: 'vendor advisory' }).expect(201);
  });

  it('releases: 200, device back to active, audited; a second release is 409', async () => {
    const q = await create(commander, { scope: 'device', deviceId: 'FRIDGE-1', reason: 'suspicious' }).expect(201);
    const released = await commander
      .as(api.http.post(`/api/quarantines/${q.body.id}/release`))
      .send({ reason: 'owner confirmed the orders' })
      .expect(200);
    expect(released.body).toMatchObject({
      id: q.body.id,
      active: false,
      status: 'released',
      releasedAt: expect.any(String),
      releasedBy: commander.id,
      releasedByEmail: commander.email,
      releaseReason: 'owner confirmed the orders',
    });
    expect(await states(['FRIDGE-1'])).toEqual({ 'FRIDGE-1': 'active' });
    const before = await tableCounts(api, tables);
    const again = await commander
      .as(api.http.post(`/api/quarantines/${q.body.id}/release`))
      .send({ reason: 'again' })
      .expect(409);
    expect(again.body.message).toMatch(/already released/);
    expect(await tableCounts(api, tables)).toEqual(before);
    const audit = await api.db.query(`SELECT reason, summary FROM audit_log WHERE action = 'quarantines.release' AND target_id = $1`, [
      q.body.id,
    ]);
    expect(audit.rows).toEqual([{ reason: 'owner confirmed the orders', summary: expect.objectContaining({ devicesReleased: 1 }) }]);
    await commander
      .as(api.http.post(`/api/quarantines/${randomUUID()}/release`))
      .send({ reason: 'nothing' })
      .expect(404);
  });

  it('requires a reason (400 naming reason) and refuses bad input naming each field, writing nothing', async () => {
    const before = await tableCounts(api, tables);
    const noReason = await create(commander, { scope: 'device', deviceId: 'PRN-1' }).expect(400);
    expect(noReason.body.fields).toEqual([{ field: 'reason', message: expect.stringMatching(/required/) }]);
    const q = (await api.db.query(`SELECT id FROM quarantine WHERE released_at IS NULL LIMIT 1`)).rows[0].id;
    const releaseNoReason = await commander
      .as(api.http.post(`/api/quarantines/${q}/release`))
      .send({})
      .expect(400);
    expect(releaseNoReason.body.fields[0].field).toBe('reason');

    const cases: [Record<string, unknown>, string[]][] = [
      [{ scope: 'building' }, ['scope']],
      [{ scope: 'device' }, ['deviceId']],
      [{ scope: 'firmware', model: 'InkJet 3000' }, ['firmwareVersion']],
      [{ scope: 'model', model: 'Roadster', firmwareVersion: '2.0' }, ['firmwareVersion']],
      [{ scope: 'device', deviceId: 'PRN-1', expiresAt: '2020-01-01T00:00:00Z' }, ['expiresAt']],
      [{ scope: 'device', deviceId: 'PRN-1', expiresAt: 'next tuesday' }, ['expiresAt']],
      [{ scope: 'device', deviceId: 'PRN-1', incidentId: 'INC-1' }, ['incidentId']],
      [{ scope: 'device', deviceId: 'NO-SUCH-DEVICE' }, ['deviceId']],
    ];
    for (const [body, fields] of cases) {
      const res = await create(commander, { reason: 'testing input', ...body }).expect(400);
      expect(
        res.body.fields.map((f: { field: string }) => f.field),
        JSON.stringify(body),
      ).toEqual(fields);
    }
    const past = await create(commander, { scope: 'device', deviceId: 'PRN-1', reason: 'x'.repeat(5), expiresAt: '2020-01-01T00:00:00Z' });
    expect(past.body.fields).toEqual([{ field: 'expiresAt', message: 'must be in the future' }]);
    expect(await tableCounts(api, tables)).toEqual(before);
  });

  it('lets every role list, only commanders and admins change (finance and agents get 403)', async () => {
    const before = await tableCounts(api, tables);
    for (const user of [finance, agent]) {
      const res = await create(user, { scope: 'device', deviceId: 'PRN-1', reason: 'not mine to do' }).expect(403);
      expect(res.body.message).toMatch(/quarantines\.create/);
      const q = (await api.db.query(`SELECT id FROM quarantine WHERE released_at IS NULL LIMIT 1`)).rows[0].id;
      await user
        .as(api.http.post(`/api/quarantines/${q}/release`))
        .send({ reason: 'not mine to do' })
        .expect(403);
      await user.as(api.http.get('/api/quarantines')).expect(200);
    }
    await api.http.get('/api/quarantines').expect(401);
    expect(await tableCounts(api, tables)).toEqual(before);
  });

  it('lists with filters (active, scope, deviceId, model, incidentId), sort, paging and a total', async () => {
    const all = await finance.as(api.http.get('/api/quarantines?_perPage=100')).expect(200);
    expect(all.body.total).toBe(all.body.data.length);
    const createdAt = all.body.data.map((q: { createdAt: string }) => q.createdAt);
    expect(createdAt).toEqual([...createdAt].sort().reverse());

    const active = await finance.as(api.http.get('/api/quarantines?active=true&_perPage=100')).expect(200);
    expect(active.body.data.every((q: { active: boolean }) => q.active)).toBe(true);
    const inactive = await finance.as(api.http.get('/api/quarantines?active=false')).expect(200);
    expect(inactive.body.data.map((q: { status: string }) => q.status)).toContain('released');
    expect(active.body.total + inactive.body.total).toBe(all.body.total);

    const firmware = await finance.as(api.http.get('/api/quarantines?scope=firmware')).expect(200);
    expect(firmware.body.data.map((q: { firmwareVersion: string }) => q.firmwareVersion)).toEqual(['4.2.1']);
    // A device's quarantines include those of its firmware and model.
    const forDevice = await finance.as(api.http.get('/api/quarantines?deviceId=PRN-1')).expect(200);
    expect(forDevice.body.data.map((q: { scope: string }) => q.scope)).toEqual(['firmware']);
    const forCar = await finance.as(api.http.get('/api/quarantines?deviceId=CAR-2&model=Roadster')).expect(200);
    expect(forCar.body.data.map((q: { scope: string }) => q.scope)).toEqual(['model']);
    const byIncident = await finance.as(api.http.get(`/api/quarantines?incidentId=${all.body.data.at(-1).incidentId}`)).expect(200);
    expect(byIncident.body.data.map((q: { deviceId: string }) => q.deviceId)).toEqual(['PRN-3']);

    const page = await finance.as(api.http.get('/api/quarantines?_sort=createdAt&_order=ASC&_perPage=1&_page=2')).expect(200);
    expect(page.body.data.map((q: { id: string }) => q.id)).toEqual([all.body.data.at(-2).id]);
    const bad = await finance.as(api.http.get('/api/quarantines?scope=fleet&active=maybe&_sort=reason')).expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['_sort', 'active', 'scope']);

    const one = await finance.as(api.http.get(`/api/quarantines/${all.body.data[0].id}`)).expect(200);
    expect(one.body.id).toBe(all.body.data[0].id);
    await finance.as(api.http.get(`/api/quarantines/${randomUUID()}`)).expect(404);
    await finance.as(api.http.get('/api/quarantines/not-a-uuid')).expect(404);
  });

  it('holds orders ingested from a quarantined device, firmware or model with the reason; others flow', async () => {
    const device = { id: 'SPAM-1', model: 'Kettle', firmwareVersion: '0.9' };
    await asPlatform(api.http.post('/api/orders'))
      .send(sampleOrder({ externalId: 'BEFORE-1', device }))
      .expect(201);
    await create(commander, { scope: 'device', deviceId: 'SPAM-1', reason: 'botnet C2 seen' }).expect(201);
    await create(commander, { scope: 'firmware', model: 'Toaster', firmwareVersion: '6.6.6', reason: 'bad firmware' }).expect(201);

    await asPlatform(api.http.post('/api/orders'))
      .send(sampleOrder({ externalId: 'AFTER-1', device }))
      .expect(201);
    const bulk = [
      sampleOrder({ externalId: 'BULK-DEV', device }),
      sampleOrder({ externalId: 'BULK-FW', device: { id: 'TOAST-NEW', model: 'Toaster', firmwareVersion: '6.6.6' } }),
      sampleOrder({ externalId: 'BULK-MODEL', device: { id: 'CAR-NEW', model: 'Roadster', firmwareVersion: '3.0' } }),
      sampleOrder({ externalId: 'BULK-OK', device: { id: 'TOAST-OK', model: 'Toaster', firmwareVersion: '7.0' } }),
      sampleOrder({ externalId: 'BULK-NO-DEVICE', device: undefined }),
    ];
    await ingestOrders(api, bulk);

    const { rows } = await api.db.query(
      `SELECT external_id, held, hold_reason FROM orders WHERE external_id <> 'IGNORED' ORDER BY external_id`,
    );
    expect(rows).toEqual([
      { external_id: 'AFTER-1', held: true, hold_reason: 'device quarantined: botnet C2 seen' },
      { external_id: 'BEFORE-1', held: false, hold_reason: null },
      { external_id: 'BULK-DEV', held: true, hold_reason: 'device quarantined: botnet C2 seen' },
      { external_id: 'BULK-FW', held: true, hold_reason: 'device quarantined: bad firmware' },
      { external_id: 'BULK-MODEL', held: true, hold_reason: 'device quarantined: whole fleet hijacked' },
      { external_id: 'BULK-NO-DEVICE', held: false, hold_reason: null },
      { external_id: 'BULK-OK', held: false, hold_reason: null },
    ]);
    const held = await agent.as(api.http.get('/api/orders?held=true')).expect(200);
    expect(held.body.total).toBe(4);
  });
});
