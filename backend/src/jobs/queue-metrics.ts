import { Gauge, type Registry } from 'prom-client';
import type { JobQueueService } from './job-queue.service.js';
import { queues, type QueueKey } from './job-catalogue.js';

/**
 * Queue depths and job outcomes, read from Redis at scrape time so one API
 * process reports the work of every worker process.
 */
export function registerQueueMetrics(registry: Registry, jobQueues: JobQueueService) {
  const keys = Object.keys(queues) as QueueKey[];
  new Gauge({
    name: 'queue_jobs',
    help: 'Jobs in each queue by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const key of keys) {
        const counts = await jobQueues.queue(key).getJobCounts('waiting', 'active', 'delayed', 'failed', 'prioritized', 'waiting-children');
        for (const [state, count] of Object.entries(counts)) this.set({ queue: key, state }, count);
      }
    },
  });
  new Gauge({
    name: 'queue_job_outcomes_total',
    help: 'Jobs finished by outcome, counted by the workers in Redis (a counter; exposed as a gauge because Redis keeps it)',
    labelNames: ['queue', 'outcome'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const key of keys) {
        for (const outcome of ['completed', 'failed'] as const) {
          const metrics = await jobQueues.queue(key).getMetrics(outcome, 0, 0);
          this.set({ queue: key, outcome }, metrics.meta.count);
        }
      }
    },
  });
}
