import type { JobsOptions } from 'bullmq';

/**
 * The typed catalogue of queues and jobs: a job's name decides its queue and
 * the shape of its data. Each queue name carries a Redis Cluster hash tag
 * (`{…}`) so one queue's keys share a slot and different queues spread out.
 */
export const queues = {
  system: '{system}',
  detection: '{detection}',
  /** Remediation bookkeeping: planning runs and the sweep that rebuilds lost work from PostgreSQL. */
  remediation: '{remediation}',
  /** Remediation steps, one queue per provider, each with its provider's rate limit (workerOptions below). */
  payments: '{payments}',
  fulfilment: '{fulfilment}',
  email: '{email}',
  /** The loss ledger's background work: reconciling an incident's refunds with the payment provider. */
  ledger: '{ledger}',
} as const;

export type QueueKey = keyof typeof queues;

export interface JobDataMap {
  /** Round trip through Redis and a worker, used by ops to prove the pipeline moves. */
  'system.queue-check': { requestedAt: string };
  /** One detection pass over recent orders (on a schedule; on demand runs in the API). */
  'detection.run': { trigger: 'schedule' | 'manual' };
  /** Writes a queued run's steps, notices and quarantines in one transaction, then hands the steps to the engine. */
  'remediation.plan': { runId: string };
  /** Re-enqueues planning of runs left queued and dispatches steps left pending in running runs (Redis lost the job). */
  'remediation.sweep': { trigger: 'schedule' };
  /** A chunk of one run's refund steps (job id kept on each step: engine/step-chunks.ts). */
  'remediation.refunds': { runId: string; stepIds: string[] };
  /** A chunk of one run's shipment steps: cancel, void label, intercept or request return (job id kept on each step). */
  'remediation.shipments': { runId: string; stepIds: string[] };
  /** A chunk of customer notices from the outbox (job id kept on each outbox row). */
  'remediation.notices': { outboxIds: string[] };
  /** Gives queued or in-flight steps whose job Redis lost a job again, and releases notices that are due. */
  'remediation.engine-sweep': { trigger: 'schedule' };
  /** Lists the provider's refunds of an incident's payments and compares them with the ledger (job id = reconciliation id). */
  'ledger.reconcile': { reconciliationId: string };
}

export type JobName = keyof JobDataMap;
export type JobData<N extends JobName> = JobDataMap[N];

export const jobQueue: Record<JobName, QueueKey> = {
  'system.queue-check': 'system',
  'detection.run': 'detection',
  'remediation.plan': 'remediation',
  'remediation.sweep': 'remediation',
  'remediation.refunds': 'payments',
  'remediation.shipments': 'fulfilment',
  'remediation.notices': 'email',
  'remediation.engine-sweep': 'remediation',
  'ledger.reconcile': 'ledger',
};

/** Repeating jobs the workers keep scheduled (BullMQ job schedulers, one per id across all workers). */
export const schedules: {
  id: string;
  name: JobName;
  everyMs: (config: { detectionIntervalMinutes: number }) => number;
  data: JobDataMap[JobName];
}[] = [
  {
    id: 'detection-pass',
    name: 'detection.run',
    everyMs: (config) => config.detectionIntervalMinutes * 60_000,
    data: { trigger: 'schedule' },
  },
  {
    id: 'remediation-sweep',
    name: 'remediation.sweep',
    everyMs: () => 60_000,
    data: { trigger: 'schedule' },
  },
  {
    id: 'remediation-engine-sweep',
    name: 'remediation.engine-sweep',
    everyMs: () => 15_000,
    data: { trigger: 'schedule' },
  },
];

/** BullMQ worker settings a queue needs beyond the defaults (WORKER_CONCURRENCY, 30 s locks). */
export interface QueueWorkerOptions {
  concurrency?: number;
  lockDuration?: number;
  stalledInterval?: number;
  maxStalledCount?: number;
}

/**
 * Provider queues carry chunks of steps or notices. Their provider's budget is
 * not a BullMQ limiter (it would count chunks, not calls) but the engine's
 * RatePacer, which spaces every call across all worker processes. Concurrency
 * is ENGINE_CONCURRENCY chunks per process: enough that the next chunk has its
 * slots reserved while one is finishing. Short locks, so a killed worker's
 * chunk is picked up again within seconds; a chunk is idempotent, so it may
 * stall (its worker died) many times before BullMQ gives up on it.
 */
const providerQueue = (config: { engineConcurrency: number }): QueueWorkerOptions => ({
  concurrency: config.engineConcurrency,
  lockDuration: 10_000,
  stalledInterval: 5_000,
  maxStalledCount: 50,
});

export const workerOptions: Partial<Record<QueueKey, (config: { engineConcurrency: number }) => QueueWorkerOptions>> = {
  payments: providerQueue,
  fulfilment: providerQueue,
  email: providerQueue,
};

/** What a handler reports. A record that vanished is `skipped`, not an error. */
export type JobOutcome = { status: 'success'; detail?: Record<string, unknown> } | { status: 'skipped'; reason: string };

const stepJobOptions: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
  removeOnComplete: true,
  removeOnFail: true,
};

/** Retries and backoff, set in one place. Handlers throw to retry; they never swallow errors. */
export const defaultJobOptions: Record<QueueKey, JobsOptions> = {
  system: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  // A pass that fails is simply run again by the next schedule tick.
  detection: {
    attempts: 1,
    removeOnComplete: { age: 24 * 3600, count: 200 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  // Planning is one transaction and idempotent (it acts only on a queued run): retried on a deadlock, a
  // crash or a race with another run's planning; the sweep re-enqueues a run whose attempts ran out.
  remediation: {
    attempts: 5,
    backoff: { type: 'exponential', delay: 1000, jitter: 0.5 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
  // Chunk jobs: PostgreSQL holds each step's and notice's state, attempts, result and error; the job is
  // only a wake-up call naming them. Removed when finished, so a new hand-over (retry, resume) is always
  // accepted, while the sweep's re-add of a chunk still waiting is a no-op (its id is kept on its rows).
  // A transient failure retries the chunk's failed rows with exponential backoff and jitter; the last
  // attempt records them failed.
  payments: stepJobOptions,
  fulfilment: stepJobOptions,
  email: stepJobOptions,
  // A reconciliation only reads (the provider, the ledger) and writes its own report: retried on a provider or
  // database hiccup; the last attempt stores the report as failed with the error, and a person can run it again.
  ledger: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 5000, jitter: 0.5 },
    removeOnComplete: true,
    removeOnFail: { age: 7 * 24 * 3600 },
  },
};
