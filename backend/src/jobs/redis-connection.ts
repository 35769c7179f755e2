import { Redis, type RedisOptions } from 'ioredis';

/**
 * Workers block on Redis and must wait through a restart
 * (`maxRetriesPerRequest: null`, as BullMQ requires); producers in the API
 * should fail fast instead of hanging an HTTP request.
 */
export function createRedis(url: string, role: 'worker' | 'producer', name: string): Redis {
  const options: RedisOptions = {
    connectionName: name,
    maxRetriesPerRequest: role === 'worker' ? null : 2,
    enableOfflineQueue: role === 'worker',
    // Redis answers LOADING for a moment after a restart; ioredis waits for it.
    enableReadyCheck: true,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  };
  return new Redis(url, options);
}
