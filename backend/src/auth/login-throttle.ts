import { HttpException, HttpStatus, Inject, Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import type { Redis } from 'ioredis';
import { AppConfig } from '../config/app-config.js';
import { PRODUCER_REDIS } from '../jobs/job-queue.service.js';

/**
 * Sign-in rate limits, per account (failures) and per IP (attempts), counted
 * in Redis so every API process shares them. Keys hold an HMAC of the email,
 * not the email itself.
 */
@Injectable()
export class LoginThrottle {
  constructor(
    private readonly config: AppConfig,
    @Inject(PRODUCER_REDIS) private readonly redis: Redis,
  ) {}

  private key(kind: 'account' | 'ip', value: string) {
    const digest = createHmac('sha256', this.config.sessionSecret).update(value).digest('hex').slice(0, 32);
    return `${this.config.queuePrefix}:login:${kind}:${digest}`;
  }

  /** Throws 429 when either limit is spent; counts this attempt against the IP. */
  async admit(email: string, ip: string): Promise<void> {
    const window = this.config.loginWindowSeconds;
    const ipKey = this.key('ip', ip);
    const [[, ipAttempts], [, ipTtl], [, accountFailures], [, accountTtl]] = (await this.redis
      .multi()
      .incr(ipKey)
      .ttl(ipKey)
      .get(this.key('account', email))
      .ttl(this.key('account', email))
      .exec()) as [unknown, number | string | null][];
    if (Number(ipTtl) < 0) await this.redis.expire(ipKey, window);

    if (Number(ipAttempts) > this.config.loginMaxAttemptsPerIp) {
      throw tooMany(`Too many sign-in attempts from this address; try again in ${minutes(Number(ipTtl), window)}`, Number(ipTtl), window);
    }
    if (Number(accountFailures ?? 0) >= this.config.loginMaxFailuresPerAccount) {
      throw tooMany(
        `Too many failed sign-ins for this account; try again in ${minutes(Number(accountTtl), window)}`,
        Number(accountTtl),
        window,
      );
    }
  }

  async recordFailure(email: string): Promise<void> {
    const key = this.key('account', email);
    const count = await this.redis.incr(key);
    if (count === 1) await this.redis.expire(key, this.config.loginWindowSeconds);
  }

  async recordSuccess(email: string): Promise<void> {
    await this.redis.del(this.key('account', email));
  }
}

function minutes(ttl: number, window: number) {
  const seconds = ttl > 0 ? ttl : window;
  return seconds < 90 ? `${seconds} s` : `${Math.ceil(seconds / 60)} min`;
}

function tooMany(message: string, ttl: number, window: number) {
  return new HttpException({ message, retryAfter: ttl > 0 ? ttl : window }, HttpStatus.TOO_MANY_REQUESTS);
}
