/**
 * npm run bench -- orders-api [--orders 1000000] [--requests 60]
 *
 * Latency of the orders list endpoint with common filters at N orders, next
 * to a bare NestJS endpoint in the same run that answers the same queries with
 * the same SQL but none of the product's request pipeline (session lookup,
 * permission check, validation, helmet, logging, metrics). Goal: p99 ≤ 2 × bare.
 */
import 'reflect-metadata';
import { Controller, Get, Module, Query } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { passwordHasher } from '../backend/src/auth/password-hasher.js';
import { dataSourceOptions } from '../backend/src/database/data-source-options.js';
import { generateOrders } from '../backend/src/fleet-generator/generate-orders.js';
import { OrdersQueryService } from '../backend/src/orders/orders-query.service.js';
import { orderListSchema } from '../backend/src/orders/orders.schemas.js';
import { startBenchApp } from './lib/bench-app.js';
import { freshDatabase } from './lib/bench-database.js';
import { copyLoad, writeCopyFiles } from './lib/copy-load.js';
import { option, percentile, report } from './lib/report.js';

const orders = option('orders', 1_000_000);
const requestsPerQuery = option('requests', 60);
const now = new Date('2026-11-20T00:00:00Z');

/** What support agents and finance filter by most, with react-admin's default page. */
const queries = [
  '',
  'fulfilmentState=in_transit',
  'fulfilmentState=unfulfilled&fulfilmentState=label_created',
  'model=InkJet%203000&firmware=4.2.1',
  'sku=FUSER-KIT-3000',
  'currency=USD&totalMin=10000&totalMax=50000',
  'placedFrom=2026-11-13&placedTo=2026-11-19',
  'deviceId=PRN-0000001',
  'currency=EUR&_sort=totalMinor&_order=DESC',
].map((q) => `_page=1&_perPage=25${q ? `&${q}` : ''}`);

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'rd-bench-orders-api-'));
  const databaseUrl = await freshDatabase('bench_orders_api');
  try {
    console.log(`Loading ${orders.toLocaleString('en')} generated orders…`);
    await copyLoad(databaseUrl, await writeCopyFiles(generateOrders({ seed: 7, orders, now }), work), { vacuum: true });

    const { app, baseUrl } = await startBenchApp(databaseUrl);
    const bare = await startBareApp(databaseUrl);
    const portOf = (server: { address(): unknown }) => (server.address() as { port: number }).port;
    const token = await signIn(baseUrl, databaseUrl);
    const appUrl = `${baseUrl}/api/orders`;
    const bareUrl = `http://127.0.0.1:${portOf(bare.getHttpServer())}/bare/orders`;

    // Warm both (plans, caches), then interleave so noise hits both alike.
    for (const q of queries) {
      await get(`${appUrl}?${q}`, token);
      await get(`${bareUrl}?${q}`);
    }
    const appMs: number[] = [];
    const bareMs: number[] = [];
    for (let i = 0; i < requestsPerQuery; i++) {
      for (const q of queries) {
        appMs.push(await get(`${appUrl}?${q}`, token));
        bareMs.push(await get(`${bareUrl}?${q}`));
      }
    }
    await app.close();
    await bare.close();
    appMs.sort((a, b) => a - b);
    bareMs.sort((a, b) => a - b);
    report(
      'orders-api',
      {
        orders,
        requests: appMs.length,
        p50_ms: percentile(appMs, 50),
        p99_ms: percentile(appMs, 99),
        bare_p50_ms: percentile(bareMs, 50),
        bare_p99_ms: percentile(bareMs, 99),
        p99_vs_bare: percentile(appMs, 99) / percentile(bareMs, 99),
        goal_p99_vs_bare: 2,
      },
      [`${queries.length} filter combinations × ${requestsPerQuery} requests each, one at a time, page of 25 with exact total`],
    );
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function get(url: string, token?: string): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, token ? { headers: { Authorization: `Bearer ${token}` } } : {});
  const body = (await res.json()) as { total?: number };
  if (res.status !== 200 || typeof body.total !== 'number')
    throw new Error(`${url} answered ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
  return performance.now() - started;
}

async function signIn(baseUrl: string, databaseUrl: string): Promise<string> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query(
    `INSERT INTO app_user (email, full_name, password_hash, roles) VALUES ('bench@example.test', 'Bench', $1, '{support_agent}')`,
    [await passwordHasher.hash('bench password 123')],
  );
  await client.end();
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'bench@example.test', password: 'bench password 123' }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** The baseline: Nest with one controller and the same query service, nothing else. */
async function startBareApp(databaseUrl: string) {
  @Controller('bare/orders')
  class BareController {
    constructor(private readonly orders: OrdersQueryService) {}
    @Get()
    list(@Query() query: Record<string, unknown>) {
      return this.orders.list(orderListSchema.parse(query));
    }
  }
  @Module({
    imports: [TypeOrmModule.forRoot(dataSourceOptions({ databaseUrl, databasePoolSize: 10 }, 'bench-bare'))],
    controllers: [BareController],
    providers: [OrdersQueryService],
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
