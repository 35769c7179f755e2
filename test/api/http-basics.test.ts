import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { userWithRoles } from '../support/users.js';

describe('HTTP basics', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp({ BODY_LIMIT: '2kb' });
  });
  afterAll(() => api?.close());

  it('gives every response a request id, keeping a sane one from the caller', async () => {
    const generated = await api.http.get('/api/health');
    expect(generated.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    const kept = await api.http.get('/api/health').set('X-Request-Id', 'trace-abc.123');
    expect(kept.headers['x-request-id']).toBe('trace-abc.123');
    const replaced = await api.http.get('/api/health').set('X-Request-Id', 'bad id with spaces');
    expect(replaced.headers['x-request-id']).not.toContain(' ');
  });

  it('sends security headers and hides the framework', async () => {
    const res = await api.http.get('/api/health');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('answers 413 with a clear message for a body over the limit', async () => {
    const res = await api.http
      .post('/api/system/queue-check')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ padding: 'x'.repeat(4096) }))
      .expect(413);
    expect(res.body).toMatchObject({ statusCode: 413, error: 'Payload Too Large' });
    expect(res.body.message).toMatch(/exceeds the limit of 2048 bytes/);
  });

  it('answers 400 in the error shape for malformed JSON', async () => {
    const res = await api.http.post('/api/system/queue-check').set('Content-Type', 'application/json').send('{"a":').expect(400);
    expect(res.body.statusCode).toBe(400);
    expect(res.body.message).toMatch(/Malformed JSON body/);
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });

  it('answers unknown API routes with a JSON 404', async () => {
    const res = await api.http.get('/api/no-such-thing').expect(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });

  it('publishes OpenAPI as JSON and Swagger UI', async () => {
    const json = await api.http.get('/api/docs-json').expect(200);
    expect(json.body.openapi).toMatch(/^3\./);
    expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/health', '/api/system/queue-check']));
    const ui = await api.http.get('/api/docs').expect(200);
    expect(ui.text).toContain('swagger-ui');
  });

  it('exposes Prometheus metrics: HTTP traffic and queue depths', async () => {
    await api.http.get('/api/health');
    const res = await api.http.get('/metrics').expect(200);
    expect(res.headers['content-type']).toContain('text/plain');
    expect(res.text).toMatch(/http_requests_total\{method="GET",route="\/api\/health",status="\d+"\} [1-9]/);
    expect(res.text).toMatch(/queue_jobs\{queue="system",state="waiting"\} 0/);
    expect(res.text).toMatch(/queue_job_outcomes_total\{queue="system",outcome="completed"\} 0/);
    expect(res.text).toContain('process_resident_memory_bytes');
  });

  it('says so with 503 when no worker finishes a queue check', async () => {
    // No worker runs for this app's queue prefix in this file.
    const admin = await userWithRoles(api, ['admin']);
    const res = await admin.as(api.http.post('/api/system/queue-check')).expect(503);
    expect(res.body.message).toMatch(/No worker finished the queue check/);
  }, 20_000);
});
