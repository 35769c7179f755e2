import type { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { evictionProblem, readRedisPolicy } from './redis-policy.js';

const fakeInfo = (info: string) => ({ info: async () => info }) as unknown as Redis;

describe('redis policy', () => {
  it('reads AOF and eviction policy from INFO', async () => {
    const policy = await readRedisPolicy(fakeInfo('# Persistence\r\naof_enabled:1\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n'));
    expect(policy).toEqual({ aofEnabled: true, evictionPolicy: 'noeviction' });
    expect(evictionProblem(policy)).toBeUndefined();
  });

  it('flags any eviction policy other than noeviction', async () => {
    const policy = await readRedisPolicy(fakeInfo('aof_enabled:0\r\nmaxmemory_policy:allkeys-lru\r\n'));
    expect(policy.aofEnabled).toBe(false);
    expect(evictionProblem(policy)).toMatch(/allkeys-lru.*noeviction/);
  });

  it('treats a missing field as unknown, which is a problem', async () => {
    const policy = await readRedisPolicy(fakeInfo('redis_version:7.0.0\r\n'));
    expect(evictionProblem(policy)).toMatch(/"unknown"/);
  });
});
