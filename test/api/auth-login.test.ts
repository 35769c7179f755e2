import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { insertUser, signIn, tableCounts, userWithRoles } from '../support/users.js';

describe('sign-in, sessions and passwords', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_FAILURES_PER_ACCOUNT: '3', LOGIN_MAX_ATTEMPTS_PER_IP: '1000' });
  });
  afterAll(() => api?.close());

  it('returns a token and user, sets an httpOnly SameSite=Strict cookie, and audits the sign-in', async () => {
    const user = await insertUser(api, ['finance']);
    const res = await api.http.post('/api/auth/login').send({ email: user.email.toUpperCase(), password: user.password }).expect(200);
    expect(res.body.token).toMatch(/^rd_[\w-]{43}$/);
    expect(res.body.user).toMatchObject({ id: user.id, email: user.email, roles: ['finance'] });
    expect(res.body.user.passwordHash).toBeUndefined();
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/rd_session=rd_/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const { rows } = await api.db.query(`SELECT actor_id, action, target_type, request_id, ip FROM audit_log WHERE actor_id = $1`, [
      user.id,
    ]);
    expect(rows).toEqual([
      {
        actor_id: user.id,
        action: 'auth.login',
        target_type: 'session',
        request_id: res.headers['x-request-id'],
        ip: expect.stringContaining('127.0.0.1'),
      },
    ]);
    // The session row keeps only a hash of the token.
    const sessions = await api.db.query(`SELECT token_hash FROM user_session WHERE user_id = $1`, [user.id]);
    expect(sessions.rows[0].token_hash).not.toContain(res.body.token);
  });

  it('answers wrong password and unknown e-mail with the same 401, writing nothing', async () => {
    const user = await insertUser(api, ['support_agent']);
    const before = await tableCounts(api);
    const wrong = await api.http.post('/api/auth/login').send({ email: user.email, password: 'not the password' }).expect(401);
    const unknown = await api.http.post('/api/auth/login').send({ email: 'nobody@example.test', password: 'whatever' }).expect(401);
    expect(wrong.body.message).toBe('Invalid email or password');
    expect(unknown.body.message).toBe(wrong.body.message);
    expect(await tableCounts(api)).toEqual(before);
  });

  it('refuses a deactivated account with the same 401', async () => {
    const user = await insertUser(api, ['finance'], { active: false });
    const res = await api.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    expect(res.body.message).toBe('Invalid email or password');
  });

  it('refuses demo accounts outside demo mode', async () => {
    const user = await insertUser(api, ['admin'], { email: 'admin@demo.local' });
    await api.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
  });

  it('answers a malformed body with 400 naming each field, writing nothing', async () => {
    const before = await tableCounts(api);
    const res = await api.http.post('/api/auth/login').send({ email: 'not-an-email', extra: true }).expect(400);
    expect(res.body.fields).toEqual(
      expect.arrayContaining([
        { field: 'email', message: 'must be an e-mail address' },
        { field: 'password', message: 'is required' },
        { field: 'extra', message: expect.stringMatching(/not a known field/) },
      ]),
    );
    expect(await tableCounts(api)).toEqual(before);
  });

  it('locks an account after repeated failures, even for the right password, with Retry-After', async () => {
    const user = await insertUser(api, ['finance']);
    for (let i = 0; i < 3; i++) await api.http.post('/api/auth/login').send({ email: user.email, password: 'wrong password' }).expect(401);
    const locked = await api.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(429);
    expect(locked.body.message).toMatch(/Too many failed sign-ins for this account/);
    expect(Number(locked.headers['retry-after'])).toBeGreaterThan(0);
    // Another account from the same address is not affected.
    const other = await insertUser(api, ['finance']);
    await signIn(api, other.email, other.password);
  });

  it('logout revokes the session: the token stops working at once', async () => {
    const user = await userWithRoles(api, ['finance']);
    await user.as(api.http.get('/api/auth/me')).expect(200);
    await user.as(api.http.post('/api/auth/logout')).expect(204);
    const res = await user.as(api.http.get('/api/auth/me')).expect(401);
    expect(res.body.message).toMatch(/session was ended/);
    const { rows } = await api.db.query(`SELECT action FROM audit_log WHERE actor_id = $1 ORDER BY id`, [user.id]);
    expect(rows.map((r) => r.action)).toEqual(['auth.login', 'auth.logout']);
  });

  it('expires sessions', async () => {
    const user = await userWithRoles(api, ['finance']);
    await api.db.query(`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [user.id]);
    const res = await user.as(api.http.get('/api/auth/me')).expect(401);
    expect(res.body.message).toMatch(/expired/);
  });

  it('rejects tampered and foreign tokens', async () => {
    const user = await userWithRoles(api, ['finance']);
    const tampered = user.token.slice(0, -1) + (user.token.endsWith('A') ? 'B' : 'A');
    const res = await api.http.get('/api/auth/me').set('Authorization', `Bearer ${tampered}`).expect(401);
    expect(res.body.message).toMatch(/Invalid session token/);
    await api.http.get('/api/auth/me').set('Cookie', 'rd_session=garbage').expect(401);
  });

  it('changes the own password: checks the current one, ends other sessions, keeps this one', async () => {
    const user = await userWithRoles(api, ['support_agent']);
    const otherToken = await signIn(api, user.email, user.password);

    const wrong = await user
      .as(api.http.post('/api/auth/password'))
      .send({ currentPassword: 'nope', newPassword: 'a brand new passphrase' })
      .expect(400);
    expect(wrong.body.fields).toEqual([{ field: 'currentPassword', message: 'is not correct' }]);
    const short = await user
      .as(api.http.post('/api/auth/password'))
      .send({ currentPassword: user.password, newPassword: 'short' })
      .expect(400);
    expect(short.body.fields[0]).toMatchObject({ field: 'newPassword', message: expect.stringMatching(/at least 12/) });

    await user
      .as(api.http.post('/api/auth/password'))
      .send({ currentPassword: user.password, newPassword: 'a brand new passphrase' })
      .expect(204);
    await user.as(api.http.get('/api/auth/me')).expect(200);
    await api.http.get('/api/auth/me').set('Authorization', `Bearer ${otherToken}`).expect(401);
    await api.http.post('/api/auth/login').send({ email: user.email, password: user.password }).expect(401);
    await signIn(api, user.email, 'a brand new passphrase');
    const { rows } = await api.db.query(`SELECT summary FROM audit_log WHERE action = 'auth.change-password' AND actor_id = $1`, [user.id]);
    expect(rows).toEqual([{ summary: { otherSessionsEnded: 1 } }]);
  });

  it('tells the UI what the caller may do', async () => {
    const user = await userWithRoles(api, ['finance']);
    const res = await user.as(api.http.get('/api/auth/me')).expect(200);
    expect(res.body.allowedActions).toContain('audit-log.list');
    expect(res.body.allowedActions).not.toContain('users.list');
  });
});

describe('sign-in rate limit per IP address', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '4' });
  });
  afterAll(() => api?.close());

  it('answers 429 once one address has spent its attempts, across accounts', async () => {
    for (let i = 0; i < 4; i++)
      await api.http
        .post('/api/auth/login')
        .send({ email: `someone${i}@example.test`, password: 'guess' })
        .expect(401);
    const res = await api.http.post('/api/auth/login').send({ email: 'someone-else@example.test', password: 'guess' }).expect(429);
    expect(res.body.message).toMatch(/Too many sign-in attempts from this address/);
  });
});
