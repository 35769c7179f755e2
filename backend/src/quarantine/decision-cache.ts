export interface CachedAnswer<T> {
  value: T;
  /** Past its TTL: still correct unless a change was missed, so it may be served while a refresh runs. */
  stale: boolean;
}

interface Entry<T> {
  value: T;
  /** End of the TTL (a safety net for missed change notices). */
  freshUntil: number;
  /** When the answer itself stops being true (a quarantine expiring): never served after. */
  validUntil: number;
}

/**
 * A bounded in-process map of answers. Oldest entries are evicted first when
 * full (Map keeps insertion order). `clear()` bumps a generation: an answer
 * computed from a read that began before a clear is dropped instead of
 * stored, so a lookup racing a quarantine change cannot put a stale answer
 * back. Past its TTL an entry is reported `stale` (the caller serves it and
 * refreshes in the background) until its own `validUntil`, after which it is
 * gone: an answer that has stopped being true is never served.
 */
export class DecisionCache<T> {
  private readonly entries = new Map<string, Entry<T>>();
  private generation = 0;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
  ) {}

  get(key: string, now = Date.now()): CachedAnswer<T> | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.validUntil <= now) {
      this.entries.delete(key);
      return undefined;
    }
    return { value: entry.value, stale: entry.freshUntil <= now };
  }

  /** The generation to hand back to `set`, taken before the read that computes the value. */
  get currentGeneration(): number {
    return this.generation;
  }

  /** Stores unless cleared since `generation`; fresh for the TTL, kept until `validUntil` at most. */
  set(key: string, value: T, generation: number, validUntil = Infinity, now = Date.now()): void {
    if (generation !== this.generation) return;
    if (validUntil <= now) return;
    this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(key, { value, freshUntil: Math.min(now + this.ttlMs, validUntil), validUntil });
  }

  delete(key: string): void {
    this.entries.delete(key);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
