import type { Redis } from 'ioredis';

export interface RedisPolicy {
  aofEnabled: boolean;
  evictionPolicy: string;
}

/**
 * Reads persistence and eviction settings from INFO (works where CONFIG is
 * disabled, as on managed Redis). Queue data that Redis evicts under memory
 * pressure would be lost silently, hence the hard requirement on noeviction.
 */
export async function readRedisPolicy(redis: Redis): Promise<RedisPolicy> {
  const info = await redis.info();
  const field = (name: string) => new RegExp(`^${name}:(.*)$`, 'm').exec(info)?.[1]?.trim();
  return {
    aofEnabled: field('aof_enabled') === '1',
    evictionPolicy: field('maxmemory_policy') ?? 'unknown',
  };
}

export function evictionProblem(policy: RedisPolicy): string | undefined {
  return policy.evictionPolicy === 'noeviction'
    ? undefined
    : `Redis maxmemory-policy is "${policy.evictionPolicy}"; it must be "noeviction" or queued jobs can be silently dropped`;
}
