/**
 * Spaces calls evenly at `perSecond`, in this process: a reconciliation is one
 * sequential job, so a simple clock is enough to keep it to its share of the
 * provider's budget (the refund steps have theirs in BullMQ's limiter).
 */
export class Pacer {
  private next = 0;

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Resolves when the next call may start. */
  async take(): Promise<void> {
    const now = this.now();
    const at = Math.max(now, this.next);
    this.next = at + 1000 / this.perSecond;
    if (at > now) await this.sleep(at - now);
  }
}
