/**
 * npm run bench -- tally [--orders 1000000] [--incidents 100] [--rounds 3]
 *
 * Issue 7's ledger benchmark: N orders spread over I incidents (every order
 * confirmed in one), with the ledger entries a remediation of each leaves —
 * refund and processing fee for every order, the label, its credit, the
 * intercept fee, the return label and the goods by fulfilment state, some
 * refunds failing later (reversal and fee reversal) — bulk-generated in SQL
 * and spread over 30 days. Then, one request at a time and interleaved,
 * `GET /api/incidents/:id/ledger/tally` through the real API (session,
 * permission, validation, the totals and the daily recovery series) next to
 * the raw SQL aggregate (`sum(amount_minor) GROUP BY currency, category` of
 * the incident) on a plain connection. Goal: tally p50 ≤ 3 × the SQL's p50.
 */
import 'reflect-metadata';
import pg from 'pg';
import { passwordHasher } from '../backend/src/auth/password-hasher.js';
import { startBenchApp } from './lib/bench-app.js';
import { freshDatabase } from './lib/bench-database.js';
import { option, percentile, report, timed } from './lib/report.js';

const orders = option('orders', 1_000_000);
const incidents = option('incidents', 100);
const rounds = option('rounds', 3);

async function main() {
  const databaseUrl = await freshDatabase('bench_tally');
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    console.log(`Generating ${orders.toLocaleString('en')} orders over ${incidents} incidents and their ledger…`);
    const load = await timed(() => generate(client));
    const [{ entries }] = (await client.query(`SELECT count(*)::int AS entries FROM ledger_entry`)).rows;
    console.log(`${entries.toLocaleString('en')} ledger entries in ${load.seconds.toFixed(0)} s`);
    const ids: string[] = (await client.query(`SELECT id FROM incident ORDER BY number`)).rows.map((row) => row.id);

    const { app, baseUrl } = await startBenchApp(databaseUrl);
    const token = await signIn(client, baseUrl);
    const tally = async (id: string) => {
      const started = performance.now();
      const res = await fetch(`${baseUrl}/api/incidents/${id}/ledger/tally`, { headers: { Authorization: `Bearer ${token}` } });
      const body = (await res.json()) as { currencies?: unknown[] };
      if (res.status !== 200 || !body.currencies?.length)
        throw new Error(`tally of ${id}: ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      return performance.now() - started;
    };
    const sql = async (id: string) => {
      const started = performance.now();
      await client.query(
        `SELECT currency, category, sum(amount_minor)::bigint AS amount FROM ledger_entry WHERE incident_id = $1 GROUP BY currency, category`,
        [id],
      );
      return performance.now() - started;
    };

    // Warm both (plans, caches) over every incident, then interleave so noise hits both alike.
    for (const id of ids) {
      await tally(id);
      await sql(id);
    }
    const tallyMs: number[] = [];
    const sqlMs: number[] = [];
    for (let round = 0; round < rounds; round++) {
      for (const id of ids) {
        tallyMs.push(await tally(id));
        sqlMs.push(await sql(id));
      }
    }
    await app.close();
    tallyMs.sort((a, b) => a - b);
    sqlMs.sort((a, b) => a - b);
    report(
      'tally',
      {
        orders,
        incidents,
        ledger_entries: entries,
        entries_per_incident: Math.round(entries / incidents),
        requests: tallyMs.length,
        tally_p50_ms: percentile(tallyMs, 50),
        tally_p99_ms: percentile(tallyMs, 99),
        sql_p50_ms: percentile(sqlMs, 50),
        sql_p99_ms: percentile(sqlMs, 99),
        tally_vs_sql: percentile(tallyMs, 50) / percentile(sqlMs, 50),
        goal_tally_vs_sql: 3,
        load_seconds: load.seconds,
      },
      [
        `${rounds} rounds over every incident, one request at a time; the tally is the whole API response (totals per`,
        'currency and category, net loss, daily recovery series); the SQL is the bare per-incident aggregate.',
      ],
    );
  } finally {
    await client.end();
  }
}

/**
 * Everything in set-based SQL: customers, incidents, orders (a fifth in EUR, a
 * tenth in JPY; states spread), their membership, then the ledger entries
 * each order's remediation would have written, and statistics as autovacuum
 * would leave them.
 */
async function generate(client: pg.Client) {
  await client.query(
    `INSERT INTO customer (external_id, email) SELECT 'BC-' || n, 'bc' || n || '@example.test' FROM generate_series(1, 20000) n`,
  );
  await client.query(
    `INSERT INTO incident (title, severity, status, detected_at, declared_at)
     SELECT 'Bench incident ' || n, 'high', 'remediating', now() - interval '40 days', now() - interval '40 days' FROM generate_series(1, $1::int) n`,
    [incidents],
  );
  await client.query(
    `WITH c AS (SELECT array_agg(id ORDER BY external_id) AS ids FROM customer)
     INSERT INTO orders (source, external_id, customer_id, placed_at, currency, subtotal_minor, shipping_charged_minor, total_minor,
                         shipping_label_cost_minor, cost_of_goods_minor, payment_reference, fulfilment_state, ship_to, ship_to_hash, skus,
                         line_count, content_hash)
     SELECT 'bench', 'BO-' || n, c.ids[1 + n % 20000], now() - interval '40 days' + (n % 86400) * interval '1 second',
            CASE WHEN n % 10 = 0 THEN 'JPY' WHEN n % 5 = 0 THEN 'EUR' ELSE 'USD' END,
            2000 + n % 9000, 499, 2499 + n % 9000, 420, 800 + n % 3000, 'pi_bench' || n,
            (ARRAY['unfulfilled', 'label_created', 'in_transit', 'delivered'])[1 + n % 4],
            '{"name":"B","line1":"1 Main St","city":"Austin","postalCode":"73301","country":"US"}', 'h' || n % 5000, ARRAY['SKU-' || n % 50],
            1, 'bench'
     FROM generate_series(1, $1::int) n, c`,
    [orders],
  );
  await client.query(
    `WITH i AS (SELECT array_agg(id ORDER BY number) AS ids FROM incident)
     INSERT INTO incident_order (incident_id, order_id, status, reason)
     SELECT i.ids[1 + (substr(o.external_id, 4)::int % $1::int)], o.id, 'confirmed', 'bench' FROM orders o, i`,
    [incidents],
  );
  // One row per (order, entry) the derivation rules would write; occurred over 30 days, the refund a while after the stop.
  await client.query(
    `INSERT INTO ledger_entry (incident_id, order_id, currency, category, amount_minor, source_type, source_id, provider_ref, occurred_at)
     SELECT io.incident_id, o.id, o.currency, e.category, e.amount, e.source_type, e.source_id, e.provider_ref,
            now() - interval '30 days' + ((n % 720) * interval '1 hour') + e.delay
     FROM incident_order io JOIN orders o ON o.id = io.order_id
     CROSS JOIN LATERAL (SELECT substr(o.external_id, 4)::int AS n, (o.total_minor * 29 + 500) / 1000 + 30 AS fee) k
     CROSS JOIN LATERAL (VALUES
       ('outbound_shipping', o.shipping_label_cost_minor, 'order', o.id::text, NULL, interval '0', o.fulfilment_state <> 'unfulfilled'),
       ('label_credit', -o.shipping_label_cost_minor, 'step', 'st_' || k.n, 'act_' || k.n, interval '0', o.fulfilment_state = 'label_created'),
       ('intercept_fee', 1600, 'step', 'st_' || k.n, 'act_' || k.n, interval '0', o.fulfilment_state = 'in_transit'),
       ('return_shipping', o.shipping_label_cost_minor, 'step', 'st_' || k.n, 'act_' || k.n, interval '0', o.fulfilment_state = 'delivered'),
       ('goods_lost', o.cost_of_goods_minor, 'order', o.id::text, NULL, interval '0', o.fulfilment_state = 'delivered'),
       ('refund_issued', o.total_minor, 'refund', 're_' || k.n, 're_' || k.n, interval '2 hours', true),
       ('provider_fee_not_returned', k.fee, 'refund', 're_' || k.n, NULL, interval '2 hours', true),
       ('refund_reversed', -o.total_minor, 'refund_failure', 're_' || k.n, 're_' || k.n, interval '3 days', k.n % 20 = 0),
       ('provider_fee_not_returned', -k.fee, 'refund_failure', 're_' || k.n, NULL, interval '3 days', k.n % 20 = 0)
     ) AS e(category, amount, source_type, source_id, provider_ref, delay, applies)
     WHERE e.applies AND e.amount <> 0`,
  );
  await client.query('VACUUM ANALYZE');
}

async function signIn(client: pg.Client, baseUrl: string): Promise<string> {
  await client.query(
    `INSERT INTO app_user (email, full_name, password_hash, roles) VALUES ('finance@bench.test', 'Bench', $1, '{finance}')`,
    [await passwordHasher.hash('bench password 123')],
  );
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ email: 'finance@bench.test', password: 'bench password 123' }),
  });
  return ((await res.json()) as { token: string }).token;
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
