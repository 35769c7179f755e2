import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AppConfig } from '../config/app-config.js';
import { PRODUCER_REDIS } from '../jobs/job-queue.service.js';
import { createRedis } from '../jobs/redis-connection.js';
import { LOGGER } from '../observability/observability.module.js';

/** How often a process compares the version key, in case it missed a message. */
const versionPollMs = 5_000;

/**
 * Tells every API process that quarantines changed, so each can drop its
 * cached storefront answers at once. A message on `<prefix>:quarantine:changed`
 * does it in milliseconds; a version key, polled, catches a process that missed
 * the message (subscriber reconnecting, Redis restarted), and a reconnect
 * clears on its own. The truth stays in PostgreSQL: if Redis is down the
 * change still commits and caches converge by their TTL.
 */
@Injectable()
export class QuarantineChanges implements OnModuleInit, OnApplicationShutdown {
  private readonly channel: string;
  private readonly versionKey: string;
  private readonly listeners: (() => void)[] = [];
  private subscriber?: Redis;
  private poll?: NodeJS.Timeout;
  private seenVersion: string | null | undefined;
  private readonly redisUrl: string;

  constructor(
    config: AppConfig,
    @Inject(PRODUCER_REDIS) private readonly redis: Redis,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.channel = `${config.queuePrefix}:quarantine:changed`;
    this.versionKey = `${config.queuePrefix}:quarantine:version`;
    this.redisUrl = config.redisUrl;
  }

  /** Called on every change seen, local or remote. */
  onChange(listener: () => void): void {
    this.listeners.push(listener);
  }

  async onModuleInit() {
    const subscriber = createRedis(this.redisUrl, 'worker', 'recovery-desk-quarantine-changes');
    this.subscriber = subscriber;
    subscriber.on('message', () => this.notify());
    // After a reconnect, messages sent while away are lost: start afresh.
    let connectedBefore = false;
    subscriber.on('ready', () => {
      if (connectedBefore) this.notify();
      connectedBefore = true;
    });
    subscriber.on('error', (error) => this.logger.warn({ err: error }, 'quarantine change subscriber: redis error'));
    await subscriber.subscribe(this.channel);
    this.seenVersion = await this.readVersion();
    this.poll = setInterval(() => void this.checkVersion(), versionPollMs);
    this.poll.unref();
  }

  /** After a change commits: clear here, then tell the other processes. Never fails the caller's request. */
  async announce(): Promise<void> {
    this.notify();
    try {
      const version = await this.redis.incr(this.versionKey);
      this.seenVersion = String(version);
      await this.redis.publish(this.channel, String(version));
    } catch (error) {
      this.logger.warn({ err: error }, 'quarantine change not announced; other processes converge by cache TTL');
    }
  }

  private notify() {
    for (const listener of this.listeners) listener();
  }

  private async checkVersion() {
    const version = await this.readVersion();
    if (version === undefined) return;
    if (version !== this.seenVersion) {
      this.seenVersion = version;
      this.notify();
    }
  }

  /** undefined when Redis cannot be read: no conclusion either way. */
  private async readVersion(): Promise<string | null | undefined> {
    try {
      return await this.redis.get(this.versionKey);
    } catch {
      return undefined;
    }
  }

  async onApplicationShutdown() {
    if (this.poll) clearInterval(this.poll);
    await this.subscriber?.quit().catch(() => this.subscriber?.disconnect());
  }
}
