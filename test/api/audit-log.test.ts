import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { tableCounts, userWithRoles, type TestUser } from '../support/users.js';

describe('audit log', () => {
  let api: TestApp;
  let admin: TestUser;
  let finance: TestUser;
  beforeAll(async () => {
    api = await startTestApp();
    admin = await userWithRoles(api, ['admin']);
    finance = await userWithRoles(api, ['finance']);
  });
  afterAll(() => api?.close());

  it('is append-only in the database itself: UPDATE, DELETE and TRUNCATE fail', async () => {
    const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM audit_log`);
    expect(rows[0].n).toBeGreaterThan(0);
    await expect(api.db.query(`UPDATE audit_log SET reason = 'rewritten'`)).rejects.toThrow(/append-only: UPDATE refused/);
    await expect(api.db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only: DELETE refused/);
    await expect(api.db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    const after = await api.db.query(
      `SELECT count(*)::int AS n, count(reason) FILTER (WHERE reason = 'rewritten')::int AS changed FROM audit_log`,
    );
    expect(after.rows[0]).toEqual({ n: rows[0].n, changed: 0 });
  });

  it('lists newest first with filters, for roles the matrix allows', async () => {
    await admin
      .as(api.http.post('/api/users'))
      .send({
        email: 'audited@example.test',
        fullName: 'Audited',
        roles: ['finance'],
        password: 'long enough password',
        reason: 'for the audit test',
      })
      .expect(201);
    const all = await finance.as(api.http.get('/api/audit-log')).expect(200);
    const times = all.body.data.map((e: { at: string }) => Date.parse(e.at));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    const created = await finance
      .as(api.http.get(`/api/audit-log?action=users.create&actorEmail=${encodeURIComponent(admin.email.toUpperCase())}`))
      .expect(200);
    expect(created.body.total).toBe(1);
    expect(created.body.data[0]).toMatchObject({
      action: 'users.create',
      actorEmail: admin.email,
      actorRoles: ['admin'],
      targetType: 'user',
      reason: 'for the audit test',
    });
    const byTarget = await finance.as(api.http.get(`/api/audit-log?targetType=user&targetId=${created.body.data[0].targetId}`)).expect(200);
    expect(byTarget.body.total).toBe(1);
    const one = await finance.as(api.http.get(`/api/audit-log/${created.body.data[0].id}`)).expect(200);
    expect(one.body.id).toBe(created.body.data[0].id);
  });

  it('sorts by target type and target id on the server (the list columns the UI offers)', async () => {
    for (const [field, column] of [
      ['targetType', 'target_type'],
      ['targetId', 'target_id'],
    ] as const) {
      for (const order of ['ASC', 'DESC'] as const) {
        const res = await finance.as(api.http.get(`/api/audit-log?_sort=${field}&_order=${order}&_perPage=500`)).expect(200);
        // The database's own order for that column (its collation), ties broken by id like the API.
        const { rows } = await api.db.query<{ id: string }>(
          `SELECT id FROM audit_log ORDER BY ${column} ${order} NULLS LAST, id ${order} LIMIT 500`,
        );
        expect(res.body.data.length).toBeGreaterThan(1);
        expect(res.body.data.map((e: { id: string }) => e.id)).toEqual(rows.map((r) => r.id));
      }
    }
    await finance.as(api.http.get('/api/audit-log?_sort=reason')).expect(400);
  });

  it('treats a plain `to` date as inclusive of that whole day', async () => {
    const today = new Date().toISOString().slice(0, 10);
    const res = await finance.as(api.http.get(`/api/audit-log?from=${today}&to=${today}`)).expect(200);
    expect(res.body.total).toBeGreaterThan(0);
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    const none = await finance.as(api.http.get(`/api/audit-log?to=${yesterday}`)).expect(200);
    expect(none.body.total).toBe(0);
  });

  it('rejects reversed and over-long date ranges naming the field', async () => {
    const reversed = await finance.as(api.http.get('/api/audit-log?from=2026-02-01&to=2026-01-01')).expect(400);
    expect(reversed.body.fields).toEqual([{ field: 'to', message: 'must not be before from' }]);
    const wide = await finance.as(api.http.get('/api/audit-log?from=2020-01-01&to=2026-01-01')).expect(400);
    expect(wide.body.fields[0]).toMatchObject({ field: 'to', message: expect.stringMatching(/within 366 days/) });
    const garbage = await finance.as(api.http.get('/api/audit-log?from=yesterday')).expect(400);
    expect(garbage.body.fields[0].field).toBe('from');
  });

  it('answers 404 for an unknown entry and 403 for a support agent', async () => {
    await finance.as(api.http.get('/api/audit-log/999999999')).expect(404);
    await finance.as(api.http.get('/api/audit-log/abc')).expect(404);
    const agent = await userWithRoles(api, ['support_agent']);
    const res = await agent.as(api.http.get('/api/audit-log')).expect(403);
    expect(res.body.message).toMatch(/"audit-log.list"/);
  });

  it('has no write route: POST is not found and changes nothing', async () => {
    const before = await tableCounts(api);
    await admin.as(api.http.post('/api/audit-log')).send({ action: 'forged' }).expect(404);
    expect(await tableCounts(api)).toEqual(before);
  });
});
