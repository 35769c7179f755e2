import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBackendProcess, type RunningProcess } from '../support/processes.js';
import { startThrowawayRedis } from '../support/redis-server.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase } from '../support/test-database.js';
import { userWithRoles } from '../support/users.js';

describe('worker process', () => {
  let api: TestApp;
  let worker: RunningProcess;
  beforeAll(async () => {
    api = await startTestApp();
    worker = startBackendProcess('worker', api.env);
    await worker.waitFor(/"msg":"worker started"/);
  });
  afterAll(async () => {
    await worker?.stop('SIGKILL');
    await api?.close();
  });

  it('takes jobs from Redis: a queue check round-trips through this worker', async () => {
    const admin = await userWithRoles(api, ['admin']);
    const res = await admin.as(api.http.post('/api/system/queue-check')).expect(200);
    expect(res.body.outcome.status).toBe('success');
    expect(res.body.outcome.detail.handledBy).toMatch(new RegExp(`:${worker.child.pid}$`));
  });

  it('announces itself, so health counts live workers', async () => {
    const res = await api.http.get('/api/health').expect(200);
    expect(res.body.checks.workers).toMatchObject({ status: 'ok', detail: '1 worker process(es) alive' });
    expect(res.body.status).toBe('ok');
  });

  it('counts finished jobs in /metrics across processes', async () => {
    const res = await api.http.get('/metrics').expect(200); // no METRICS_TOKEN set: open
    const completed = /queue_job_outcomes_total\{queue="system",outcome="completed"\} (\d+)/.exec(res.text);
    expect(Number(completed?.[1])).toBeGreaterThanOrEqual(1);
  });

  it('drains on SIGTERM: exits 0 and leaves the registry', async () => {
    const stopped = await worker.stop('SIGTERM');
    expect(stopped).toEqual({ code: 0, signal: null });
    expect(worker.output()).toContain('"msg":"worker stopped"');
    const res = await api.http.get('/api/health');
    expect(res.body.checks.workers.status).toBe('warn');
  });
});

describe('worker start-up checks', () => {
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  beforeAll(async () => {
    redis = await startThrowawayRedis(['--maxmemory-policy', 'volatile-lru']);
  });
  afterAll(() => redis?.stop());

  it('refuses to start when Redis may evict keys', async () => {
    const db = await createTestDatabase();
    try {
      const worker = startBackendProcess('worker', { APP_MODE: 'test', DATABASE_URL: db.url, REDIS_URL: redis.url });
      const { code } = await worker.exited;
      expect(code).toBe(1);
      expect(worker.output()).toMatch(/Worker refuses to start: Redis maxmemory-policy is "volatile-lru"; it must be "noeviction"/);
      expect(worker.output()).not.toContain('worker started');
    } finally {
      await db.drop();
    }
  }, 30_000);

  it('prints every configuration problem and exits 1', async () => {
    const worker = startBackendProcess('worker', { PORT: 'x', APP_MODE: 'nope' });
    const { code } = await worker.exited;
    expect(code).toBe(1);
    expect(worker.output()).toContain('Invalid configuration:');
    expect(worker.output()).toMatch(/DATABASE_URL is required/);
    expect(worker.output()).toMatch(/REDIS_URL is required/);
    expect(worker.output()).toMatch(/APP_MODE must be one of/);
  });
});
