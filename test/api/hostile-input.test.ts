import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteInventory } from '../../backend/src/auth/route-inventory.js';
import { csvColumns } from '../../backend/src/ingestion/csv-order-rows.js';
import { DatabaseFingerprint } from '../support/fuzz/db-fingerprint.js';
import { seedFuzzWorld, type FuzzFixtures } from '../support/fuzz/fuzz-fixtures.js';
import { credentialHeaders, stripeWebhookSecret } from '../support/fuzz/fuzz-runner.js';
import { deeplyNestedJson, noSqlInjections, scriptPayloads, sqlInjections } from '../support/fuzz/hostile-values.js';
import { writeOperations, type FuzzOperation, type OpenApiDocument } from '../support/fuzz/openapi-operations.js';
import { asPlatform, platformWebhookSecret, sampleOrder, signWebhook, toNdjson } from '../support/orders.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Targeted hostile input, beside the property-based fuzzing: injection
 * strings, markup, oversize and deeply nested bodies, wrong content types,
 * invalid UTF-8 and NUL, huge CSV files, webhook replays and forgeries.
 * Every refusal is a 4xx with a message, and changes nothing.
 */
describe('hostile input', () => {
  let api: TestApp;
  let doc: OpenApiDocument;
  let operations: FuzzOperation[];
  let fixtures: FuzzFixtures;
  let fingerprint: DatabaseFingerprint;
  const csvLimit = 2 * 1024 * 1024;

  /** Sends `body` to an operation with its credential, ids of existing records in the path. */
  async function send(op: FuzzOperation, body: string | Buffer | undefined, contentType = 'application/json') {
    const { rows } = await api.db.query<{ id: string }>(`SELECT id::text FROM incident LIMIT 1`);
    const url = op.path.replace(/\{\w+\}/g, rows[0]!.id);
    let req = api.http[op.method](url);
    const signed = typeof body === 'string' ? body : body?.toString('latin1');
    for (const [name, value] of Object.entries(credentialHeaders(op.access, signed, fixtures.actor.token))) req = req.set(name, value);
    req = req.set('Content-Type', contentType);
    if (body === undefined) return req;
    // Raw bytes as they are (superagent would otherwise serialise a Buffer as JSON).
    return Buffer.isBuffer(body) ? req.serialize((raw: unknown) => raw as string).send(body) : req.send(body);
  }

  const refusedClearly = (res: { status: number; body: { message?: unknown } }, what: string) => {
    expect(res.status, what).toBeGreaterThanOrEqual(400);
    expect(res.status, what).toBeLessThan(500);
    expect(typeof res.body.message, `${what}: ${JSON.stringify(res.body)}`).toBe('string');
  };

  beforeAll(async () => {
    api = await startTestApp({ CSV_IMPORT_MAX_BYTES: '2mb', LOGIN_MAX_ATTEMPTS_PER_IP: '100000' });
    doc = (await api.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
    operations = writeOperations(doc, api.app.get(RouteInventory).routes());
    fixtures = await seedFuzzWorld(api);
    fingerprint = new DatabaseFingerprint(api.db);
    await fingerprint.prepare();
  }, 120_000);
  afterAll(() => api?.close());

  const jsonOperations = () => operations.filter((op) => op.bodySchema && op.key !== 'POST /api/auth/logout');

  it('answers SQL and NoSQL injection in filters, search, sort and paging without error, leak or change', async () => {
    const lists = Object.entries(doc.paths)
      .filter(([path, item]) => item.get && !path.includes('{') && !['/api/health'].includes(path))
      .map(([path]) => path);
    expect(lists.length).toBeGreaterThanOrEqual(10);
    const params = [
      'q',
      '_sort',
      '_order',
      '_page',
      '_perPage',
      'id',
      'status',
      'model',
      'sku',
      'currency',
      'email',
      'action',
      'customerId',
      'placedFrom',
    ];
    const before = await fingerprint.checksum();
    let requests = 0;
    for (const path of lists) {
      for (const param of params) {
        for (const injection of [...sqlInjections, ...noSqlInjections]) {
          const res = await fixtures.actor.as(api.http.get(path).query({ [param]: injection }));
          requests++;
          expect(res.status, `${path}?${param}=${injection}`).toBeLessThan(500);
          if (res.status >= 400) expect(typeof res.body.message).toBe('string');
          expect(res.text).not.toMatch(/password_?hash|token_?hash|\$argon2|\$scrypt/i);
          if (path === '/api/orders' && param === 'q' && res.status === 200) expect(res.body.total, injection).toBe(0);
        }
      }
      // Operator objects in the query string (`q[$ne]=`), as an attacker would write them.
      for (const raw of [
        'q[$ne]=x',
        '_sort[$gt]=',
        'id[$in][]=1',
        'q[__proto__][admin]=1',
        '_perPage=1e9',
        '_page=-1',
        '_order=ASC;DROP',
      ]) {
        const res = await fixtures.actor.as(api.http.get(`${path}?${raw}`));
        requests++;
        expect(res.status, `${path}?${raw}`).toBeLessThan(500);
      }
    }
    expect(await fingerprint.checksum()).toBe(before);
    expect(requests).toBeGreaterThan(2000);
  }, 120_000);

  it('treats injection in bodies as data: sign-in, filters of a new incident and of a member change', async () => {
    for (const injection of sqlInjections) {
      const res = await api.http.post('/api/auth/login').send({ email: injection, password: injection });
      refusedClearly(res, `login ${injection}`);
      const alsoRealUser = await api.http.post('/api/auth/login').send({ email: fixtures.actor.email, password: injection });
      // 401, then 429 once the account's failure limit is spent: never a session.
      expect([401, 429]).toContain(alsoRealUser.status);
      expect(alsoRealUser.body.token).toBeUndefined();
    }
    for (const injection of sqlInjections) {
      const res = await fixtures.actor
        .as(api.http.post('/api/incidents'))
        .send({ title: 'Injected filter', severity: 'low', orderFilter: { q: injection }, expectedCount: 0 });
      expect(res.status, injection).toBeLessThan(500);
      if (res.status === 201) {
        const { rows } = await api.db.query(`SELECT count(*)::int AS n FROM incident_order WHERE incident_id = $1`, [res.body.id]);
        expect(rows[0].n, injection).toBe(0);
      }
    }
    const { rows: incidents } = await api.db.query<{ id: string }>(`SELECT id::text FROM incident ORDER BY created_at LIMIT 1`);
    for (const injection of sqlInjections) {
      const res = await fixtures.actor
        .as(api.http.post(`/api/incidents/${incidents[0]!.id}/members`))
        .send({ action: 'exclude', filter: { q: injection }, reason: 'injection probe' });
      expect(res.status, injection).toBeLessThan(500);
    }
    const { rows: members } = await api.db.query(
      `SELECT count(*)::int AS n FROM incident_order WHERE incident_id = $1 AND status = 'excluded'`,
      [incidents[0]!.id],
    );
    expect(members[0].n).toBe(0);
  });

  it('stores markup in every free-text field literally and serves it only as JSON', async () => {
    const [img, script] = scriptPayloads('__hostile');
    await asPlatform(api.http.post('/api/orders'))
      .send(
        sampleOrder({
          externalId: 'MARKUP-1',
          customer: { externalId: 'MARKUP-C', name: img, email: 'm@example.com' },
          device: { id: 'MARKUP-DEV', model: 'Markup', firmwareVersion: '1' },
        }),
      )
      .expect(201);
    const incident = await fixtures.actor
      .as(api.http.post('/api/incidents'))
      .send({ title: img, severity: 'low', reason: script, orderFilter: { deviceId: 'MARKUP-DEV' }, expectedCount: 1 })
      .expect(201);
    await fixtures.actor
      .as(api.http.patch(`/api/incidents/${incident.body.id}`))
      .send({ summary: `${script}\n${img}`, reason: img })
      .expect(200);
    await fixtures.actor
      .as(api.http.post(`/api/incidents/${incident.body.id}/updates`))
      .send({ message: script })
      .expect(201);
    const user = await fixtures.actor
      .as(api.http.post('/api/users'))
      .send({ email: 'markup@example.test', fullName: img, roles: ['finance'], password: 'long enough password 1' })
      .expect(201);
    const quarantine = await fixtures.actor
      .as(api.http.post('/api/quarantines'))
      .send({ scope: 'model', model: script, reason: img })
      .expect(201);

    const literal = (value: string) => JSON.stringify(value).slice(1, -1);
    const reads: [string, string[]][] = [
      [`/api/incidents/${incident.body.id}`, [img, script]],
      [`/api/incidents/${incident.body.id}/timeline`, [script]],
      [`/api/users/${user.body.id}`, [img]],
      [`/api/quarantines/${quarantine.body.id}`, [img, script]],
      [`/api/customers/${(await api.db.query(`SELECT id::text FROM customer WHERE external_id = 'MARKUP-C'`)).rows[0].id}`, [img]],
    ];
    for (const [path, values] of reads) {
      const res = await fixtures.actor.as(api.http.get(path)).expect(200);
      expect(res.headers['content-type'], path).toMatch(/^application\/json/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      for (const value of values) expect(res.text, `${path} keeps ${value}`).toContain(literal(value));
    }
    // The one non-JSON rendering is a download, never a page.
    const summary = await fixtures.actor.as(api.http.get(`/api/incidents/${incident.body.id}/summary.md`)).expect(200);
    expect(summary.headers['content-type']).toMatch(/^text\/markdown/);
    expect(summary.headers['content-disposition']).toMatch(/^attachment/);
    // And the UI's pages forbid inline script outright.
    const page = await api.http.get('/');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).not.toMatch(/script-src[^;]*unsafe-inline/);
  });

  it('answers a body over the limit with 413 naming the limit on every JSON write route, changing nothing', async () => {
    const before = await fingerprint.current();
    const big = JSON.stringify({ reason: 'x'.repeat(1024 * 1024 + 10) });
    for (const op of jsonOperations()) {
      const res = await send(op, big);
      expect(res.status, op.key).toBe(413);
      expect(res.body.message, op.key).toMatch(/exceeds the limit of \d+ bytes/);
    }
    expect(await fingerprint.current()).toBe(before);
  });

  it('refuses deeply nested JSON (5 000 and 200 000 levels) with a 4xx on every JSON write route and both webhooks', async () => {
    const before = await fingerprint.current();
    for (const depth of [5_000, 200_000]) {
      const body = deeplyNestedJson(depth, 'reason');
      for (const op of operations.filter((o) => o.consumes.length === 0 || o.bodySchema)) {
        if (op.key === 'POST /api/orders/bulk' || op.key === 'POST /api/orders/import') continue;
        refusedClearly(await send(op, body), `${op.key} depth ${depth}`);
      }
      // Nesting inside a member the schema leaves open (thresholds, Stripe's data.object).
      const inner = `{"thresholds":${deeplyNestedJson(depth)}}`;
      const rule = operations.find((op) => op.key === 'PATCH /api/detection-rules/{id}')!;
      const ruleRes = await fixtures.actor
        .as(api.http.patch('/api/detection-rules/device-velocity'))
        .set('Content-Type', 'application/json')
        .send(inner);
      refusedClearly(ruleRes, `${rule.key} thresholds depth ${depth}`);
      const stripe = operations.find((op) => op.key === 'POST /api/webhooks/stripe')!;
      const event = `{"id":"evt_deep${depth}","type":"thing.happened","created":1,"data":{"object":${deeplyNestedJson(depth)}}}`;
      refusedClearly(await send(stripe, event), `stripe depth ${depth}`);
    }
    expect(await fingerprint.current()).toBe(before);
  }, 60_000);

  it('answers 415 naming JSON for a body of another type on every JSON route, changing nothing', async () => {
    const before = await fingerprint.current();
    const bodies: [string, string][] = [
      ['text/plain', '{"reason":"sent as text"}'],
      ['application/x-www-form-urlencoded', 'reason=form+encoded'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="reason"\r\n\r\nmultipart\r\n--x--\r\n'],
      ['application/xml', '<reason>xml</reason>'],
      // body-parser refuses charsets other than UTF-*; UTF-16 is decoded, then refused as not UTF-8 (400).
      ['application/json; charset=latin1', '{"reason":"latin1"}'],
    ];
    for (const op of jsonOperations()) {
      for (const [type, body] of bodies) {
        const res = await send(op, body, type);
        refusedClearly(res, `${op.key} as ${type}`);
        // Webhooks check their signature over JSON first; everyone else says what to send.
        if (op.access.kind !== 'machine' || op.access.credential === 'platform') {
          expect(res.status, `${op.key} as ${type}`).toBe(415);
          expect(res.body.message).toMatch(/JSON|charset/i);
        }
      }
    }
    const importOp = operations.find((op) => op.key === 'POST /api/orders/import')!;
    const csvAsJson = await fixtures.actor
      .as(api.http.post('/api/orders/import?mode=preview'))
      .set('Content-Type', 'application/json')
      .send('{"a":1}');
    expect(csvAsJson.status, importOp.key).toBe(415);
    expect(csvAsJson.body.message).toMatch(/text\/csv/);
    expect(await fingerprint.current()).toBe(before);
  });

  it('refuses invalid UTF-8, NUL and unpaired surrogates in JSON, CSV and NDJSON with 400 naming the problem', async () => {
    const before = await fingerprint.current();
    const incidents = operations.find((op) => op.key === 'POST /api/incidents')!;
    const latin1 = Buffer.concat([Buffer.from('{"title":"caf'), Buffer.from([0xe9]), Buffer.from('","severity":"low"}')]);
    const badUtf8 = await send(incidents, latin1);
    expect(badUtf8.status).toBe(400);
    expect(badUtf8.body.message).toMatch(/not valid UTF-8/);
    for (const title of ['a\u0000b', '\ud800', 'x\udfffy']) {
      const res = await send(incidents, JSON.stringify({ title, severity: 'low' }));
      expect(res.status, JSON.stringify(title)).toBe(400);
      expect(res.body.message).toMatch(/"title" contains U\+0000 or an unpaired surrogate/);
    }
    const header = csvColumns.join(',');
    const row = (name: string) =>
      `shop,CSV-1,2026-11-20T10:00:00Z,USD,C-1,a@example.com,${name},,,,Ada,1 Main St,,Austin,,73301,US,0,0,,unfulfilled,,,SKU-1,1,9.99,1.00`;
    const csvLatin1 = Buffer.concat([Buffer.from(`${header}\n${row('Ren')}`), Buffer.from([0xe9]), Buffer.from('\n')]);
    const csv1 = await fixtures.actor
      .as(api.http.post('/api/orders/import?mode=valid-only'))
      .set('Content-Type', 'text/csv')
      .send(csvLatin1);
    expect(csv1.status).toBe(400);
    expect(csv1.body.message).toMatch(/CSV file is not valid UTF-8/);
    const csvNul = await fixtures.actor
      .as(api.http.post('/api/orders/import?mode=valid-only'))
      .set('Content-Type', 'text/csv')
      .send(`${header}\n${row('A\u0000B')}\n`);
    expect(csvNul.status).toBe(400);
    expect(csvNul.body.message).toMatch(/NUL byte/);
    expect(await fingerprint.current()).toBe(before);

    // NDJSON: the line with a NUL is reported by number; all-or-nothing then writes nothing.
    const lines = toNdjson([
      sampleOrder({ externalId: 'NUL-OK' }),
      sampleOrder({ externalId: 'NUL-BAD', customer: { externalId: 'C', name: 'a\u0000b' } }),
    ]);
    const bulk = await asPlatform(api.http.post('/api/orders/bulk?mode=all-or-nothing'))
      .set('Content-Type', 'application/x-ndjson')
      .send(lines);
    expect(bulk.status).toBe(422);
    expect(bulk.body.message).toMatch(/Nothing written/);
    expect(bulk.body.errors).toEqual([expect.objectContaining({ line: 2, message: expect.stringMatching(/U\+0000/) })]);
    expect(await fingerprint.current()).toBe(before);

    // NDJSON: a line that is not UTF-8 (Latin-1 "é", a lone 0xE9) is refused by number, never stored with U+FFFD.
    const latin1Lines = Buffer.concat([
      Buffer.from(toNdjson([sampleOrder({ externalId: 'UTF8-OK' })])),
      Buffer.from(
        toNdjson([sampleOrder({ externalId: 'UTF8-BAD', customer: { externalId: 'C', name: 'Ren#' } })]).replace('#', '\u00e9'),
        'latin1',
      ),
    ]);
    const notUtf8 = await asPlatform(api.http.post('/api/orders/bulk?mode=all-or-nothing'))
      .set('Content-Type', 'application/x-ndjson')
      .send(latin1Lines);
    expect(notUtf8.status).toBe(422);
    expect(notUtf8.body.errors).toEqual([
      expect.objectContaining({ line: 2, field: '(line)', message: expect.stringMatching(/not valid UTF-8/) }),
    ]);
    expect(await fingerprint.current()).toBe(before);
  });

  it('handles a CSV just under the limit and refuses one over it with 413 naming the limit', async () => {
    const header = csvColumns.join(',');
    const line = (i: number) =>
      `huge,H-${i},2026-11-20T10:00:00Z,USD,HC-${i % 50},h${i % 50}@example.com,Huge ${i},DEV-${i % 40},Model H,1.0,Ada,1 Main St,,Austin,,73301,US,1.00,0.50,,unfulfilled,,,SKU-${i % 9},1,9.99,1.00`;
    const rows: string[] = [];
    let size = header.length + 1;
    for (let i = 0; size < csvLimit - 400; i++) {
      rows.push(line(i));
      size += rows.at(-1)!.length + 1;
    }
    const under = `${header}\n${rows.join('\n')}\n`;
    expect(Buffer.byteLength(under)).toBeLessThan(csvLimit);
    const before = await fingerprint.current();
    const preview = await fixtures.actor
      .as(api.http.post('/api/orders/import?mode=preview'))
      .set('Content-Type', 'text/csv')
      .send(under)
      .expect(200);
    expect(preview.body).toMatchObject({ mode: 'preview', rows: rows.length, validOrders: rows.length });
    const over = `${under}${rows.slice(0, 200).join('\n')}\n`;
    const res = await fixtures.actor.as(api.http.post('/api/orders/import?mode=valid-only')).set('Content-Type', 'text/csv').send(over);
    expect(res.status).toBe(413);
    expect(res.body.message).toMatch(new RegExp(`exceeds the limit of ${csvLimit} bytes`));
    // One gigantic cell, and thousands of columns: named problems, not a crash.
    const giantCell = `${header}\n${line(1).replace('Huge 1', 'y'.repeat(1_500_000))}\n`;
    refusedOrPreviewed(
      await fixtures.actor.as(api.http.post('/api/orders/import?mode=preview')).set('Content-Type', 'text/csv').send(giantCell),
    );
    const wide = `${header},${Array.from({ length: 5000 }, (_, i) => `c${i}`).join(',')}\n${line(2)}\n`;
    refusedOrPreviewed(
      await fixtures.actor.as(api.http.post('/api/orders/import?mode=preview')).set('Content-Type', 'text/csv').send(wide),
    );
    expect(await fingerprint.current()).toBe(before);

    function refusedOrPreviewed(r: { status: number; body: { message?: unknown; errors?: unknown[] } }) {
      expect(r.status).toBeLessThan(500);
      if (r.status >= 400) expect(typeof r.body.message).toBe('string');
      else expect(r.body.errors?.length).toBeGreaterThan(0);
    }
  }, 60_000);

  it('refuses re-stamped, future-dated and mismatched platform webhook deliveries, and acknowledges a replay without change', async () => {
    const body = JSON.stringify({ id: 'evt_replay_1', type: 'order.created', data: { order: sampleOrder({ externalId: 'REPLAY-1' }) } });
    const now = Math.floor(Date.now() / 1000);
    const headers = signWebhook(body, now - 10);
    await api.http.post('/api/webhooks/platform').set(headers).send(body).expect(200);
    const before = await fingerprint.current();
    const replay = await api.http.post('/api/webhooks/platform').set(headers).send(body).expect(200);
    expect(replay.body).toMatchObject({ received: 'evt_replay_1', duplicate: true });
    const attempts: Record<string, string>[] = [
      // The captured signature with a fresh timestamp: the signature covers the timestamp.
      { ...headers, 'X-Platform-Timestamp': String(now) },
      signWebhook(body, now + 301),
      { ...signWebhook(body, now), 'X-Platform-Signature': `v1=${'0'.repeat(64)},v1=zz,v2=${'f'.repeat(64)}` },
      { ...signWebhook(body, now), 'X-Platform-Timestamp': '1e10' },
      { ...signWebhook(body, now), 'X-Platform-Signature': `v1=${createHmac('sha256', platformWebhookSecret).update(body).digest('hex')}` },
    ];
    for (const attempt of attempts) {
      const res = await api.http.post('/api/webhooks/platform').set(attempt).send(body.replace('evt_replay_1', 'evt_replay_2'));
      expect(res.status, JSON.stringify(attempt)).toBe(401);
      expect(res.body.message).toMatch(/Webhook signature refused/);
    }
    expect(await fingerprint.current()).toBe(before);
  });

  it('refuses a re-stamped Stripe delivery, and a signed event whose refund lacks what the service reads (400, nothing stored)', async () => {
    const stripe = operations.find((op) => op.key === 'POST /api/webhooks/stripe')!;
    const body = JSON.stringify({
      id: 'evt_restamp1',
      type: 'refund.updated',
      created: 1,
      data: { object: { id: 're_x1', object: 'refund', amount: 100, currency: 'usd', status: 'succeeded', created: 1 } },
    });
    const old = Math.floor(Date.now() / 1000) - 600;
    const signature = createHmac('sha256', stripeWebhookSecret).update(`${old}.${body}`).digest('hex');
    const before = await fingerprint.current();
    const restamped = await api.http
      .post('/api/webhooks/stripe')
      .set('Content-Type', 'application/json')
      .set('Stripe-Signature', `t=${Math.floor(Date.now() / 1000)},v1=${signature}`)
      .send(body);
    expect(restamped.status).toBe(401);
    for (const object of [
      { id: 're_x2', object: 'refund', amount: 100, status: 'succeeded', created: 1 },
      { id: 're_x3', object: 'refund', amount: '100', currency: 'usd', created: 1 },
      { id: 're_x4', object: 'refund', amount: 100, currency: 'usd' },
      { id: 'dp_x1', object: 'dispute', amount: 100, currency: 'usd', charge: 'ch_1' },
    ]) {
      const type = object.object === 'refund' ? 'refund.updated' : 'charge.dispute.created';
      const res = await send(stripe, JSON.stringify({ id: `evt_${object.id}`, type, created: 1, data: { object } }));
      expect(res.status, JSON.stringify(object)).toBe(400);
      expect(res.body.message).toMatch(/Invalid Stripe event: data\.object\.\w+/);
    }
    expect(await fingerprint.current()).toBe(before);
  });
});
