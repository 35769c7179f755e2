import { Inject, Injectable } from '@nestjs/common';
import { DiscoveryService, MetadataScanner } from '@nestjs/core';
import { MetricsTime, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { LOGGER } from '../observability/observability.module.js';
import { createRedis } from './redis-connection.js';
import { evictionProblem, readRedisPolicy } from './redis-policy.js';
import { discoverHandlers, type BoundHandler } from './handler-discovery.js';
import { jobQueue, queues, schedules, workerOptions, type JobName, type QueueKey } from './job-catalogue.js';
import { JobQueueService } from './job-queue.service.js';
import { WorkerRegistry } from './worker-registry.js';

/**
 * Runs the BullMQ workers of this process: one per queue, each dispatching by
 * job name to the discovered handler. Used only by the worker entry point.
 */
@Injectable()
export class WorkerRunner {
  private readonly workers: Worker[] = [];
  /** BullMQ does not close connections it was handed, so they are closed here. */
  private readonly connections: Redis[] = [];
  private registry?: WorkerRegistry;
  private readonly logger: Logger;

  constructor(
    private readonly config: AppConfig,
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly jobQueues: JobQueueService,
    @Inject(LOGGER) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'worker' });
  }

  async start(): Promise<void> {
    const handlers = discoverHandlers(this.discovery, this.scanner);

    const probe = createRedis(this.config.redisUrl, 'worker', 'recovery-desk-worker-probe');
    try {
      const problem = evictionProblem(await readRedisPolicy(probe));
      if (problem) throw new Error(`Worker refuses to start: ${problem}`);
    } finally {
      probe.disconnect();
    }

    for (const key of Object.keys(queues) as QueueKey[]) {
      const names = (Object.keys(jobQueue) as JobName[]).filter((name) => jobQueue[name] === key);
      this.workers.push(this.createWorker(key, new Map(names.map((name) => [name, handlers.get(name)!]))));
    }
    // Idempotent across workers: a scheduler id is one schedule however many workers upsert it.
    for (const schedule of schedules) {
      await this.jobQueues
        .queue(jobQueue[schedule.name])
        .upsertJobScheduler(schedule.id, { every: schedule.everyMs(this.config) }, { name: schedule.name, data: schedule.data });
    }
    const heartbeat = this.connect('heartbeat');
    // Without a listener ioredis prints each reconnect failure as a raw stack trace on stderr; the workers already log the outage.
    heartbeat.on('error', (error) => this.logger.debug({ err: error.message }, 'heartbeat connection error'));
    this.registry = new WorkerRegistry(heartbeat, this.config.queuePrefix, Object.values(queues));
    this.registry.start();
    this.logger.info({ queues: Object.values(queues), concurrency: this.config.workerConcurrency }, 'worker started');
  }

  private createWorker(key: QueueKey, handlers: Map<JobName, BoundHandler>): Worker {
    const worker = new Worker(
      queues[key],
      async (job) => {
        const handler = handlers.get(job.name as JobName);
        // A job the catalogue does not know cannot succeed on retry.
        if (!handler) throw new UnrecoverableError(`no handler for job "${job.name}" on queue ${queues[key]}`);
        return handler(job.data, { jobId: job.id!, attempt: job.attemptsMade + 1, narrow: (data) => job.updateData(data) });
      },
      {
        connection: this.connect(key),
        prefix: this.config.queuePrefix,
        concurrency: this.config.workerConcurrency,
        // Completed/failed counts kept in Redis so the API's /metrics sees every worker's outcomes.
        metrics: { maxDataPoints: MetricsTime.ONE_WEEK },
        // A queue's own concurrency and lock settings.
        ...workerOptions[key]?.(this.config),
      },
    );
    worker.on('failed', (job, error) =>
      this.logger.warn({ queue: key, job: job?.name, jobId: job?.id, attempt: job?.attemptsMade, err: error.message }, 'job failed'),
    );
    worker.on('error', (error) => this.logger.error({ queue: key, err: error.message }, 'worker error'));
    return worker;
  }

  private connect(purpose: string): Redis {
    const connection = createRedis(this.config.redisUrl, 'worker', `recovery-desk-worker-${purpose}`);
    this.connections.push(connection);
    return connection;
  }

  /** Lets jobs in flight finish (BullMQ's close waits for them), then leaves. */
  async stop(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.close()));
    await this.registry?.stop();
    await Promise.all(this.connections.map((connection) => connection.quit().catch(() => connection.disconnect())));
    this.logger.info('worker stopped');
  }
}
