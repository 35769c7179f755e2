/**
 * npm run bench -- remediate [--orders 10000] [--engine-rps 98] [--unlimited-orders 5000] [--worker-pool N] [--engine-concurrency N]
 *
 * Issue 6's remediation benchmark, on the engine as the tests drive it
 * (test/support/remediation-stack.ts: the real API, real worker processes,
 * private Stripe / fulfilment / SMTP stand-ins on free ports, orders paid
 * through the Stripe stand-in, an incident whose orders are confirmed, a run
 * requested through the API and waited for until `completed`).
 *
 * 1. Limited: N orders, stop_shipment + refund + notify, the Stripe stand-in
 *    limited to R = 100 req/s, one worker process with STRIPE_RATE_LIMIT_PER_SECOND
 *    a share just under R (the engine spaces every call evenly at that rate, across
 *    processes, so it never meets the stand-in's limit). Goals: refund rate ≥ 0.95 R,
 *    429 share ≤ 1 %, whole run ≤ 1.05 × N/R + 10 s.
 * 2. Unlimited: the stand-in's limit off, 20 ms latency, the engine's budget
 *    raised out of the way; a refund run's orders/s next to raw BullMQ no-op jobs/s
 *    (same Redis, one job per order, measured in this run), with 1 and 2 worker
 *    processes. Goal ≥ 0.25×. Diagnostics: where each unlimited run's time goes
 *    (`phases_*`: seconds from the request) and its CPU per order by process group.
 *
 * Diagnosis: BENCH_CPU_PROF=DIR writes each worker process's V8 CPU profile there
 * (open it in Chrome's DevTools). The API runs inside this process: to profile it,
 * run this file under `node --cpu-prof --cpu-prof-dir=DIR --import
 * @swc-node/register/esm-register` with the bench stack up (KEEP_BENCH_STACK=1)
 * and BENCH_DATABASE_URL / BENCH_REDIS_URL pointing at it. On a saturated machine
 * expect much of the wall time under socket writes: that is waiting for a core
 * (the woken PostgreSQL backend runs first), not CPU — /proc's figures are the CPU.
 *
 * Setup (paying the orders) runs with the stand-in's limit off, through its
 * control API (`POST /__stand-in/faults`). Before each measured run the setup's
 * webhooks are delivered and its tables vacuumed and checkpointed (see
 * settleSeeding). Everything started here is stopped here.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { freshDatabase, benchEnv } from './lib/bench-database.js';
import { cpuPerUnit, cpuSnapshot } from './lib/cpu-usage.js';
import { option, repoRoot, report } from './lib/report.js';

const noopQueueName = 'noop';
const noopPrefix = 'bench-noop';

if (process.argv.includes('--noop-worker')) {
  runNoopWorker(Number(process.argv[process.argv.indexOf('--noop-worker') + 1]));
} else {
  main().catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}

/** A forked child: one BullMQ worker whose processor does nothing. */
function runNoopWorker(concurrency: number) {
  const connection = new Redis(benchEnv.redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(noopQueueName, async () => undefined, { connection, prefix: noopPrefix, concurrency });
  void worker.waitUntilReady().then(() => process.send!('ready'));
  process.on('message', async () => {
    await worker.close();
    await connection.quit();
    process.exit(0);
  });
  // Never outlive the parent.
  process.on('disconnect', () => process.exit(0));
}

async function main() {
  const orders = option('orders', 10_000);
  const limitRps = 100;
  const engineRps = option('engine-rps', 98);
  const unlimitedOrders = option('unlimited-orders', Math.min(orders, 5_000));
  // The provider is unlimited, so the engine's own budget must not be what limits the run either.
  const unlimitedEngineRps = 100_000;
  // The no-op baseline's BullMQ concurrency per process: past a few hundred, raw BullMQ goes no faster.
  const noopConcurrency = 1_000;
  // Diagnostic only: the workers' DATABASE_POOL_SIZE (unset: the engine's default, 10).
  const poolIndex = process.argv.indexOf('--worker-pool');
  const workerPool: Record<string, string> = poolIndex === -1 ? {} : { DATABASE_POOL_SIZE: String(option('worker-pool', 10)) };
  // Diagnostic only: the workers' ENGINE_CONCURRENCY (unset: the engine's default).
  if (process.argv.includes('--engine-concurrency')) workerPool.ENGINE_CONCURRENCY = String(option('engine-concurrency', 16));

  // The test helpers clone a migrated template and use a Redis: point them at the bench stack's.
  process.env.TEST_TEMPLATE_DATABASE_URL = await freshDatabase('bench_remediate_template');
  process.env.TEST_REDIS_URL = benchEnv.redisUrl;
  const stackModule = await import('../test/support/remediation-stack.js');
  const { startBackendProcess } = await import('../test/support/processes.js');
  const { asPlatform, sampleOrder, toNdjson } = await import('../test/support/orders.js');
  const { requestRun, waitForRun, sampleTotal, sampleLabelCost } = stackModule;
  type EngineStack = Awaited<ReturnType<typeof stackModule.startEngineStack>>;
  type RunningProcess = ReturnType<typeof startBackendProcess>;

  const stack: EngineStack = await stackModule.startEngineStack({
    workers: 0,
    appEnv: {
      STRIPE_RATE_LIMIT_PER_SECOND: String(engineRps),
      // Fulfilment and e-mail must not be what limits the run: their stand-ins are unlimited.
      FULFILMENT_RATE_LIMIT_PER_SECOND: '500',
      EMAIL_RATE_LIMIT_PER_SECOND: '500',
    },
  });
  let running: RunningProcess[] = [];
  const startWorkers = async (count: number, env: Record<string, string>) => {
    for (let i = 0; i < count; i++) {
      const worker = startBackendProcess('worker', {
        ...stack.api.env,
        ...workerPool,
        ...env,
        ...(process.env.BENCH_CPU_PROF ? { BACKEND_NODE_ARGS: `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}` } : {}),
      });
      stack.workers.push(worker);
      running.push(worker);
      await worker.waitFor(/"msg":"worker started"/);
    }
  };
  /** Stops the workers and keeps their logs (bench/results/remediate-logs/<label>-<n>.log) to read retries and warnings. */
  const stopWorkers = async (label: string) => {
    await Promise.all(running.map((worker) => worker.stop('SIGTERM')));
    const dir = join(repoRoot, 'bench', 'results', 'remediate-logs');
    mkdirSync(dir, { recursive: true });
    running.forEach((worker, i) => writeFileSync(join(dir, `${label}-${i + 1}.log`), worker.output()));
    running = [];
  };

  let sequence = 0;
  /** seedOrders' steps (pay at the stand-in, ingest as the platform, register the shipment), in parallel. */
  const seed = async (model: string, count: number) => {
    console.log(`Paying and loading ${count.toLocaleString('en')} ${model} orders…`);
    const started = Date.now();
    const payloads: unknown[] = new Array(count);
    await inParallel(count, 32, async (i) => {
      sequence += 1;
      const n = sequence;
      const intent = await stack.stripeClient.paymentIntents.create({
        amount: sampleTotal,
        currency: 'usd',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
      const customer = i % Math.max(1, Math.floor(count / 2));
      payloads[i] = sampleOrder({
        externalId: `${model}-${String(n).padStart(6, '0')}`,
        placedAt: new Date(Date.parse('2026-11-21T08:00:00Z') + n * 1_000).toISOString(),
        currency: 'USD',
        customer: {
          externalId: `${model}-CUST-${customer}`,
          email: `${model.toLowerCase()}-${customer}@example.test`,
          name: `Customer ${customer}`,
        },
        device: { id: `${model}-DEV-${customer}`, model, firmwareVersion: '1.0.0' },
        paymentReference: intent.id,
        fulfilment: { state: 'unfulfilled' },
      });
    });
    for (let i = 0; i < count; i += 2_000) {
      await asPlatform(stack.api.http.post('/api/orders/bulk'))
        .set('Content-Type', 'application/x-ndjson')
        .send(toNdjson(payloads.slice(i, i + 2_000)))
        .expect(200);
    }
    const { rows } = await stack.api.db.query<{ id: string }>(`SELECT id FROM orders WHERE device_model = $1`, [model]);
    if (rows.length !== count) throw new Error(`${model}: ${rows.length} orders stored, ${count} sent`);
    await inParallel(rows.length, 32, async (i) => {
      const answer = await stack.fulfilment.call('POST', '/v1/shipments', {
        body: {
          reference: rows[i]!.id,
          state: 'unfulfilled',
          carrier: 'ups',
          labelCostMinor: sampleLabelCost,
          shippingPaidMinor: 499,
          currency: 'USD',
        },
      });
      if (answer.status !== 201) throw new Error(`shipment: ${answer.status} ${JSON.stringify(answer.body)}`);
    });
    console.log(`  ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return rows.map((row) => row.id);
  };

  /** incidentOf, with the confirmations in chunks (the API takes at most 10000 ids a call). */
  const incidentOf = async (model: string, orderIds: string[]) => {
    const { commander, agent, api } = stack;
    const declared = await commander
      .as(api.http.post('/api/incidents'))
      .send({ title: `${model} fleet`, severity: 'high', orderFilter: { model }, expectedCount: orderIds.length })
      .expect(201);
    const id = declared.body.id as string;
    await commander
      .as(api.http.post(`/api/incidents/${id}/transition`))
      .send({ to: 'triage', reason: 'benchmark' })
      .expect(200);
    for (let i = 0; i < orderIds.length; i += 5_000) {
      await agent
        .as(api.http.post(`/api/incidents/${id}/members`))
        .send({ action: 'confirm', orderIds: orderIds.slice(i, i + 5_000), reason: 'benchmark' })
        .expect(200);
    }
    return id;
  };

  /** Requests the run and waits for it to complete; seconds from the request to `completed` (the run's own timestamps). */
  const timedRun = async (incidentId: string, actions: string[], timeoutMs: number) => {
    const runId = await requestRun(stack, incidentId, actions);
    // Polled once a second: each look at a run's progress counts its steps, and the machine is what is measured.
    await waitForRun(stack, runId, 'completed', timeoutMs, 1000);
    // The run's own times, so the polling interval adds nothing to the figure.
    const {
      rows: [{ seconds }],
    } = await stack.api.db.query<{ seconds: number }>(
      `SELECT extract(epoch FROM finished_at - requested_at)::float8 AS seconds FROM remediation_run WHERE id = $1`,
      [runId],
    );
    const { rows } = await stack.api.db.query<{ action: string; status: string; n: number }>(
      `SELECT action, status, count(*)::int AS n FROM remediation_step WHERE run_id = $1 GROUP BY 1, 2`,
      [runId],
    );
    const notSucceeded = rows.filter((row) => row.status !== 'succeeded');
    if (notSucceeded.length) console.warn(`  run ${runId}: steps not succeeded: ${JSON.stringify(notSucceeded)}`);
    return { runId, seconds };
  };

  /**
   * Seconds from a run's request to its planning started, its first step started, its last step finished, its
   * completion, and the last of its webhooks received.
   */
  const runPhases = async (runId: string) => {
    const {
      rows: [phases],
    } = await stack.api.db.query<Record<string, number>>(
      `SELECT extract(epoch FROM r.started_at - r.requested_at)::float8 AS planned,
              extract(epoch FROM s.first_started - r.requested_at)::float8 AS first_step,
              extract(epoch FROM s.last_finished - r.requested_at)::float8 AS last_step,
              extract(epoch FROM r.finished_at - r.requested_at)::float8 AS completed,
              extract(epoch FROM e.last_received - r.requested_at)::float8 AS webhooks_settled
         FROM remediation_run r,
              LATERAL (SELECT min(started_at) AS first_started, max(finished_at) AS last_finished FROM remediation_step WHERE run_id = r.id) s,
              -- The seeding's webhooks were all in before the run was requested: what came after is the run's.
              LATERAL (SELECT max(received_at) AS last_received FROM provider_event WHERE received_at >= r.requested_at) e
        WHERE r.id = $1`,
      [runId],
    );
    return phases!;
  };
  const prefixed = (prefix: string, values: Record<string, number>) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [`${prefix}${key}`, value]));

  /**
   * Waits until the Stripe stand-in has delivered every webhook so far (paying the orders sends several
   * each, delivered a few at a time): otherwise the API and PostgreSQL would still be taking the
   * seeding's events during the measured run, and its CPU would be charged to the run.
   */
  const drainWebhooks = async (whose = "seeding's") => {
    const started = Date.now();
    for (;;) {
      const { webhooks } = await stack.stripe.stats();
      if (webhooks.waiting + webhooks.inFlight + webhooks.queued === 0) break;
      if (Date.now() - started > 300_000) throw new Error(`webhook backlog not drained: ${JSON.stringify(webhooks)}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    console.log(`  ${whose} webhooks delivered (waited ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  };

  /**
   * The orders as they stand on the day of an incident — placed days before, long vacuumed and
   * analyzed by autovacuum, written out by a checkpoint — rather than with the seeding's dead rows,
   * stale statistics and dirty buffers, which PostgreSQL would otherwise work off during the measured
   * run (PostgreSQL's CPU per order varied from 8 to 14 ms between runs of the same code). The run's
   * own tables (steps, notices) are as fresh as in production: planned moments before.
   */
  const settleSeeding = async () => {
    await stack.api.db.query(`VACUUM ANALYZE orders, order_line, customer, device, incident_order`);
    await stack.api.db.query(`CHECKPOINT`);
  };

  const noop = await startNoopBaseline();
  try {
    // ---- 1. Limited provider: R req/s at the stand-in, one worker process.
    await stack.stripe.faults({ rateLimitRps: null, latencyMs: 0 });
    const limitedIds = await seed('Limited', orders);
    const limitedIncident = await incidentOf('Limited', limitedIds);
    await drainWebhooks();
    await settleSeeding();
    await startWorkers(1, {});
    await stack.stripe.faults({ rateLimitRps: limitRps });
    const before = await stack.stripe.stats();
    const idealSeconds = orders / limitRps;
    console.log(`Limited run: ${orders} orders, stand-in at ${limitRps} req/s, engine limiter ${engineRps}/s, 1 worker…`);
    const cpuBefore = cpuSnapshot();
    const limited = await timedRun(limitedIncident, ['stop_shipment', 'refund', 'notify'], (idealSeconds * 10 + 300) * 1000);
    const cpu = cpuPerUnit(cpuBefore, cpuSnapshot(), orders);
    const after = await stack.stripe.stats();
    const { rows: window } = await stack.api.db.query<{ n: number; seconds: number }>(
      `SELECT count(*)::int AS n, extract(epoch FROM max(finished_at) - min(started_at))::float8 AS seconds
         FROM remediation_step WHERE run_id = $1 AND action = 'refund' AND status = 'succeeded'`,
      [limited.runId],
    );
    const refunds = after.refunds - before.refunds;
    const refundRps = window[0]!.n / window[0]!.seconds;
    const requests = after.requests.total - before.requests.total;
    const rateLimited = after.requests.rateLimited - before.requests.rateLimited;
    await stopWorkers('limited');

    // ---- 2. Unlimited provider (20 ms latency): orders/s next to BullMQ no-op jobs/s, 1 and 2 workers.
    await stack.stripe.faults({ rateLimitRps: null, latencyMs: 20 });
    const unlimited: Record<string, number> = {};
    for (const workers of [1, 2]) {
      const model = `Unlimited${workers}`;
      const ids = await seed(model, unlimitedOrders);
      const incident = await incidentOf(model, ids);
      await drainWebhooks();
      await settleSeeding();
      await startWorkers(workers, { STRIPE_RATE_LIMIT_PER_SECOND: String(unlimitedEngineRps) });
      console.log(`Unlimited run: ${unlimitedOrders} orders, 20 ms latency, engine limiter ${unlimitedEngineRps}/s, ${workers} worker(s)…`);
      const unlimitedCpuBefore = cpuSnapshot();
      const run = await timedRun(incident, ['refund'], 600_000);
      const atCompletion = cpuSnapshot();
      const unlimitedCpu = cpuPerUnit(unlimitedCpuBefore, atCompletion, unlimitedOrders);
      // The provider's webhooks come on their own time: many of the run's are still to be delivered when it completes.
      // Their work is measured apart, until the stand-in has delivered them all (the run does not wait for them).
      unlimited[`webhooks_pending_at_completion_${workers}w`] = (await stack.stripe.stats()).webhooks.queued;
      await drainWebhooks("the run's");
      const webhookCpu = cpuPerUnit(atCompletion, cpuSnapshot(), unlimitedOrders);
      await stopWorkers(`unlimited-${workers}w`);
      for (const [group, ms] of Object.entries(unlimitedCpu.perUnit)) unlimited[`cpu_ms_per_order_${group}_${workers}w`] = ms;
      unlimited[`idle_share_${workers}w`] = unlimitedCpu.idleShare;
      for (const [group, ms] of Object.entries(webhookCpu.perUnit))
        unlimited[`webhooks_after_completion_cpu_ms_per_order_${group}_${workers}w`] = ms;
      const phases = await runPhases(run.runId);
      Object.assign(unlimited, prefixed(`phases_${workers}w_`, phases));
      unlimited[`orders_per_s_webhooks_settled_${workers}w`] = unlimitedOrders / phases.webhooks_settled!;
      const jobs = await noop.measure(unlimitedOrders, workers, noopConcurrency);
      unlimited[`orders_per_s_${workers}w`] = unlimitedOrders / run.seconds;
      unlimited[`noop_jobs_per_s_${workers}w`] = jobs;
      console.log(`  ${(unlimitedOrders / run.seconds).toFixed(1)} orders/s vs ${jobs.toFixed(1)} no-op jobs/s`);
    }
    const final = await stack.stripe.stats();

    const ratio1 = unlimited.orders_per_s_1w! / unlimited.noop_jobs_per_s_1w!;
    const ratio2 = unlimited.orders_per_s_2w! / unlimited.noop_jobs_per_s_2w!;
    report(
      'remediate',
      {
        orders,
        limit_rps: limitRps,
        engine_limit_rps: engineRps,
        worker_db_pool: Number(workerPool.DATABASE_POOL_SIZE ?? 10),
        refunds,
        refund_rps: refundRps,
        refund_rate_vs_limit: refundRps / limitRps,
        stripe_requests: requests,
        rate_limited: rateLimited,
        rate_limited_share: requests ? rateLimited / requests : 0,
        run_seconds: limited.seconds,
        ideal_seconds: idealSeconds,
        run_vs_ideal: limited.seconds / idealSeconds,
        goal_run_seconds: 1.05 * idealSeconds + 10,
        idle_share_during_run: cpu.idleShare,
        steal_share_during_run: cpu.stealShare,
        ...Object.fromEntries(Object.entries(cpu.perUnit).map(([group, ms]) => [`cpu_ms_per_order_${group}`, ms])),
        cores_needed_for_limit: (cpu.perUnit.total! * limitRps) / 1000,
        cores: availableParallelism(),
        unlimited_orders: unlimitedOrders,
        unlimited_orders_per_s: unlimited.orders_per_s_1w!,
        bullmq_noop_jobs_per_s: unlimited.noop_jobs_per_s_1w!,
        unlimited_vs_bullmq: ratio1,
        unlimited_orders_per_s_2_workers: unlimited.orders_per_s_2w!,
        bullmq_noop_jobs_per_s_2_workers: unlimited.noop_jobs_per_s_2w!,
        unlimited_vs_bullmq_2_workers: ratio2,
        // Where an unlimited run's time and CPU go (diagnostics): seconds from the request to planned, to the first and
        // last step, to completed and to its last webhook; CPU per order by process group until completion and for the
        // webhooks delivered after it; orders/s counted to the last webhook.
        ...Object.fromEntries(
          Object.entries(unlimited).filter(([key]) =>
            ['phases_', 'cpu_', 'idle_', 'webhooks_', 'orders_per_s_webhooks'].some((prefix) => key.startsWith(prefix)),
          ),
        ),
        double_refunds: final.doubleRefundedCharges.length,
        goals_met:
          refundRps / limitRps >= 0.95 &&
          (requests ? rateLimited / requests : 0) <= 0.01 &&
          limited.seconds <= 1.05 * idealSeconds + 10 &&
          ratio1 >= 0.25 &&
          ratio2 >= 0.25 &&
          final.doubleRefundedCharges.length === 0,
      },
      [
        `refund_rps: succeeded refund steps / (last finished - first started); run_seconds: run requested → completed (includes planning, cancels, notices).`,
        `cpu_ms_per_order_*: CPU time (user + system, from /proc) during the limited run / orders, by process group; cores_needed_for_limit = total × R: run it on a quiet machine.`,
        `unlimited: refund-only runs, Stripe stand-in 20 ms latency, engine budget ${unlimitedEngineRps}/s (no limit); no-op baseline: same job count, BullMQ concurrency ${noopConcurrency} per process, forked worker processes.`,
      ],
    );
  } finally {
    await noop.close();
    await stack.close();
  }
}

/** Raw BullMQ throughput on the same Redis: N no-op jobs added with addBulk (1000 at a time) until all are done. */
async function startNoopBaseline() {
  const connection = new Redis(benchEnv.redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue(noopQueueName, { connection, prefix: noopPrefix });
  await queue.obliterate({ force: true });
  const children = new Set<ChildProcess>();
  let round = 0;
  return {
    async measure(jobs: number, workers: number, concurrency: number): Promise<number> {
      round += 1;
      const started: ChildProcess[] = [];
      for (let i = 0; i < workers; i++) {
        const child = fork(new URL(import.meta.url).pathname, ['--noop-worker', String(concurrency)], { stdio: 'inherit' });
        children.add(child);
        started.push(child);
        await new Promise<void>((resolve, reject) => {
          child.once('message', () => resolve());
          child.once('exit', (code) => reject(new Error(`no-op worker exited (${code})`)));
        });
      }
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < jobs; i += 1_000) {
        await queue.addBulk(
          Array.from({ length: Math.min(1_000, jobs - i) }, (_, j) => ({
            name: 'noop',
            data: { n: i + j },
            opts: { jobId: `r${round}-${i + j}`, removeOnComplete: true, removeOnFail: true },
          })),
        );
      }
      const deadline = Date.now() + 300_000;
      for (;;) {
        const counts = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
        if (Object.values(counts).every((n) => n === 0)) break;
        if (Date.now() > deadline) throw new Error(`no-op jobs not done after 300 s: ${JSON.stringify(counts)}`);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      await Promise.all(
        started.map(
          (child) =>
            new Promise<void>((resolve) => {
              child.removeAllListeners('exit');
              child.once('exit', () => resolve());
              child.send('stop');
              children.delete(child);
            }),
        ),
      );
      return jobs / seconds;
    },
    async close() {
      for (const child of children) child.kill();
      await queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      await connection.quit();
    },
  };
}

async function inParallel(count: number, width: number, work: (index: number) => Promise<void>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) await work(next++);
    }),
  );
}
