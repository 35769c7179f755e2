/** One item's outcome in a batch: its result, or the error that is its alone. */
export type BatchOutcome<R> = { ok: R } | { error: unknown };

/**
 * Group commit: items submitted while a batch is being written wait and go
 * together in the next one, so under load many requests share one
 * transaction (and its round trips and commit), while a lone request goes at
 * once — nothing ever waits for a timer. One batch at a time per instance.
 */
export class GroupCommit<T, R> {
  private waiting: { item: T; resolve: (result: R) => void; reject: (error: unknown) => void }[] = [];
  private writing = false;

  constructor(
    private readonly write: (items: T[]) => Promise<BatchOutcome<R>[]>,
    private readonly maxBatch: number,
  ) {}

  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.waiting.length) {
        const batch = this.waiting.splice(0, this.maxBatch);
        let outcomes: BatchOutcome<R>[];
        try {
          outcomes = await this.write(batch.map((entry) => entry.item));
        } catch (error) {
          outcomes = batch.map(() => ({ error }));
        }
        batch.forEach((entry, i) => {
          const outcome = outcomes[i]!;
          if ('ok' in outcome) entry.resolve(outcome.ok);
          else entry.reject(outcome.error);
        });
      }
    } finally {
      this.writing = false;
    }
  }
}
