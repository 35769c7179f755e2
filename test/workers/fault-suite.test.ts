import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { driveFaults, faultSchedule, openStepCount, seededRandom, type FaultRecord } from '../support/faults/fault-driver.js';
import {
  browsingClients,
  browsingSessions,
  runBrowsingLoad,
  type BrowsingSession,
  type LoadFigures,
} from '../support/faults/load-clients.js';
import { startPrivatePostgres, type PrivatePostgres } from '../support/faults/private-postgres.js';
import { startPrivateRedis, type PrivateRedis } from '../support/faults/private-redis.js';
import { runCounts } from '../support/faults/run-checks.js';
import { seedIncident, type SeededIncident } from '../support/faults/seed-incident.js';
import { requestRun, startEngineStack, waitForRun, type EngineStack } from '../support/remediation-stack.js';

/**
 * Issue 9's fault suite: a remediation run (stop shipment + refund + notify)
 * over N orders while worker processes are SIGKILLed at random moments,
 * Redis and PostgreSQL are each restarted once mid-run, and the Stripe
 * stand-in answers 5 % of calls with a 500 and drops the answer of 2 % of
 * POSTs after committing them. Meanwhile 50 signed-in clients browse the
 * incident, its orders, the run and the ledger. Afterwards, from the
 * stand-ins' own records and the database: no charge refunded twice, every
 * order final, at most one notice per customer, the ledger equal to the
 * provider's refunds to the minor unit.
 *
 * Everything it restarts is its own: a private PostgreSQL (initdb in a temp
 * folder) and Redis on free ports, private stand-ins — never the shared test
 * stack. QUICK size by default (CI); `RELIABILITY_FULL=1` for 10k orders and
 * at least 20 kills. `RELIABILITY_SEED` replays a schedule.
 */
const full = process.env.RELIABILITY_FULL === '1';
const seed = Number(process.env.RELIABILITY_SEED ?? 1);
const size = full
  ? { orders: 10_000, kills: 24, gapMs: [3_000, 7_000] as [number, number], stripeRps: 30, loadSeconds: 90, runTimeoutMs: 2_400_000 }
  : { orders: 300, kills: 5, gapMs: [2_000, 4_000] as [number, number], stripeRps: 6, loadSeconds: 10, runTimeoutMs: 150_000 };
const downMs = 2_000;
const clients = 50;

let postgres: PrivatePostgres | undefined;
let redis: PrivateRedis | undefined;
let stack: EngineStack | undefined;
let incident: SeededIncident;
let sessions: BrowsingSession[];

beforeAll(async () => {
  postgres = await startPrivatePostgres();
  const template = await postgres.migratedDatabase('rd_faults_template');
  redis = await startPrivateRedis();
  // The stack helpers clone this template and use this Redis (process.env is this file's own: one process per file).
  process.env.TEST_TEMPLATE_DATABASE_URL = template;
  process.env.TEST_REDIS_URL = redis.url;
  stack = await startEngineStack({
    workers: 2,
    appEnv: {
      // The budget sets the run's length: long enough for every fault to land mid-run.
      STRIPE_RATE_LIMIT_PER_SECOND: String(size.stripeRps),
      FULFILMENT_RATE_LIMIT_PER_SECOND: String(size.stripeRps),
      EMAIL_RATE_LIMIT_PER_SECOND: '40',
    },
  });
  incident = await seedIncident(stack, 'Faults', size.orders);
  sessions = await browsingSessions(stack, clients);
}, 600_000);

afterAll(async () => {
  // Every worker's JSON log (the killed ones' too), to read what the faults did: test/artifacts/fault-suite/.
  const logs = join(new URL('../artifacts/fault-suite', import.meta.url).pathname);
  rmSync(logs, { recursive: true, force: true });
  mkdirSync(logs, { recursive: true });
  stack?.workers.forEach((worker, i) => writeFileSync(join(logs, `worker-${i + 1}-pid${worker.child.pid}.log`), worker.output()));
  await stack?.close();
  await redis?.destroy();
  postgres?.destroy();
}, 120_000);

describe(`a ${size.orders}-order run under worker kills, Redis and PostgreSQL restarts and Stripe faults`, () => {
  let runId: string;
  let faults: FaultRecord[];
  let load: LoadFigures | undefined;
  let loadWindow: { openAtStart: number; openAtEnd: number } | undefined;

  it(
    'ends every order final, refunds each charge once, mails each customer once, and the ledger equals the refunds',
    async () => {
      const s = stack!;
      await s.stripe.faults({ error5xxRate: 0.05, resetAfterCommitRate: 0.02, seed });
      const started = Date.now();
      runId = await requestRun(s, incident.incidentId, ['stop_shipment', 'refund', 'notify']);
      const targets = { incidentId: incident.incidentId, runId, model: 'Faults', customerId: incident.customerIds[0]! };
      // Every page answers before the load: a 4xx under load then means the load, not a bad path.
      for (const path of new Set(browsingClients(sessions, targets).flatMap((c) => c.paths))) {
        const res = await fetch(`${s.api.baseUrl}${path}`, { headers: { authorization: `Bearer ${sessions[0]!.token}` } });
        expect(res.status, path).toBe(200);
      }

      let loadRun: Promise<LoadFigures> | undefined;
      faults = await driveFaults({
        stack: s,
        postgres: postgres!,
        redis: redis!,
        runId,
        events: faultSchedule(size.kills),
        random: seededRandom(seed),
        gapMs: size.gapMs,
        downMs,
        // The browsing load runs after both restarts (a request during a database restart fails by design), alongside the kills.
        onRestartsDone: () => {
          loadRun = (async () => {
            await new Promise((resolve) => setTimeout(resolve, 1_000));
            const openAtStart = await openStepCount(s, runId);
            const figures = await runBrowsingLoad({
              baseUrl: s.api.baseUrl,
              clients: browsingClients(sessions, targets),
              durationSeconds: size.loadSeconds,
              timeoutSeconds: 10,
            });
            loadWindow = { openAtStart, openAtEnd: await openStepCount(s, runId) };
            return figures;
          })();
        },
      });
      load = await loadRun;
      const run = await waitForRun(s, runId, 'completed', size.runTimeoutMs);
      const runSeconds = (Date.now() - started) / 1000;
      await s.stripe.clearFaults();
      const stripeStats = await s.stripe.stats();
      const counts = await runCounts(s, incident, runId);
      // Each page alone on the quiet system afterwards: the baseline the load's latencies compare with.
      const idle: string[] = [];
      for (const path of new Set(browsingClients(sessions, targets).flatMap((c) => c.paths))) {
        const t0 = performance.now();
        for (let i = 0; i < 3; i++) await fetch(`${s.api.baseUrl}${path}`, { headers: { authorization: `Bearer ${sessions[0]!.token}` } });
        idle.push(`${path.replace(/[0-9a-f-]{36}/g, ':id')} ${((performance.now() - t0) / 3).toFixed(0)} ms`);
      }
      // Every line a worker wrote is a JSON log line: no raw stack traces from a connection without an error listener.
      const rawLines = s.workers.flatMap((worker) =>
        worker
          .output()
          .split('\n')
          .filter((line) => line.trim() !== '' && !line.startsWith('{')),
      );

      const kills = faults.filter((f) => f.event === 'kill');
      const restarts = faults.filter((f) => f.event !== 'kill');
      console.info(
        [
          `fault suite (${full ? 'FULL' : 'QUICK'}, seed ${seed}): ${counts.orders} orders, run ${counts.runStatus} in ${runSeconds.toFixed(1)} s`,
          `  faults: ${kills.length} SIGKILLs, ${restarts.map((r) => `${r.event} at ${(r.atMs / 1000).toFixed(1)} s (${r.openSteps} steps open, back in ${r.tookMs} ms)`).join(', ')}`,
          `  stripe stand-in: ${stripeStats.requests.total} requests, ${stripeStats.requests.injected5xx} injected 5xx, ${stripeStats.requests.injectedResets} resets after commit, ${stripeStats.requests.idempotentReplays} idempotent replays, ${stripeStats.requests.rateLimited} 429`,
          `  steps: ${JSON.stringify(counts.steps)}; retried ${counts.stepsRetried}, found at the provider ${counts.stepsFoundAtProvider}`,
          `  orders final: ${counts.ordersFinal}/${counts.orders}`,
          `  refunds at the provider: ${counts.providerRefunds}; charges refunded twice: ${counts.chargesRefundedTwice} (stand-in's report: ${counts.standInDoubleRefundReport}); shipment actions applied twice: ${counts.shipmentActionsAppliedTwice}`,
          `  notices: ${counts.customers} customers, ${counts.customersWithOneNotice} with one, ${counts.customersWithTwoOrMoreNotices} with two or more, ${counts.customersWithNoNotice} with none; ${counts.messagesReceived} messages received, outbox sent ${counts.outboxSent}`,
          `  ledger refunds ${JSON.stringify(counts.ledgerRefundMinor)} vs provider ${JSON.stringify(counts.providerRefundedMinor)} (minor units): ${counts.ledgerEqualsProvider ? 'equal' : 'DIFFERENT'}`,
          load
            ? `  load: ${clients} clients for ${size.loadSeconds} s: ${load.requests} requests (${load.rps.toFixed(0)}/s), p50 ${load.p50_ms} ms, p90 ${load.p90_ms} ms, p99 ${load.p99_ms} ms, max ${load.max_ms} ms, errors ${load.errors} (timeouts ${load.timeouts}), non-2xx ${load.non2xx} ${JSON.stringify(load.byStatus)}; open steps ${loadWindow?.openAtStart} → ${loadWindow?.openAtEnd}`
            : '  load: did not run (the restarts did not both happen)',
          `  idle latency per page afterwards: ${idle.join('; ')}`,
          `  worker output lines that are not JSON: ${rawLines.length}`,
        ].join('\n'),
      );

      // The faults happened, mid-run.
      expect(kills.length).toBeGreaterThanOrEqual(size.kills);
      expect(restarts.map((r) => r.event).sort()).toEqual(['restart-postgres', 'restart-redis']);
      expect(restarts.every((r) => r.openSteps > 0)).toBe(true);
      expect(stripeStats.requests.injected5xx).toBeGreaterThan(0);
      expect(stripeStats.requests.injectedResets).toBeGreaterThan(0);
      expect(rawLines.slice(0, 5)).toEqual([]);

      // Every order final; each charge refunded once; the provider holds exactly the succeeded refund steps.
      expect(run.status).toBe('completed');
      expect(counts.ordersFinal).toBe(counts.orders);
      expect(counts.steps).toEqual({ succeeded: 2 * counts.orders });
      expect(counts.chargesRefundedTwice).toBe(0);
      expect(counts.standInDoubleRefundReport).toBe(0);
      expect(counts.providerRefunds).toBe(counts.orders);
      expect(counts.shipmentActionsAppliedTwice).toBe(0);

      // At most one notice per customer (a resend repeats its Message-ID), and here: exactly one each.
      expect(counts.customersWithTwoOrMoreNotices).toBe(0);
      expect(counts.customersWithOneNotice).toBe(counts.customers);
      expect(counts.outboxSent).toBe(counts.customers);

      // The ledger equals the provider's refunds to the minor unit.
      expect(counts.ledgerRefundMinor).toEqual(counts.providerRefundedMinor);

      // The browsing load ran while the run was open, with no 5xx and no connection errors (timings are printed, not asserted).
      expect(load).toBeDefined();
      expect(loadWindow!.openAtStart).toBeGreaterThan(0);
      expect(load!.requests).toBeGreaterThan(0);
      expect(load!.errors).toBe(0);
      expect(load!.non2xx).toBe(0);
    },
    size.runTimeoutMs + 300_000,
  );
});
