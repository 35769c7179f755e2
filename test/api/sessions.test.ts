import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SessionsService } from '../../backend/src/auth/sessions.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { signIn, tableCounts, userWithRoles, type TestUser } from '../support/users.js';

/**
 * Sessions under attack: what auth-login.test.ts and users.test.ts do not
 * already cover. Expired, revoked and tampered credentials are refused on
 * every transport (Bearer and cookie), and a role removed by an admin stops
 * the user's live session on its very next request, changing nothing.
 */
describe('sessions: expired, revoked and tampered credentials; role changes', () => {
  let api: TestApp;
  let admin: TestUser;
  const me = (headers: Record<string, string>) => {
    let req = api.http.get('/api/auth/me');
    for (const [name, value] of Object.entries(headers)) req = req.set(name, value);
    return req;
  };
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const cookie = (token: string) => ({ Cookie: `rd_session=${encodeURIComponent(token)}` });

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '10000' });
    admin = await userWithRoles(api, ['admin']);
  });
  afterAll(() => api?.close());

  it('refuses an expired session by cookie as by Bearer, and a request does not revive it', async () => {
    const user = await userWithRoles(api, ['finance']);
    await me(cookie(user.token)).expect(200);
    await api.db.query(
      `UPDATE user_session SET expires_at = now() - interval '1 second', last_seen_at = now() - interval '1 hour' WHERE user_id = $1`,
      [user.id],
    );
    const { rows: before } = await api.db.query(`SELECT expires_at, last_seen_at FROM user_session WHERE user_id = $1`, [user.id]);
    for (const headers of [cookie(user.token), bearer(user.token)]) {
      const res = await me(headers).expect(401);
      expect(res.body.message).toMatch(/expired/);
    }
    const { rows: after } = await api.db.query(`SELECT expires_at, last_seen_at FROM user_session WHERE user_id = $1`, [user.id]);
    expect(after).toEqual(before);
  });

  it('after logout the token is dead on both transports, a second logout is 401, and the user’s other sessions live on', async () => {
    const user = await userWithRoles(api, ['support_agent']);
    const other = await signIn(api, user.email, user.password);
    await user.as(api.http.post('/api/auth/logout')).expect(204);
    expect((await me(bearer(user.token)).expect(401)).body.message).toMatch(/ended/);
    expect((await me(cookie(user.token)).expect(401)).body.message).toMatch(/ended/);
    await user.as(api.http.post('/api/auth/logout')).expect(401);
    await me(bearer(other)).expect(200);
  });

  it('a changed password ends every other session at once, on both transports', async () => {
    const user = await userWithRoles(api, ['finance']);
    const stolen = await signIn(api, user.email, user.password);
    await user
      .as(api.http.post('/api/auth/password'))
      .send({ currentPassword: user.password, newPassword: 'fresh passphrase 2026' })
      .expect(204);
    for (const headers of [bearer(stolen), cookie(stolen)]) expect((await me(headers).expect(401)).body.message).toMatch(/ended/);
    await me(bearer(user.token)).expect(200);
  });

  it('a user disabled by an admin is locked out at once, and enabling them again does not revive old sessions', async () => {
    const user = await userWithRoles(api, ['support_agent']);
    await admin
      .as(api.http.patch(`/api/users/${user.id}`))
      .send({ active: false, reason: 'left the company' })
      .expect(200);
    for (const headers of [bearer(user.token), cookie(user.token)]) await me(headers).expect(401);
    await admin
      .as(api.http.patch(`/api/users/${user.id}`))
      .send({ active: true, reason: 'came back' })
      .expect(200);
    await me(bearer(user.token)).expect(401);
    await signIn(api, user.email, user.password);
  });

  it('refuses a session whose user was deactivated behind the API’s back (checked on every request, not only at revocation)', async () => {
    const user = await userWithRoles(api, ['finance']);
    await api.db.query(`UPDATE app_user SET active = false WHERE id = $1`, [user.id]);
    expect((await me(bearer(user.token)).expect(401)).body.message).toMatch(/deactivated/);
  });

  it('refuses tampered, truncated, padded, re-cased and forged tokens in the header and the cookie', async () => {
    const user = await userWithRoles(api, ['finance']);
    const { rows } = await api.db.query<{ token_hash: string }>(`SELECT token_hash FROM user_session WHERE user_id = $1`, [user.id]);
    const tokenHash = rows[0]!.token_hash;
    // A token minted with another secret (a forged one in the right shape) must not be accepted either.
    const forged = `rd_${Buffer.from(api.app.get(SessionsService).hashToken('x')).toString('base64url').slice(0, 43)}`;
    const variants = [
      user.token.slice(0, -1),
      `${user.token}A`,
      user.token.toUpperCase(),
      user.token.replace(/^rd_/, ''),
      ` ${user.token}x `,
      tokenHash, // what a database leak would reveal: the stored hash is not a credential
      forged,
      'rd_',
      'x'.repeat(8000),
      "' OR '1'='1",
    ];
    const before = await tableCounts(api);
    for (const token of variants) {
      for (const headers of [bearer(token), cookie(token)]) {
        const res = await me(headers);
        expect(res.status, `${JSON.stringify(headers).slice(0, 80)}`).toBe(401);
        expect(res.body.message).toMatch(/Invalid session token/);
      }
    }
    expect(await tableCounts(api)).toEqual(before);
    // Sanity: the untampered token still works.
    await me(bearer(user.token)).expect(200);
  });

  it('does not fall back to a valid cookie when the Bearer token is bad, and ignores other auth schemes', async () => {
    const user = await userWithRoles(api, ['finance']);
    await me({ ...bearer('rd_bad'), ...cookie(user.token) }).expect(401);
    await me({ Authorization: `Basic ${Buffer.from(`${user.email}:${user.password}`).toString('base64')}` }).expect(401);
    await me({ Authorization: 'Bearer' }).expect(401);
    await api.http.get(`/api/auth/me?token=${user.token}`).expect(401);
    await api.http.get('/api/auth/me').set('Cookie', `other=1; rd_session=; x=${user.token}`).expect(401);
  });

  it('a role removed by an admin is refused on the live session’s next request (403), changing nothing', async () => {
    const commander = await userWithRoles(api, ['incident_commander', 'support_agent']);
    await commander.as(api.http.get('/api/detection-rules')).expect(200);
    await admin
      .as(api.http.patch(`/api/users/${commander.id}`))
      .send({ roles: ['support_agent'], reason: 'stepped down' })
      .expect(200);

    const before = await tableCounts(api, ['incident', 'incident_event', 'audit_log']);
    const res = await commander.as(api.http.post('/api/incidents')).send({ title: 'After demotion', severity: 'low' }).expect(403);
    expect(res.body.message).toMatch(/"incidents.create"/);
    await commander.as(api.http.get('/api/detection-rules')).expect(403);
    expect(await tableCounts(api, ['incident', 'incident_event', 'audit_log'])).toEqual(before);

    const whoAmI = await commander.as(api.http.get('/api/auth/me')).expect(200);
    expect(whoAmI.body.user.roles).toEqual(['support_agent']);
    expect(whoAmI.body.allowedActions).not.toContain('incidents.create');
  });

  it('an admin demoted by another admin loses user administration on the next request', async () => {
    const second = await userWithRoles(api, ['admin']);
    await second.as(api.http.get('/api/users')).expect(200);
    await admin
      .as(api.http.patch(`/api/users/${second.id}`))
      .send({ roles: ['finance'] })
      .expect(200);
    await second.as(api.http.get('/api/users')).expect(403);
    const before = await tableCounts(api);
    await second
      .as(api.http.post('/api/users'))
      .send({ email: 'sneaky@example.test', fullName: 'Sneaky', roles: ['admin'], password: 'a long enough password' })
      .expect(403);
    await second
      .as(api.http.patch(`/api/users/${second.id}`))
      .send({ roles: ['admin'] })
      .expect(403);
    expect(await tableCounts(api)).toEqual(before);
  });
});
