import type { Redis } from 'ioredis';
import { hostname } from 'node:os';

const heartbeatMs = 5000;
const ttlSeconds = 15;

/**
 * Each worker process announces itself in Redis with a short expiry, so the
 * health check can say how many workers are alive without asking them.
 */
export class WorkerRegistry {
  private timer?: NodeJS.Timeout;
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly queueNames: string[],
  ) {
    this.key = `${prefix}:workers:${hostname()}:${process.pid}`;
  }

  start() {
    const startedAt = new Date().toISOString();
    const beat = () =>
      this.redis
        .set(this.key, JSON.stringify({ pid: process.pid, host: hostname(), startedAt, queues: this.queueNames }), 'EX', ttlSeconds)
        .catch(() => undefined); // a missed beat only shortens the worker's visibility
    void beat();
    this.timer = setInterval(beat, heartbeatMs);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    await this.redis.del(this.key).catch(() => undefined);
  }

  static async countAlive(redis: Redis, prefix: string): Promise<number> {
    let cursor = '0';
    let count = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:workers:*`, 'COUNT', 100);
      cursor = next;
      count += keys.length;
    } while (cursor !== '0');
    return count;
  }
}
