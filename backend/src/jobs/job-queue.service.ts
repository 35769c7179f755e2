import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { Job, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { LOGGER } from '../observability/observability.module.js';
import { defaultJobOptions, jobQueue, queues, type JobData, type JobName, type QueueKey } from './job-catalogue.js';

export const PRODUCER_REDIS = Symbol('PRODUCER_REDIS');

export interface EnqueueOptions {
  /** Deterministic ids (`${record}-${job}`) make enqueueing idempotent. */
  jobId?: string;
  delayMs?: number;
}

/** The only producer of jobs: typed by the catalogue, queues created lazily. */
@Injectable()
export class JobQueueService implements OnModuleDestroy {
  private readonly open = new Map<QueueKey, Queue>();

  constructor(
    private readonly config: AppConfig,
    @Inject(PRODUCER_REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  queue(key: QueueKey): Queue {
    let queue = this.open.get(key);
    if (!queue) {
      queue = new Queue(queues[key], {
        connection: this.redis,
        prefix: this.config.queuePrefix,
        defaultJobOptions: defaultJobOptions[key],
      });
      // Without a listener BullMQ prints every reconnect failure as a raw stack trace on stderr (a Redis restart: dozens).
      queue.on('error', (error) => this.logger.warn({ queue: key, err: error.message }, 'queue connection error'));
      this.open.set(key, queue);
    }
    return queue;
  }

  async enqueue<N extends JobName>(name: N, data: JobData<N>, options: EnqueueOptions = {}): Promise<Job> {
    return this.queue(jobQueue[name]).add(name, data, { jobId: options.jobId, delay: options.delayMs });
  }

  /** Waits for a job to finish, polling its state; used by short synchronous checks only. */
  async waitForResult(job: Job, timeoutMs: number): Promise<{ state: string; result?: unknown; failedReason?: string }> {
    const deadline = Date.now() + timeoutMs;
    const queue = this.queue(jobQueue[job.name as JobName]);
    for (;;) {
      // State first, then the job: read the other way round, a job finishing in
      // between would look completed without its return value.
      const state = await queue.getJobState(job.id!);
      if (state === 'completed' || state === 'failed' || Date.now() > deadline) {
        const finished = await Job.fromId(queue, job.id!);
        return { state, result: finished?.returnvalue, failedReason: finished?.failedReason };
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async onModuleDestroy() {
    await Promise.all([...this.open.values()].map((queue) => queue.close()));
  }
}
