import type { Redis } from 'ioredis';

/**
 * GCRA with reservations, on Redis's own clock so every process agrees: the key
 * holds the time of the next free slot (µs). Reserving n slots moves it n
 * intervals on and answers how long until the first; a hold moves it to at
 * least now + hold. Numbers are written with %.0f: Lua's tostring would round
 * a 16-digit µs timestamp to 14 significant digits.
 */
const paceScript = `
local interval = tonumber(ARGV[1])
local count = tonumber(ARGV[2])
local hold = tonumber(ARGV[3])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000000 + tonumber(clock[2])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
if nextFree < now + hold then nextFree = now + hold end
local first = nextFree - now
nextFree = nextFree + interval * count
redis.call('SET', KEYS[1], string.format('%.0f', nextFree), 'PX', math.floor((nextFree - now) / 1000) + 60000)
return first`;

type PacedRedis = Redis & { rdPace(key: string, intervalUs: number, count: number, holdUs: number): Promise<number> };

/** When each of a reservation's slots comes, on this process's `performance.now()` clock. */
export class SlotSchedule {
  constructor(
    private readonly firstAtMs: number,
    private readonly intervalMs: number,
    readonly count: number,
  ) {}

  /** When slot `index` (0-based) comes. */
  at(index: number): number {
    return this.firstAtMs + index * this.intervalMs;
  }

  /** Resolves when slot `index` comes; at once when it has passed. */
  wait(index: number): Promise<void> {
    const delay = this.at(index) - performance.now();
    return delay <= 1 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, delay));
  }
}

/**
 * A provider's request budget, shared by every worker process: calls are
 * spaced evenly at the provider's rate (strictly: no burst, so a provider
 * whose own limit has a burst allowance never sees one from us and answers
 * 429 only when someone else spends the budget too). A process reserves the
 * slots of a whole chunk in one round trip and waits for each locally.
 */
export class RatePacer {
  private readonly intervalUs: number;

  constructor(
    private readonly redis: Redis,
    /** The Redis key of the schedule; it carries the provider queue's hash tag. */
    private readonly key: string,
    readonly perSecond: number,
  ) {
    if (!(perSecond > 0)) throw new Error(`A rate pacer needs a positive rate, got ${perSecond}`);
    this.intervalUs = Math.round(1_000_000 / perSecond);
    if (!('rdPace' in redis)) redis.defineCommand('rdPace', { numberOfKeys: 1, lua: paceScript });
  }

  /** Reserves `count` consecutive slots. */
  async reserve(count: number): Promise<SlotSchedule> {
    const firstUs = await (this.redis as PacedRedis).rdPace(this.key, this.intervalUs, count, 0);
    return new SlotSchedule(performance.now() + Number(firstUs) / 1000, this.intervalUs / 1000, count);
  }

  /** One slot, waited for. */
  async acquire(): Promise<void> {
    await (await this.reserve(1)).wait(0);
  }

  /**
   * No slot starts before `ms` from now (the provider answered 429): every
   * process's next reservation waits. Slots already reserved keep their times.
   */
  async holdOff(ms: number): Promise<void> {
    await (this.redis as PacedRedis).rdPace(this.key, this.intervalUs, 0, Math.round(ms * 1000));
  }
}
