import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queues } from '../../backend/src/jobs/job-catalogue.js';
import { JobQueueService } from '../../backend/src/jobs/job-queue.service.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles, type TestUser } from '../support/users.js';

/**
 * The queue dashboard (Bull Board at /admin/queues) behind the API's own
 * session login and permission matrix, read-only, and its API listing every
 * queue of the job catalogue.
 */
let api: TestApp;
let admin: TestUser;
let others: TestUser[];

beforeAll(async () => {
  api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '100000' });
  admin = await userWithRoles(api, ['admin']);
  others = await Promise.all((['support_agent', 'finance', 'incident_commander'] as const).map((role) => userWithRoles(api, [role])));
}, 60_000);
afterAll(() => api?.close());

const boardPaths = ['/admin/queues', '/admin/queues/', '/admin/queues/api/queues', '/admin/queues/static/css/missing.css'];

describe('who may see the queue dashboard', () => {
  it('answers 401 without a session, in the API error shape, for the page, its API and its assets', async () => {
    for (const path of boardPaths) {
      const res = await api.http.get(path).set('Accept', 'text/html');
      expect(res.status, path).toBe(401);
      expect(res.body.message, path).toMatch(/sign in/i);
    }
    const bad = await api.http.get('/admin/queues/api/queues').set('Authorization', 'Bearer not-a-session');
    expect(bad.status).toBe(401);
  });

  it('answers 403 naming the permission to every role but admin', async () => {
    for (const user of others) {
      for (const path of [...boardPaths, '/api/queue-board']) {
        const res = await user.as(api.http.get(path));
        expect(res.status, `${user.roles} ${path}`).toBe(403);
        expect(res.body.message).toContain('"queue-board.show"');
      }
    }
  });

  it('serves the board to an admin through the session cookie, as a browser signs in', async () => {
    const login = await api.http.post('/api/auth/login').send({ email: admin.email, password: admin.password }).expect(200);
    const cookie = login.headers['set-cookie'] as unknown as string[];
    const page = await api.http.get('/admin/queues').set('Cookie', cookie).set('Accept', 'text/html').expect(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.text).toContain('<base href="/admin/queues/"');
    // Offline: no web fonts or any other outside address in the page.
    expect(page.text).not.toMatch(/https?:\/\//);
    // Its scripts and styles come from the package, under the same gate.
    const script = /src="(static\/js\/main\.[^"]+\.js)"/.exec(page.text)![1]!;
    await api.http.get(`/admin/queues/${script}`).set('Cookie', cookie).expect(200);
    await api.http.get(`/admin/queues/${script}`).expect(401);
  });
});

describe('what the board lists', () => {
  it('lists every queue of the job catalogue, read-only, with the counts BullMQ holds', async () => {
    // A job waiting in a queue no worker of this test serves.
    await api.app.get(JobQueueService).enqueue('system.queue-check', { requestedAt: new Date().toISOString() }, { jobId: 'board-check' });
    const res = await admin.as(api.http.get('/admin/queues/api/queues')).expect(200);
    const listed = res.body.queues as { name: string; displayName?: string; readOnlyMode: boolean; counts: Record<string, number> }[];
    expect(listed.map((q) => q.name).sort()).toEqual(Object.values(queues).sort());
    expect(listed.every((q) => q.readOnlyMode)).toBe(true);
    expect(listed.find((q) => q.name === queues.system)!.counts.waiting).toBe(1);

    const summary = await admin.as(api.http.get('/api/queue-board')).expect(200);
    expect(summary.body.path).toBe('/admin/queues');
    expect(summary.body.queues.map((q: { key: string }) => q.key).sort()).toEqual(Object.keys(queues).sort());
    expect(summary.body.queues.find((q: { key: string }) => q.key === 'system').counts.waiting).toBe(1);
  });

  it('refuses changes: the board is read-only (405), and nothing is removed', async () => {
    const res = await admin.as(api.http.put(`/admin/queues/api/queues/${encodeURIComponent(queues.system)}/empty`));
    expect(res.status).toBe(405);
    expect(res.body.message).toMatch(/read-only/);
    const after = await admin.as(api.http.get('/api/queue-board')).expect(200);
    expect(after.body.queues.find((q: { key: string }) => q.key === 'system').counts.waiting).toBe(1);
  });
});
