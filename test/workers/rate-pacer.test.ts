import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RatePacer } from '../../backend/src/jobs/rate-pacer.js';
import { createRedis } from '../../backend/src/jobs/redis-connection.js';
import { testEnv } from '../support/test-env.js';

/**
 * The provider budget the engine's chunks share (jobs/rate-pacer.ts), against the test stack's
 * Redis: two pacers on two connections stand for two worker processes.
 */
describe('RatePacer', () => {
  let one: Redis;
  let two: Redis;
  beforeAll(async () => {
    // Producer connections (as the engine's) queue nothing while connecting: wait until they are ready.
    const ready = (redis: Redis) => (redis.status === 'ready' ? undefined : new Promise((resolve) => redis.once('ready', resolve)));
    one = createRedis(testEnv.redisUrl, 'producer', 'test-pacer-one');
    two = createRedis(testEnv.redisUrl, 'producer', 'test-pacer-two');
    await Promise.all([ready(one), ready(two)]);
  });
  afterAll(() => {
    one?.disconnect();
    two?.disconnect();
  });
  const key = () => `test:{pace-${randomUUID()}}:pace`;

  it('spaces the slots of every process evenly at the rate, never two in one interval', async () => {
    const shared = key();
    const perSecond = 50;
    const [a, b] = [new RatePacer(one, shared, perSecond), new RatePacer(two, shared, perSecond)];
    const schedules = await Promise.all([a.reserve(10), b.reserve(10), a.reserve(5), b.reserve(1)]);
    const slots = schedules.flatMap((schedule) => Array.from({ length: schedule.count }, (_, i) => schedule.at(i))).sort((x, y) => x - y);
    expect(slots).toHaveLength(26);
    const gaps = slots.slice(1).map((at, i) => at - slots[i]!);
    // 20 ms apart, give or take the two connections' round trips (each reservation is placed on this clock on arrival).
    expect(Math.min(...gaps)).toBeGreaterThan(17);
    expect(slots.at(-1)! - slots[0]!).toBeGreaterThanOrEqual(25 * 20 - 10);
  });

  it('holds every process back after a 429, and the next reservation starts after the hold', async () => {
    const shared = key();
    const [a, b] = [new RatePacer(one, shared, 100), new RatePacer(two, shared, 100)];
    const before = performance.now();
    await a.holdOff(300);
    const next = await b.reserve(1);
    expect(next.at(0) - before).toBeGreaterThanOrEqual(290);
    // A hold shorter than what is already reserved changes nothing.
    const later = await a.reserve(1);
    await b.holdOff(50);
    expect((await a.reserve(1)).at(0)).toBeGreaterThan(later.at(0));
  });

  it('lets calls through at the rate, not faster, when they wait for their slots', async () => {
    const pacer = new RatePacer(one, key(), 200);
    const started = performance.now();
    for (let i = 0; i < 40; i++) await pacer.acquire();
    // 40 slots at 5 ms: the 40th is 195 ms after the first.
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('refuses a rate that is not positive, naming it', () => {
    expect(() => new RatePacer(one, key(), 0)).toThrow('A rate pacer needs a positive rate, got 0');
  });
});
