/**
 * npm run bench -- device-check [--devices 100000] [--seconds 10]
 *
 * Requests per second and p99 of the storefront's device check
 * (GET /api/storefront/devices/:id/authorization) through the product's full
 * request pipeline, next to a bare NestJS endpoint in the same run that
 * answers a constant "allow" with none of it. Device ids are drawn at random
 * from a working set that includes quarantined devices (by id, firmware and
 * model). Goal: rps ≥ 0.8 × bare. The cold path — every id asked for the
 * first time, so every answer comes from PostgreSQL — is measured beside it.
 */
import 'reflect-metadata';
import { Controller, Get, Module, Param } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { Redis } from 'ioredis';
import pg from 'pg';
import { pino } from 'pino';
import { AppConfig } from '../backend/src/config/app-config.js';
import { dataSourceOptions } from '../backend/src/database/data-source-options.js';
import { PRODUCER_REDIS } from '../backend/src/jobs/job-queue.service.js';
import { createRedis } from '../backend/src/jobs/redis-connection.js';
import { LOGGER } from '../backend/src/observability/observability.module.js';
import { QuarantineChanges } from '../backend/src/quarantine/quarantine-changes.js';
import { StorefrontController } from '../backend/src/quarantine/storefront.controller.js';
import { Prng } from '../backend/src/fleet-generator/prng.js';
import { DeviceAuthorizationService } from '../backend/src/quarantine/device-authorization.service.js';
import { startBenchApp } from './lib/bench-app.js';
import { freshDatabase } from './lib/bench-database.js';
import { startLoadClient, type LoadResult } from './lib/load-client.js';
import { option, report } from './lib/report.js';

const devices = option('devices', 100_000);
const seconds = option('seconds', 10);
const workingSet = Math.min(devices, 10_000);
const connections = 50;
const storefrontKey = 'demo-only-storefront-api-key';

const deviceId = (n: number) => `DEV-${String(n).padStart(7, '0')}`;

async function main() {
  const databaseUrl = await freshDatabase('bench_device_check');
  console.log(`Loading ${devices.toLocaleString('en')} devices and their quarantines…`);
  await loadFleet(databaseUrl);

  const { app, baseUrl, config } = await startBenchApp(databaseUrl);
  const bare = await startBareApp(config);
  const bareUrl = `http://127.0.0.1:${(bare.getHttpServer().address() as { port: number }).port}`;

  // A working set of devices that order now, and, apart, ids no one has asked about yet.
  const prng = new Prng(11);
  const order = Array.from({ length: devices }, (_, i) => i + 1);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(prng.next() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const path = (n: number) => `/api/storefront/devices/${deviceId(n)}/authorization`;
  const hotPaths = order.slice(0, workingSet).map(path);
  const coldPaths = order.slice(workingSet).map(path);
  const barePaths = order.slice(0, workingSet).map((n) => `/bare/devices/${deviceId(n)}/authorization`);
  const handlerPaths = hotPaths; // the same routes, served by the bare app (no product pipeline)
  const headers = { Authorization: `Bearer ${storefrontKey}` };
  const client = startLoadClient();
  const run = (url: string, paths: string[], pick: 'random' | 'sequential', durationSeconds: number) =>
    client.run({ baseUrl: url, paths, pick, headers, connections, durationSeconds });

  const denied = await sampleDecisions(baseUrl, hotPaths.slice(0, 500));
  const service = app.get(DeviceAuthorizationService);
  console.log(`Warming up: the bare app for 2 s, the decision cache with all ${workingSet.toLocaleString('en')} working-set devices…`);
  await run(bareUrl, barePaths, 'random', 2);
  await warmCache(service, order.slice(0, workingSet).map(deviceId));
  await warmCache(bare.get(DeviceAuthorizationService), order.slice(0, workingSet).map(deviceId));

  // Short alternating rounds, so load from anything else on the machine falls on both alike.
  const rounds = Math.max(1, Math.round(seconds / 2));
  const roundSeconds = seconds / rounds;
  console.log(`Measuring bare and the product in ${rounds} alternating rounds of ${roundSeconds} s, ${connections} connections…`);
  const before = { ...service.stats };
  const bareRounds: LoadResult[] = [];
  const hotRounds: LoadResult[] = [];
  const handlerRounds: LoadResult[] = [];
  for (let round = 0; round < rounds; round++) {
    bareRounds.push(await run(bareUrl, barePaths, 'random', roundSeconds));
    hotRounds.push(await run(baseUrl, hotPaths, 'random', roundSeconds));
    handlerRounds.push(await run(bareUrl, handlerPaths, 'random', roundSeconds));
  }
  const hits = service.stats.hits - before.hits;
  const misses = service.stats.misses - before.misses;
  const bareResult = combine(bareRounds, seconds);
  const hot = combine(hotRounds, seconds);
  const handlerOnly = combine(handlerRounds, seconds);
  console.log(`Measuring the cold path (every id new, answered from PostgreSQL), ${Math.min(seconds, 5)} s…`);
  const cold = await run(baseUrl, coldPaths, 'sequential', Math.min(seconds, 5));
  assertClean({ bare: bareResult, hot, handlerOnly, cold });

  client.close();
  await app.close();
  const bareRedis = bare.get<Redis>(PRODUCER_REDIS);
  await bare.close();
  await bareRedis.quit();
  report(
    'device-check',
    {
      devices,
      working_set: workingSet,
      denied_share_of_sample: denied,
      connections,
      seconds,
      rps: Math.round(hot.rps),
      p50_ms: hot.p50_ms,
      p99_ms: hot.p99_ms,
      cache_hit_ratio: hits / Math.max(1, hits + misses),
      bare_rps: Math.round(bareResult.rps),
      bare_p99_ms: bareResult.p99_ms,
      rps_vs_bare: hot.rps / bareResult.rps,
      goal_rps_vs_bare: 0.8,
      handler_only_rps: Math.round(handlerOnly.rps),
      handler_only_vs_bare: handlerOnly.rps / bareResult.rps,
      cold_rps: Math.round(cold.rps),
      cold_p99_ms: cold.p99_ms,
    },
    [
      `${Math.max(1, Math.round(seconds / 2))} alternating rounds per side; p99 is the worst round's`,
      'rps/p99: product pipeline (helmet, request id + access log + metrics, storefront key check, zod) with the decision cache warm',
      'bare: NestJS with one controller answering a constant allow, same process, same load generator (its own process)',
      'handler_only: the real storefront controller and decision cache inside the bare app (no helmet, logging, metrics, guard)',
      'cold: each request a device id never asked before: one PostgreSQL statement per answer',
    ],
  );
}

/** 100k devices over 10 models × 5 firmware versions; 1% quarantined by id, one firmware and one model as a whole. */
async function loadFleet(databaseUrl: string) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO device (id, model, firmware_version)
       SELECT 'DEV-' || lpad(n::text, 7, '0'), 'Model ' || (n % 10), '1.' || (n % 5)
       FROM generate_series(1, $1::int) AS n`,
      [devices],
    );
    await client.query(
      `INSERT INTO quarantine (scope, device_id, reason, expires_at)
       SELECT 'device', 'DEV-' || lpad(n::text, 7, '0'), 'bench: hijacked device', CASE WHEN n % 2 = 0 THEN now() + interval '1 day' END
       FROM generate_series(7, $1::int, 100) AS n`,
      [devices],
    );
    await client.query(
      `INSERT INTO quarantine (scope, model, firmware_version, reason) VALUES ('firmware', 'Model 3', '1.3', 'bench: bad build')`,
    );
    await client.query(`INSERT INTO quarantine (scope, model, reason) VALUES ('model', 'Model 8', 'bench: fleet hijacked')`);
    // Some history, as a real table would have: released quarantines the lookups must skip.
    await client.query(
      `INSERT INTO quarantine (scope, device_id, reason, released_at, release_reason)
       SELECT 'device', 'DEV-' || lpad(n::text, 7, '0'), 'bench: old', now(), 'bench: cleared'
       FROM generate_series(11, $1::int, 50) AS n`,
      [devices],
    );
    await client.query('ANALYZE');
  } finally {
    await client.end();
  }
}

/** Checks answers before measuring (so a broken check cannot look fast); returns the share denied. */
async function sampleDecisions(baseUrl: string, paths: string[]): Promise<number> {
  let denied = 0;
  for (const path of paths) {
    const res = await fetch(baseUrl + path, { headers: { Authorization: `Bearer ${storefrontKey}` } });
    const body = (await res.json()) as { decision?: string };
    if (res.status !== 200 || !body.decision) throw new Error(`${path} answered ${res.status} ${JSON.stringify(body)}`);
    if (body.decision === 'deny') denied++;
  }
  if (denied === 0) throw new Error('no quarantined device in the sample: the fixture is wrong');
  return denied / paths.length;
}

/** Fills the decision cache as steady traffic would, without spending the measured seconds on it. */
async function warmCache(service: DeviceAuthorizationService, ids: string[]) {
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < ids.length) await service.check(ids[next++]!);
    }),
  );
}

/** Rounds added up: requests over the whole time; p50 the median round's, p99 the worst round's (conservative). */
function combine(rounds: LoadResult[], seconds: number): LoadResult {
  const sorted = (pick: (r: LoadResult) => number) => rounds.map(pick).sort((a, b) => a - b);
  const requests = rounds.reduce((sum, r) => sum + r.requests, 0);
  return {
    rps: requests / seconds,
    requests,
    p50_ms: sorted((r) => r.p50_ms)[Math.floor(rounds.length / 2)]!,
    p99_ms: Math.max(...rounds.map((r) => r.p99_ms)),
    non2xx: rounds.reduce((sum, r) => sum + r.non2xx, 0),
    errors: rounds.reduce((sum, r) => sum + r.errors, 0),
  };
}

function assertClean(results: Record<string, LoadResult>) {
  for (const [name, result] of Object.entries(results)) {
    if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
  }
}

/**
 * The baseline: Nest with one controller answering a constant allow, nothing
 * else. The same app also serves the real storefront controller and decision
 * cache without the product's pipeline, to tell the handler's cost from the pipeline's.
 */
async function startBareApp(config: AppConfig) {
  @Controller('bare/devices')
  class BareController {
    @Get(':id/authorization')
    authorization(@Param('id') deviceId: string) {
      return { deviceId, decision: 'allow', reason: 'no active quarantine' };
    }
  }
  @Module({
    imports: [TypeOrmModule.forRoot(dataSourceOptions({ databaseUrl: config.databaseUrl, databasePoolSize: 10 }, 'bench-bare'))],
    controllers: [BareController, StorefrontController],
    providers: [
      { provide: AppConfig, useValue: config },
      { provide: PRODUCER_REDIS, useFactory: () => createRedis(config.redisUrl, 'producer', 'bench-bare') },
      { provide: LOGGER, useValue: pino({ level: 'silent' }) },
      QuarantineChanges,
      DeviceAuthorizationService,
    ],
  })
  class BareModule {}
  const bare = await NestFactory.create(BareModule, { logger: false });
  await bare.listen(0, '127.0.0.1');
  return bare;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
