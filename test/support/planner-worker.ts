import { Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { queues, type JobData } from '../../backend/src/jobs/job-catalogue.js';
import { createRedis } from '../../backend/src/jobs/redis-connection.js';
import { RemediationJobs } from '../../backend/src/remediation/remediation.jobs.js';
import type { TestApp } from './test-app.js';

export interface PlannerWorker {
  /** The worker's connection, free for the test's own queues too. */
  redis: Redis;
  close(): Promise<void>;
}

/**
 * Run planning through the real {remediation} queue in Redis, handled in the test's process by the
 * app's own job handlers. A worker process would also run the engine's provider queues, which would
 * race the states a test checks (the engine's own suites run it whole); with no consumer, the
 * engine's jobs simply wait in Redis.
 */
export function startPlannerWorker(api: TestApp, name: string): PlannerWorker {
  const redis = createRedis(api.env.REDIS_URL!, 'worker', name);
  const worker = new Worker(
    queues.remediation,
    async (job) => {
      const jobs = api.app.get(RemediationJobs);
      if (job.name === 'remediation.plan') return jobs.plan(job.data as JobData<'remediation.plan'>);
      return jobs.sweep(job.data as JobData<'remediation.sweep'>);
    },
    { connection: redis, prefix: api.env.QUEUE_PREFIX },
  );
  return {
    redis,
    async close() {
      await worker.close();
      redis.disconnect();
    },
  };
}
