import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendProcess } from '../support/processes.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { testEnv } from '../support/test-env.js';
import { userWithRoles } from '../support/users.js';

describe('security basics', () => {
  let api: TestApp;
  const logs: string[] = [];
  beforeAll(async () => {
    api = await startTestApp({ METRICS_TOKEN: 'scrape-token-for-tests' }, { captureLogs: logs });
  });
  afterAll(() => api?.close());

  it('sends no CORS headers: other origins cannot read responses', async () => {
    const res = await api.http.get('/api/health').set('Origin', 'https://evil.example');
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await api.http
      .options('/api/users')
      .set('Origin', 'https://evil.example')
      .set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses cookie-authenticated writes from another origin', async () => {
    const admin = await userWithRoles(api, ['admin']);
    const body = { email: 'csrf@example.test', fullName: 'Csrf', roles: ['finance'], password: 'long enough password' };
    const res = await api.http
      .post('/api/users')
      .set('Cookie', `rd_session=${admin.token}`)
      .set('Origin', 'https://evil.example')
      .send(body)
      .expect(403);
    expect(res.body.message).toMatch(/Cross-origin request from https:\/\/evil.example refused/);
    const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM app_user WHERE email = 'csrf@example.test'`);
    expect(rows[0].n).toBe(0);
    // The same request from our own origin goes through.
    const host = new URL(api.baseUrl).host;
    await api.http.post('/api/users').set('Cookie', `rd_session=${admin.token}`).set('Origin', `http://${host}`).send(body).expect(201);
  });

  it('protects /metrics with METRICS_TOKEN when it is set', async () => {
    await api.http.get('/metrics').expect(401);
    await api.http.get('/metrics').set('Authorization', 'Bearer wrong').expect(401);
    await api.http.get('/metrics').set('Authorization', 'Bearer scrape-token-for-tests').expect(200);
    // A user session is not a metrics credential.
    const admin = await userWithRoles(api, ['admin']);
    await admin.as(api.http.get('/metrics')).expect(401);
  });

  it('never writes passwords or tokens to the logs', async () => {
    const user = await userWithRoles(api, ['finance'], { password: 'a-very-distinct-password-42' });
    await api.http.post('/api/auth/login').send({ email: user.email, password: 'a-very-distinct-password-42' }).expect(200);
    await user.as(api.http.get('/api/auth/me')).expect(200);
    const all = logs.join('');
    expect(all).toContain('request completed'); // logging did happen
    expect(all).not.toContain('a-very-distinct-password-42');
    expect(all).not.toContain(user.token);
    expect(all).not.toContain(user.token.slice(3));
  });
});

describe('production mode start-up', () => {
  it('refuses to start the API with the demo session secret', async () => {
    const api = startBackendProcess('main', {
      APP_MODE: 'production',
      DATABASE_URL: testEnv.templateDatabaseUrl,
      REDIS_URL: testEnv.redisUrl,
      PORT: '1',
    });
    const { code } = await api.exited;
    expect(code).toBe(1);
    expect(api.output()).toMatch(/SESSION_SECRET is the demo default; production needs a random secret/);
  });
});
