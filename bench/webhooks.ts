/**
 * npm run bench -- webhooks [--orders 20000] [--seconds 6] [--connections 32]
 *
 * Stripe webhook intake: signed events POSTed to the real API (production createApp, in this
 * process) over `connections` kept-alive connections at once, as the Stripe stand-in delivers
 * them (32 in flight), each a new event — `refund.created` for a refund of one of N orders
 * confirmed in an incident (merged, the order's payment summary and ledger written), and
 * `customer.updated` (stored only). Reported: events/s, latency, and CPU per event of this
 * process (the API) and of PostgreSQL; next to a bare endpoint in the same process measured in
 * the same run — plain node:http, the same SDK signature check, JSON.parse, one INSERT of the
 * event per request — the floor of any intake that stores what it receives.
 *
 * The load comes from a child process (autocannon), so it never shares this event loop.
 */
import autocannon from 'autocannon';
import { fork } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import Stripe from 'stripe';
import { generateOrders } from '../backend/src/fleet-generator/generate-orders.js';
import { startBenchApp } from './lib/bench-app.js';
import { freshDatabase } from './lib/bench-database.js';
import { copyLoad, writeCopyFiles } from './lib/copy-load.js';
import { cpuSnapshot, cpuUsedBetween } from './lib/cpu-usage.js';
import { loadResultOf, type LoadResult } from './lib/load-client.js';
import { option, report } from './lib/report.js';

const secret = 'whsec_bench_webhooks_intake_0000000000';

interface LoadPlan {
  url: string;
  kind: 'refund' | 'customer';
  /** refund: the orders' ids and payment intents, drawn in turn. */
  orders: { id: string; paymentIntent: string }[];
  incidentId: string;
  connections: number;
  seconds: number;
}

if (process.argv.includes('--load-child')) {
  process.once('message', (plan) => {
    load(plan as LoadPlan).then(
      (figures) => process.send!(figures, () => process.exit(0)),
      (error) => {
        console.error(error);
        process.exit(1);
      },
    );
  });
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** One event body, signed as Stripe signs it. */
function signedEvent(plan: LoadPlan, n: number): { body: string; signature: string } {
  const created = Math.floor(Date.now() / 1000);
  const id = `evt_bench${process.pid}x${n}`;
  let object: Record<string, unknown>;
  if (plan.kind === 'refund') {
    const order = plan.orders[n % plan.orders.length]!;
    object = {
      id: `re_bench${process.pid}x${n}`,
      object: 'refund',
      amount: 8396,
      currency: 'usd',
      charge: `ch_${order.paymentIntent.slice(3)}`,
      payment_intent: order.paymentIntent,
      created,
      metadata: { order_id: order.id, incident_id: plan.incidentId },
      reason: 'fraudulent',
      status: 'succeeded',
    };
  } else {
    object = { id: `cus_bench${n}`, object: 'customer', email: `bench-${n}@example.test`, name: `Customer ${n}`, metadata: {} };
  }
  const type = plan.kind === 'refund' ? 'refund.created' : 'customer.updated';
  const body = JSON.stringify({ id, object: 'event', api_version: '2026-10-28.endive', created, type, data: { object } }, null, 2);
  const signature = createHmac('sha256', secret).update(`${created}.${body}`).digest('hex');
  return { body, signature: `t=${created},v1=${signature}` };
}

async function load(plan: LoadPlan): Promise<LoadResult> {
  let n = 0;
  const result = await autocannon({
    url: plan.url,
    connections: plan.connections,
    duration: plan.seconds,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const event = signedEvent(plan, n++);
          return {
            ...request,
            body: event.body,
            headers: { 'content-type': 'application/json', 'stripe-signature': event.signature },
          };
        },
      },
    ],
  });
  return loadResultOf(result);
}

/** Runs one load from a child process, measuring this process's and PostgreSQL's CPU meanwhile. */
async function measure(plan: LoadPlan) {
  const child = fork(new URL(import.meta.url).pathname, ['--load-child'], {
    execArgv: ['--import', '@swc-node/register/esm-register'],
  });
  const before = { own: process.cpuUsage(), machine: cpuSnapshot() };
  child.send(plan);
  const figures = await new Promise<LoadResult>((resolve, reject) => {
    child.once('message', (message) => resolve(message as LoadResult));
    child.once('exit', (code) => (code ? reject(new Error(`load child exited with ${code}`)) : undefined));
  });
  const own = process.cpuUsage(before.own);
  const after = cpuSnapshot();
  const events = figures.requests - figures.non2xx - figures.errors;
  return {
    ...figures,
    api_cpu_ms_per_event: (own.user + own.system) / 1000 / Math.max(1, figures.requests),
    postgres_cpu_ms_per_event: cpuUsedBetween(before.machine, after).postgres / Math.max(1, events),
  };
}

/** The floor: signature, parse, one INSERT per event, on plain node:http. */
async function startBareIntake(databaseUrl: string): Promise<{ url: string; close(): Promise<void> }> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 10 });
  const signature = Stripe.webhooks.signature!;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      try {
        signature.verifyHeader(raw, String(req.headers['stripe-signature']), secret, 300);
      } catch {
        res.writeHead(401).end();
        return;
      }
      const event = JSON.parse(raw.toString('utf8')) as { id: string; type: string };
      pool
        .query(`INSERT INTO provider_event (provider, event_id, type, payload) VALUES ('stripe', $1, $2, $3) ON CONFLICT DO NOTHING`, [
          event.id,
          event.type,
          raw.toString('utf8'),
        ])
        .then(
          () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ received: event.id })),
          () => res.writeHead(500).end(),
        );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/api/webhooks/stripe`,
    close: async () => {
      await new Promise((resolve) => server.close(resolve));
      await pool.end();
    },
  };
}

/** N generated orders (each with a payment), confirmed in one incident, so a refund of one is booked in the ledger. */
async function seedOrders(databaseUrl: string, count: number) {
  const work = mkdtempSync(join(tmpdir(), 'rd-bench-webhooks-'));
  const db = new pg.Client({ connectionString: databaseUrl });
  try {
    await copyLoad(databaseUrl, await writeCopyFiles(generateOrders({ seed: 11, orders: count, now: new Date() }), work), { vacuum: true });
    await db.connect();
    // The generator's orders carry no payment: each gets one, as a paid order would.
    await db.query(`UPDATE orders SET payment_reference = 'pi_bench' || replace(id::text, '-', '') WHERE payment_reference IS NULL`);
    const {
      rows: [incident],
    } = await db.query(
      `INSERT INTO incident (title, severity, status, detected_at, declared_at) VALUES ('Webhook bench', 'high', 'remediating', now(), now())
       RETURNING id`,
    );
    await db.query(
      `INSERT INTO incident_order (incident_id, order_id, status, reason) SELECT $1, id, 'confirmed', 'bench' FROM orders
        WHERE payment_reference IS NOT NULL`,
      [incident.id],
    );
    const { rows } = await db.query(
      `SELECT id, payment_reference AS "paymentIntent" FROM orders WHERE payment_reference IS NOT NULL ORDER BY placed_at`,
    );
    await db.query(`VACUUM ANALYZE incident_order`);
    return { incidentId: incident.id as string, orders: rows as { id: string; paymentIntent: string }[] };
  } finally {
    await db.end();
    rmSync(work, { recursive: true, force: true });
  }
}

async function main() {
  const orders = option('orders', 20_000);
  const seconds = option('seconds', 6);
  const connections = option('connections', 32);
  const databaseUrl = await freshDatabase('bench_webhooks');
  console.log(`Seeding ${orders.toLocaleString('en')} orders in one incident…`);
  const seeded = await seedOrders(databaseUrl, orders);
  const { app, baseUrl } = await startBenchApp(databaseUrl, { STRIPE_WEBHOOK_SECRETS: secret });
  const bare = await startBareIntake(databaseUrl);
  try {
    const plan = (url: string, kind: LoadPlan['kind']): LoadPlan => ({ url, kind, connections, seconds, ...seeded });
    // A short warm-up of each (JIT, connections, plans), then the measured rounds.
    await measure({ ...plan(`${baseUrl}/api/webhooks/stripe`, 'customer'), seconds: 2 });
    await measure({ ...plan(bare.url, 'customer'), seconds: 2 });
    const figures: Record<string, number> = {};
    for (const [name, url, kind] of [
      ['bare', bare.url, 'customer'],
      ['stored_only', `${baseUrl}/api/webhooks/stripe`, 'customer'],
      ['refund_created', `${baseUrl}/api/webhooks/stripe`, 'refund'],
    ] as const) {
      console.log(`${name}: ${connections} connections for ${seconds} s…`);
      const result = await measure(plan(url, kind));
      if (result.non2xx || result.errors) throw new Error(`${name}: ${result.non2xx} non-2xx, ${result.errors} errors`);
      for (const [key, value] of Object.entries(result)) figures[`${name}_${key}`] = value;
    }
    const counts = new pg.Client({ connectionString: databaseUrl });
    await counts.connect();
    const { rows } = await counts.query(
      `SELECT (SELECT count(*)::int FROM payment_refund) AS refunds, (SELECT count(*)::int FROM ledger_entry) AS entries`,
    );
    await counts.end();
    report(
      'webhooks',
      {
        connections,
        seconds,
        ...figures,
        stored_only_vs_bare_rps: figures.stored_only_rps! / figures.bare_rps!,
        refund_created_vs_bare_rps: figures.refund_created_rps! / figures.bare_rps!,
        refunds_recorded: rows[0].refunds,
        ledger_entries: rows[0].entries,
      },
      [
        'bare: node:http, the SDK signature check, JSON.parse and one INSERT of the event per request (no validation, no batching).',
        'api_cpu_ms_per_event: this process (the API) per request; postgres_cpu_ms_per_event: every PostgreSQL process, per stored event.',
      ],
    );
  } finally {
    await bare.close();
    await app.close();
  }
}
