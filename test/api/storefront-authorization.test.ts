import type { NestExpressApplication } from '@nestjs/platform-express';
import { pino } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppConfig } from '../../backend/src/config/app-config.js';
import { createApp } from '../../backend/src/http/create-app.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

const storefrontKey = 'demo-only-storefront-api-key';

describe('storefront device authorization', () => {
  let api: TestApp;
  /** A second API process on the same database and queue prefix, as in a scaled-out deployment. */
  let other: NestExpressApplication;
  let otherHttp: ReturnType<typeof supertest>;
  let commander: TestUser;

  beforeAll(async () => {
    api = await startTestApp();
    other = await createApp(AppConfig.fromEnv(api.env), pino({ level: 'silent' }));
    otherHttp = supertest(other.getHttpServer());
    commander = await userWithRoles(api, ['incident_commander']);
    await api.db.query(`
      INSERT INTO device (id, model, firmware_version) VALUES
        ('DEV-OK', 'InkJet 3000', '4.2.0'), ('DEV-BAD', 'InkJet 3000', '4.2.0'),
        ('FW-1', 'LaserJet 9', '1.0.1'), ('FW-2', 'LaserJet 9', '1.0.2'),
        ('MODEL-1', 'Fridge X', '7.0'), ('EXPIRING', 'InkJet 3000', '4.2.0'),
        ('SHARED', 'InkJet 3000', '4.2.0'), ('RELEASE-ME', 'InkJet 3000', '4.2.0')`);
  });
  afterAll(async () => {
    await other?.close();
    await api?.close();
  });

  const check = (http: ReturnType<typeof supertest>, deviceId: string, query = '') =>
    http
      .get(`/api/storefront/devices/${encodeURIComponent(deviceId)}/authorization${query}`)
      .set('Authorization', `Bearer ${storefrontKey}`)
      .expect(200)
      .then((res) => res.body);

  const quarantine = (body: Record<string, unknown>) =>
    commander
      .as(api.http.post('/api/quarantines'))
      .send({ reason: 'hijacked fleet', ...body })
      .expect(201)
      .then((res) => res.body);

  it('needs the storefront key: a user session is refused', async () => {
    await api.http.get('/api/storefront/devices/DEV-OK/authorization').expect(401);
    await commander.as(api.http.get('/api/storefront/devices/DEV-OK/authorization')).expect(401);
    await api.http.get('/api/storefront/devices/DEV-OK/authorization').set('Authorization', 'Bearer wrong').expect(401);
  });

  it('allows a known device without quarantine, and an unknown one with its reason', async () => {
    expect(await check(api.http, 'DEV-OK')).toEqual({ deviceId: 'DEV-OK', decision: 'allow', reason: 'no active quarantine' });
    expect(await check(api.http, 'NEVER-SEEN')).toEqual({ deviceId: 'NEVER-SEEN', decision: 'allow', reason: 'unknown device' });
  });

  it('rejects bad query input naming the field', async () => {
    const res = await api.http
      .get('/api/storefront/devices/DEV-OK/authorization?firmware=1.0&colour=red')
      .set('Authorization', `Bearer ${storefrontKey}`)
      .expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['colour', 'firmware']);
  });

  it('denies a quarantined device, and the other process denies at once (its cache was warm)', async () => {
    expect((await check(api.http, 'DEV-BAD')).decision).toBe('allow');
    expect((await check(otherHttp, 'DEV-BAD')).decision).toBe('allow');
    const q = await quarantine({ scope: 'device', deviceId: 'DEV-BAD' });
    expect(await check(api.http, 'DEV-BAD')).toEqual({
      deviceId: 'DEV-BAD',
      decision: 'deny',
      reason: 'device quarantined: hijacked fleet',
      quarantineId: q.id,
      scope: 'device',
    });
    // The message crosses Redis in milliseconds; the TTL (30 s) and version poll (5 s) are far longer.
    await expect.poll(async () => (await check(otherHttp, 'DEV-BAD')).decision, { timeout: 1000, interval: 10 }).toBe('deny');
    expect((await check(otherHttp, 'DEV-OK')).decision).toBe('allow');
  });

  it('denies every device of a quarantined firmware, and an unknown device reporting it', async () => {
    expect((await check(api.http, 'FW-1')).decision).toBe('allow');
    expect((await check(api.http, 'NEW-FW', '?model=LaserJet%209&firmware=1.0.1')).decision).toBe('allow');
    const q = await quarantine({ scope: 'firmware', model: 'LaserJet 9', firmwareVersion: '1.0.1' });
    expect(await check(api.http, 'FW-1')).toMatchObject({
      decision: 'deny',
      reason: 'firmware LaserJet 9 1.0.1 quarantined: hijacked fleet',
      quarantineId: q.id,
      scope: 'firmware',
    });
    expect((await check(api.http, 'FW-2')).decision).toBe('allow');
    expect(await check(api.http, 'NEW-FW', '?model=LaserJet%209&firmware=1.0.1')).toMatchObject({ decision: 'deny', scope: 'firmware' });
    expect(await check(api.http, 'NEW-FW', '?model=LaserJet%209&firmware=1.0.2')).toMatchObject({
      decision: 'allow',
      reason: 'unknown device',
    });
    // A known device that reports the quarantined firmware before its next order is stopped too.
    expect(await check(api.http, 'FW-2', '?model=LaserJet%209&firmware=1.0.1')).toMatchObject({ decision: 'deny', scope: 'firmware' });
  });

  it('denies every device of a quarantined model', async () => {
    expect((await check(api.http, 'MODEL-1')).decision).toBe('allow');
    await quarantine({ scope: 'model', model: 'Fridge X' });
    expect(await check(api.http, 'MODEL-1')).toMatchObject({
      decision: 'deny',
      scope: 'model',
      reason: 'model Fridge X quarantined: hijacked fleet',
    });
    expect(await check(api.http, 'UNSEEN-FRIDGE', '?model=Fridge%20X')).toMatchObject({ decision: 'deny', scope: 'model' });
  });

  it('lets an expired quarantine go without any change event, in both processes', async () => {
    const expiresAt = new Date(Date.now() + 1500).toISOString();
    const q = await quarantine({ scope: 'device', deviceId: 'EXPIRING', expiresAt });
    expect(await check(api.http, 'EXPIRING')).toMatchObject({ decision: 'deny', quarantineId: q.id, expiresAt });
    await expect.poll(async () => (await check(otherHttp, 'EXPIRING')).decision, { timeout: 1000, interval: 10 }).toBe('deny');
    await new Promise((resolve) => setTimeout(resolve, Date.parse(expiresAt) - Date.now() + 50));
    expect(await check(api.http, 'EXPIRING')).toEqual({ deviceId: 'EXPIRING', decision: 'allow', reason: 'no active quarantine' });
    expect((await check(otherHttp, 'EXPIRING')).decision).toBe('allow');
    const device = await commander.as(api.http.get('/api/devices/EXPIRING')).expect(200);
    expect(device.body.state).toBe('active');
  });

  it('allows again after a release, in both processes, unless another quarantine still applies', async () => {
    const q = await quarantine({ scope: 'device', deviceId: 'RELEASE-ME' });
    expect((await check(api.http, 'RELEASE-ME')).decision).toBe('deny');
    await expect.poll(async () => (await check(otherHttp, 'RELEASE-ME')).decision, { timeout: 1000, interval: 10 }).toBe('deny');
    await commander
      .as(api.http.post(`/api/quarantines/${q.id}/release`))
      .send({ reason: 'firmware reflashed' })
      .expect(200);
    expect((await check(api.http, 'RELEASE-ME')).decision).toBe('allow');
    await expect.poll(async () => (await check(otherHttp, 'RELEASE-ME')).decision, { timeout: 1000, interval: 10 }).toBe('allow');

    // Two quarantines on one device: releasing one leaves the other in force.
    const first = await quarantine({ scope: 'device', deviceId: 'SHARED', reason: 'first incident' });
    const second = await quarantine({ scope: 'model', model: 'InkJet 3000', reason: 'second incident' });
    await commander
      .as(api.http.post(`/api/quarantines/${first.id}/release`))
      .send({ reason: 'cleared' })
      .expect(200);
    expect(await check(otherHttp, 'SHARED')).toMatchObject({ decision: 'deny', quarantineId: second.id });
    expect((await api.db.query(`SELECT state FROM device WHERE id = 'SHARED'`)).rows).toEqual([{ state: 'quarantined' }]);
    await commander
      .as(api.http.post(`/api/quarantines/${second.id}/release`))
      .send({ reason: 'cleared' })
      .expect(200);
    expect((await check(otherHttp, 'SHARED')).decision).toBe('allow');
    expect((await api.db.query(`SELECT state FROM device WHERE id = 'SHARED'`)).rows).toEqual([{ state: 'active' }]);
  });
});
