import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('admin UI served on the API origin', () => {
  let api: TestApp;
  beforeAll(async () => {
    api = await startTestApp();
  });
  afterAll(() => api?.close());

  it('serves index.html at / and for deep links', async () => {
    const root = await api.http.get('/').set('Accept', 'text/html').expect(200);
    expect(root.text).toContain('<div id="root">');
    expect(root.headers['cache-control']).toBe('no-cache');
    const deep = await api.http.get('/users/123/show').set('Accept', 'text/html').expect(200);
    expect(deep.text).toBe(root.text);
  });

  it('serves hashed assets with a long cache and 404s a missing one', async () => {
    const root = await api.http.get('/').set('Accept', 'text/html');
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(root.text)![1]!;
    const res = await api.http.get(asset).expect(200);
    expect(res.headers['cache-control']).toContain('immutable');
    await api.http.get('/assets/does-not-exist.js').expect(404);
  });

  it('never answers API paths with the page', async () => {
    await api.http.get('/api/unknown').set('Accept', 'text/html').expect(404);
  });
});
