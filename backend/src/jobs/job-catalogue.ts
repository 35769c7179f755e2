import type { JobsOptions } from 'bullmq';

/**
 * The typed catalogue of queues and jobs: a job's name decides its queue and
 * the shape of its data. Each queue name carries a Redis Cluster hash tag
 * (`{…}`) so one queue's keys share a slot and different queues spread out.
 */
export const queues = {
  system: '{system}',
} as const;

export type QueueKey = keyof typeof queues;

export interface JobDataMap {
  /** Round trip through Redis and a worker, used by ops to prove the pipeline moves. */
  'system.queue-check': { requestedAt: string };
}

export type JobName = keyof JobDataMap;
export type JobData<N extends JobName> = JobDataMap[N];

export const jobQueue: Record<JobName, QueueKey> = {
  'system.queue-check': 'system',
};

/** What a handler reports. A record that vanished is `skipped`, not an error. */
export type JobOutcome = { status: 'success'; detail?: Record<string, unknown> } | { status: 'skipped'; reason: string };

/** Retries and backoff, set in one place. Handlers throw to retry; they never swallow errors. */
export const defaultJobOptions: Record<QueueKey, JobsOptions> = {
  system: {
    attempts: 3,
    backoff: { type: 'exponential', delay: 500, jitter: 0.5 },
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
};
