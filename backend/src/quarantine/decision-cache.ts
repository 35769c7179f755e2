/**
 * A bounded in-process map of answers with a per-entry deadline. Oldest
 * entries are evicted first when full (Map keeps insertion order). `clear()`
 * bumps a generation: an answer computed from a read that began before a
 * clear is dropped instead of stored, so a lookup racing a quarantine change
 * cannot put a stale answer back.
 */
export class DecisionCache<T> {
  private readonly entries = new Map<string, { value: T; deadline: number }>();
  private generation = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string, now = Date.now()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.deadline <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** The generation to hand back to `set`, taken before the read that computes the value. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Stores unless cleared since `generation`; the entry lives until `validUntil` or the TTL, whichever is first. */
  set(key: string, value: T, generation: number, validUntil = Infinity, now = Date.now()): void {
    if (generation !== this.generation) return;
    const deadline = Math.min(now + this.ttlMs, validUntil);
    if (deadline <= now) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, deadline });
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
