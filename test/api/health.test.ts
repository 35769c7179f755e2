import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { startThrowawayRedis } from '../support/redis-server.js';

describe('GET /api/health', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api?.close());

  it('checks PostgreSQL, Redis, its persistence and eviction policy, and workers', async () => {
    const res = await api.http.get('/api/health').expect(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body.checks.database).toMatchObject({ status: 'ok' });
    expect(res.body.checks.redis).toMatchObject({ status: 'ok' });
    expect(res.body.checks.redis_eviction).toMatchObject({ status: 'ok', detail: 'maxmemory-policy noeviction' });
    expect(res.body.checks.redis_persistence).toMatchObject({ status: 'ok', detail: 'AOF enabled' });
    // No worker process joined this app's queue prefix, so the check warns.
    expect(res.body.checks.workers.status).toBe('warn');
    expect(res.body.status).toBe('degraded');
  });
});

describe('GET /api/health against an unsafe Redis', () => {
  let api: TestApp;
  let redis: Awaited<ReturnType<typeof startThrowawayRedis>>;
  beforeAll(async () => {
    // A real Redis that may evict keys and keeps no AOF: what a careless deployment looks like.
    redis = await startThrowawayRedis(['--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru']);
    api = await startTestApp({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await api?.close();
    redis?.stop();
  });

  it('answers 503 naming the eviction policy, and warns about persistence', async () => {
    const res = await api.http.get('/api/health').expect(503);
    expect(res.body.status).toBe('error');
    expect(res.body.checks.redis_eviction.status).toBe('error');
    expect(res.body.checks.redis_eviction.detail).toMatch(/allkeys-lru.*must be "noeviction"/);
    expect(res.body.checks.redis_persistence.status).toBe('warn');
  });
});
