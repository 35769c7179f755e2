/** One POST of an event to an endpoint, as /__stand-in/webhook-attempts shows it. */
export interface DeliveryAttempt {
  at: string;
  event: string;
  type: string;
  endpoint: string;
  url: string;
  /** 1 for the first try; a duplicate repeats the number of the attempt it copies. */
  attempt: number;
  duplicate: boolean;
  /** The endpoint's HTTP status, or null when it could not be reached (then `error` says why). */
  status: number | null;
  error: string | null;
  ms: number;
}

/** Counters over webhook delivery since start (or reset), and the latest attempts for debugging. */
export class DeliveryStats {
  attempts = 0;
  delivered = 0;
  failedAttempts = 0;
  retriesScheduled = 0;
  abandoned = 0;
  duplicatesSent = 0;
  private readonly recent: DeliveryAttempt[] = [];

  constructor(private readonly keep = 1_000) {}

  log(attempt: DeliveryAttempt): void {
    this.attempts++;
    if (attempt.duplicate) this.duplicatesSent++;
    else if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) this.delivered++;
    else this.failedAttempts++;
    this.recent.push(attempt);
    if (this.recent.length > this.keep) this.recent.shift();
  }

  /** Newest first, optionally only one event's or one endpoint's. */
  latest(filter: { event?: string; endpoint?: string; limit?: number }): DeliveryAttempt[] {
    const matches = this.recent.filter(
      (attempt) => (!filter.event || attempt.event === filter.event) && (!filter.endpoint || attempt.endpoint === filter.endpoint),
    );
    return matches.reverse().slice(0, filter.limit ?? 100);
  }

  clear(): void {
    this.attempts = 0;
    this.delivered = 0;
    this.failedAttempts = 0;
    this.retriesScheduled = 0;
    this.abandoned = 0;
    this.duplicatesSent = 0;
    this.recent.length = 0;
  }
}
