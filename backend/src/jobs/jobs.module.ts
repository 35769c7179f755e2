import { Global, Inject, Module, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { MetricsService } from '../observability/metrics.service.js';
import { JobQueueService, PRODUCER_REDIS } from './job-queue.service.js';
import { registerQueueMetrics } from './queue-metrics.js';
import { createRedis } from './redis-connection.js';

/** The producer side of the queues, available to every module. */
@Global()
@Module({
  providers: [
    {
      provide: PRODUCER_REDIS,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => createRedis(config.redisUrl, 'producer', 'recovery-desk-producer'),
    },
    JobQueueService,
  ],
  exports: [PRODUCER_REDIS, JobQueueService],
})
export class JobsModule implements OnModuleInit, OnApplicationShutdown {
  constructor(
    private readonly metrics: MetricsService,
    private readonly jobQueues: JobQueueService,
    @Inject(PRODUCER_REDIS) private readonly redis: Redis,
  ) {}

  onModuleInit() {
    registerQueueMetrics(this.metrics.registry, this.jobQueues);
  }

  async onApplicationShutdown() {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
