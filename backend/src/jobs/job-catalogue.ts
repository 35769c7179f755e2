import type { JobsOptions } from 'bullmq';

/**
 * The typed catalogue of queues and jobs: a job's name decides its queue and
 * the shape of its data. Each queue name carries a Redis Cluster hash tag
 * (`{…}`) so one queue's keys share a slot and different queues spread out.
 */
export const queues = {
  system: '{system}',
  detection: '{detection}',
} as const;

export type QueueKey = keyof typeof queues;

export interface JobDataMap {
  /** Round trip through Redis and a worker, used by ops to prove the pipeline moves. */
  'system.queue-check': { requestedAt: string };
  /** One detection pass over recent orders (on a schedule; on demand runs in the API). */
  'detection.run': { trigger: 'schedule' | 'manual' };
}

export type JobName = keyof JobDataMap;
export type JobData<N extends JobName> = JobDataMap[N];

export const jobQueue: Record<JobName, QueueKey> = {
  'system.queue-check': 'system',
  'detection.run': 'detection',
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
];

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
  // A pass that fails is simply run again by the next schedule tick.
  detection: {
    attempts: 1,
    removeOnComplete: { age: 24 * 3600, count: 200 },
    removeOnFail: { age: 7 * 24 * 3600 },
  },
};
