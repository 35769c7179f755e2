import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouteInventory, type RouteEntry } from '../../backend/src/auth/route-inventory.js';
import { queues } from '../../backend/src/jobs/job-catalogue.js';
import { createRedis } from '../../backend/src/jobs/redis-connection.js';
import { DatabaseFingerprint } from '../support/fuzz/db-fingerprint.js';
import { seedFuzzWorld, type FuzzFixtures } from '../support/fuzz/fuzz-fixtures.js';
import { fuzzOperation, type OperationFigures } from '../support/fuzz/fuzz-runner.js';
import { undocumentedRoutes, writeOperations, type FuzzOperation, type OpenApiDocument } from '../support/fuzz/openapi-operations.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

/**
 * Property-based fuzzing of every write operation of the OpenAPI document
 * (so an endpoint added tomorrow is fuzzed without touching this file).
 * Quick size in CI; `RELIABILITY_FULL=1` for the full size (>= 10k cases).
 * `FUZZ_SEED=<n>` replays a run; `FUZZ_CASES=<n>` sets another total.
 */
const full = process.env.RELIABILITY_FULL === '1';
const targetCases = Number(process.env.FUZZ_CASES ?? (full ? 10_000 : 2_000));
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);

describe(`fuzzing every write endpoint from the OpenAPI document (${full ? 'full' : 'quick'} size, seed ${seed})`, () => {
  let api: TestApp;
  let doc: OpenApiDocument;
  let routes: RouteEntry[];
  let operations: FuzzOperation[];
  let fixtures: FuzzFixtures;
  let fingerprint: DatabaseFingerprint;
  let worker: Worker;
  let workerRedis: Redis;

  beforeAll(async () => {
    api = await startTestApp({ LOGIN_MAX_ATTEMPTS_PER_IP: '1000000', LOGIN_MAX_FAILURES_PER_ACCOUNT: '1000000' });
    // The queue check waits for a worker: one answers this app's system queue (and touches no table).
    workerRedis = createRedis(api.env.REDIS_URL!, 'worker', 'fuzz-system-worker');
    worker = new Worker(queues.system, async () => ({ status: 'success', detail: { handledBy: 'fuzz' } }), {
      connection: workerRedis,
      prefix: api.env.QUEUE_PREFIX,
    });
    doc = (await api.http.get('/api/docs-json').expect(200)).body as OpenApiDocument;
    routes = api.app.get(RouteInventory).routes();
    operations = writeOperations(doc, routes);
    fixtures = await seedFuzzWorld(api);
    fingerprint = new DatabaseFingerprint(api.db);
    await fingerprint.prepare();
  }, 180_000);
  afterAll(async () => {
    await worker?.close();
    workerRedis?.disconnect();
    await api?.close();
  });

  it('documents every /api route of the route inventory in OpenAPI', () => {
    expect(undocumentedRoutes(doc, routes)).toEqual([]);
    expect(operations.length).toBeGreaterThanOrEqual(30);
  });

  it(
    'answers no request with >= 500; every 4xx names the problem and changes nothing',
    async () => {
      const perOperation = Math.ceil(targetCases / operations.length);
      const started = performance.now();
      const results: OperationFigures[] = [];
      for (const [index, op] of operations.entries()) {
        results.push(
          await fuzzOperation(op, { api, doc, fingerprint, actorId: fixtures.actor.id, hints: fixtures.hints }, perOperation, seed + index),
        );
      }
      const seconds = (performance.now() - started) / 1000;
      const total = results.reduce((sum, r) => sum + r.cases, 0);
      const count = (bucket: string) => results.reduce((sum, r) => sum + (r.statuses[bucket] ?? 0), 0);
      console.log(
        [
          `fuzz ${full ? 'FULL' : 'quick'} seed=${seed}: ${total} cases over ${results.length} write operations in ${seconds.toFixed(1)} s`,
          `  2xx ${count('2xx')}, 4xx ${count('4xx')}, 5xx ${count('5xx')}; full database checksums ${fingerprint.checksums}`,
          ...results.map((r) => {
            const codes = Object.entries(r.statuses)
              .filter(([code]) => /^\d+$/.test(code))
              .map(([code, n]) => `${code}×${n}`)
              .join(' ');
            return `  ${r.key.padEnd(44)} ${String(r.cases).padStart(5)} cases ${(r.ms / 1000).toFixed(1).padStart(6)} s  ${codes}${r.failures ? `  FAILURES ${r.failures}` : ''}`;
          }),
        ].join('\n'),
      );

      expect(results.flatMap((r) => r.violations)).toEqual([]);
      // Every documented write operation was exercised as planned, and not only by auth failures.
      expect(results.filter((r) => r.cases < perOperation).map((r) => r.key)).toEqual([]);
      const onlyRefused = results.filter((r) => (r.statuses['401'] ?? 0) + (r.statuses['403'] ?? 0) === r.cases).map((r) => r.key);
      expect(onlyRefused).toEqual([]);
      expect(total).toBeGreaterThanOrEqual(targetCases);
    },
    full ? 3_600_000 : 600_000,
  );
});
