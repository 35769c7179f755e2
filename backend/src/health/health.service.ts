import { Inject, Injectable } from '@nestjs/common';
import type { Redis } from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { PRODUCER_REDIS } from '../jobs/job-queue.service.js';
import { evictionProblem, readRedisPolicy } from '../jobs/redis-policy.js';
import { WorkerRegistry } from '../jobs/worker-registry.js';

export type CheckStatus = 'ok' | 'warn' | 'error';
export interface Check {
  status: CheckStatus;
  detail: string;
  latencyMs?: number;
}
export interface HealthReport {
  status: 'ok' | 'degraded' | 'error';
  checks: Record<string, Check>;
}

const checkTimeoutMs = 2000;

/**
 * What an operator needs to know before trusting a bulk run: the database and
 * Redis answer, Redis will not drop queued work, and workers are alive.
 * `error` means the service cannot do its job (503); `warn` means it can, at risk.
 */
@Injectable()
export class HealthService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(PRODUCER_REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async report(): Promise<HealthReport> {
    const [database, redis] = await Promise.all([
      timed(async () => {
        await this.dataSource.query('SELECT 1');
        return { status: 'ok' as const, detail: 'PostgreSQL answered' };
      }),
      timed(async () => {
        await this.redis.ping();
        return { status: 'ok' as const, detail: 'Redis answered' };
      }),
    ]);
    const checks: Record<string, Check> = { database, redis };

    if (redis.status === 'ok') {
      const policy = await readRedisPolicy(this.redis);
      const problem = evictionProblem(policy);
      checks.redis_eviction = problem ? { status: 'error', detail: problem } : { status: 'ok', detail: 'maxmemory-policy noeviction' };
      checks.redis_persistence = policy.aofEnabled
        ? { status: 'ok', detail: 'AOF enabled' }
        : {
            status: 'warn',
            detail:
              'AOF is off: queued work since the last snapshot is lost if Redis restarts (it can be rebuilt from PostgreSQL, but slowly)',
          };
      const workers = await WorkerRegistry.countAlive(this.redis, this.config.queuePrefix);
      checks.workers =
        workers > 0
          ? { status: 'ok', detail: `${workers} worker process(es) alive` }
          : { status: 'warn', detail: 'no worker process is alive: queued work will wait' };
    }

    const statuses = Object.values(checks).map((check) => check.status);
    const status = statuses.includes('error') ? 'error' : statuses.includes('warn') ? 'degraded' : 'ok';
    return { status, checks };
  }
}

async function timed(probe: () => Promise<Check>): Promise<Check> {
  const started = performance.now();
  try {
    const result = await Promise.race([
      probe(),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${checkTimeoutMs} ms`)), checkTimeoutMs).unref(),
      ),
    ]);
    return { ...result, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return { status: 'error', detail: (error as Error).message, latencyMs: Math.round(performance.now() - started) };
  }
}
