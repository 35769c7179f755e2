/** Counters over the API requests since start (or the last reset), for tests and benches. */
export class RequestStats {
  total = 0;
  byStatus: Record<string, number> = {};
  rateLimited = 0;
  injected5xx = 0;
  injectedResets = 0;
  idempotentReplays = 0;

  /** `reset` is a request whose connection was dropped on purpose after the commit. */
  count(outcome: number | 'reset'): void {
    this.total++;
    const key = String(outcome);
    this.byStatus[key] = (this.byStatus[key] ?? 0) + 1;
    if (outcome === 429) this.rateLimited++;
  }

  /** The counters as the stats control endpoint reports them. */
  summary() {
    const { total, byStatus, rateLimited, injected5xx, injectedResets, idempotentReplays } = this;
    return { total, byStatus, rateLimited, injected5xx, injectedResets, idempotentReplays };
  }

  clear(): void {
    this.total = 0;
    this.byStatus = {};
    this.rateLimited = 0;
    this.injected5xx = 0;
    this.injectedResets = 0;
    this.idempotentReplays = 0;
  }
}
