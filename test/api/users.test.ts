import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signIn, tableCounts, userWithRoles, type TestUser } from '../support/users.js';

describe('users administration', () => {
  let api: TestApp;
  let admin: TestUser;
  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '10000' });
    admin = await userWithRoles(api, ['admin']);
  });
  afterAll(() => api?.close());

  const newUser = (overrides: Record<string, unknown> = {}) => ({
    email: `new-${randomUUID().slice(0, 8)}@example.test`,
    fullName: 'Nora New',
    roles: ['support_agent'],
    password: 'a long enough password',
    ...overrides,
  });

  it('creates a user and audits it with the reason, never the password', async () => {
    const body = newUser({ email: 'Nora.New@Example.TEST', reason: 'joins the support rota' });
    const res = await admin.as(api.http.post('/api/users')).send(body).expect(201);
    expect(res.body).toMatchObject({ email: 'nora.new@example.test', fullName: 'Nora New', roles: ['support_agent'], active: true });
    expect(res.body).not.toHaveProperty('passwordHash');
    const { rows } = await api.db.query(
      `SELECT actor_id, action, target_id, reason, summary::text FROM audit_log WHERE action = 'users.create'`,
    );
    expect(rows).toEqual([
      { actor_id: admin.id, action: 'users.create', target_id: res.body.id, reason: 'joins the support rota', summary: expect.any(String) },
    ]);
    expect(rows[0].summary).not.toContain('a long enough password');
    await signIn(api, 'nora.new@example.test', 'a long enough password');
  });

  it('refuses a duplicate e-mail with 409 naming the field, writing nothing', async () => {
    const body = newUser();
    await admin.as(api.http.post('/api/users')).send(body).expect(201);
    const before = await tableCounts(api);
    const res = await admin
      .as(api.http.post('/api/users'))
      .send({ ...body, email: body.email.toUpperCase() })
      .expect(409);
    expect(res.body.fields).toEqual([{ field: 'email', message: 'is already taken' }]);
    expect(await tableCounts(api)).toEqual(before);
  });

  it('rejects bad input with 400 naming each field, writing nothing', async () => {
    const before = await tableCounts(api);
    const res = await admin
      .as(api.http.post('/api/users'))
      .send({ email: 'x@', fullName: '', roles: ['owner'], password: 'short', isAdmin: true })
      .expect(400);
    expect(res.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'fullName', 'isAdmin', 'password', 'roles.0']);
    const empty = await admin
      .as(api.http.patch(`/api/users/${admin.id}`))
      .send({ reason: 'nothing' })
      .expect(400);
    expect(empty.body.message).toMatch(/names nothing to change/);
    expect(await tableCounts(api)).toEqual(before);
  });

  it('lists with filters, sort, paging and a total', async () => {
    for (const name of ['Filter Alpha', 'Filter Beta', 'Filter Gamma']) {
      await admin
        .as(api.http.post('/api/users'))
        .send(newUser({ fullName: name, roles: ['finance'] }))
        .expect(201);
    }
    const page = await admin.as(api.http.get('/api/users?q=filter&role=finance&_sort=fullName&_order=DESC&_perPage=2&_page=1')).expect(200);
    expect(page.body.total).toBe(3);
    expect(page.body.data.map((u: { fullName: string }) => u.fullName)).toEqual(['Filter Gamma', 'Filter Beta']);
    const second = await admin.as(api.http.get('/api/users?q=filter&_sort=fullName&_order=DESC&_perPage=2&_page=2')).expect(200);
    expect(second.body.data.map((u: { fullName: string }) => u.fullName)).toEqual(['Filter Alpha']);
    const many = await admin.as(api.http.get(`/api/users?id=${admin.id}&id=${randomUUID()}`)).expect(200);
    expect(many.body.data.map((u: { id: string }) => u.id)).toEqual([admin.id]);
    // Active is a sortable column in the admin UI: inactive users first in ascending order.
    const beta = page.body.data.find((u: { fullName: string }) => u.fullName === 'Filter Beta');
    await admin
      .as(api.http.patch(`/api/users/${beta.id}`))
      .send({ active: false, reason: 'sort test' })
      .expect(200);
    const byActive = await admin.as(api.http.get('/api/users?q=filter&_sort=active&_order=ASC')).expect(200);
    expect(byActive.body.data.map((u: { fullName: string; active: boolean }) => [u.fullName, u.active])[0]).toEqual(['Filter Beta', false]);
    const byActiveDesc = await admin.as(api.http.get('/api/users?q=filter&_sort=active&_order=DESC')).expect(200);
    expect(byActiveDesc.body.data.map((u: { active: boolean }) => u.active)).toEqual([true, true, false]);
    const bad = await admin.as(api.http.get('/api/users?_sort=password_hash&_perPage=0')).expect(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual(['_perPage', '_sort']);
  });

  it('answers 404 for unknown and malformed ids', async () => {
    await admin.as(api.http.get(`/api/users/${randomUUID()}`)).expect(404);
    const res = await admin.as(api.http.get('/api/users/not-a-uuid')).expect(404);
    expect(res.body.message).toMatch(/No user with id "not-a-uuid"/);
  });

  it('applies a role change to the user’s existing session at once', async () => {
    const agent = await userWithRoles(api, ['support_agent']);
    await agent.as(api.http.get('/api/audit-log')).expect(403);
    await admin
      .as(api.http.patch(`/api/users/${agent.id}`))
      .send({ roles: ['support_agent', 'finance'], reason: 'covers finance this week' })
      .expect(200);
    await agent.as(api.http.get('/api/audit-log')).expect(200);
    const me = await agent.as(api.http.get('/api/auth/me')).expect(200);
    expect(me.body.user.roles).toEqual(['support_agent', 'finance']);
    const { rows } = await api.db.query(`SELECT summary FROM audit_log WHERE action = 'users.edit' AND target_id = $1`, [agent.id]);
    expect(rows[0].summary.changes).toEqual({ roles: { from: ['support_agent'], to: ['support_agent', 'finance'] } });
  });

  it('ends every session of a deactivated user', async () => {
    const agent = await userWithRoles(api, ['support_agent']);
    await admin
      .as(api.http.patch(`/api/users/${agent.id}`))
      .send({ active: false })
      .expect(200);
    const res = await agent.as(api.http.get('/api/auth/me')).expect(401);
    expect(res.body.message).toMatch(/session was ended|deactivated/);
  });

  it('never removes the last active admin, and changes nothing when refusing', async () => {
    const { rows } = await api.db.query(`SELECT id FROM app_user WHERE 'admin' = ANY(roles) AND active AND id <> $1`, [admin.id]);
    for (const other of rows) await api.db.query(`UPDATE app_user SET active = false WHERE id = $1`, [other.id]);
    const before = await tableCounts(api);
    const res = await admin
      .as(api.http.patch(`/api/users/${admin.id}`))
      .send({ roles: ['finance'] })
      .expect(409);
    expect(res.body.message).toMatch(/last active admin/);
    await admin
      .as(api.http.patch(`/api/users/${admin.id}`))
      .send({ active: false })
      .expect(409);
    expect(await tableCounts(api)).toEqual(before);
    const me = await admin.as(api.http.get('/api/auth/me')).expect(200);
    expect(me.body.user.roles).toEqual(['admin']);
  });

  it('lets an admin set a new password for a user, ending their sessions', async () => {
    const agent = await userWithRoles(api, ['support_agent']);
    await admin
      .as(api.http.patch(`/api/users/${agent.id}`))
      .send({ password: 'reset by the admin 123' })
      .expect(200);
    await agent.as(api.http.get('/api/auth/me')).expect(401);
    await signIn(api, agent.email, 'reset by the admin 123');
  });
});
