/**
 * npm run bench -- ingest [--orders 1000000]
 *
 * Loads N generated orders through the real bulk endpoint (HTTP, NDJSON,
 * validation, upserts of customers, devices, orders and lines) and, in the same
 * run, the same rows with raw COPY into the same tables — the fastest way
 * PostgreSQL can take them. Goal: ingest ≥ 0.5 × COPY.
 */
import 'reflect-metadata';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { generateOrders } from '../backend/src/fleet-generator/generate-orders.js';
import { startBenchApp } from './lib/bench-app.js';
import { freshDatabase } from './lib/bench-database.js';
import { copyLoad, writeCopyFiles } from './lib/copy-load.js';
import { option, report, timed } from './lib/report.js';

const orders = option('orders', 1_000_000);
const seed = 2026;
const now = new Date('2026-11-20T00:00:00Z');
const work = mkdtempSync(join(tmpdir(), 'rd-bench-ingest-'));

async function main() {
  console.log(`Generating ${orders.toLocaleString('en')} orders (seed ${seed})…`);
  const ndjson = join(work, 'orders.ndjson');
  await pipeline(
    Readable.from(
      (function* () {
        for (const { order } of generateOrders({ seed, orders, now })) yield JSON.stringify(order) + '\n';
      })(),
    ),
    createWriteStream(ndjson),
  );
  const copyFiles = await writeCopyFiles(generateOrders({ seed, orders, now }), work);
  console.log(`NDJSON ${(statSync(ndjson).size / 1e6).toFixed(0)} MB; measuring the bulk endpoint…`);

  const ingest = await measureBulkEndpoint(ndjson);
  console.log(`…and raw COPY of the same rows…`);
  const copyDatabase = await freshDatabase('bench_ingest_copy');
  const copy = await timed(() => copyLoad(copyDatabase, copyFiles));

  report(
    'ingest',
    {
      orders,
      ingest_seconds: ingest.seconds,
      orders_per_s: Math.round(orders / ingest.seconds),
      copy_seconds: copy.seconds,
      copy_rows_per_s: Math.round(orders / copy.seconds),
      ingest_vs_copy: copy.seconds / ingest.seconds,
      goal_ingest_vs_copy: 0.5,
    },
    [
      'orders_per_s: HTTP POST /api/orders/bulk (NDJSON, validated, upserted with lines, customers and devices, audited per batch)',
      'copy_rows_per_s: orders per second when the same customers, devices, orders and lines are COPYed into empty tables',
    ],
  );
}

async function measureBulkEndpoint(ndjson: string) {
  const databaseUrl = await freshDatabase('bench_ingest_api');
  const { app, config, baseUrl } = await startBenchApp(databaseUrl);
  try {
    const { result, seconds } = await timed(async () => {
      const res = await fetch(`${baseUrl}/api/orders/bulk`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-ndjson', Authorization: `Bearer ${config.platformApiKey}` },
        body: Readable.toWeb(createReadStream(ndjson)) as ReadableStream,
        duplex: 'half',
      } as RequestInit);
      return res.json() as Promise<{ created: number; rejected: number }>;
    });
    if (result.created !== orders || result.rejected !== 0)
      throw new Error(`bulk endpoint answered ${JSON.stringify(result).slice(0, 300)}`);
    return { seconds };
  } finally {
    await app.close();
  }
}

main()
  .catch((error) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => rmSync(work, { recursive: true, force: true }));
