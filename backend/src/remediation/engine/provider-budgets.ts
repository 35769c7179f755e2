import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { AppConfig } from '../../config/app-config.js';
import { queues } from '../../jobs/job-catalogue.js';
import { PRODUCER_REDIS } from '../../jobs/job-queue.service.js';
import { RatePacer } from '../../jobs/rate-pacer.js';
import { chunkSizeFor } from './step-chunks.js';

/** The engine's provider queues: Stripe, the fulfilment provider, the SMTP relay. */
export type ProviderQueue = 'payments' | 'fulfilment' | 'email';

/**
 * Each provider's budget as configured (STRIPE_/FULFILMENT_/EMAIL_RATE_LIMIT_PER_SECOND):
 * the pacer that spaces its calls across every worker process (its schedule
 * keyed with the queue's hash tag) and the chunk size that follows from it.
 */
@Injectable()
export class ProviderBudgets {
  private readonly pacers: Record<ProviderQueue, RatePacer>;

  constructor(config: AppConfig, @Inject(PRODUCER_REDIS) redis: Redis) {
    const pacer = (queue: ProviderQueue, perSecond: number) =>
      new RatePacer(redis, `${config.queuePrefix}:${queues[queue]}:pace`, perSecond);
    this.pacers = {
      payments: pacer('payments', config.stripeRateLimitPerSecond),
      fulfilment: pacer('fulfilment', config.fulfilmentRateLimitPerSecond),
      email: pacer('email', config.emailRateLimitPerSecond),
    };
  }

  pacer(queue: ProviderQueue): RatePacer {
    return this.pacers[queue];
  }

  chunkSize(queue: ProviderQueue): number {
    return chunkSizeFor(this.pacers[queue].perSecond);
  }
}
